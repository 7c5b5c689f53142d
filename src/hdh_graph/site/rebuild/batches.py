"""A full build in batches, for catalogues too big to hold in memory at once (10,000 datasets and more).

The resources are taken file by file, a few thousand at a time; each batch reads from the store only what its
pages need (the partial reads of :mod:`incremental`), renders them and records them in the state. The
catalogue-wide pages are assembled at the end from the parts the batches stored, then the feed, sitemap and
search index are written, and the new site is swapped in whole as in a plain full build. The store is copied into
memory first (a look-up there is ten times faster than in the on-disk database); beyond it, memory stays that
of one batch. The bytes are those of a plain full build.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from hdh_graph.graph_store import GraphStore
from hdh_graph.settings import Settings
from hdh_graph.site.build_support import SiteReport, write_feed, write_sitemap
from hdh_graph.site.engine import PartialBuilder
from hdh_graph.site.pages.items import GLOBAL_PAGES
from hdh_graph.site.pages.resolve import KINDS
from hdh_graph.site.pages.structure import names_index
from hdh_graph.site.publish.output import Output
from hdh_graph.site.read.curation import Curation
from hdh_graph.site.read.facts import CLASSES
from hdh_graph.site.render.templates import Renderer
from hdh_graph.site.state import STATE, SiteState
from hdh_graph.site.urls import resource_path
from hdh_graph.vocab import RDF

BATCH = 4000
"""Resources per batch."""
HEAVY = {"codelist": 40, "agent": 40}
"""Weight of the resources whose pages list many others (a code list lists the variables that use it, an
organisation the datasets it publishes): fewer of them go in one batch, which then reads what they list."""


def in_memory(store: GraphStore) -> GraphStore:
    """A copy of the store in memory: the batches look resources up one by one, ten times faster there than in
    the on-disk database (about 1 GB for 4 million triples)."""
    copy = ox.Store()
    copy.bulk_load(store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    return copy


def resources_by_file(store: GraphStore, base_iri: str) -> list[str]:
    """Every resource that has a page, grouped by the file (named graph) that types it, in a stable order."""
    typ = ox.NamedNode(RDF.type)
    graph_of: dict[str, str] = {}
    for cls in dict(KINDS):
        for q in store.quads_for_pattern(None, typ, ox.NamedNode(cls), None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.graph_name, ox.NamedNode):
                iri = q.subject.value
                graph_of[iri] = min(graph_of.get(iri, q.graph_name.value), q.graph_name.value)
    by_graph: dict[str, list[str]] = defaultdict(list)
    for iri, graph in graph_of.items():
        by_graph[graph].append(iri)
    return [iri for graph in sorted(by_graph) for iri in sorted(by_graph[graph]) if resource_path(iri, base_iri)]


def build_in_batches(
    store: GraphStore,
    settings: Settings,
    out: Path,
    renderer: Renderer,
    static: Path,
    design: str,
    *,
    search: bool,
    workers: int | None,
    store_version: str | None,
    curation: Curation | None,
    batch_size: int = BATCH,
) -> SiteReport:
    report = SiteReport()
    clock = time.perf_counter()
    store = in_memory(store)
    report.seconds["copy"] = time.perf_counter() - clock
    output = Output(out, incremental=False)
    state = SiteState(output.root / STATE, scratch=True)
    try:
        updater = PartialBuilder(store, settings, out, renderer, design, state, report)
        resources = resources_by_file(store, settings.base_iri)
        page_iris = {p: iri for iri in resources if (p := resource_path(iri, settings.base_iri))}
        updater.page_paths = set(page_iris)
        updater.owned_of = owned_resources(store, settings.base_iri, page_iris)
        updater.names = names_index(store)
        tops = updater._tops()
        updater.home_iri = updater._catalog_iri()
        if curation is not None:
            updater.curation = curation.on_pages(updater.has_page)
        report.seconds["plan"] = time.perf_counter() - clock
        state.begin()
        for chunk in _batches(store, resources, batch_size):
            step = time.perf_counter()
            batch = updater.process(chunk, {"home:" + d for d in tops & chunk}, tops)
            report.seconds["read"] = report.seconds.get("read", 0.0) + time.perf_counter() - step
            step = time.perf_counter()
            done = updater.write_items(output, batch, None, workers)
            report.seconds["render"] = report.seconds.get("render", 0.0) + time.perf_counter() - step
            report.rendered += done.rendered
            report.rounds = max(report.rounds, batch.rounds)
        step = time.perf_counter()
        last = updater.process(set(), set(), tops)
        done = updater.write_items(output, last, set(GLOBAL_PAGES), 1)
        report.rendered += done.rendered
        report.seconds["globals"] = time.perf_counter() - step
        step = time.perf_counter()
        output.copy_tree(static, "static")
        feed_pages = write_feed(output, store, settings)
        write_sitemap(output, settings, renderer, [p for p in state.all_paths() if p != "search"])
        report.seconds["feed"] = time.perf_counter() - step
        if search:
            from hdh_graph.site.publish.search import build_search_index

            step = time.perf_counter()
            report.searched = build_search_index(output.root)
            report.seconds["search"] = time.perf_counter() - step
        step = time.perf_counter()
        state.db.execute("CREATE INDEX IF NOT EXISTS deps_item ON deps (item)")
        state.set_meta(
            {
                "base_iri": settings.base_iri,
                "design": design,
                "store_version": store_version,
                "counts": list(updater._counts()),
                "home_iri": updater.home_iri,
                "feed_pages": feed_pages,
            }
        )
        state.commit()
        state.db.execute("PRAGMA journal_mode=WAL")
        report.pages = state.page_count()
        state.close()
        report.seconds["state"] = time.perf_counter() - step
        output.commit()
    except BaseException:
        state.rollback()
        state.close()
        output.abort()
        raise
    report.files, report.bytes = output.files, output.bytes
    report.seconds["total"] = time.perf_counter() - clock
    step = time.perf_counter()
    output.cleanup()
    report.seconds["cleanup"] = time.perf_counter() - step
    return report


def owned_resources(store: GraphStore, base_iri: str, page_iris: dict[str, str]) -> dict[str, list[str]]:
    """For each page, the resources without a page of their own that its twin holds (as :func:`twins.owners`)."""
    typ = ox.NamedNode(RDF.type)
    out: dict[str, set[str]] = defaultdict(set)
    for cls in CLASSES:
        for q in store.quads_for_pattern(None, typ, ox.NamedNode(cls), None):
            if not isinstance(q.subject, ox.NamedNode):
                continue
            iri = q.subject.value
            path = resource_path(iri, base_iri)
            if path in page_iris and "#" not in iri:
                continue
            while path:
                if path in page_iris:
                    out[page_iris[path]].add(iri)
                    break
                path = path.rsplit("/", 1)[0] if "/" in path else ""
    return {k: sorted(v) for k, v in out.items()}


def _batches(store: GraphStore, resources: list[str], size: int) -> Iterator[set[str]]:
    """Consecutive resources, cut where their weight reaches ``size``."""
    typ = ox.NamedNode(RDF.type)
    weight_of = {
        q.subject.value: HEAVY[kind]
        for cls, kind in KINDS
        if kind in HEAVY
        for q in store.quads_for_pattern(None, typ, ox.NamedNode(cls), None)
        if isinstance(q.subject, ox.NamedNode)
    }
    chunk: set[str] = set()
    weight = 0
    for iri in resources:
        chunk.add(iri)
        weight += weight_of.get(iri, 1)
        if weight >= size:
            yield chunk
            chunk, weight = set(), 0
    if chunk:
        yield chunk
