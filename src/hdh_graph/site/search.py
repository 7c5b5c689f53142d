"""The search index: Pagefind, run on the rendered pages, written under ``pagefind/``.

Pagefind splits the index by page language (``<html lang>``) and loads only the fragments a query needs,
so the site stays searchable from static files with 100,000 pages. Pages opt in with
``data-pagefind-body``; filters come from ``data-pagefind-filter`` attributes in the templates.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from hdh_graph.errors import HdhError

INDEX_FOLDER = "pagefind"


class SearchIndexError(HdhError):
    """Pagefind could not index the site."""


def build_search_index(site: Path) -> int:
    """Index the HTML pages under ``site`` into ``site/pagefind``; the number of pages indexed."""
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError as exc:
        raise SearchIndexError(
            "the search index needs Pagefind, which is not installed",
            hint="pip install 'pagefind[extended]', or build with --no-search",
        ) from exc

    async def run() -> int:
        config = IndexConfig(output_path=str(site / INDEX_FOLDER))
        async with PagefindIndex(config=config) as index:
            result = await index.add_directory(path=str(site), glob="**/*.html")
            count = int(result.get("page_count", 0)) if isinstance(result, dict) else 0
            await index.write_files()
            return count

    try:
        return asyncio.run(run())
    except HdhError:
        raise
    except Exception as exc:
        raise SearchIndexError(f"Pagefind failed: {exc}", hint="run with --no-search to build without search") from exc
