"""A small on-disk index of the catalogue: which file describes which IRI and which IRIs each file cites.

It lets a validation of a few files find their context (the files describing what they cite) and their
dependents (the files citing what they describe) without parsing the whole catalogue. Files are
re-indexed when their size or modification time changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from hdh_graph.validation.sources import CatalogueFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (rel TEXT PRIMARY KEY, mtime INTEGER, size INTEGER);
CREATE TABLE IF NOT EXISTS subjects (iri TEXT, rel TEXT);
CREATE TABLE IF NOT EXISTS refs (iri TEXT, rel TEXT);
CREATE INDEX IF NOT EXISTS subjects_iri ON subjects (iri);
CREATE INDEX IF NOT EXISTS subjects_rel ON subjects (rel);
CREATE INDEX IF NOT EXISTS refs_iri ON refs (iri);
CREATE INDEX IF NOT EXISTS refs_rel ON refs (rel);
"""


class CatalogueIndex:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def stale(self, files: dict[str, Path]) -> tuple[list[str], list[str]]:
        """(files to re-index, indexed files that no longer exist)."""
        known = {rel: (m, s) for rel, m, s in self.db.execute("SELECT rel, mtime, size FROM files")}
        todo = []
        for rel, path in files.items():
            st = path.stat()
            if known.get(rel) != (st.st_mtime_ns, st.st_size):
                todo.append(rel)
        return todo, [rel for rel in known if rel not in files]

    def update(self, parsed: Iterable[CatalogueFile], paths: dict[str, Path], removed: Iterable[str] = ()) -> None:
        with self.db:
            for rel in removed:
                self._forget(rel)
            for f in parsed:
                self._forget(f.rel)
                st = paths[f.rel].stat()
                self.db.execute("INSERT INTO files VALUES (?, ?, ?)", (f.rel, st.st_mtime_ns, st.st_size))
                self.db.executemany("INSERT INTO subjects VALUES (?, ?)", ((s, f.rel) for s in f.subjects))
                self.db.executemany("INSERT INTO refs VALUES (?, ?)", ((o, f.rel) for o in f.references))

    def _forget(self, rel: str) -> None:
        for table in ("files", "subjects", "refs"):
            self.db.execute(f"DELETE FROM {table} WHERE rel = ?", (rel,))

    def _files_for(self, sql: str, iris: set[str]) -> set[str]:
        found: set[str] = set()
        items = sorted(iris)
        for i in range(0, len(items), 500):
            chunk = items[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found |= {row[0] for row in self.db.execute(sql.format(marks=marks), chunk)}
        return found

    def describing(self, iris: set[str]) -> set[str]:
        return self._files_for("SELECT DISTINCT rel FROM subjects WHERE iri IN ({marks})", iris)

    def describers(self, iris: set[str]) -> dict[str, set[str]]:
        """For each IRI, the files that describe it (as a subject)."""
        found: dict[str, set[str]] = {}
        items = sorted(iris)
        for i in range(0, len(items), 500):
            chunk = items[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for iri, rel in self.db.execute(f"SELECT iri, rel FROM subjects WHERE iri IN ({marks})", chunk):
                found.setdefault(iri, set()).add(rel)
        return found

    def citing(self, iris: set[str]) -> set[str]:
        return self._files_for("SELECT DISTINCT rel FROM refs WHERE iri IN ({marks})", iris)

    def subjects_of(self, rel: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT iri FROM subjects WHERE rel = ?", (rel,))}

    def refs_of(self, rel: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT iri FROM refs WHERE rel = ?", (rel,))}


def refresh(index: CatalogueIndex, files: dict[str, Path], read: Callable[[str], CatalogueFile]) -> int:
    """Re-index the stale files (one at a time, nothing kept in memory); returns how many were read."""
    todo, removed = index.stale(files)
    index.update((), files, removed)
    for start in range(0, len(todo), 200):
        index.update([read(rel) for rel in todo[start : start + 200]], files)
    return len(todo)
