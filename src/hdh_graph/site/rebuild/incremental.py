"""Bring a built site up to date after the store changed, reading and rendering only what the change touches.

1. The store the site was built from (the snapshot its state names, or ``previous``) is compared with the
   current one in the named graphs whose files changed (:mod:`diff`): the changed resources and keys.
2. The items that read any of those keys (the state's ``deps``), the items owning a changed resource's twin,
   and new resources are *dirty*.
3. Only the resources those items need are read from the store; an item that reads a resource or a
   reverse look-up not loaded yet brings it in, and the items are built again until nothing is missing.
4. Their pages are rendered; the catalogue-wide pages are assembled again from the stored parts when one
   of their parts changed; files, search index and state are updated.

``update_site`` returns ``None`` when it cannot work this way (no state, another design or base IRI, the
previous store gone): the caller then reads everything.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from hdh_graph.graph_store import GraphStore
from hdh_graph.settings import Settings
from hdh_graph.site.build_support import SiteReport, write_feed, write_sitemap
from hdh_graph.site.engine import Batch, PartialBuilder
from hdh_graph.site.pages.items import (
    PART_PREFIXES,
)
from hdh_graph.site.publish.output import Output
from hdh_graph.site.read.curation import Curation, load_curation_from
from hdh_graph.site.rebuild.diff import diff_graphs, graph_names
from hdh_graph.site.render.templates import Renderer
from hdh_graph.site.state import SiteState
from hdh_graph.vocab import DCAT, FOAF, RDF


def previous_snapshot(settings: Settings, name: str | None) -> tuple[GraphStore, set[str], Curation] | None:
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


def _noted_changes(before: Curation | None, after: Curation | None, has_page: Callable[[str], bool]) -> set[str]:
    """The pages (resource IRIs) whose validation notes differ between two builds."""
    old = before.on_pages(has_page) if before is not None else Curation()
    new = after if after is not None else Curation()
    resources = {n.resource for n in set(old.notes) ^ set(new.notes)}
    return {iri for r in resources if (iri := new._page_of(r) if after is not None else old._page_of(r))}


def update_site(
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
    previous: GraphStore | None,
    changed_files: set[str] | None,
    curation: Curation | None = None,
    previous_curation: Curation | None = None,
) -> SiteReport | None:
    state = SiteState.existing(out)
    if state is None:
        return None
    try:
        meta = state.meta()
        if meta.get("base_iri") != settings.base_iri or meta.get("design") != design:
            return None
        report = SiteReport(incremental=True)
        clock = time.perf_counter()
        if previous is None:
            if store_version is not None and meta.get("store_version") == store_version:
                report.pages = report.unchanged = state.page_count()
                report.seconds["total"] = time.perf_counter() - clock
                return report
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
        change = diff_graphs(previous, store, graphs)
        updater = Updater(store, settings, out, renderer, design, state, report)
        if curation is not None:
            curation = curation.on_pages(updater.has_page)
        noted = _noted_changes(previous_curation, curation, updater.has_page)
        change.keys |= {"n:" + iri for iri in noted}
        report.seconds["diff"] = time.perf_counter() - clock
        updater.curation, updater.previous = curation, previous
        updater.run(change.keys, change.resources | noted, search)
        state.set_meta({**meta, "store_version": store_version})
        report.seconds["total"] = time.perf_counter() - clock
        return report
    finally:
        state.close()


class Updater(PartialBuilder):
    """Brings a built site up to date from the keys a change touches."""

    def _ancestors(self, iri: str) -> list[str]:
        out = []
        head = iri.split("#", 1)[0]
        if head != iri:
            out.append(head)
        while "/" in head[len(self.base) :]:
            head = head.rsplit("/", 1)[0]
            out.append(head)
        return out

    def run(self, keys: set[str], changed: set[str], search: bool) -> None:
        state, report = self.state, self.report
        self.changed = changed
        if not keys:
            report.pages = report.unchanged = state.page_count()
            return
        step = time.perf_counter()
        dirty = state.dependents(keys)
        for iri in changed:
            dirty.update(a for a in self._ancestors(iri) if state.has_item(a))
        resources = {k for k in dirty if not k.startswith(PART_PREFIXES) and not k.startswith("page:")}
        resources |= changed
        parts = {k for k in dirty if k.startswith(PART_PREFIXES)}
        tops = self._tops()
        old_tops = {k[len("home:") :] for k in state.items_with_prefix("home:")}
        parts |= {"home:" + d for d in tops ^ old_tops}
        report.seconds["plan"] = time.perf_counter() - step
        step = time.perf_counter()
        batch = self.process(resources, parts, tops)
        report.seconds["read"] = time.perf_counter() - step
        report.items, report.rounds = len(batch.built) + len(batch.made), batch.rounds
        self._write(batch, search)

    def _write(self, batch: Batch, search: bool) -> None:
        state, report = self.state, self.report
        step = time.perf_counter()
        output = Output(self.out, incremental=True)
        state.begin()
        try:
            meta = state.meta()
            touched: set[str] = set()
            counts = self._counts()
            if tuple(tuple(c) for c in meta.get("counts", [])) != counts:
                touched.add("page:home")
            done = self.write_items(output, batch, touched)
            built, removed, files_gone = batch.built, batch.removed, done.gone
            new_paths = done.new_paths
            report.rendered, report.unchanged = done.rendered, done.unchanged
            report.seconds["render"] = time.perf_counter() - step
            step = time.perf_counter()
            if new_paths or removed:
                write_sitemap(output, self.settings, self.renderer, state.all_paths())
            written = set(done.written)
            datasets = {b.key for b in built if any(p.kind == "dataset" and p.path in written for p in b.pages)}
            datasets |= {a for r in self.changed for a in (r, *self._ancestors(r))}
            shared = self._shared_changed()
            if datasets or shared or removed:
                meta["feed_pages"] = write_feed(
                    output,
                    self.store,
                    self.settings,
                    before=meta.get("feed_pages"),
                    changed=datasets,
                    everything=shared,
                )
            report.seconds["feed"] = time.perf_counter() - step
            if search and (done.rendered or files_gone):
                from hdh_graph.site.publish.search import update_search_index

                step = time.perf_counter()
                report.searched = update_search_index(output.root, done.written, sorted(set(files_gone)))
                report.seconds["search"] = time.perf_counter() - step
            state.set_meta({**meta, "counts": list(counts)})
            state.commit()
        except BaseException:
            state.rollback()
            raise
        report.pages = state.page_count()
        report.files, report.bytes = output.files, output.bytes

    def _shared_changed(self) -> bool:
        """Whether a resource every feed page may show (the catalogue, an organisation) changed."""
        typ = ox.NamedNode(RDF.type)
        shared = {DCAT.Catalog, FOAF.Agent, FOAF.Organization}
        for iri in self.changed:
            for store in (self.store, self.previous):
                if store is not None and any(
                    q.object.value in shared for q in store.quads_for_pattern(ox.NamedNode(iri), typ, None, None)
                ):
                    return True
        return False
