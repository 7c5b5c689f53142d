"""What full and incremental site builds share: the templates of each page type, the report, the sitemap
and the feed files."""

from __future__ import annotations

from dataclasses import dataclass, field

from hdh_graph.graph_store import GraphStore
from hdh_graph.settings import Settings
from hdh_graph.site.pages.context import (
    AgentPage,
    CodeListPage,
    CrossingPage,
    DatasetPage,
    HomePage,
    ListingPage,
    Page,
    StaticPage,
    TablePage,
    VariablePage,
)
from hdh_graph.site.publish.feed import feed_page_files, plan_feed
from hdh_graph.site.publish.output import Output
from hdh_graph.site.render.templates import Renderer
from hdh_graph.site.urls import LANGUAGES, page_url

SITEMAP_LIMIT = 50_000
FEED_PAGE_SIZE = 25
"""Datasets per page of the feed at the root (one document up to that many)."""

TEMPLATES: dict[type[Page], str] = {
    HomePage: "home.html",
    DatasetPage: "dataset.html",
    TablePage: "table.html",
    VariablePage: "variable.html",
    CodeListPage: "codelist.html",
    AgentPage: "agent.html",
    CrossingPage: "crossing.html",
    ListingPage: "listing.html",
    StaticPage: "static.html",
}


@dataclass
class SiteReport:
    """What a build did; timings in seconds by step."""

    pages: int = 0
    rendered: int = 0
    unchanged: int = 0
    removed: int = 0
    files: int = 0
    bytes: int = 0
    searched: int = 0
    incremental: bool = False
    items: int = 0
    """Incremental builds: resources and parts built again (their pages are written only if they changed)."""
    rounds: int = 0
    """Incremental builds: partial reads of the store until every item had what it reads."""
    seconds: dict[str, float] = field(default_factory=dict)


def write_feed(
    output: Output,
    store: GraphStore,
    settings: Settings,
    *,
    before: list[list[str]] | None = None,
    changed: set[str] | None = None,
    everything: bool = True,
) -> list[list[str]]:
    """Write the catalogue feed at the root, in pages beyond 100 datasets (see :mod:`feed`); its datasets by
    page, for the next build. An incremental build passes what the pages held ``before`` and the ``changed``
    datasets: only the pages whose datasets changed, or whose list of datasets did, are written again
    (``everything`` when what every page shares changed: the catalogue, an organisation)."""
    plan = plan_feed(store, settings, page_size=FEED_PAGE_SIZE)
    pages = [list(page.datasets) for page in plan.pages]
    old = before or []
    for page in plan.pages:
        n = page.number
        touched = everything or n == 1 or n > len(old) or old[n - 1] != pages[n - 1]
        touched = touched or bool(changed & set(page.datasets))  # page 1 describes the catalogue: its dates move
        if touched or len(old) != len(pages):  # the number of pages is on every page (hydra:last)
            for rel, data in feed_page_files(store, settings, plan, n).items():
                output.write(rel, data)
    current = set(plan.paths())
    for n in range(len(pages) + 1, len(old) + 1):
        for rel in (f"catalog/page/{n}.{ext}" for ext in ("ttl", "jsonld", "rdf")):
            if rel not in current:
                output.remove(rel)
    return pages


def write_sitemap(output: Output, settings: Settings, renderer: Renderer, paths: list[str]) -> None:
    """``sitemap.xml`` (an index of numbered sitemaps beyond 50,000 URLs) and ``robots.txt``."""
    site_url = settings.base_iri.rstrip("/#")
    urls = sorted({site_url + page_url(p, lang) for p in paths if p != "search" for lang in LANGUAGES})
    if len(urls) <= SITEMAP_LIMIT:
        output.write("sitemap.xml", renderer.render("sitemap.xml", "fr", urls=urls).encode())
    else:  # the sitemap protocol allows 50,000 URLs a file: an index of numbered sitemaps
        parts = []
        for n, start in enumerate(range(0, len(urls), SITEMAP_LIMIT), start=1):
            chunk = urls[start : start + SITEMAP_LIMIT]
            output.write(f"sitemap-{n}.xml", renderer.render("sitemap.xml", "fr", urls=chunk).encode())
            parts.append(f"{site_url}/sitemap-{n}.xml")
        output.write("sitemap.xml", renderer.render("sitemap_index.xml", "fr", urls=parts).encode())
    output.write("robots.txt", renderer.render("robots.txt", "fr", site_url=site_url).encode())
