"""Answers kept in memory, to answer an identical request on an unchanged store without running it again.

Keys name everything the answer depends on (query text, dataset, the requested formats, base IRI) and the
store version; a new build is a new version, so nothing stale is ever served. The cache holds at most
``max_bytes`` of bodies, least recently used first out, and no single answer larger than an eighth of it.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

V = TypeVar("V")


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    stored: int = 0


class ResultCache(Generic[V]):
    """A least-recently-used map from keys to values of known size, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.stats = CacheStats()
        self._entries: OrderedDict[str, tuple[V, int]] = OrderedDict()

    def get(self, key: str) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            self.stats.misses += 1
            return None
        self._entries.move_to_end(key)
        self.stats.hits += 1
        return entry[0]

    def put(self, key: str, value: V, size: int) -> None:
        if size > self.max_bytes // 8:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= old[1]
        self._entries[key] = (value, size)
        self.size += size
        self.stats.stored += 1
        while self.size > self.max_bytes and self._entries:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.size -= dropped

    def __len__(self) -> int:
        return len(self._entries)
