"""Validate the catalogue, or some of its files with what they reference, and report where things are wrong.

The build calls :func:`validate_catalogue` and refuses to publish when ``report.conforms`` is false.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from hdh_graph.catalogue_files import turtle_files
from hdh_graph.errors import SourceErrors, SourceProblem
from hdh_graph.graph_store import Subject
from hdh_graph.settings import Settings
from hdh_graph.validation.changes import changed_files
from hdh_graph.validation.engine_sparql import load_store, run_checks
from hdh_graph.validation.index import CatalogueIndex, refresh
from hdh_graph.validation.messages import expand
from hdh_graph.validation.model import Result, ValidationReport
from hdh_graph.validation.plan import load_plan
from hdh_graph.validation.shapes import default_shapes_dir, load_vocabularies
from hdh_graph.validation.sources import CatalogueFile, catalogue_turtle_files, read_file, relative_name
from hdh_graph.validation.workspace import Workspace

if TYPE_CHECKING:
    from hdh_graph.validation.engine_pyshacl import PyshaclEngine

ENGINES = ("sparql", "pyshacl")


class UnreadableFiles(SourceErrors):
    """A file given to validate cannot be read: validation cannot run."""

    exit_code = 2


def cache_dir_for(settings: Settings) -> Path:
    """Where the compiled shapes and the catalogue index are kept: next to the store."""
    return settings.store.parent / "cache" / "validation"


def validate_catalogue(
    settings: Settings,
    paths: list[Path] | None = None,
    *,
    changed: bool = False,
    since: str | None = None,
    engine: str = "sparql",
    shapes_dir: Path | None = None,
    use_cache: bool = True,
) -> ValidationReport:
    """Validate the whole catalogue, the given files, or (``changed``) the files git sees as changed plus
    the files that cite them. Raises :class:`~hdh_graph.validation.shapes.ShapesError` (exit 2) when the
    shapes cannot be used and :class:`SourceErrors` (exit 2) when a given path cannot be read."""
    started = time.perf_counter()
    shapes_dir = shapes_dir or default_shapes_dir()
    cache = cache_dir_for(settings) if use_cache else None
    vocabularies = load_vocabularies(shapes_dir)
    catalogue = settings.catalogue
    # the same files, in the same order, as the build reads (hidden files and folders are left out)
    all_paths = {f.relative: f.path for f in turtle_files(settings)}

    def read(rel: str) -> CatalogueFile:
        return read_file(all_paths[rel], rel, settings.base_iri)

    def quick(rel: str) -> CatalogueFile:
        return read_file(all_paths[rel], rel, settings.base_iri, with_positions=False)

    deleted: list[str] = []
    if changed:
        found = changed_files(catalogue, since)
        deleted = [relative_name(p, catalogue) for p in found if not p.exists()]
        paths = [*(paths or []), *(p for p in found if p.exists())]
    if paths is None:
        files = {rel: read(rel) for rel in all_paths}
        if cache is not None:
            _index_all(cache, files, all_paths)
        targets: set[str] = set(files)
        dependents: set[str] = set()
        watched: set[str] = set()
        foreign: set[str] = set()
    else:
        chosen = _resolve(paths, catalogue, all_paths)
        files, targets, dependents, watched, foreign = _select(
            chosen, all_paths, read, quick, cache, with_dependents=changed, deleted=deleted
        )
    workspace = Workspace(files, targets | dependents, foreign=foreign)
    results = [f.problem for rel, f in files.items() if rel in targets and f.problem is not None]
    if engine == "pyshacl":
        results += _run_pyshacl(shapes_dir, vocabularies, files, targets | dependents)
    else:
        plan = load_plan(shapes_dir, cache)
        reported = targets | dependents
        marked = len(reported) < len(files)
        store = load_store(workspace, vocabularies, focus=_focus_nodes(files, reported) if marked else ())
        results += run_checks(store, workspace, plan.checks, plan.origin, marked=marked)
    results = _trust(results, workspace, dependents, targets, watched, settings.base_iri)
    return ValidationReport(results, sorted(targets | dependents), engine, time.perf_counter() - started)


def index_catalogue(settings: Settings) -> int:
    """Bring the file index used by ``--changed`` up to date (a full validation does it too); returns the
    number of files read."""
    all_paths = {f.relative: f.path for f in turtle_files(settings)}
    index = CatalogueIndex(cache_dir_for(settings) / "index.sqlite")
    try:
        return refresh(
            index, all_paths, lambda rel: read_file(all_paths[rel], rel, settings.base_iri, with_positions=False)
        )
    finally:
        index.close()


def _resolve(paths: list[Path], catalogue: Path, all_paths: dict[str, Path]) -> dict[str, Path]:
    chosen: dict[str, Path] = {}
    problems: list[SourceProblem] = []
    for p in paths:
        if p.is_dir():
            chosen.update({relative_name(f, catalogue): f for f in catalogue_turtle_files(p)})
        elif p.is_file() and os.access(p, os.R_OK):
            chosen[relative_name(p, catalogue)] = p
        else:
            problems.append(SourceProblem(p, "cannot be read (missing or not readable)"))
    if problems:
        raise UnreadableFiles(problems, hint="give existing Turtle files or folders of the catalogue")
    all_paths.update(chosen)
    return chosen


def _index_all(cache: Path, files: dict[str, CatalogueFile], all_paths: dict[str, Path]) -> None:
    index = CatalogueIndex(cache / "index.sqlite")
    try:
        todo, removed = index.stale(all_paths)
        index.update([files[r] for r in todo], all_paths, removed)
    finally:
        index.close()


def _select(
    chosen: Collection[str],
    all_paths: dict[str, Path],
    read: Callable[[str], CatalogueFile],
    quick: Callable[[str], CatalogueFile],
    cache: Path | None,
    with_dependents: bool,
    deleted: Iterable[str] = (),
) -> tuple[dict[str, CatalogueFile], set[str], set[str], set[str], set[str]]:
    """Parse the chosen files, their context and (for ``--changed``) their dependents.

    Context: the files describing what a chosen file cites, and, for each resource a chosen file is the
    *home* of (its first description, in file order), the other files that add to its description. A resource
    a chosen file only adds to (say ``<catalog> dcat:dataset …``) is reported with its home file, not here.
    """
    files: dict[str, CatalogueFile] = {rel: read(rel) for rel in chosen}
    targets = set(chosen)
    before: set[str] = set()
    index = None
    if cache is None:
        parsed = {rel: (files.get(rel) or quick(rel)) for rel in all_paths}
        describing, citing = _maps(parsed.values())

        def describers(iris: set[str]) -> dict[str, set[str]]:
            return {i: describing[i] for i in iris if i in describing}

        def citers(iris: set[str]) -> set[str]:
            return {r for i in iris for r in citing.get(i, ())}
    else:
        index = CatalogueIndex(cache / "index.sqlite")
        # what the chosen files described before this change: who cited that depends on them too
        before = set().union(*(index.subjects_of(rel) for rel in [*chosen, *deleted]))
        refresh(index, {r: p for r, p in all_paths.items() if r not in chosen}, quick)
        index.update(files.values(), all_paths)
        parsed = {}
        describers, citers = index.describers, index.citing
    try:
        subjects = set().union(*(f.subjects for f in files.values())) if files else set()
        homes = describers(subjects)
        owned = {s for s, rels in homes.items() if min(rels) in targets}
        foreign = subjects - owned
        watched = owned | (before - subjects)
        dependents = (citers(watched) - targets) if with_dependents else set()
        for rel in dependents:
            files[rel] = read(rel)
        if dependents:
            extra = set().union(*(files[r].subjects for r in dependents)) - subjects
            foreign |= {i for i, rels in describers(extra).items() if min(rels) not in targets | dependents}
        cited = set().union(*(files[r].references for r in targets)) - subjects if targets else set()
        context = set().union(*describers(cited).values(), *(homes[s] for s in owned)) - set(files)
        for rel in context:
            if rel in all_paths:
                files[rel] = parsed.get(rel) or quick(rel)  # context: its lines are never reported
    finally:
        if index is not None:
            index.close()
    return files, targets, dependents, watched, foreign


def _focus_nodes(files: dict[str, CatalogueFile], reported: set[str]) -> set[Subject | ox.Triple]:
    """The subjects of the files reported on: the only focus nodes whose results can be kept."""
    return {t.subject for rel in reported for t in files[rel].triples}


def _maps(files: Iterable[CatalogueFile]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    describing: dict[str, set[str]] = defaultdict(set)
    citing: dict[str, set[str]] = defaultdict(set)
    for f in files:
        for s in f.subjects:
            describing[s].add(f.rel)
        for o in f.references:
            citing[o].add(f.rel)
    return describing, citing


def _trust(
    results: list[Result],
    workspace: Workspace,
    dependents: set[str],
    targets: set[str],
    watched: set[str],
    base_iri: str,
) -> list[Result]:
    """Keep a dependent file's result only when it does not rest on triples left out of the workspace: its
    value is a literal, lies outside the catalogue (vocabularies are always loaded), is described in the
    workspace, or is something the changed files describe(d)."""
    if not dependents:
        return results
    kept = []
    for r in results:
        cited = r.value is not None and (r.value.startswith("<") or ":" in r.value)
        if r.file in targets or not cited or _described(workspace, expand(r.value or ""), watched, base_iri):
            kept.append(r)
    return kept


def _described(workspace: Workspace, iri: str, watched: set[str], base_iri: str) -> bool:
    return not iri.startswith(base_iri) or iri in workspace.home or iri in watched


# ------------------------------------------------------------------ the reference engine, one file at a time
@dataclass
class _PyshaclState:
    """What the forked workers of the reference engine inherit."""

    engine: PyshaclEngine | None = None
    engine_key: tuple[Path, tuple[Path, ...]] | None = None
    files: dict[str, CatalogueFile] = field(default_factory=dict)


_STATE = _PyshaclState()


def _run_pyshacl(
    shapes_dir: Path, vocabularies: list[Path], files: dict[str, CatalogueFile], targets: set[str]
) -> list[Result]:
    from hdh_graph.validation.engine_pyshacl import PyshaclEngine

    key = (shapes_dir.resolve(), tuple(vocabularies))
    if _STATE.engine_key != key:
        _STATE.engine = PyshaclEngine(shapes_dir, vocabularies)
        _STATE.engine_key = key
    _STATE.files = files
    describing, _ = _maps(files.values())
    units = []
    for rel in sorted(targets):
        f = files[rel]
        if f.problem is not None:
            continue
        owned = {i for i in f.subjects if min(describing[i]) == rel}
        ctx = {r for i in (f.references - f.subjects) for r in describing.get(i, ())}
        ctx |= {r for i in owned for r in describing[i]}
        units.append((rel, sorted(ctx | {rel}), f.subjects - owned))
    jobs = min(os.cpu_count() or 1, 4, max(1, len(units)))
    if jobs == 1:
        return [r for unit in units for r in _pyshacl_unit(unit)]
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
        return [r for chunk in pool.map(_pyshacl_unit, units) for r in chunk]


def _pyshacl_unit(unit: tuple[str, list[str], set[str]]) -> list[Result]:
    rel, names, foreign = unit
    files = _STATE.files
    workspace = Workspace({n: files[n] for n in names}, {rel}, foreign=foreign)
    if _STATE.engine is None:
        raise RuntimeError("the pyshacl engine is set up by _run_pyshacl before the units run")
    return _STATE.engine.validate(workspace)
