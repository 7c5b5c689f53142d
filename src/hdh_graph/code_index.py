"""The codes of the code lists kept as CSV, in a table beside the store (``codes.sqlite`` in each snapshot).

``hdh build`` turns every CSV row into a ``skos:Concept`` in the store and, from the same rows, writes this table:
per code, its list, concept IRI, notation and labels, and the named graph (CSV file) it comes from. The store
holds the codes as RDF; the table lets the site read them in one scan instead of a look-up per code (the SNDS has
414,490 codes: 96 % of its triples), the way the keyword index serves the search. It is derived, never edited:
a snapshot's table holds exactly the concepts the snapshot's CSV graphs hold (``tests/test_code_index.py``).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CODES = "codes.sqlite"
_SCHEMA = """
CREATE TABLE codes (scheme TEXT NOT NULL, ord INTEGER NOT NULL, concept TEXT NOT NULL, notation TEXT NOT NULL,
    labels TEXT NOT NULL, graph TEXT NOT NULL);
"""

CodeRowData = tuple[str, str | None, str | None, str | None]
"""(concept IRI, notation, label, label language): one per CSV row and label column."""


IndexRow = tuple[str, str, str, list[tuple[str, str]], str]
"""(scheme, concept IRI, notation, labels as (language, text), graph), in reading order within a list."""


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that orders codes as people do: ``2`` before ``10``, ``A9`` before ``A10``."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _DIGITS.split(text) if part)


_DIGITS = re.compile(r"(\d+)")


class CodeIndexWriter:
    """Writes the table of a snapshot being built (to a temporary name, renamed by :meth:`close`)."""

    def __init__(self, snapshot: Path) -> None:
        self.path = snapshot / CODES
        self._tmp = snapshot / (CODES + ".tmp")
        self._tmp.unlink(missing_ok=True)
        self.db = sqlite3.connect(str(self._tmp), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.executescript(_SCHEMA)
        self.db.execute("BEGIN")

    def add(self, scheme: str, graph: str, rows: Iterable[CodeRowData]) -> None:
        """One list's codes: a concept per distinct IRI (its smallest notation, its labels sorted), in the order
        people read codes (:func:`natural_key`)."""
        notations: dict[str, set[str]] = {}
        labels: dict[str, set[tuple[str, str]]] = {}
        for concept, notation, label, lang in rows:
            found = notations.setdefault(concept, set())
            if notation is not None:
                found.add(notation)
            texts = labels.setdefault(concept, set())
            if label is not None:
                texts.add((lang or "", label))
        codes = [(c, min(ns) if ns else c.rsplit("/", 1)[-1]) for c, ns in notations.items()]
        codes.sort(key=lambda code: (natural_key(code[1]), code[0]))
        values = (
            (scheme, n, c, notation, json.dumps(sorted(labels[c]), ensure_ascii=False), graph)
            for n, (c, notation) in enumerate(codes)
        )
        self.db.executemany("INSERT INTO codes VALUES (?, ?, ?, ?, ?, ?)", values)

    def close(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("CREATE INDEX codes_scheme ON codes (scheme, ord)")
        self.db.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self.db.close()
        self._tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class CodeIndex:
    """Read access to a snapshot's table of codes."""

    path: Path

    @classmethod
    def of_snapshot(cls, snapshot: Path | None) -> CodeIndex | None:
        if snapshot is None or not (snapshot / CODES).is_file():
            return None
        return cls(snapshot / CODES)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)

    def graphs(self) -> set[str]:
        """The named graphs (CSV files) whose codes the table holds."""
        con = self._connect()
        try:
            return {g for (g,) in con.execute("SELECT DISTINCT graph FROM codes")}
        finally:
            con.close()

    def rows(self, schemes: Iterable[str] | None = None) -> Iterator[IndexRow]:
        """The codes of the given lists (all when ``None``), list by list, in reading order."""
        con = self._connect()
        try:
            query = "SELECT scheme, concept, notation, labels, graph FROM codes"
            if schemes is None:
                found = con.execute(query + " ORDER BY scheme, ord")
            else:
                wanted = sorted(set(schemes))
                marks = ", ".join("?" * len(wanted))
                found = con.execute(f"{query} WHERE scheme IN ({marks}) ORDER BY scheme, ord", wanted)
            for scheme, concept, notation, labels, graph in found:
                # most codes have no label or one: "[]" is not worth decoding
                pairs = [] if labels == "[]" else [tuple(pair) for pair in json.loads(labels)]
                yield scheme, concept, notation, pairs, graph
        finally:
            con.close()
