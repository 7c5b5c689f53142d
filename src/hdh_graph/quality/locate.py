"""Where each dataset is described: its catalogue file (from its named graph) and the line of its description."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hdh_graph.catalogue_files import relative_of_graph
from hdh_graph.quality.score import DatasetScore
from hdh_graph.settings import Settings
from hdh_graph.validation.positions import subject_positions


def dataset_positions(settings: Settings, datasets: Iterable[DatasetScore]) -> dict[str, tuple[str, int | None]]:
    """Dataset IRI -> (file relative to the working folder, line or ``None``); datasets not from a catalogue
    file are left out. Each file is read once."""
    by_file: dict[str, list[str]] = {}
    for ds in datasets:
        relative = relative_of_graph(settings, ds.graph) if ds.graph else None
        if relative is not None:
            by_file.setdefault(relative, []).append(ds.iri)
    found: dict[str, tuple[str, int | None]] = {}
    for relative, iris in by_file.items():
        path = settings.catalogue / relative
        try:
            positions = subject_positions(path.read_text(encoding="utf-8"), settings.base_iri)
        except OSError:
            positions = {}
        shown = _shown(path)
        for iri in iris:
            where = positions.get(iri)
            found[iri] = (shown, where[0] if where else None)
    return found


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
