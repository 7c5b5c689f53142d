"""Build the store from the catalogue: every file into its own named graph, atomically.

Steps: list the catalogue's Turtle files; parse each one (relative IRIs resolved against the base IRI) and
stream its triples, tagged with the file's named graph, into a new snapshot of the store; read the code
lists the Turtle describes and turn their CSV files into SKOS concepts (N-Quads bulk-loaded in one go);
then make the new snapshot the active store (see :mod:`hdh_graph.store`). Documents the caller attaches (the
validation report, say) are saved in the snapshot before that, so they appear together with it.

Every file is read even after a problem, so that one build reports every broken file (path, line, column,
parser message). When any file is broken nothing changes: the previous store stays as it was.
"""

from __future__ import annotations

import gc
import io
import itertools
import re
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from hdh_graph import catalogue_files
from hdh_graph.catalogue_files import CatalogueFile
from hdh_graph.errors import SourceErrors, SourceProblem
from hdh_graph.settings import Settings
from hdh_graph.store import (
    BUILD_INFO,
    DATABASE,
    build_lock,
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
) -> BuildReport:
    """Build the store from the catalogue and make it the active one; raise ``SourceErrors`` if any file
    is broken (then the previous store is untouched).

    ``attachments`` maps file names (``validation.json``) to JSON documents saved in the new snapshot, beside
    ``build.json``, before it becomes the active one."""
    started = time.perf_counter()
    attachments = dict(attachments or {})
    for name in attachments:
        if name in (DATABASE, BUILD_INFO) or not name or "/" in name or name.startswith("."):
            raise ValueError(f"cannot attach {name!r} to a snapshot: give a plain file name of its own")
    say = progress or (lambda _message: None)
    catalogue_files.check_catalogue(settings)
    with build_lock(settings):
        for leftover in remove_leftovers(settings):
            say(f"Removed {leftover.name} (left by an earlier build)")
        inputs = catalogue_files.fingerprint(settings)  # before reading: later edits make the store stale
        turtle = catalogue_files.turtle_files(settings)
        if not turtle:
            raise SourceErrors(
                [SourceProblem(settings.catalogue, "no Turtle file (*.ttl) found in the catalogue")],
                hint="check --catalogue (env HDH_CATALOGUE); run `hdh import snds PATH` to make the SNDS one",
            )
        partial = new_partial_snapshot(settings)
        try:
            report = _build_into(partial, settings, turtle, inputs, say, started, attachments)
        except BaseException:
            gc.collect()  # close the partial store before removing it
            shutil.rmtree(partial, ignore_errors=True)
            raise
        return report


def _build_into(
    partial: Path,
    settings: Settings,
    turtle: list[CatalogueFile],
    inputs: dict[str, int],
    say: Progress,
    started: float,
    attachments: dict[str, dict[str, Any]],
) -> BuildReport:
    store = ox.Store(str(partial / DATABASE))
    say(f"Reading {len(turtle)} Turtle files from {settings.catalogue}")
    stream = _TurtleStream(turtle, settings, say)
    quads = iter(stream)
    while (first := next(quads, None)) is not None:  # in chunks: bounded memory for big catalogues
        store.bulk_extend(itertools.chain((first,), itertools.islice(quads, CHUNK_QUADS - 1)))
    problems = list(stream.problems)

    tables, described = describe_code_lists(store, settings, {f.graph: f.path for f in turtle})
    problems += described
    say(f"Reading {len(tables)} code lists (CSV)")
    with _ChunkFiles(partial / "codes") as out:
        outcome = write_concepts(tables, settings, out, say)
    problems += outcome.problems
    if problems:
        del store
        problems.sort(key=lambda p: (str(p.path), p.line or 0, p.column or 0))
        raise SourceErrors(problems, hint=_FIX_HINT)
    if outcome.rows:
        say(f"Loading {outcome.rows:,} codes ({outcome.quads:,} triples) into the store")
    for number, chunk in enumerate(out.paths, start=1):
        store.bulk_load(path=chunk, format=ox.RdfFormat.N_QUADS, lenient=True)
        chunk.unlink()
        if len(out.paths) > 1:
            say(f"  {number}/{len(out.paths)} parts loaded")
    triples = len(store)
    graphs = sum(1 for _ in store.named_graphs())
    store.flush()
    del store
    gc.collect()

    counts = {
        "files": len(turtle) + outcome.tables,
        "turtle_files": len(turtle),
        "code_lists": outcome.tables,
        "triples": triples,
        "graphs": graphs,
        "codes": outcome.rows,
        "concepts": outcome.concepts,
    }
    seconds = round(time.perf_counter() - started, 3)
    write_build_info(
        partial,
        {
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "base_iri": settings.base_iri,
            "catalogue": str(settings.catalogue.resolve()),
            "files": inputs,
            "counts": {**counts, "seconds": seconds},
        },
    )
    for name, document in sorted(attachments.items()):
        write_snapshot_json(partial, name, document)
    final = publish(settings, partial)
    report = BuildReport(store=final, seconds=time.perf_counter() - started, **counts)
    say(f"Store ready: {report.summary()}")
    return report


def report_as_dict(report: BuildReport) -> dict[str, object]:
    """The report as plain data (for JSON output)."""
    data = asdict(report)
    data["store"] = str(report.store)
    return data
