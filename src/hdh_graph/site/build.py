"""Render the site from the store: pages in two languages, twins, feed, sitemap, search index.

``build_site(store, settings, out)`` is the one entry point. It makes a plan (:mod:`rebuild`: every resource, in one
go or in chunks, or what changed since the last build), has the engine (:mod:`engine`) build and write the items of
the plan, then writes what the whole site shares (static files, feed, sitemap, search index, state) and swaps the new
site in, or commits the update.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from hdh_graph.code_index import CodeIndex
from hdh_graph.graph_store import GraphStore
from hdh_graph.progress import Progress, as_progress
from hdh_graph.settings import Settings
from hdh_graph.site.engine import Batch, Engine
from hdh_graph.site.i18n import messages_path
from hdh_graph.site.pages.context import DatasetQuality
from hdh_graph.site.pages.quality import StoredQuality, changed_quality, digests, quality_pages
from hdh_graph.site.publish.feed import write_feed
from hdh_graph.site.publish.output import Output
from hdh_graph.site.publish.pages import default_workers
from hdh_graph.site.publish.sitemap import write_sitemap
from hdh_graph.site.publish.static_search import FOLDER, write_search_index
from hdh_graph.site.read.curation import Curation
from hdh_graph.site.read.quality import may_change_quality, read_quality, violations
from hdh_graph.site.rebuild.plan import Plan, ancestors_of, plan_changes, plan_everything, shared_changed
from hdh_graph.site.render.assets import hashed_names, static_files
from hdh_graph.site.render.templates import Renderer, default_static, default_templates
from hdh_graph.site.report import SiteReport
from hdh_graph.site.state import STATE, SiteState
from hdh_graph.site.urls import LANGUAGES
from hdh_graph.vocab import DCAT, RDF


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


def design_of(templates: Path, static: Path) -> str:
    """What every page depends on besides its context: a new version renders everything again."""
    here = Path(__file__).parent
    code = sorted(here.rglob("*.py")) + sorted(here.parent.joinpath("feed").glob("*.py"))
    words = [messages_path(), messages_path().with_name("labels.json")]
    return _fingerprint([templates, static], words + code)


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
    codes: CodeIndex | None = None,
    progress: Progress | Callable[[str], None] | None = None,
) -> SiteReport:
    """Render the site into ``out`` (default ``settings.site``), on ``workers`` processes (default: the cores).

    With ``incremental``, a site built before in ``out`` is brought up to date. When the store it was built from
    is at hand (``previous``, or the snapshot its state names), only the resources that differ between the two
    stores are read, and only the pages that read them are rendered again; otherwise the whole graph is read and
    only the pages whose content changed are written. ``curation`` (the validation notes of the catalogue, see
    :mod:`read.curation`) shows curators what to fix on each page. A full build of a big store (``batches``; by
    default beyond :data:`rebuild.plan.BATCH_TRIPLES` triples) reads and renders it in chunks, in bounded memory.
    ``codes``: the store snapshot's table of the codes kept as CSV (:mod:`hdh_graph.code_index`), read instead of
    their concepts in the store (the same codes, one scan instead of a look-up per code). ``progress`` is told the
    pages as they are written (:mod:`hdh_graph.progress`).
    """
    out = out or settings.site
    templates = templates or default_templates()
    static = static or default_static()
    design = design_of(templates, static)
    renderer = Renderer(templates, site_url=settings.base_iri.rstrip("/#"), static=static)
    report = SiteReport()
    clock = time.perf_counter()
    state = SiteState.existing(out) if incremental else None
    if state is not None:
        meta = state.meta()
        if meta.get("base_iri") != settings.base_iri or meta.get("design") != design:
            state.close()
            state = None
    plan: Plan | None = None
    engine: Engine | None = None
    skip = codes.graphs() if codes is not None else None
    if state is not None:
        engine = Engine(store, settings, renderer, design, state, report)
        plan = plan_changes(
            store,
            settings,
            state,
            store_version=store_version,
            previous=previous,
            changed_files=changed_files,
            curation=curation,
            previous_curation=previous_curation,
            has_page=engine.has_page,
            tops=engine.tops(),
        )
        if plan is not None and plan.nothing:
            report.incremental = True
            report.pages = report.unchanged = state.page_count()
            if store_version is not None:
                state.set_meta({**state.meta(), "store_version": store_version})
            state.close()
            report.seconds["total"] = time.perf_counter() - clock
            return report
        if plan is None:
            plan = plan_everything(store, settings, chunks=batches, in_place=True, skip_graphs=skip)
    if plan is None:
        plan = plan_everything(store, settings, chunks=batches, skip_graphs=skip)
    report.seconds["plan"] = time.perf_counter() - clock
    report.seconds.update(plan.seconds)
    output = Output(out, incremental=plan.in_place)
    report.incremental = output.incremental
    if not output.incremental:
        if state is not None:
            state.close()
        state = SiteState(output.root / STATE, scratch=True)
    assert state is not None
    engine = Engine(
        plan.store,
        settings,
        renderer,
        design,
        state,
        report,
        page_paths=plan.page_paths,
        twin_paths=plan.twin_paths,
        owned_of=plan.owned_of,
        names=plan.names,
        codes=codes,
    )
    engine.progress = as_progress(progress)
    if plan.everything:
        engine.home_iri = engine.catalog_iri()
    if curation is not None:
        engine.curation = curation.on_pages(engine.has_page)
    try:
        step = time.perf_counter()
        quality = _quality(plan, engine, curation)
        report.seconds["quality"] = time.perf_counter() - step
        _run(plan, engine, plan.store, output, static, search, workers, store_version, quality)
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


def _quality(plan: Plan, engine: Engine, curation: Curation | None) -> dict[str, tuple[str, DatasetQuality]] | None:
    """Every dataset's quality box, computed once for the build (the MQA and EHDS label are read from the whole
    store, not through the facts); an incremental plan also renders again the dataset pages whose box changed.
    An incremental change that touches no property the quality reads, nor the violations, keeps the boxes the
    state holds (``None``: nothing to store)."""
    if not plan.everything and not _touches_quality(plan, curation):
        engine.quality = StoredQuality(engine.state)
        return None
    engine.quality = quality_pages(read_quality(plan.store, curation))
    found = digests(engine.quality)
    if not plan.everything and plan.chunks:
        again = changed_quality(engine.state.quality_digests(), found)
        plan.chunks[0].resources |= {iri for iri in again if engine.state.has_item(iri)}
    return {iri: (found[iri], box) for iri, box in engine.quality.items()}


def _touches_quality(plan: Plan, curation: Curation | None) -> bool:
    if violations(plan.previous_curation) != violations(curation) or plan.previous is None:
        return True
    stores = (plan.previous, plan.store)
    typ, dataset = ox.NamedNode(RDF.type), ox.NamedNode(DCAT.Dataset)

    def has(store: GraphStore, subject: ox.NamedNode, predicate: ox.NamedNode, value: ox.NamedNode | None) -> bool:
        return next(iter(store.quads_for_pattern(subject, predicate, value, None)), None) is not None

    def presence_changed(iri: str, prop: str) -> bool:
        node, pred = ox.NamedNode(iri), ox.NamedNode(prop)
        if not any(has(s, node, typ, dataset) for s in stores):
            return False
        return has(stores[0], node, pred, None) != has(stores[1], node, pred, None)

    return may_change_quality(plan.keys, presence_changed)


def _add(report: SiteReport, step: str, since: float) -> float:
    now = time.perf_counter()
    report.seconds[step] = report.seconds.get(step, 0.0) + now - since
    return now


def _run(
    plan: Plan,
    engine: Engine,
    store: GraphStore,
    output: Output,
    static: Path,
    search: bool,
    workers: int | None,
    store_version: str | None,
    quality: dict[str, tuple[str, DatasetQuality]] | None,
) -> None:
    """Build the plan's items, then what the whole site shares; the state is committed last (with the digests of
    the ``quality`` boxes shown)."""
    state, report, settings = engine.state, engine.report, engine.settings
    meta = state.meta()
    state.begin()
    step = time.perf_counter()
    tops = engine.tops()
    touched = set(plan.site_pages)
    written: list[str] = []
    gone: list[str] = []
    new_paths = removed = False
    seen: set[str] = set()
    datasets_written: set[str] = set()
    last: Batch | None = None
    expected = sum(len(chunk.resources) for chunk in plan.chunks)
    with engine.progress.step("pages", total=expected, unit="pages") as pages:
        for chunk in plan.chunks:
            parts = chunk.parts | ({"home:" + d for d in tops & chunk.resources} if plan.home_parts else set())
            batch = engine.process(chunk.resources, parts, tops, everything=chunk.everything)
            step = _add(report, "read", step)
            pages.total = (pages.total or 0) + sum(len(b.pages) for b in batch.built) - len(chunk.resources)
            engine.done = pages.advance
            done = engine.write_items(output, batch, workers)
            step = _add(report, "render", step)
            report.rendered += done.rendered
            report.unchanged += done.unchanged
            report.items += len(batch.built) + len(batch.made)
            report.rounds = max(report.rounds, batch.rounds)
            touched |= done.touched
            written += done.written
            fresh = set(done.written)
            datasets_written |= {
                b.key for b in batch.built if any(p.kind == "dataset" and p.path in fresh for p in b.pages)
            }
            gone += done.gone
            new_paths |= done.new_paths
            removed |= bool(batch.removed)
            seen |= {b.key for b in [*batch.built, *batch.made]}
            last = batch
    engine.done = None
    if plan.everything and plan.in_place:  # what the last build had and this one did not make
        for key in sorted(set(state.item_keys()) - seen - set(plan.site_pages)):
            files = state.remove_item(key)
            gone += files
            report.removed += bool(files)
            removed = True
        for rel in sorted(set(gone)):
            output.remove(rel)
    if last is None:
        last = engine.process(set(), set(), tops)
    counts = engine.counts()
    if tuple(tuple(c) for c in meta.get("counts", [])) != counts:
        touched.add("page:home")
    done = engine.write_site_pages(output, last, touched)
    report.rendered += done.rendered
    report.unchanged += done.unchanged
    written += done.written
    new_paths |= done.new_paths
    step = _add(report, "site pages", step)

    changes = bool(report.rendered or removed)
    feed_pages = meta.get("feed_pages")
    if plan.everything:
        if not output.incremental or changes:
            static_data = static_files(static)
            for rel, hashed in hashed_names(static_data).items():
                output.write(f"static/{rel}", static_data[rel])
                output.write(f"static/{hashed}", static_data[rel])
            feed_pages = write_feed(output, store, settings, workers=workers or default_workers())
    else:
        datasets = datasets_written | ancestors_of(plan.changed, settings.base_iri)
        shared = shared_changed(plan, store)
        if datasets or shared or removed:
            feed_pages = write_feed(output, store, settings, before=feed_pages, changed=datasets, everything=shared)
    step = _add(report, "feed", step)
    if (plan.everything and (not output.incremental or changes)) or new_paths or removed:
        write_sitemap(output, settings, engine.renderer, [p for p in state.all_paths() if p != "search"])
    step = _add(report, "sitemap", step)
    if search and (changes or written or gone or not (output.root / FOLDER).is_dir()):
        labels = {lang: engine.renderer.message(lang, "kind_term") for lang in LANGUAGES}
        report.searched = write_search_index(output.root, store, settings.base_iri, state.search_facets(), labels)
        step = _add(report, "search", step)
    state.set_meta(
        {
            **meta,
            "base_iri": settings.base_iri,
            "design": engine.design,
            "store_version": store_version,
            "counts": list(counts),
            "home_iri": engine.home_iri if plan.everything else meta.get("home_iri"),
            "feed_pages": feed_pages,
        }
    )
    if quality is not None:
        state.set_quality(quality)
    state.commit()
    state.db.execute("PRAGMA journal_mode=WAL")  # what incremental builds use from then on
    report.pages = state.page_count()
    state.close()
    _add(report, "state", step)
