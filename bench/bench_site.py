"""Benchmark of the static site: full build, incremental rebuild, search index size and query time.

    .venv/bin/python bench/bench_site.py --catalogue catalogue                       # the SNDS catalogue
    python3 ../shared/bench/gen_catalogue.py --datasets 1000 --variables 50 --split build/cat-1k
    .venv/bin/python bench/bench_site.py --catalogue build/cat-1k --base-iri https://catalogue.example.org/

The catalogue is copied to a scratch folder (the incremental step edits one file of the copy), built into a
store with ``hdh_graph.build.build_store``, then rendered. Prints one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from hdh_graph.build import build_store
from hdh_graph.settings import DEFAULT_BASE_IRI, Settings
from hdh_graph.site.build import SiteReport, build_site
from hdh_graph.store import open_store, store_version


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _report(r: SiteReport) -> dict[str, Any]:
    total = r.seconds.get("total", 0.0)
    render = r.seconds.get("render", 0.0)
    return {
        "pages": r.pages,
        "html_files": r.pages * 2,
        "rendered": r.rendered,
        "unchanged": r.unchanged,
        "items_rebuilt": r.items,
        "read_rounds": r.rounds,
        "files": r.files,
        "megabytes": round(r.bytes / 1e6, 1),
        "seconds": {k: round(v, 2) for k, v in r.seconds.items()},
        "pages_per_second_total": round(r.pages / total, 1) if total else None,
        "pages_per_second_render": round(r.rendered / render, 1) if render else None,
    }


def _edit_one_file(catalogue: Path) -> Path:
    """Change one literal of one dataset file (the first one that has a description)."""
    for path in sorted(catalogue.rglob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        marker = 'dct:description "'
        if marker in text and ("datasets" in path.parts or "snds" in path.parts):
            path.write_text(text.replace(marker, marker + "Modifié. ", 1), encoding="utf-8")
            return path
    raise SystemExit("no dataset file with a description to edit")


def _query_times(site: Path, queries: list[str]) -> dict[str, float] | None:
    """Milliseconds from submitting a query on the search page to the results shown, in headless chromium."""
    if not Path("/usr/bin/chromium").exists():
        return None
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/search/"
    times: dict[str, float] = {}
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[*args, "--disable-sync"])
            page = browser.new_page()
            page.goto(url)
            page.wait_for_function("document.querySelector('[data-search-filters-box]') !== null")
            for q in queries:
                page.evaluate("document.querySelector('[data-search-status]').textContent = ''")
                page.fill("#q", q)
                start = time.perf_counter()
                page.press("#q", "Enter")
                page.wait_for_function("document.querySelector('[data-search-status]').textContent.length > 0")
                times[q] = round((time.perf_counter() - start) * 1000, 1)
            browser.close()
    finally:
        server.shutdown()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalogue", type=Path, required=True)
    parser.add_argument("--base-iri", default=DEFAULT_BASE_IRI)
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--no-search", action="store_true", help="skip the search index")
    parser.add_argument("--no-incremental", action="store_true", help="skip the incremental rebuild")
    parser.add_argument("--workers", type=int, default=None, help="rendering processes (default: the cores)")
    parser.add_argument(
        "--batches", choices=("auto", "yes", "no"), default="auto", help="full build in batches (default: by size)"
    )
    parser.add_argument("--queries", default="diagnostic,hopital,hôpital,age", help="comma-separated queries")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="hdh-bench-site-"))
    catalogue = work / "catalogue"
    if catalogue.exists():
        shutil.rmtree(catalogue)
    shutil.copytree(args.catalogue, catalogue)
    settings = Settings(catalogue=catalogue, store=work / "store", base_iri=args.base_iri, site=work / "site")
    out: dict[str, Any] = {"catalogue": str(args.catalogue)}

    started = time.perf_counter()
    built = build_store(settings)
    out["store"] = {"triples": built.triples, "seconds": round(time.perf_counter() - started, 2)}
    store = open_store(settings, read_only=True)
    full = build_site(
        store,
        settings,
        settings.site,
        search=not args.no_search,
        workers=args.workers,
        store_version=store_version(settings),
        batches={"auto": None, "yes": True, "no": False}[args.batches],
    )
    out["full"] = _report(full)
    files, size = _size(settings.site)
    out["full"]["site_files"], out["full"]["site_megabytes"] = files, round(size / 1e6, 1)
    if not args.no_search:
        index_files, index_size = _size(settings.site / "search-index")
        out["search"] = {"index_files": index_files, "index_megabytes": round(index_size / 1e6, 2)}
        out["search"]["query_ms"] = _query_times(settings.site, args.queries.split(","))
    del store
    print(json.dumps(out, ensure_ascii=False), file=sys.stderr, flush=True)  # the full build, in case of a stop

    if not args.no_incremental:
        edited = _edit_one_file(catalogue)
        started = time.perf_counter()
        build_store(settings)
        store_seconds = round(time.perf_counter() - started, 2)
        store = open_store(settings, read_only=True)
        again = build_site(
            store,
            settings,
            settings.site,
            search=not args.no_search,
            incremental=True,
            store_version=store_version(settings),
        )
        out["incremental"] = {"edited": str(edited.relative_to(catalogue)), "store_seconds": store_seconds}
        out["incremental"].update(_report(again))
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    print()
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
