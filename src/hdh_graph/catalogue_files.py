"""The files that make a catalogue: which ones are read, in which order, and into which named graph.

A catalogue is a folder of Turtle files (``**/*.ttl``) and of the CSV files their code lists describe.
Hidden files and folders (names starting with ``.``) and files of any other kind are ignored. Files are
listed in one stable order (their path relative to the catalogue, as POSIX text), so that two builds of the
same folder do the same work in the same order.

Each file's triples go into its own named graph, ``{base}graph/{relative path}``: every triple's origin is
known. Characters that may not appear in an IRI (spaces, quotes...) are percent-encoded in that name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from hdh_graph.errors import SettingsError
from hdh_graph.settings import Settings

TURTLE_SUFFIX = ".ttl"
TABULAR_SUFFIX = ".csv"


@dataclass(frozen=True)
class CatalogueFile:
    """One file of the catalogue."""

    path: Path
    """The file on disk."""
    relative: str
    """Its path relative to the catalogue folder, POSIX style (``snds/dcir.ttl``)."""
    graph: str
    """The named graph that holds its triples."""


def graph_iri(settings: Settings, relative: str) -> str:
    """The named graph of the catalogue file at ``relative`` (POSIX path relative to the catalogue)."""
    return settings.graph_iri(relative)


def relative_of_graph(settings: Settings, graph: str) -> str | None:
    """The catalogue path a named graph holds, or ``None`` when the graph is not a catalogue file's."""
    prefix = settings.graph_iri("")
    if not graph.startswith(prefix):
        return None
    return unquote(graph[len(prefix) :])


def catalogue_file(settings: Settings, path: Path) -> CatalogueFile:
    """Describe one file that lies inside the catalogue folder."""
    root = settings.catalogue.resolve()
    absolute = path if path.is_absolute() else Path.cwd() / path
    relative = absolute.resolve().relative_to(root).as_posix()
    return CatalogueFile(path=path, relative=relative, graph=graph_iri(settings, relative))


def check_catalogue(settings: Settings) -> Path:
    """The catalogue folder, or a clear error when it does not exist."""
    folder = settings.catalogue
    if not folder.is_dir():
        raise SettingsError(
            f"catalogue folder {folder} does not exist or is not a folder",
            hint="run the command from the project folder, or pass --catalogue DIR (env HDH_CATALOGUE)",
        )
    return folder


def _walk(folder: Path, suffixes: tuple[str, ...]) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        base = Path(current)
        for name in files:
            if name.startswith(".") or not name.endswith(suffixes):
                continue
            path = base / name
            found.append((path.relative_to(folder).as_posix(), path))
    found.sort(key=lambda item: item[0])
    return found


def _files(settings: Settings, suffixes: tuple[str, ...]) -> list[CatalogueFile]:
    folder = check_catalogue(settings)
    return [
        CatalogueFile(path=path, relative=rel, graph=graph_iri(settings, rel)) for rel, path in _walk(folder, suffixes)
    ]


def turtle_files(settings: Settings) -> list[CatalogueFile]:
    """The catalogue's Turtle files, in stable order."""
    return _files(settings, (TURTLE_SUFFIX,))


def tabular_files(settings: Settings) -> list[CatalogueFile]:
    """The catalogue's CSV files (code lists kept tabular), in stable order."""
    return _files(settings, (TABULAR_SUFFIX,))


def source_files(settings: Settings) -> list[CatalogueFile]:
    """Every file a build may read (Turtle and CSV), in stable order."""
    return _files(settings, (TURTLE_SUFFIX, TABULAR_SUFFIX))


def fingerprint(settings: Settings) -> dict[str, int]:
    """Each source file's relative path and modification time (ns): what a build depends on."""
    return {f.relative: f.path.stat().st_mtime_ns for f in source_files(settings)}
