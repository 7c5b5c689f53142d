"""Build the store from the catalogue: every file into its own named graph, atomically.

Steps: list the catalogue's Turtle files; parse each one (relative IRIs resolved against the base IRI) and
stream its triples, tagged with the file's named graph, into a new snapshot of the store; read the code
lists the Turtle describes and turn their CSV files into SKOS concepts (N-Quads bulk-loaded in one go);
then make the new snapshot the active store (see :mod:`hdh_graph.store`). Documents the caller attaches (the
validation report, say) are saved in the snapshot before that, so they appear together with it.

Every file is read even after a problem, so that one build reports every broken file (path, line, column,
parser message). When any file is broken nothing changes: the previous store stays as it was.

When only a few Turtle files changed since the active snapshot (see :mod:`hdh_graph.build_plan` for when),
the new snapshot starts as a copy of the active one and only the named graphs of those files are dropped and
loaded again, with the same parsing: the same store as a full build, in a fraction of the time.
"""

from __future__ import annotations

import gc
import io
import itertools
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from hdh_graph import catalogue_files
from hdh_graph.build_plan import BuildPlan, plan_build
from hdh_graph.catalogue_files import TURTLE_SUFFIX, CatalogueFile
from hdh_graph.code_index import CODES, CodeIndexWriter
from hdh_graph.errors import SourceErrors, SourceProblem
from hdh_graph.settings import Settings
from hdh_graph.store import (
    BUILD_INFO,
    DATABASE,
    active_snapshot,
    build_lock,
    copy_database,
    database_state,
    new_partial_snapshot,
    publish,
    remove_leftovers,
    write_build_info,
    write_snapshot_json,
)
from hdh_graph.tabular import describe_code_lists, write_concepts

Progress = Callable[[str], None]

_POSITION = re.compile(r"^Parser error (?:at|between) line [^:]*: ")
CHUNK_QUADS = 500_000
"""Quads per bulk load: bounds the loader's memory (about 400 MB) at no cost in time."""
_FIX_HINT = "fix the files listed above, then run `hdh build` again; the previous store is unchanged"


@dataclass(frozen=True)
class BuildReport:
    """What a build loaded."""

    store: Path
    """The snapshot folder that is now active."""
    files: int
    """Source files loaded: Turtle files and code-list CSV files."""
    turtle_files: int
    code_lists: int
    """CSV files turned into SKOS."""
    triples: int
    """Quads in the store (a triple in two files counts twice)."""
    graphs: int
    """Named graphs: one per source file that holds triples."""
    codes: int
    """Code-list rows turned into concepts."""
    concepts: int
    """Distinct concepts made from those rows (rows repeating a code add labels to the same concept)."""
    seconds: float

    def summary(self) -> str:
        return (
            f"{self.files:,} files ({self.turtle_files:,} Turtle, {self.code_lists:,} code-list CSV) -> "
            f"{self.triples:,} triples in {self.graphs:,} named graphs, {self.codes:,} codes, "
            f"in {self.seconds:.1f} s"
        )


def syntax_problem(path: Path, error: SyntaxError) -> SourceProblem:
    """A parser error as a curator reads it: file, line, column and the parser's own words."""
    message = _POSITION.sub("", error.msg or str(error))
    return SourceProblem(path, message, error.lineno, error.offset)


class _TurtleStream:
    """The quads of every Turtle file, each in its file's graph; problems are collected, not raised.

    After the first broken file the remaining files are still parsed (to report them too) but their
    quads are no longer produced, since the build will not be kept.
    """

    def __init__(self, files: list[CatalogueFile], settings: Settings, progress: Progress | None) -> None:
        self.files = files
        self.settings = settings
        self.progress = progress
        self.problems: list[SourceProblem] = []
        self.quads = 0

    def __iter__(self) -> Iterator[ox.Quad]:
        total = len(self.files)
        step = max(1, total // 10)
        quad = ox.Quad
        for number, file in enumerate(self.files, start=1):
            graph = ox.NamedNode(file.graph)
            try:
                triples = ox.parse(
                    path=file.path,
                    format=ox.RdfFormat.TURTLE,
                    base_iri=self.settings.base_iri,
                    rename_blank_nodes=True,
                )
                if self.problems:
                    for _ in triples:
                        pass
                else:
                    for t in triples:
                        yield quad(t.subject, t.predicate, t.object, graph)
                        self.quads += 1
            except SyntaxError as exc:
                self.problems.append(syntax_problem(file.path, exc))
            except (OSError, ValueError) as exc:
                self.problems.append(SourceProblem(file.path, f"cannot read the file: {exc}"))
            if self.progress is not None and (number % step == 0 or number == total):
                self.progress(f"  {number}/{total} Turtle files read")


class _ChunkFiles(io.RawIOBase):
    """A binary sink that spreads N-Quads text over files of about ``CHUNK_QUADS`` lines each.

    Each ``write`` holds whole lines (one code list); a new file starts once the current one is full.
    Loading the files one by one keeps the bulk loader's memory bounded (a third of a single load for the
    SNDS codes, for the same time).
    """

    def __init__(self, stem: Path) -> None:
        super().__init__()
        self.stem = stem
        self.paths: list[Path] = []
        self._out: BinaryIO | None = None
        self._lines = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self._out is None or self._lines >= CHUNK_QUADS:
            self._next()
        assert self._out is not None
        self._lines += data.count(b"\n")
        return self._out.write(data)

    def _next(self) -> None:
        if self._out is not None:
            self._out.close()
        path = self.stem.with_name(f"{self.stem.name}-{len(self.paths):04d}.nq")
        self.paths.append(path)
        self._out = path.open("wb")
        self._lines = 0

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        super().close()


def build_store(
    settings: Settings,
    progress: Progress | None = None,
    *,
    attachments: Mapping[str, dict[str, Any]] | None = None,
    full: bool = False,
) -> BuildReport:
    """Build the store from the catalogue and make it the active one; raise ``SourceErrors`` if any file
    is broken (then the previous store is untouched).

    The build starts from the active snapshot when only a few Turtle files changed since it, unless ``full``
    (see :mod:`hdh_graph.build_plan`). ``attachments`` maps file names (``validation.json``) to JSON documents
    saved in the new snapshot, beside ``build.json``, before it becomes the active one."""
    started = time.perf_counter()
    checked = _checked(attachments)
    catalogue_files.check_catalogue(settings)
    with build_lock(settings):
        _remove_leftovers(settings, progress)
        plan = plan_build(settings, full=full)  # before reading: later edits make the store stale
        return _build(settings, plan, progress, started, checked)


def build_planned(
    settings: Settings,
    plan: BuildPlan,
    progress: Progress | None = None,
    *,
    attachments: Mapping[str, dict[str, Any]] | None = None,
) -> BuildReport:
    """Build as ``plan`` (from :func:`~hdh_graph.build_plan.plan_build`, made earlier to validate the same
    files first) says; in full when the active snapshot is no longer the one the plan starts from."""
    started = time.perf_counter()
    checked = _checked(attachments)
    catalogue_files.check_catalogue(settings)
    with build_lock(settings):
        _remove_leftovers(settings, progress)
        if plan.incremental and (active_snapshot(settings) != plan.previous or not _untouched(plan)):
            plan = plan.as_full("the active store changed since the files were listed")
        return _build(settings, plan, progress, started, checked)


def _untouched(plan: BuildPlan) -> bool:
    assert plan.previous is not None and plan.previous_info is not None
    return database_state(plan.previous) == plan.previous_info.get("database")


class _NeedsFullBuild(Exception):
    """An incremental build found a reason to read the whole catalogue after all."""


def _checked(attachments: Mapping[str, dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    checked = dict(attachments or {})
    for name in checked:
        if name in (DATABASE, BUILD_INFO) or not name or "/" in name or name.startswith("."):
            raise ValueError(f"cannot attach {name!r} to a snapshot: give a plain file name of its own")
    return checked


def _remove_leftovers(settings: Settings, progress: Progress | None) -> None:
    for leftover in remove_leftovers(settings):
        if progress is not None:
            progress(f"Removed {leftover.name} (left by an earlier build)")


@dataclass(frozen=True)
class _Job:
    """One build: its settings, its plan, where progress goes, when it started, what it attaches."""

    settings: Settings
    plan: BuildPlan
    say: Progress
    started: float
    attachments: dict[str, dict[str, Any]]


def _build(
    settings: Settings,
    plan: BuildPlan,
    progress: Progress | None,
    started: float,
    attachments: dict[str, dict[str, Any]],
) -> BuildReport:
    say = progress or (lambda _message: None)
    if plan.incremental:
        say(f"Updating the store: {plan.reason}")
        try:
            return _in_partial(_update_into, _Job(settings, plan, say, started, attachments))
        except _NeedsFullBuild as exc:
            plan = plan.as_full(str(exc))
    say(f"Building the store in full: {plan.reason}")
    return _in_partial(_build_into, _Job(settings, plan, say, started, attachments))


def _in_partial(work: Callable[[Path, _Job], BuildReport], job: _Job) -> BuildReport:
    """Run ``work`` on a new partial snapshot; remove the snapshot if it fails."""
    partial = new_partial_snapshot(job.settings)
    try:
        return work(partial, job)
    except BaseException:
        gc.collect()  # close the partial store before removing it
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _load_turtle(store: ox.Store, files: list[CatalogueFile], settings: Settings, say: Progress) -> list[SourceProblem]:
    """Parse the files into their named graphs (in chunks: bounded memory); the problems found."""
    stream = _TurtleStream(files, settings, say)
    quads = iter(stream)
    while (first := next(quads, None)) is not None:
        store.bulk_extend(itertools.chain((first,), itertools.islice(quads, CHUNK_QUADS - 1)))
    return list(stream.problems)


def _fail(problems: list[SourceProblem]) -> SourceErrors:
    problems.sort(key=lambda p: (str(p.path), p.line or 0, p.column or 0))
    return SourceErrors(problems, hint=_FIX_HINT)


def _build_into(partial: Path, job: _Job) -> BuildReport:
    """The whole catalogue into an empty store."""
    settings, say = job.settings, job.say
    turtle = catalogue_files.turtle_files(settings)
    if not turtle:
        raise SourceErrors(
            [SourceProblem(settings.catalogue, "no Turtle file (*.ttl) found in the catalogue")],
            hint="check --catalogue (env HDH_CATALOGUE); run `hdh import snds PATH` to make the SNDS one",
        )
    store = ox.Store(str(partial / DATABASE))
    say(f"Reading {len(turtle)} Turtle files from {settings.catalogue}")
    problems = _load_turtle(store, turtle, settings, say)

    tables, described = describe_code_lists(store, settings, {f.graph: f.path for f in turtle})
    problems += described
    say(f"Reading {len(tables)} code lists (CSV)")
    index = CodeIndexWriter(partial)
    with _ChunkFiles(partial / "codes") as out:
        outcome = write_concepts(tables, settings, out, say, index=index)
    problems += outcome.problems
    if problems:
        index.abort()
        del store
        raise _fail(problems)
    index.close()
    if outcome.rows:
        say(f"Loading {outcome.rows:,} codes ({outcome.quads:,} triples) into the store")
    for number, chunk in enumerate(out.paths, start=1):
        store.bulk_load(path=chunk, format=ox.RdfFormat.N_QUADS, lenient=True)
        chunk.unlink()
        if len(out.paths) > 1:
            say(f"  {number}/{len(out.paths)} parts loaded")
    relative = {f.path: f.relative for f in turtle}
    counts = {
        "files": len(turtle) + outcome.tables,
        "turtle_files": len(turtle),
        "code_lists": outcome.tables,
        "codes": outcome.rows,
        "concepts": outcome.concepts,
    }
    # which files describe CSV code lists: a later build cannot reload them alone (their concepts depend on them)
    tabular = sorted({relative[t.description] for t in tables})
    counts.update(_close(store))
    del store  # closed before the snapshot is published
    return _finish(partial, job, counts, {"tabular": tabular})


def _update_into(partial: Path, job: _Job) -> BuildReport:
    """A copy of the previous snapshot, with the graphs of the changed files dropped and loaded again."""
    settings, plan, say = job.settings, job.plan, job.say
    assert plan.previous is not None and plan.previous_info is not None
    copy_database(plan.previous, partial)
    if (plan.previous / CODES).is_file():  # no code list is read again: its codes are the previous ones
        os.link(plan.previous / CODES, partial / CODES)
    store = ox.Store(str(partial / DATABASE))
    for rel in (*plan.deleted, *plan.changed):
        graph = ox.NamedNode(settings.graph_iri(rel))
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
    files = [catalogue_files.catalogue_file(settings, settings.catalogue / rel) for rel in plan.changed]
    if files:
        say(f"Reading {len(files)} Turtle file(s) from {settings.catalogue}")
    problems = _load_turtle(store, files, settings, say)
    if problems:
        del store
        raise _fail(problems)
    tables, described = describe_code_lists(store, settings, {f.graph: f.path for f in files})
    if tables or described:
        del store
        where = tables[0].description if tables else described[0].path
        raise _NeedsFullBuild(f"{catalogue_files.catalogue_file(settings, where).relative} describes code lists")
    before = plan.previous_info.get("counts", {})
    turtle_files = sum(1 for rel in plan.inputs if rel.endswith(TURTLE_SUFFIX))
    code_lists = int(before.get("code_lists", 0))
    counts = {
        "files": turtle_files + code_lists,
        "turtle_files": turtle_files,
        "code_lists": code_lists,
        "codes": int(before.get("codes", 0)),
        "concepts": int(before.get("concepts", 0)),
    }
    extra = {
        "tabular": list(plan.previous_info.get("tabular", [])),
        "incremental": {"from": plan.previous.name, "files": list(plan.changed), "deleted": list(plan.deleted)},
    }
    counts.update(_close(store))
    del store
    return _finish(partial, job, counts, extra)


def _close(store: ox.Store) -> dict[str, int]:
    """The store's counts, its writes flushed to disk (the caller then lets go of it)."""
    counts = {"triples": len(store), "graphs": sum(1 for _ in store.named_graphs())}
    store.flush()
    return counts


def _finish(partial: Path, job: _Job, counts: dict[str, int], extra: dict[str, Any]) -> BuildReport:
    """Write ``build.json`` and the attachments, and make the snapshot the active one (its store closed)."""
    settings = job.settings
    gc.collect()  # the store is closed once nothing holds it
    extra = {**extra, "database": database_state(partial)}  # closed: a later write would change it
    seconds = round(time.perf_counter() - job.started, 3)
    write_build_info(
        partial,
        {
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "base_iri": settings.base_iri,
            "catalogue": str(settings.catalogue.resolve()),
            "files": job.plan.inputs,
            "listed_ns": job.plan.listed_ns,
            "counts": {**counts, "seconds": seconds},
            **extra,
        },
    )
    for name, document in sorted(job.attachments.items()):
        write_snapshot_json(partial, name, document)
    final = publish(settings, partial)
    report = BuildReport(store=final, seconds=time.perf_counter() - job.started, **counts)
    job.say(f"Store ready: {report.summary()}")
    return report


def report_as_dict(report: BuildReport) -> dict[str, object]:
    """The report as plain data (for JSON output)."""
    data = asdict(report)
    data["store"] = str(report.store)
    return data
