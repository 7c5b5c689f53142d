"""Reading catalogue Turtle files for validation: UTF-8 check, parse, subject positions.

A file that is not UTF-8 or does not parse becomes a :class:`Result` (with line and column) rather than
an exception, so that every file is checked before the run ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from hdh_graph.validation.model import Result, Severity
from hdh_graph.validation.positions import subject_positions


@dataclass
class CatalogueFile:
    """One parsed Turtle file of the catalogue."""

    rel: str
    triples: list[ox.Triple] = field(default_factory=list)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    problem: Result | None = None

    @property
    def subjects(self) -> set[str]:
        return {t.subject.value for t in self.triples if isinstance(t.subject, ox.NamedNode)}

    @property
    def references(self) -> set[str]:
        return {t.object.value for t in self.triples if isinstance(t.object, ox.NamedNode)}


def relative_name(path: Path, catalogue: Path) -> str:
    """The file's name relative to the catalogue folder (or as given when it lies outside)."""
    try:
        return path.resolve().relative_to(catalogue.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def catalogue_turtle_files(folder: Path) -> list[Path]:
    """Every Turtle file under a folder given on the command line, in a stable order (hidden ones left out,
    as the build does)."""
    return sorted(
        p
        for p in folder.rglob("*.ttl")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def read_file(path: Path, rel: str, base_iri: str, with_positions: bool = True) -> CatalogueFile:
    """Read and parse one file; raise ``OSError`` only when it cannot be read at all.

    ``with_positions=False`` skips the scan for subject lines (enough to index the file)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return CatalogueFile(rel, problem=_file_problem(rel, line, column, "encoding", _encoding_messages(data, exc)))
    try:
        triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base_iri, path=None)]
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        return CatalogueFile(
            rel,
            problem=_file_problem(
                rel,
                exc.lineno,
                exc.offset,
                "syntax",
                (f"Erreur de syntaxe Turtle : {message}", f"Turtle syntax error: {message}"),
            ),
        )
    positions = subject_positions(text, base_iri) if with_positions else {}
    return CatalogueFile(rel, triples=triples, positions=positions)


def _encoding_messages(data: bytes, exc: UnicodeDecodeError) -> tuple[str, str]:
    byte = data[exc.start : exc.start + 1].hex().upper()
    return (
        f"Le fichier n'est pas en UTF-8 (octet 0x{byte} invalide).",
        f"The file is not UTF-8 (invalid byte 0x{byte}).",
    )


def _file_problem(rel: str, line: int | None, column: int | None, kind: str, messages: tuple[str, str]) -> Result:
    hints = {
        "encoding": (
            "Enregistrez le fichier en UTF-8 (par ex. iconv -f latin1 -t utf-8).",
            "Save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8).",
        ),
        "syntax": (
            "Corrigez la syntaxe à cet endroit (point final, point-virgule, guillemets, préfixe déclaré).",
            "Fix the syntax at this place (final dot, semicolon, quotes, declared prefix).",
        ),
    }[kind]
    return Result(
        file=rel,
        line=line,
        column=column,
        resource=None,
        property=None,
        value=None,
        message_fr=messages[0],
        message_en=messages[1],
        severity=Severity.VIOLATION,
        rule=f"hdh:{kind}",
        source="file",
        hint_fr=hints[0],
        hint_en=hints[1],
    )
