"""What full and incremental site builds share: the templates of each page type, the report, the sitemap
and the feed files."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from hdh_graph.settings import Settings
from hdh_graph.site.context import (
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
from hdh_graph.site.feed import feed_documents
from hdh_graph.site.output import Output
from hdh_graph.site.render import Renderer
from hdh_graph.site.urls import LANGUAGES, page_url, twin_file

SITEMAP_LIMIT = 50_000

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


def write_feed(output: Output, store: ox.Store, settings: Settings) -> None:
    for ext, data in feed_documents(store, settings).items():
        output.write(twin_file("catalog", ext), data)


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
