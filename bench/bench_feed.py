"""Benchmark of the catalogue feed: the site's static pages, and the whole catalogue as one document.

    python3 ../shared/bench/gen_catalogue.py --datasets 1000 --variables 50 --split build/cat-1k
    .venv/bin/python bench/bench_feed.py --catalogue build/cat-1k --base-iri https://catalogue.example.org/

``--store DIR`` reuses a store built before (else one is built in a scratch folder with ``build_store``).
``--mode pages`` (default) times ``plan_feed`` and ``feed_page_files`` for every page; ``--mode whole`` times
``build_feed`` for the whole catalogue and its three serialisations (what the site wrote before paging).
Prints one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from hdh_graph.build import build_store
from hdh_graph.settings import DEFAULT_BASE_IRI, Settings
from hdh_graph.store import open_store


def _pages(store: Any, settings: Settings, page_size: int) -> dict[str, Any]:
    from hdh_graph.site.publish.feed import feed_page_files, plan_feed

    start = time.perf_counter()
    plan = plan_feed(store, settings, page_size)
    planned = time.perf_counter() - start
    seconds: list[float] = []
    size = files = 0
    for page in plan.pages:
        step = time.perf_counter()
        written = feed_page_files(store, settings, plan, page.number)
        seconds.append(time.perf_counter() - step)
        files += len(written)
        size += sum(len(data) for data in written.values())
    return {
        "datasets": len(plan.catalogue.datasets),
        "pages": plan.last,
        "files": files,
        "megabytes": round(size / 1e6, 1),
        "plan_s": round(planned, 2),
        "pages_s": round(sum(seconds), 2),
        "page_mean_s": round(sum(seconds) / len(seconds), 3),
        "page_max_s": round(max(seconds), 3),
        "total_s": round(time.perf_counter() - start, 2),
    }


def _whole(store: Any, settings: Settings) -> dict[str, Any]:
    from hdh_graph.feed import build_feed

    start = time.perf_counter()
    page = build_feed(store, settings)
    built = time.perf_counter() - start
    out: dict[str, Any] = {"datasets": page.total, "triples": len(page.triples), "build_s": round(built, 2)}
    size = 0
    for fmt in ("turtle", "jsonld", "rdfxml"):
        step = time.perf_counter()
        size += len(page.serialize(fmt))
        out[f"{fmt}_s"] = round(time.perf_counter() - step, 2)
    out["megabytes"] = round(size / 1e6, 1)
    out["total_s"] = round(time.perf_counter() - start, 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogue", type=Path, required=True)
    parser.add_argument("--base-iri", default=DEFAULT_BASE_IRI)
    parser.add_argument("--store", type=Path, help="a store built before (default: build one in a scratch folder)")
    parser.add_argument("--mode", choices=("pages", "whole"), default="pages")
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hdh-bench-feed-") as scratch:
        store_dir = args.store or Path(scratch) / "store"
        settings = Settings(catalogue=args.catalogue, store=store_dir, base_iri=args.base_iri)
        result: dict[str, Any] = {"catalogue": str(args.catalogue), "mode": args.mode}
        if args.store is None:
            step = time.perf_counter()
            build_store(settings)
            result["store_build_s"] = round(time.perf_counter() - step, 2)
        store = open_store(settings)
        if args.mode == "pages":
            result.update(_pages(store, settings, args.page_size))
        else:
            result.update(_whole(store, settings))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
