"""What the last build of a site was made from, for the next incremental build (``.hdh-site.sqlite``).

- ``meta``: the store snapshot rendered, the base IRI, the design (templates, static files, words) hash;
- ``pages``: each page's path, content hash, files, the item (resource or catalogue-wide part) it belongs to and,
  for the pages in the site's search, its search facets by language (:mod:`pages.filters`);
- ``items``: each item's key (a resource IRI, ``home``, ``crossing``...) and, for the parts that catalogue-wide
  pages are assembled from (home entries, crossing rows, listing entries), the part itself (pickled);
- ``quality``: each dataset's quality box (MQA score, EHDS label; pickled) and its digest, to tell which dataset
  pages to render again when it changes (it is computed on the whole store, not read through the facts), and to
  give the pages rendered again their box when a change cannot touch any;
- ``deps``: which dependency keys (see :mod:`facts`) each item read, hashed to 64-bit integers. A hash
  collision only makes a build re-render an item it could have kept: never the other way round.

SQLite keeps this fast at 10,000 datasets (a million pages): an incremental build reads only the rows of
the keys that changed. A full build writes a new database beside the new site; an incremental one updates
it in one transaction after its files are written, so an interrupted build is redone the next time.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

STATE = ".hdh-site.sqlite"
STATE_VERSION = "5"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, part BLOB);
CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, hash TEXT NOT NULL, files TEXT NOT NULL,
    item INTEGER NOT NULL, facets TEXT);
CREATE INDEX IF NOT EXISTS pages_item ON pages (item);
CREATE TABLE IF NOT EXISTS deps (key INTEGER NOT NULL, item INTEGER NOT NULL, PRIMARY KEY (key, item))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS deps_item ON deps (item);
CREATE TABLE IF NOT EXISTS quality (dataset TEXT PRIMARY KEY, digest TEXT NOT NULL, box BLOB NOT NULL);
"""


def key_hash(key: str) -> int:
    """A stable signed 64-bit hash of a dependency key (two CRCs: cheap, and collisions are harmless)."""
    data = key.encode()
    value = (zlib.crc32(data) << 32) | zlib.adler32(data)
    return value - (1 << 64) if value >= 1 << 63 else value


class SiteState:
    def __init__(self, path: Path, *, scratch: bool = False) -> None:
        """``scratch``: a new database of a full build (written aside, swapped in whole): no journal needed."""
        self.path = path
        self.db = sqlite3.connect(str(path), isolation_level=None)
        self.db.execute("PRAGMA cache_size=-200000")
        if scratch:
            self.db.execute("PRAGMA journal_mode=OFF")
            self.db.execute("PRAGMA synchronous=OFF")
        else:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._ids: dict[str, int] = {}

    @classmethod
    def existing(cls, site: Path) -> SiteState | None:
        """The state of the site in ``site``, or ``None`` (none, unreadable or of another version)."""
        path = site / STATE
        if not path.is_file():
            return None
        try:
            state = cls(path)
            if state.meta().get("version") != STATE_VERSION:
                state.close()
                return None
        except sqlite3.Error:
            return None
        return state

    def close(self) -> None:
        self.db.close()

    def begin(self) -> None:
        self.db.execute("BEGIN")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- meta ------------------------------------------------------------------------------------------
    def meta(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM meta")}

    def set_meta(self, values: dict[str, Any]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [(k, json.dumps(v, sort_keys=True)) for k, v in {**values, "version": STATE_VERSION}.items()],
        )

    # -- items -----------------------------------------------------------------------------------------
    def item_id(self, key: str) -> int:
        found = self._ids.get(key)
        if found is None:
            row = self.db.execute("SELECT id FROM items WHERE key = ?", (key,)).fetchone()
            if row is None:
                row = self.db.execute("INSERT INTO items (key) VALUES (?) RETURNING id", (key,)).fetchone()
            found = self._ids[key] = int(row[0])
        return found

    def has_item(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM items WHERE key = ?", (key,)).fetchone() is not None

    def item_keys(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT key FROM items")]

    def items_with_prefix(self, prefix: str) -> list[str]:
        rows = self.db.execute("SELECT key FROM items WHERE key >= ? AND key < ?", (prefix, prefix + "\U0010ffff"))
        return [r[0] for r in rows]

    def dependents(self, keys: Iterable[str]) -> set[str]:
        """The items that read any of these keys."""
        hashes = sorted({key_hash(k) for k in keys})
        out: set[str] = set()
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT DISTINCT items.key FROM deps JOIN items ON items.id = deps.item WHERE deps.key IN ({marks})",
                chunk,
            )
            out.update(r[0] for r in rows)
        return out

    def set_deps(self, key: str, deps: Iterable[str]) -> None:
        item = self.item_id(key)
        self.db.execute("DELETE FROM deps WHERE item = ?", (item,))
        self.db.executemany("INSERT OR IGNORE INTO deps VALUES (?, ?)", [(key_hash(d), item) for d in set(deps)])

    def part(self, key: str) -> Any:
        row = self.db.execute("SELECT part FROM items WHERE key = ?", (key,)).fetchone()
        return pickle.loads(row[0]) if row is not None and row[0] is not None else None

    def parts_with_prefix(self, prefix: str) -> dict[str, Any]:
        rows = self.db.execute(
            "SELECT key, part FROM items WHERE key >= ? AND key < ? AND part IS NOT NULL",
            (prefix, prefix + "\U0010ffff"),
        )
        return {k: pickle.loads(v) for k, v in rows}

    def set_part(self, key: str, value: Any) -> bool:
        """Store a part; ``True`` when it differs from the one stored before."""
        data = pickle.dumps(value, protocol=5)
        item = self.item_id(key)
        old = self.db.execute("SELECT part FROM items WHERE id = ?", (item,)).fetchone()
        if old is not None and old[0] == data:
            return False
        self.db.execute("UPDATE items SET part = ? WHERE id = ?", (data, item))
        return True

    def remove_item(self, key: str) -> list[str]:
        """Forget an item; the files of its pages (to delete)."""
        row = self.db.execute("SELECT id FROM items WHERE key = ?", (key,)).fetchone()
        if row is None:
            return []
        files = [f for (fs,) in self.db.execute("SELECT files FROM pages WHERE item = ?", row) for f in json.loads(fs)]
        self.db.execute("DELETE FROM pages WHERE item = ?", row)
        self.db.execute("DELETE FROM deps WHERE item = ?", row)
        self.db.execute("DELETE FROM items WHERE id = ?", row)
        self._ids.pop(key, None)
        return files

    # -- quality ---------------------------------------------------------------------------------------
    def quality_digests(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT dataset, digest FROM quality"))

    def quality_box(self, dataset: str) -> Any:
        row = self.db.execute("SELECT box FROM quality WHERE dataset = ?", (dataset,)).fetchone()
        return pickle.loads(row[0]) if row is not None else None

    def set_quality(self, boxes: dict[str, tuple[str, Any]]) -> None:
        """Replace every dataset's quality box (dataset -> (digest, box))."""
        self.db.execute("DELETE FROM quality")
        self.db.executemany(
            "INSERT INTO quality VALUES (?, ?, ?)",
            [(k, digest, pickle.dumps(box, protocol=5)) for k, (digest, box) in sorted(boxes.items())],
        )

    # -- pages -----------------------------------------------------------------------------------------
    def pages_of(self, key: str) -> dict[str, dict[str, Any]]:
        rows = self.db.execute(
            "SELECT path, hash, files FROM pages JOIN items ON items.id = pages.item WHERE items.key = ?", (key,)
        )
        return {p: {"hash": h, "files": json.loads(f)} for p, h, f in rows}

    def set_pages(self, key: str, pages: dict[str, dict[str, Any]]) -> None:
        item = self.item_id(key)
        self.db.execute("DELETE FROM pages WHERE item = ?", (item,))
        self.db.executemany(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
            [
                (p, v["hash"], json.dumps(v["files"]), item, json.dumps(v["facets"]) if v.get("facets") else None)
                for p, v in pages.items()
            ],
        )

    def search_facets(self) -> dict[str, dict[str, list[list[str]]]]:
        """The pages in the site's search: path -> language -> ``[[facet, value], ...]``."""
        rows = self.db.execute("SELECT path, facets FROM pages WHERE facets IS NOT NULL")
        return {path: json.loads(facets) for path, facets in rows}

    def all_paths(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM pages ORDER BY path")]

    def page_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
