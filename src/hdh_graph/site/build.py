"""Render the whole site from the store: pages in two languages, twins, feed, sitemap, search index.

``build_site(store, settings, out)`` is the one entry point. It reads the graph in bulk
(:mod:`facts`), builds typed page contexts (:mod:`pages`, :mod:`overview`), renders them with the
templates (:mod:`render`) and writes everything (:mod:`output`). With ``incremental=True`` a page whose
context, triples and templates are unchanged since the last build is not rendered nor written again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
from hdh_graph.site.facts import read_facts
from hdh_graph.site.feed import feed_documents
from hdh_graph.site.filters import FilterIndex
from hdh_graph.site.i18n import Localized, messages_path
from hdh_graph.site.output import Output
from hdh_graph.site.overview import OverviewBuilder
from hdh_graph.site.render import Renderer, default_static, default_templates
from hdh_graph.site.resolve import Resolver, kind_of
from hdh_graph.site.structure import analyse
from hdh_graph.site.twins import TwinWriter, owners
from hdh_graph.site.urls import LANGUAGES, page_url, twin_file
from hdh_graph.site.writing import TWIN_KINDS, RenderJob, render_all
from hdh_graph.vocab import CSVW, DCAT, FOAF, SKOS

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
    seconds: dict[str, float] = field(default_factory=dict)


def _fingerprint(folders: list[Path], files: list[Path]) -> str:
    """Hash of what every page depends on besides its own context: templates, static files, words."""
    h = hashlib.sha256()
    for folder in folders:
        for f in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(f.relative_to(folder).as_posix().encode())
            h.update(f.read_bytes())
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()


def _pages(builder: OverviewBuilder) -> Iterator[Page]:
    f = builder.facts
    datasets = sorted(
        {n.key: n for n in f.of_type(DCAT.Dataset) + f.of_type(DCAT.DatasetSeries)}.values(), key=lambda n: n.key
    )
    yield builder.home(datasets)
    for node in datasets:
        if kind_of(node) == "dataset":
            yield builder.dataset(node)
    for node in f.of_type(CSVW.Table):
        yield builder.table(node)
    for node in f.of_type(CSVW.Column):
        yield builder.variable(node)
    for node in f.of_type(SKOS.ConceptScheme):
        yield from builder.codelist(node)
    agents = {n.key: n for n in f.of_type(FOAF.Agent) + f.of_type(FOAF.Organization)}
    for key in sorted(agents):
        yield builder.agent(agents[key])
    yield builder.crossing()
    r = builder.r
    yield builder.listing(
        "agents",
        "agent",
        Localized((("en", "Organisations"), ("fr", "Organisations"))),
        r.refs(sorted(agents)),
    )
    yield builder.listing(
        "codelists",
        "codelist",
        Localized((("en", "Code lists"), ("fr", "Nomenclatures"))),
        r.refs([n.key for n in f.of_type(SKOS.ConceptScheme)]),
    )
    yield builder.static("about", "about", Localized((("en", "How to access the data"), ("fr", "Accéder aux données"))))
    yield builder.static("search", "search", Localized((("en", "Search"), ("fr", "Rechercher"))))


def build_site(
    store: ox.Store,
    settings: Settings,
    out: Path | None = None,
    *,
    templates: Path | None = None,
    static: Path | None = None,
    search: bool = True,
    incremental: bool = False,
    workers: int | None = None,
) -> SiteReport:
    """Render the site into ``out`` (default ``settings.site``), on ``workers`` processes (default: the cores)."""
    report = SiteReport()
    clock = time.perf_counter()
    out = out or settings.site
    templates = templates or default_templates()
    static = static or default_static()
    renderer = Renderer(templates)

    facts = read_facts(store, settings.base_iri)
    report.seconds["read"] = time.perf_counter() - clock
    resolver = Resolver(facts)
    builder = OverviewBuilder(facts, resolver, analyse(facts, resolver))
    pages = list(_pages(builder))
    report.seconds["contexts"] = time.perf_counter() - clock - report.seconds["read"]

    output = Output(out, incremental)
    report.incremental = output.incremental
    previous = output.previous_manifest().get("pages", {}) if output.incremental else {}
    step = time.perf_counter()
    design = _fingerprint([templates, static], [messages_path(), messages_path().with_name("labels.json")])
    twin_owners = owners(facts, {p.path for p in pages if p.kind in TWIN_KINDS})
    twins = TwinWriter(facts)
    filter_index = FilterIndex(pages)
    report.seconds["prepare"] = time.perf_counter() - step
    step = time.perf_counter()
    try:
        job = RenderJob(pages, TEMPLATES, renderer, twins, twin_owners, filter_index, design, previous, output)
        done = render_all(job, workers)
        manifest_pages = done.manifest
        report.pages, report.rendered, report.unchanged = len(pages), done.rendered, done.unchanged
        for path, old in sorted(previous.items()):
            if path not in manifest_pages:
                for rel in old.get("files", []):
                    output.remove(rel)
                report.removed += 1
        report.seconds["render"] = time.perf_counter() - step

        step = time.perf_counter()
        if not output.incremental or report.rendered or report.removed:
            _write_globals(output, store, settings, renderer, static, pages)
        report.seconds["feed"] = time.perf_counter() - step
        if search and (not output.incremental or report.rendered or report.removed):
            from hdh_graph.site.search import build_search_index

            step = time.perf_counter()
            report.searched = build_search_index(output.root)
            report.seconds["search"] = time.perf_counter() - step
        output.commit({"pages": manifest_pages, "base_iri": settings.base_iri})
    except BaseException:
        output.abort()
        raise
    report.files, report.bytes = output.files, output.bytes
    report.seconds["total"] = time.perf_counter() - clock
    step = time.perf_counter()
    output.cleanup()
    report.seconds["cleanup"] = time.perf_counter() - step
    return report


def _write_globals(
    output: Output, store: ox.Store, settings: Settings, renderer: Renderer, static: Path, pages: list[Page]
) -> None:
    output.copy_tree(static, "static")
    for ext, data in feed_documents(store, settings).items():
        output.write(twin_file("catalog", ext), data)
    site_url = settings.base_iri.rstrip("/#")
    urls = sorted({site_url + page_url(p.path, lang) for p in pages for lang in LANGUAGES if p.kind != "search"})
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
