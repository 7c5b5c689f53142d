"""How costly a query is likely to be: cheap (a bounded look-up) or heavy (a scan), before it runs.

The estimate decides which workers a query may use (:mod:`hdh_graph.api.dispatch`). It is made in the server's
event loop, so it reads the text with a few regular expressions (linear, and run by the ``re`` engine, not by
Python code per token), and it errs on the side of heavy: a cheap query taken for heavy only waits with the
heavy ones, and the time it really took is remembered for the next time (:class:`CostHistory`). A heavy query
taken for cheap is moved to the heavy workers once it runs past ``cheap_timeout``.

A query is **cheap** when it is short, calls no string-scanning function (``REGEX``, ``CONTAINS``, ``LCASE``…),
has no property-path closure (``*``, ``+``) and either names a resource (an IRI or a literal object in its
pattern), is an ``ASK``, or has ``LIMIT`` of at most :data:`CHEAP_LIMIT` without sorting or grouping.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from enum import Enum


class Lane(Enum):
    """Which workers a query may use."""

    CHEAP = "cheap"
    HEAVY = "heavy"


CHEAP_LIMIT = 1000
"""The largest ``LIMIT`` that makes an unbound pattern cheap."""
CHEAP_SIZE = 8 * 1024
"""Longer query texts are heavy (big VALUES blocks, generated queries)."""
CHEAP_MEASURED = 0.25
"""Seconds under which a query that ran is cheap the next time, whatever its text looks like."""

_SCAN = re.compile(
    r"(?i)\b(?:REGEX|CONTAINS|STRSTARTS|STRENDS|STRBEFORE|STRAFTER|REPLACE|LCASE|UCASE|ENCODE_FOR_URI|SUBSTR"
    r"|STRLEN|matches)\s*\("
)
_SORT_OR_GROUP = re.compile(
    r"(?i)\b(?:ORDER\s+BY|GROUP\s+BY|DISTINCT|REDUCED|COUNT|SUM|AVG|MIN|MAX|SAMPLE|GROUP_CONCAT)\b"
)
_SELECT_STAR = re.compile(r"(?i)\b(?:SELECT|DESCRIBE)\s+(?:(?:DISTINCT|REDUCED)\s+)?\*")
_CLOSURE = re.compile(r"(?:[>\w)])\s*[*+](?=\s*[?$<\w(\[.;])|\{\s*\d*\s*,")
_DECLARATION = re.compile(r"(?i)\b(?:PREFIX\s+[^\s:]*:\s*|BASE\s*|FROM\s+(?:NAMED\s+)?)<[^<>\s]*>")
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_LITERAL_OBJECT = re.compile(r"[\w>]\s+(?:\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')(?:@[\w-]+|\^\^\S+)?\s*[.;,}\]]")
_LIMIT = re.compile(r"(?i)\bLIMIT\s+(\d{1,9})\b")
_ASK = re.compile(r"(?i)^\s*(?:(?:#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*ASK\b")
_SEARCH = re.compile(r"(?i)\bhdh:search\b|<https://w3id\.org/hdh-graph/ns#search>")
_NONDETERMINISTIC = re.compile(r"(?i)\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(")


def static_lane(query: str) -> Lane:
    """The lane the text of a query suggests (see the module's docstring)."""
    if len(query) > CHEAP_SIZE:
        return Lane.HEAVY
    body = _SELECT_STAR.sub("SELECT", query)
    if _SCAN.search(body) or _CLOSURE.search(body):
        return Lane.HEAVY
    if _ASK.match(query):
        return Lane.CHEAP
    pattern = _DECLARATION.sub(" ", query)
    if _IRI.search(pattern) or _LITERAL_OBJECT.search(pattern) or _SEARCH.search(pattern):
        return Lane.CHEAP
    limit = _LIMIT.search(query)
    if limit and int(limit[1]) <= CHEAP_LIMIT and not _SORT_OR_GROUP.search(query):
        return Lane.CHEAP
    return Lane.HEAVY


def deterministic(query: str) -> bool:
    """Whether the same query on the same store always gives the same answer (no ``NOW()``, ``RAND()``…)."""
    return _NONDETERMINISTIC.search(query) is None


def fingerprint(*parts: object) -> str:
    """A short stable digest of the parts (a query text and what else identifies its answer)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


class CostHistory:
    """The measured time of recent query texts (an exponential moving average), bounded in size."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._seconds: OrderedDict[str, float] = OrderedDict()

    def record(self, query: str, seconds: float) -> None:
        key = fingerprint(query)
        previous = self._seconds.pop(key, None)
        self._seconds[key] = seconds if previous is None else 0.5 * previous + 0.5 * seconds
        while len(self._seconds) > self.size:
            self._seconds.popitem(last=False)

    def measured(self, query: str) -> float | None:
        return self._seconds.get(fingerprint(query))

    def lane(self, query: str) -> Lane:
        """Measured time when there is one, else the static estimate."""
        seconds = self.measured(query)
        if seconds is None:
            return static_lane(query)
        return Lane.CHEAP if seconds < CHEAP_MEASURED else Lane.HEAVY
