"""The feed as a harvester receives it, validated alone with the official DCAT-AP 3.0.1 and HealthDCAT-AP R8 shapes.

    .venv/bin/hdh build -q --store build/snds-store
    .venv/bin/python bench/feed_alone.py --store build/snds-store

    python3 ../shared/bench/gen_catalogue.py --datasets 100 --variables 20 --split build/cat-100
    .venv/bin/hdh build -q --catalogue build/cat-100 --store build/cat-100-store --base-iri https://catalogue.example.org/
    .venv/bin/python bench/feed_alone.py --catalogue build/cat-100 --store build/cat-100-store \
        --base-iri https://catalogue.example.org/

Each document the site publishes (``catalog.ttl|.jsonld|.rdf`` and every page, :func:`feed_files`) and the
live feed's pages (``/api/catalog.ttl?page=N``, :func:`build_feed` with a page) are parsed back as a harvester
parses them and validated with :func:`hdh_graph.validation.official.validate_alone` (official shapes only, the
shipped EU vocabularies as background). Prints one JSON object: violations per profile and per document, and
the distinct messages with their counts.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import rdflib

from hdh_graph.feed import build_feed
from hdh_graph.feed.hydra import DEFAULT_PAGE_SIZE
from hdh_graph.settings import DEFAULT_BASE_IRI, Settings
from hdh_graph.site.publish.feed import FEED_PAGE_SIZE, feed_files
from hdh_graph.store import open_store
from hdh_graph.validation.official import PROFILES, validate_alone, violations

RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


def documents(store: Any, settings: Settings, live_pages: bool = True) -> dict[str, tuple[bytes, str]]:
    """Every published feed document → (bytes, rdflib format)."""
    files = feed_files(store, settings, FEED_PAGE_SIZE)
    docs = {path: (data, RDFLIB_FORMATS[path.rsplit(".", 1)[1]]) for path, data in files.items()}
    if live_pages:
        first = build_feed(store, settings, page=1, page_size=DEFAULT_PAGE_SIZE)
        for number in range(1, first.last_page + 1):
            page = first if number == 1 else build_feed(store, settings, page=number, page_size=DEFAULT_PAGE_SIZE)
            docs[f"api/catalog.ttl?page={number}"] = (page.serialize("turtle"), "turtle")
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalogue", type=Path, default=Path("catalogue"))
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--base-iri", default=DEFAULT_BASE_IRI)
    parser.add_argument("--only", help="validate only the documents whose path contains this text")
    args = parser.parse_args()
    settings = Settings(catalogue=args.catalogue, store=args.store, base_iri=args.base_iri)
    store = open_store(settings)
    start = time.perf_counter()
    docs = documents(store, settings)
    out: dict[str, Any] = {"documents": len(docs), "per_document": {}, "messages": {}}
    totals: Counter[str] = Counter()
    messages: dict[str, Counter[str]] = {p: Counter() for p in PROFILES}
    for path, (data, fmt) in sorted(docs.items()):
        if args.only and args.only not in path:
            continue
        graph = rdflib.Graph().parse(data=data, format=fmt, publicID=settings.base_iri)
        row = {}
        for profile in PROFILES:
            found = violations(validate_alone(graph, profile))
            row[profile] = len(found)
            totals[profile] += len(found)
            messages[profile].update(f"{f.path}: {f.message}" for f in found)
        out["per_document"][path] = row
    out["violations"] = dict(totals)
    out["messages"] = {p: dict(c.most_common()) for p, c in messages.items()}
    out["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
