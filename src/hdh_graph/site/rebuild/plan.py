"""What a build renders: the plan the engine (:mod:`hdh_graph.site.engine`) carries out.

- :func:`plan_everything`: every resource. A store up to :data:`BATCH_TRIPLES` triples is read in bulk and built in
  one go; a bigger one is copied into memory and built in *chunks* of a few thousand resources (grouped by the file
  that describes them), each reading only what its pages need, so that memory stays that of one chunk. With
  ``in_place`` (an incremental build that cannot tell what changed) the site is rebuilt where it is and only the
  pages whose content changed are written.
- :func:`plan_changes`: what changed. The store the site was built from (``previous``, or the snapshot its state
  names) is compared with the current one in the named graphs whose files changed (:mod:`diff`); the items that
  read any of the keys the change touches (the state's ``deps``), the items owning a changed resource's twin and the
  new resources are built again; the catalogue-wide pages whose parts change are assembled again.

Only :mod:`hdh_graph.site.build` imports this package (``tests/site/test_layout.py`` checks it).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from hdh_graph.graph_store import GraphStore
from hdh_graph.settings import Settings
from hdh_graph.site.kinds import PAGE_CLASSES, PART_PREFIXES, TWIN_KINDS, WEIGHTS
from hdh_graph.site.pages.structure import names_index
from hdh_graph.site.read.curation import Curation, load_curation_from
from hdh_graph.site.read.facts import CLASSES
from hdh_graph.site.rebuild.diff import diff_graphs, graph_names
from hdh_graph.site.state import SiteState
from hdh_graph.site.urls import resource_path
from hdh_graph.vocab import DCAT, FOAF, RDF

BATCH_TRIPLES = 3_000_000
"""Beyond this many triples, a full build goes in chunks (the SNDS has 1.5 million; 10,000 datasets 4.3)."""
CHUNK = 4000
"""Resources per chunk (weighted: see :attr:`hdh_graph.site.kinds.ResourcePages.weight`)."""


@dataclass
class Chunk:
    resources: set[str]
    parts: set[str] = field(default_factory=set)
    everything: bool = False
    """The resources are all of the store's: read them in bulk."""


@dataclass
class Plan:
    store: GraphStore
    """Where the engine reads (for big full builds, a copy of the store in memory)."""
    chunks: list[Chunk]
    everything: bool
    """Every resource is built: static files, sitemap, feed and search index are written whole."""
    in_place: bool
    """The site is updated where it is (its state kept), rather than written aside and swapped in."""
    site_pages: set[str] = field(default_factory=set)
    """Catalogue-wide pages (``page:…``) to assemble in any case."""
    home_parts: bool = False
    """Each chunk also makes the home-page entries of the top datasets it holds."""
    page_paths: set[str] | None = None
    twin_paths: set[str] | None = None
    """The paths of the pages that have twins (of a type with twins: :data:`hdh_graph.site.kinds.TWIN_KINDS`)."""
    owned_of: dict[str, list[str]] | None = None
    names: Callable[[str], list[tuple[str, str]]] | None = None
    changed: set[str] = field(default_factory=set)
    """The resources that changed (incremental plans), for the feed."""
    keys: set[str] = field(default_factory=set)
    """The dependency keys the change touches (incremental plans)."""
    previous: GraphStore | None = None
    previous_curation: Curation | None = None
    nothing: bool = False
    """Nothing changed: the build has nothing to do."""
    seconds: dict[str, float] = field(default_factory=dict)


# -- every resource --------------------------------------------------------------------------------------
def in_memory(store: GraphStore, skip: set[str] | None = None) -> ox.Store:
    """A copy of the store in memory, without the graphs ``skip`` (the code lists kept as CSV, whose codes the site
    reads from the table of codes): the site reads it many times (its facts, the feed), ten times faster there
    than in the on-disk database (about 1 GB for 4 million triples)."""
    copy = ox.Store()
    if not skip:
        data = store.dump(format=ox.RdfFormat.N_QUADS)
        assert data is not None
        copy.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        return copy
    for graph in sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)):
        if graph in skip:
            continue
        name = ox.NamedNode(graph)
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        if data:
            copy.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
    return copy


def resources_by_file(store: GraphStore, base_iri: str, kinds: dict[str, str] | None = None) -> list[str]:
    """Every resource that has a page, grouped by the file (named graph) that types it, in a stable order
    (``kinds`` receives each one's page type)."""
    typ = ox.NamedNode(RDF.type)
    graph_of: dict[str, str] = {}
    for cls, kind in PAGE_CLASSES:
        for q in store.quads_for_pattern(None, typ, ox.NamedNode(cls), None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.graph_name, ox.NamedNode):
                iri = q.subject.value
                graph_of[iri] = min(graph_of.get(iri, q.graph_name.value), q.graph_name.value)
                if kinds is not None:
                    kinds.setdefault(iri, kind)
    by_graph: dict[str, list[str]] = defaultdict(list)
    for iri, graph in graph_of.items():
        by_graph[graph].append(iri)
    return [iri for graph in sorted(by_graph) for iri in sorted(by_graph[graph]) if resource_path(iri, base_iri)]


def owned_resources(store: GraphStore, base_iri: str, page_iris: dict[str, str]) -> dict[str, list[str]]:
    """For each page with a twin (``page_iris``: path -> IRI), the resources that its twin holds: those below it
    without a twin of their own (as the engine's owners)."""
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


def _chunks(store: GraphStore, resources: list[str], size: int) -> Iterator[set[str]]:
    """Consecutive resources, cut where their weight reaches ``size``."""
    typ = ox.NamedNode(RDF.type)
    weight_of = {
        q.subject.value: WEIGHTS[kind]
        for cls, kind in PAGE_CLASSES
        if kind in WEIGHTS
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


def plan_everything(
    store: GraphStore,
    settings: Settings,
    *,
    chunks: bool | None = None,
    in_place: bool = False,
    size: int | None = None,
    skip_graphs: set[str] | None = None,
) -> Plan:
    """Build every resource: in one go, or in chunks (``chunks``; by default beyond :data:`BATCH_TRIPLES`), reading
    a copy of the store in memory (without the graphs ``skip_graphs``)."""
    from hdh_graph.site.kinds import GLOBAL_KEYS

    big = chunks if chunks is not None else len(store) > BATCH_TRIPLES
    read_from: GraphStore = in_memory(store, skip_graphs)
    kinds: dict[str, str] = {}
    resources = resources_by_file(read_from, settings.base_iri, kinds)
    page_iris = {p: iri for iri in resources if (p := resource_path(iri, settings.base_iri))}
    plan = Plan(read_from, [], everything=True, in_place=in_place, site_pages=set(GLOBAL_KEYS), home_parts=True)
    plan.page_paths = set(page_iris)
    twin_iris = {p: iri for p, iri in page_iris.items() if kinds.get(iri) in TWIN_KINDS}
    plan.twin_paths = set(twin_iris)
    if big:
        plan.owned_of = owned_resources(read_from, settings.base_iri, twin_iris)
        plan.names = names_index(read_from)
        plan.chunks = [Chunk(c) for c in _chunks(read_from, resources, size or CHUNK)]
    else:
        plan.chunks = [Chunk(set(resources), everything=True)]
    return plan


# -- what changed ----------------------------------------------------------------------------------------
def previous_snapshot(settings: Settings, name: str | None) -> tuple[ox.Store, set[str], Curation] | None:
    """The store snapshot ``name`` (kept by the store until the next build), the files changed since, and the
    validation notes it was built with."""
    from hdh_graph.store import active_snapshot

    active = active_snapshot(settings)
    if not name or active is None:
        return None
    old = settings.store / "snapshots" / name
    try:
        before = json.loads((old / "build.json").read_text(encoding="utf-8")).get("files", {})
        after = json.loads((active / "build.json").read_text(encoding="utf-8")).get("files", {})
        store = ox.Store.read_only(str(old / "oxigraph"))
    except (OSError, ValueError):
        return None
    changed = {f for f in before.keys() | after.keys() if before.get(f) != after.get(f)}
    return store, changed, load_curation_from(old)


def noted_changes(before: Curation | None, after: Curation | None, has_page: Callable[[str], bool]) -> set[str]:
    """The pages (resource IRIs) whose validation notes differ between two builds."""
    old = before.on_pages(has_page) if before is not None else Curation()
    new = after if after is not None else Curation()
    resources = {n.resource for n in set(old.notes) ^ set(new.notes)}
    return {iri for r in resources if (iri := new._page_of(r) if after is not None else old._page_of(r))}


def _ancestors(iri: str, base: str) -> list[str]:
    out = []
    head = iri.split("#", 1)[0]
    if head != iri:
        out.append(head)
    while "/" in head[len(base) :]:
        head = head.rsplit("/", 1)[0]
        out.append(head)
    return out


def plan_changes(
    store: GraphStore,
    settings: Settings,
    state: SiteState,
    *,
    store_version: str | None,
    previous: GraphStore | None,
    changed_files: set[str] | None,
    curation: Curation | None,
    previous_curation: Curation | None,
    has_page: Callable[[str], bool],
    tops: set[str],
) -> Plan | None:
    """Build what changed since the site in ``state`` was built; ``None`` when that cannot be told (the caller
    then builds every resource in place)."""
    meta = state.meta()
    if previous is None:
        if store_version is not None and meta.get("store_version") == store_version:
            return Plan(store, [], everything=False, in_place=True, nothing=True)
        found = previous_snapshot(settings, meta.get("store_version"))
        if found is None:
            return None
        previous, changed_files, old_notes = found
        previous_curation = previous_curation if previous_curation is not None else old_notes
    graphs = (
        {settings.graph_iri(f) for f in changed_files}
        if changed_files is not None
        else graph_names(previous) | graph_names(store)
    )
    clock = time.perf_counter()
    change = diff_graphs(previous, store, graphs)
    diffed = time.perf_counter() - clock
    noted = noted_changes(previous_curation, curation.on_pages(has_page) if curation else None, has_page)
    keys = change.keys | {"n:" + iri for iri in noted}
    changed = change.resources | noted
    plan = Plan(store, [], everything=False, in_place=True, changed=changed, previous=previous)
    plan.previous_curation = previous_curation
    plan.keys = keys
    plan.seconds["diff"] = diffed
    if not keys:
        plan.nothing = True
        return plan
    dirty = state.dependents(keys)
    for iri in changed:
        dirty.update(a for a in _ancestors(iri, settings.base_iri) if state.has_item(a))
    resources = {k for k in dirty if not k.startswith(PART_PREFIXES) and not k.startswith("page:")}
    resources |= changed
    parts = {k for k in dirty if k.startswith(PART_PREFIXES)}
    old_tops = {k[len("home:") :] for k in state.items_with_prefix("home:")}
    parts |= {"home:" + d for d in tops ^ old_tops}
    plan.chunks = [Chunk(resources, parts)]
    return plan


def ancestors_of(changed: set[str], base: str) -> set[str]:
    """The changed resources and the resources above them (whose feed records hold them)."""
    return {a for r in changed for a in (r, *_ancestors(r, base))}


def shared_changed(plan: Plan, store: GraphStore) -> bool:
    """Whether a resource every feed page may show (the catalogue, an organisation) changed."""
    typ = ox.NamedNode(RDF.type)
    shared = {DCAT.Catalog, FOAF.Agent, FOAF.Organization}
    for iri in plan.changed:
        for source in (store, plan.previous):
            if source is not None and any(
                not isinstance(q.object, ox.Triple) and q.object.value in shared
                for q in source.quads_for_pattern(ox.NamedNode(iri), typ, None, None)
            ):
                return True
    return False
