"""The sitemap (an index of numbered sitemaps beyond 50,000 URLs) and ``robots.txt``."""

from __future__ import annotations

from hdh_graph.settings import Settings
from hdh_graph.site.publish.output import Output
from hdh_graph.site.render.templates import Renderer
from hdh_graph.site.urls import LANGUAGES, page_url

SITEMAP_LIMIT = 50_000


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
