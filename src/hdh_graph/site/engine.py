"""The site engine: build some of the site's items, reading from the store what they need, and write them.

Every build runs it: a full build on every resource (in one go, or in chunks for big catalogues), an incremental
build on the resources and parts a change touches (the plans of :mod:`rebuild`). For each set of items:

1. :meth:`Engine.process` reads the resources (all at once in bulk, or one by one), builds the items while the
   facts record what they read (:meth:`Facts.tracking`); what they asked for and did not have is read and they
   are built again, until nothing is missing;
2. :meth:`Engine.write_items` renders their pages, writes the files, and records in the state what each item read
   and made (and the parts catalogue-wide pages are assembled from);
3. :meth:`Engine.write_site_pages` assembles and writes the catalogue-wide pages from the stored parts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from hdh_graph.code_index import CodeIndex
from hdh_graph.graph_store import GraphStore
from hdh_graph.progress import Progress, as_progress
from hdh_graph.settings import Settings
from hdh_graph.site.kinds import PART_PREFIXES, TEMPLATES, TWIN_KINDS, part_key, site_pages_of_part
from hdh_graph.site.pages.context import DatasetPage, DatasetQuality, Page, TablePage, VariablePage
from hdh_graph.site.pages.filters import FilterIndex
from hdh_graph.site.pages.items import Built, global_pages, part_item, resource_item, with_notes
from hdh_graph.site.pages.overview import OverviewBuilder
from hdh_graph.site.pages.resolve import Resolver, kind_of
from hdh_graph.site.pages.structure import analyse, names_from_store
from hdh_graph.site.publish.output import Output
from hdh_graph.site.publish.pages import Rendered, RenderJob, render_all
from hdh_graph.site.read.curation import Curation
from hdh_graph.site.read.facts import Facts, Node, read_facts
from hdh_graph.site.render.templates import Renderer
from hdh_graph.site.render.twins import TwinWriter
from hdh_graph.site.report import SiteReport
from hdh_graph.site.state import SiteState
from hdh_graph.site.urls import resource_path
from hdh_graph.vocab import CSVW, DCAT, DCT, RDF, SKOS

MAX_ROUNDS = 8


@dataclass
class Batch:
    """What one read built: the facts it read, and the items, parts and removals it found."""

    facts: Facts
    builder: OverviewBuilder
    built: list[Built]
    made: list[Built]
    removed: set[str]
    rounds: int


@dataclass
class Written(Rendered):
    touched: set[str] = field(default_factory=set)
    """The catalogue-wide pages (``page:…``) one of whose parts changed, appeared or went."""


class Engine:
    def __init__(
        self,
        store: GraphStore,
        settings: Settings,
        renderer: Renderer,
        design: str,
        state: SiteState,
        report: SiteReport,
        *,
        page_paths: set[str] | None = None,
        twin_paths: set[str] | None = None,
        owned_of: dict[str, list[str]] | None = None,
        names: Callable[[str], list[tuple[str, str]]] | None = None,
        codes: CodeIndex | None = None,
    ) -> None:
        self.store, self.settings, self.renderer = store, settings, renderer
        self.design, self.state, self.report = design, state, report
        self.base = settings.base_iri
        self._resolved: dict[str, set[str]] = {}
        self.curation: Curation | None = None
        self.names = names or names_from_store(store)
        """Columns by name, with their tables (see :meth:`Structure.same_name`), for every round and batch."""
        self.page_paths = page_paths
        """Every page's path, when known up front (a full build); else the state says."""
        self.twin_paths = twin_paths
        """The paths of the pages with twins, when known up front; else the state says."""
        self.owned_of = owned_of
        """The resources each page's twin holds, when known up front; else the state says."""
        self.home_iri: str | None = state.meta().get("home_iri")
        self.codes = codes
        self.quality: Mapping[str, DatasetQuality] = {}
        """Each dataset's quality box (:mod:`pages.quality`), computed once for the build and given to every
        page builder."""
        self.progress: Progress = as_progress(None)
        self.done: Callable[[int], None] | None = None
        """Told how many more pages were written or found unchanged."""
        """The snapshot's table of the codes kept as CSV (:mod:`hdh_graph.code_index`), if any."""

    def has_page(self, iri: str) -> bool:
        """Whether the site has a page for this resource (or is the catalogue's home page)."""
        if iri == self.home_iri:
            return True
        if self.page_paths is not None:
            path = resource_path(iri, self.base)
            return path is not None and path in self.page_paths and "#" not in iri
        return self.state.has_item(iri)

    # -- what the catalogue-wide pages rest on ------------------------------------------------------------
    def tops(self) -> set[str]:
        """The datasets the home page lists (those the catalogue lists and those part of no other), from the store."""
        typ = ox.NamedNode(RDF.type)
        datasets = {
            q.subject.value
            for cls in (DCAT.Dataset, DCAT.DatasetSeries)
            for q in self.store.quads_for_pattern(None, typ, ox.NamedNode(cls), None)
            if isinstance(q.subject, ox.NamedNode)
        }
        catalogs = self.catalogs()
        listed = (
            {
                q.object.value
                for q in self.store.quads_for_pattern(ox.NamedNode(catalogs[0]), ox.NamedNode(DCAT.dataset), None, None)
                if not isinstance(q.object, ox.Triple)
            }
            if catalogs
            else set()
        )
        part_of = self.store.quads_for_pattern(None, ox.NamedNode(DCT.isPartOf), None, None)
        parts = {q.subject.value for q in part_of if not isinstance(q.subject, ox.Triple)}
        return {d for d in datasets if d in listed or d not in parts}

    def counts(self) -> tuple[tuple[str, int], ...]:
        def count(*classes: str) -> int:
            values = " ".join(f"<{c}>" for c in classes)
            query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }}"
            result = self.store.query(query, use_default_graph_as_union=True)
            assert isinstance(result, ox.QuerySolutions)
            row = next(iter(result))
            value = row[0]
            return int(value.value) if isinstance(value, ox.Literal) else 0

        return (
            ("count_datasets", count(DCAT.Dataset, DCAT.DatasetSeries)),
            ("count_tables", count(CSVW.Table)),
            ("count_variables", count(CSVW.Column)),
            ("count_codelists", count(SKOS.ConceptScheme)),
        )

    def catalogs(self) -> list[str]:
        """The catalogues the store describes, sorted (the first is the home page's)."""
        typ = ox.NamedNode(RDF.type)
        return sorted(
            q.subject.value
            for q in self.store.quads_for_pattern(None, typ, ox.NamedNode(DCAT.Catalog), None)
            if isinstance(q.subject, ox.NamedNode)
        )

    def catalog_iri(self) -> str:
        """The home page's resource: the catalogue (the first, if several), else the base IRI."""
        found = self.catalogs()
        return found[0] if found else self.base

    # -- reading and building ---------------------------------------------------------------------------
    def _resolve(self, deps: set[str], asked: set[str]) -> set[str]:
        """The resources the items read that were not asked for yet (some have no class the site reads)."""
        more: set[str] = set()
        for dep in deps:
            found = self._resolved.get(dep)
            if found is None:
                found = self._resolved[dep] = self._lookup(dep)
            more |= found - asked
        return more

    def _lookup(self, dep: str) -> set[str]:
        kind, _, value = dep.partition(":")
        if kind == "p":
            kind, value = "n", value.split("|", 1)[0]
        if kind in ("n", "l", "s") and not value.startswith("_:"):
            node = ox.NamedNode(value)
            return {value} if next(iter(self.store.quads_for_pattern(node, None, None, None)), None) else set()
        if kind == "r":
            quads = self.store.quads_for_pattern(None, None, ox.NamedNode(value), None)
            return {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
        return set()

    def process(self, resources: set[str], parts: set[str], tops: set[str], *, everything: bool = False) -> Batch:
        """Build these resources' pages and these parts, reading from the store what they need. ``everything``:
        the resources are every resource of the store, read in bulk (the facts then have all they can ask for)."""
        if everything:
            facts = read_facts(self.store, self.base, codes=self.codes)
            builder = OverviewBuilder(facts, Resolver(facts), None, self.quality)  # type: ignore[arg-type]
            builder.st = analyse(facts, builder.r)
            built, made, gone = self._build(builder, facts, resources, parts, tops)
            return Batch(facts, builder, built, made, gone, 1)
        if self.owned_of is not None:
            owned = {k: self.owned_of.get(k, []) for k in resources}
        else:
            owned = {k: self.state.part(k) or [] for k in resources if self.state.has_item(k)}
        need = resources | {k.split(":", 1)[1] for k in parts} | {o for v in owned.values() for o in v}
        facts = read_facts(self.store, self.base, only=need, codes=self.codes)
        done: dict[str, Built] = {}
        removed: set[str] = set()
        todo_resources, todo_parts = set(resources), set(parts)
        rounds = 0
        while True:
            rounds += 1
            builder = OverviewBuilder(facts, Resolver(facts), None, self.quality)  # type: ignore[arg-type]
            builder.st = analyse(facts, builder.r)
            builder.st.names = self.names
            built, made, gone = self._build(builder, facts, todo_resources, todo_parts, tops)
            removed |= gone
            done.update((b.key, b) for b in [*built, *made])
            # Only the items that read something not loaded yet are built again, with it.
            asking = {b.key: found for b in [*built, *made] if (found := self._resolve(b.deps, need))}
            more = set().union(*asking.values()) if asking else set()
            if not more or rounds >= MAX_ROUNDS:
                break
            facts.merge(read_facts(self.store, self.base, only=more, codes=self.codes))
            need |= more
            todo_resources = {k for k in asking if not k.startswith(PART_PREFIXES)}
            todo_parts = {k for k in asking if k.startswith(PART_PREFIXES)}
        items = list(done.values())
        return Batch(
            facts,
            builder,
            [b for b in items if not b.key.startswith(PART_PREFIXES)],
            [b for b in items if b.key.startswith(PART_PREFIXES)],
            removed - set(done),
            rounds,
        )

    def _build(
        self, builder: OverviewBuilder, facts: Facts, resources: set[str], parts: set[str], tops: set[str]
    ) -> tuple[list[Built], list[Built], set[str]]:
        built: list[Built] = []
        removed: set[str] = set()
        made: list[Built] = []
        for key in sorted(resources):
            node = facts.nodes.get(key)
            item = resource_item(builder, node) if node is not None else None
            if item is None:
                if self.state.has_item(key):
                    removed.add(key)
                continue
            built.append(item)
            assert node is not None
            contributed = part_key(kind_of(node), key)
            if contributed is not None:
                parts = parts | {contributed}
        for key in sorted(parts):
            prefix, _, iri = key.partition(":")
            node = facts.nodes.get(iri)
            kind = kind_of(node) if node is not None else "missing"
            home = prefix == "home"
            if (home and iri in tops and node is not None) or (not home and part_key(kind, iri) == key):
                made.append(part_item(builder, key))
            elif self.state.has_item(key):
                removed.add(key)
        return built, made, removed

    # -- writing ----------------------------------------------------------------------------------------
    def write_items(self, output: Output, batch: Batch, workers: int | None = 1) -> Written:
        """Store the batch's parts, forget what was removed, render its pages; say which catalogue-wide pages
        one of their parts changed."""
        state, report = self.state, self.report
        touched: set[str] = set()
        for part in batch.made:
            fresh = not state.has_item(part.key)
            if state.set_part(part.key, part.part) or fresh:
                touched |= {page.key for page in site_pages_of_part(part.key)}
            state.set_deps(part.key, part.deps)
        gone: list[str] = []
        for key in sorted(batch.removed):
            if key.startswith(PART_PREFIXES):
                touched |= {page.key for page in site_pages_of_part(key)}
            gone += state.remove_item(key)
            report.removed += 1
        done = self._render(output, batch, batch.built, workers, gone)
        done.touched = touched
        return done

    def write_site_pages(self, output: Output, batch: Batch, keys: set[str]) -> Written:
        """Assemble the catalogue-wide pages ``keys`` from the stored parts and write them."""
        if not keys:
            return Written()
        catalogs = batch.facts.of_type(DCAT.Catalog)
        catalog = catalogs[0] if catalogs else self._catalog()
        parts: dict[str, Any] = {}
        for prefix in {p for p in PART_PREFIXES if any(page.key in keys for page in site_pages_of_part(p))}:
            parts.update(self.state.parts_with_prefix(prefix))
        pages = global_pages(batch.builder, catalog, parts, self.counts(), only=keys)
        return self._render(output, batch, [Built(k, found) for k, found in pages.items()], 1, [])

    def _render(
        self, output: Output, batch: Batch, items: list[Built], workers: int | None, gone: list[str]
    ) -> Written:
        state = self.state
        for b in items:
            b.pages = with_notes(b.pages, self.curation)
        pages = [p for b in items for p in b.pages]
        previous: dict[str, dict[str, Any]] = {}
        new_paths = False
        for b in items:
            old = state.pages_of(b.key)
            previous.update(old)
            new_paths |= bool({p.path for p in b.pages} ^ old.keys())
        twin_owners = self._owners(batch.facts, pages)
        filters = FilterIndex(pages + self._dataset_pages(batch.builder, pages))
        twins = TwinWriter(batch.facts)
        job = RenderJob(pages, TEMPLATES, self.renderer, twins, twin_owners, filters, self.design, previous, output)
        job.twin_of = self._twin_of(pages, twin_owners)
        job.done = self.done
        rendered = render_all(job, workers)
        done = Written(**vars(rendered))
        for path, entry in previous.items():
            if path not in done.manifest:
                gone += list(entry.get("files", []))
        for rel in sorted(set(gone)):
            output.remove(rel)
        for b in items:
            owned = sorted({n.key for p in b.pages for n in twin_owners.get(p.path, [])})
            state.set_pages(b.key, {p.path: done.manifest[p.path] for p in b.pages})
            if b.deps or owned:
                state.set_deps(b.key, b.deps | {"n:" + o for o in owned})
            if owned:
                state.set_part(b.key, owned)
        done.gone = sorted(set(gone))
        done.new_paths = new_paths
        return done

    def _catalog(self) -> Node | None:
        found = self.catalogs()
        if not found:
            return None
        return read_facts(self.store, self.base, only=found[:1]).nodes.get(found[0])

    def _owners(self, facts: Facts, pages: list[Page]) -> dict[str, list[Node]]:
        """Which loaded resources each rendered page's twin holds (the page with a twin with the longest path
        above)."""
        render = {p.path for p in pages if p.kind in TWIN_KINDS}
        out: dict[str, list[Node]] = {}
        for node in facts.nodes.values():
            if node.key.startswith("_:"):
                continue
            path = resource_path(node.key, self.base)
            while path:
                if path in render:
                    out.setdefault(path, []).append(node)
                    break
                if self._has_twin(path):
                    break
                path = path.rsplit("/", 1)[0] if "/" in path else ""
        return out

    def _has_twin(self, path: str) -> bool:
        if self.twin_paths is not None:
            return path in self.twin_paths
        row = self.state.db.execute("SELECT files FROM pages WHERE path = ?", (path,)).fetchone()
        return row is not None and any(f.endswith(".ttl") for f in json.loads(row[0]))

    def _twin_of(self, pages: list[Page], owners: dict[str, list[Node]]) -> dict[str, str]:
        """For each page, the path of the twin its resource is in: its own, or the nearest one above it."""
        own = {p.path for p in pages if p.path in owners and getattr(p, "page_number", 1) == 1}
        out: dict[str, str] = {}
        for page in pages:
            path = page.path
            while path and not (path in own or (path != page.path and self._has_twin(path))):
                path = path.rsplit("/", 1)[0] if "/" in path else ""
            if path:
                out[page.path] = path
        return out

    def _dataset_pages(self, builder: OverviewBuilder, pages: list[Page]) -> list[Page]:
        """Contexts of the datasets whose search filters the rendered tables and variables take."""
        have = {p.iri for p in pages if isinstance(p, DatasetPage)}
        wanted = {
            p.dataset.iri for p in pages if isinstance(p, (TablePage, VariablePage)) and p.dataset is not None
        } - have
        out: list[Page] = []
        for iri in sorted(wanted):
            node = builder.facts.nodes.get(iri)
            if node is not None and kind_of(node) == "dataset":
                out.append(builder.dataset(node))
        return out
