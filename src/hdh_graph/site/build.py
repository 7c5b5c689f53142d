"""Render the whole site from the store: pages in two languages, twins, feed, sitemap, search index.

``build_site(store, settings, out)`` is the one entry point. It reads the graph in bulk
(:mod:`facts`), builds typed page contexts (:mod:`pages`, :mod:`overview`), renders them with the
templates (:mod:`render`) and writes everything (:mod:`output`). With ``incremental=True`` a page whose
context, triples and templates are unchanged since the last build is not rendered nor written again, and
when the previous store is at hand only what the changes touch is read (:mod:`incremental`).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from hdh_graph.graph_store import GraphStore
from hdh_graph.settings import Settings
from hdh_graph.site.build_support import TEMPLATES, SiteReport, write_feed, write_sitemap
from hdh_graph.site.i18n import messages_path
from hdh_graph.site.pages.filters import FilterIndex
from hdh_graph.site.pages.items import Built, all_parts, all_resources, global_pages, resource_item, with_notes
from hdh_graph.site.pages.overview import OverviewBuilder
from hdh_graph.site.pages.resolve import Resolver
from hdh_graph.site.pages.structure import analyse
from hdh_graph.site.publish.output import Output
from hdh_graph.site.read.curation import Curation
from hdh_graph.site.read.facts import Node, read_facts
from hdh_graph.site.render.templates import Renderer, default_static, default_templates
from hdh_graph.site.render.twins import TwinWriter, owners
from hdh_graph.site.render.writing import TWIN_KINDS, RenderJob, render_all
from hdh_graph.site.state import STATE, SiteState
from hdh_graph.vocab import DCAT

BATCH_TRIPLES = 3_000_000
"""Beyond this many triples, a full build goes in batches (the SNDS has 1.5 million; 10,000 datasets 4.3)."""


def _fingerprint(folders: list[Path], files: list[Path]) -> str:
    """Hash of what every page depends on besides its own context: templates, static files, words, the code."""
    h = hashlib.sha256()
    for folder in folders:
        for f in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(f.relative_to(folder).as_posix().encode())
            h.update(f.read_bytes())
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()


def build_site(
    store: GraphStore,
    settings: Settings,
    out: Path | None = None,
    *,
    templates: Path | None = None,
    static: Path | None = None,
    search: bool = True,
    incremental: bool = False,
    workers: int | None = None,
    store_version: str | None = None,
    previous: GraphStore | None = None,
    changed_files: set[str] | None = None,
    curation: Curation | None = None,
    previous_curation: Curation | None = None,
    batches: bool | None = None,
) -> SiteReport:
    """Render the site into ``out`` (default ``settings.site``), on ``workers`` processes (default: the cores).

    With ``incremental``, a site built before in ``out`` is brought up to date. When the store it was
    built from is at hand (``previous``, or the snapshot its state names), only the resources that differ
    between the two stores are read, and only the pages that read them are rendered again; otherwise the
    whole graph is read and only the pages whose content changed are written. ``curation`` (the validation
    notes of the catalogue, see :mod:`curation`) shows curators what to fix on each page. A full build of a big
    store (``batches``; by default beyond :data:`BATCH_TRIPLES` triples) reads and renders it in batches, in
    bounded memory (:mod:`batches`).
    """
    out = out or settings.site
    templates = templates or default_templates()
    static = static or default_static()
    code = sorted(Path(__file__).parent.rglob("*.py")) + sorted(Path(__file__).parents[1].joinpath("feed").glob("*.py"))
    words = [messages_path(), messages_path().with_name("labels.json")]
    design = _fingerprint([templates, static], words + code)  # a new version renders everything again
    if incremental:
        from hdh_graph.site.rebuild.incremental import update_site

        updated = update_site(
            store,
            settings,
            out,
            Renderer(templates),
            static,
            design,
            search=search,
            workers=workers,
            store_version=store_version,
            previous=previous,
            changed_files=changed_files,
            curation=curation,
            previous_curation=previous_curation,
        )
        if updated is not None:
            return updated
    if batches or (batches is None and len(store) > BATCH_TRIPLES):
        from hdh_graph.site.rebuild.batches import build_in_batches

        return build_in_batches(
            store,
            settings,
            out,
            Renderer(templates),
            static,
            design,
            search=search,
            workers=workers,
            store_version=store_version,
            curation=curation,
        )
    return _build_all(
        store, settings, out, templates, static, design, search, incremental, workers, store_version, curation
    )


def _build_all(
    store: GraphStore,
    settings: Settings,
    out: Path,
    templates: Path,
    static: Path,
    design: str,
    search: bool,
    incremental: bool,
    workers: int | None,
    store_version: str | None,
    curation: Curation | None,
) -> SiteReport:
    report = SiteReport()
    clock = time.perf_counter()
    renderer = Renderer(templates)
    facts = read_facts(store, settings.base_iri)
    report.seconds["read"] = time.perf_counter() - clock
    resolver = Resolver(facts)
    builder = OverviewBuilder(facts, resolver, analyse(facts, resolver))
    resources = all_resources(builder)
    built = [b for b in (resource_item(builder, n) for n in resources) if b is not None]
    parts = list(all_parts(builder, resources))
    part_values = {p.key: p.part for p in parts}
    catalogs = facts.of_type(DCAT.Catalog)
    counts = builder.counts()
    for key, page in global_pages(builder, catalogs[0] if catalogs else None, part_values, counts).items():
        built.append(Built(key, [page]))
    if curation is not None:
        curation = curation.on_pages({b.key for b in built if not b.key.startswith("page:")} | _home_iri(built))
        for b in built:
            b.pages = with_notes(b.pages, curation)
    pages = [p for b in built for p in b.pages]
    report.seconds["contexts"] = time.perf_counter() - clock - report.seconds["read"]

    output = Output(out, incremental)
    report.incremental = output.incremental
    old_state = SiteState.existing(out) if output.incremental else None
    previous = _previous_pages(old_state)
    feed_pages: list[list[str]] = []
    if old_state is not None:
        feed_pages = old_state.meta().get("feed_pages", [])
        old_state.close()
    step = time.perf_counter()
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
            output.copy_tree(static, "static")
            feed_pages = write_feed(output, store, settings)
            write_sitemap(output, settings, renderer, [p.path for p in pages if p.kind != "search"])
        report.seconds["feed"] = time.perf_counter() - step
        if search and (not output.incremental or report.rendered or report.removed):
            from hdh_graph.site.publish.search import build_search_index

            step = time.perf_counter()
            report.searched = build_search_index(output.root)
            report.seconds["search"] = time.perf_counter() - step
        step = time.perf_counter()
        meta = {
            "store_version": store_version,
            "counts": list(counts),
            "home_iri": min(_home_iri(built), default=None),
            "feed_pages": feed_pages,
        }
        _write_state(output, built, parts, twin_owners, manifest_pages, settings, design, meta)
        report.seconds["state"] = time.perf_counter() - step
        output.commit()
    except BaseException:
        output.abort()
        raise
    report.files, report.bytes = output.files, output.bytes
    report.seconds["total"] = time.perf_counter() - clock
    step = time.perf_counter()
    output.cleanup()
    report.seconds["cleanup"] = time.perf_counter() - step
    return report


def _home_iri(built: list[Built]) -> set[str]:
    return {p.iri for b in built if b.key == "page:home" for p in b.pages}


def _previous_pages(state: SiteState | None) -> dict[str, dict[str, object]]:
    if state is None:
        return {}
    rows = state.db.execute("SELECT path, hash, files FROM pages")
    return {p: {"hash": h, "files": json.loads(f)} for p, h, f in rows}


def _write_state(
    output: Output,
    built: list[Built],
    parts: list[Built],
    twin_owners: dict[str, list[Node]],
    manifest: dict[str, dict[str, object]],
    settings: Settings,
    design: str,
    meta: dict[str, object],
) -> None:
    """Record, for the next incremental build, what each item read and made."""
    path = output.root / STATE
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    state = SiteState(path, scratch=True)
    state.begin()
    for item in built:
        owned = sorted({n.key for p in item.pages for n in twin_owners.get(p.path, [])})
        item.deps.update("n:" + k for k in owned)
        state.set_pages(item.key, {p.path: manifest[p.path] for p in item.pages if p.path in manifest})
        if owned:
            state.set_part(item.key, owned)
    for part in parts:
        state.set_part(part.key, part.part)
    state.add_deps_bulk((b.key, b.deps) for b in [*built, *parts] if b.deps)
    state.set_meta({"base_iri": settings.base_iri, "design": design, **meta})
    state.commit()
    state.db.execute("PRAGMA journal_mode=WAL")  # what incremental builds use from then on
    state.close()
