"""The search index: Pagefind, run on the rendered pages, written under ``pagefind/``.

Pagefind splits the index by page language (``<html lang>``) and loads only the fragments a query needs,
so the site stays searchable from static files with 100,000 pages. Pages opt in with
``data-pagefind-body``; filters come from ``data-pagefind-filter`` attributes in the templates.

Pagefind cannot update an index in place, and indexing a big site takes minutes. An incremental build
therefore indexes only the pages rendered since the last full index into a small second index,
``pagefind-delta/``; ``pagefind-delta.json`` names it and lists the URLs whose entries in the main index are
out of date (changed or removed pages). The search page merges the two indexes and drops those entries. When the
delta grows past :data:`DELTA_LIMIT` pages, the whole site is indexed again.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from hdh_graph.errors import HdhError
from hdh_graph.site.urls import LANGUAGES, html_file, page_url

INDEX_FOLDER = "pagefind"
DELTA_FOLDER = "pagefind-delta"
DELTA_STATE = ".hdh-search-delta.json"
DELTA_INFO = "pagefind-delta.json"
"""What the search page reads first: ``{"index": null | "/pagefind-delta/", "stale": [URLs]}``."""
DELTA_LIMIT = 2000
DELTA_MARK = '<span hidden data-pagefind-meta="delta:1"></span>'


class SearchIndexError(HdhError):
    """Pagefind could not index the site."""


def _pagefind() -> tuple[type, type]:
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError as exc:
        raise SearchIndexError(
            "the search index needs Pagefind, which is not installed",
            hint="pip install 'pagefind[extended]', or build with --no-search",
        ) from exc
    return IndexConfig, PagefindIndex


def build_search_index(site: Path) -> int:
    """Index the HTML pages under ``site`` into ``site/pagefind``; the number of pages indexed."""
    IndexConfig, PagefindIndex = _pagefind()
    for leftover in (site / DELTA_FOLDER, site / DELTA_STATE):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        elif leftover.exists():
            leftover.unlink()

    async def run() -> int:
        config = IndexConfig(output_path=str(site / INDEX_FOLDER))
        async with PagefindIndex(config=config) as index:
            result = await index.add_directory(path=str(site), glob="**/*.html")
            count = int(result.get("page_count", 0)) if isinstance(result, dict) else 0
            await index.write_files()
            return count

    try:
        count = asyncio.run(run())
    except HdhError:
        raise
    except Exception as exc:
        raise SearchIndexError(f"Pagefind failed: {exc}", hint="run with --no-search to build without search") from exc
    _write_info(site, None, [])
    return count


def _write_info(site: Path, index: str | None, stale: list[str]) -> None:
    tmp = site / f".{DELTA_INFO}.tmp"
    tmp.write_text(json.dumps({"index": index, "stale": stale}, ensure_ascii=False), encoding="utf-8")
    tmp.replace(site / DELTA_INFO)


def update_search_index(site: Path, rendered: list[str], removed_files: list[str]) -> int:
    """After an incremental build: index the pages changed since the last full index into the delta index
    (or everything again when too many changed); the number of pages indexed."""
    state = site / DELTA_STATE
    try:
        known = json.loads(state.read_text(encoding="utf-8")) if state.is_file() else {}
    except (OSError, ValueError):
        known = {}
    changed = set(known.get("changed", [])) | set(rendered)
    gone = set(known.get("removed", [])) | {f for f in removed_files if f.endswith(".html")}
    if len(changed) + len(gone) > DELTA_LIMIT or not (site / INDEX_FOLDER).is_dir():
        return build_search_index(site)
    IndexConfig, PagefindIndex = _pagefind()
    files = [(path, lang, site / html_file(path, lang)) for path in sorted(changed) for lang in LANGUAGES]
    present = [(path, lang, f) for path, lang, f in files if f.is_file()]
    stale = sorted(
        {page_url(path, lang) for path, lang, _ in files} | {"/" + f.removesuffix("index.html") for f in gone}
    )
    target, building = site / DELTA_FOLDER, site / f".{DELTA_FOLDER}.building"
    if building.exists():
        shutil.rmtree(building)

    async def run() -> int:
        config = IndexConfig(output_path=str(building))
        async with PagefindIndex(config=config) as index:
            for path, lang, f in present:
                html = f.read_text(encoding="utf-8").replace(
                    "<article data-pagefind-body>", "<article data-pagefind-body>" + DELTA_MARK, 1
                )
                await index.add_html_file(content=html, url=page_url(path, lang))
            await index.write_files()
        return len(present)

    try:
        count = asyncio.run(run())
    except Exception as exc:
        raise SearchIndexError(f"Pagefind failed: {exc}", hint="run with --no-search to build without search") from exc
    old = site / f".{DELTA_FOLDER}.old"
    if target.exists():
        target.rename(old)
    building.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    _write_info(site, f"/{DELTA_FOLDER}/", stale)
    state.write_text(json.dumps({"changed": sorted(changed), "removed": sorted(gone)}), encoding="utf-8")
    return count
