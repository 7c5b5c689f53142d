"""Where each subject is first described in a Turtle file.

The store's parser gives no positions for triples, so this module scans the Turtle text itself: it skips
comments, strings (short and long), IRIs and nested ``[ ]`` / ``( )``, tracks ``@prefix`` / ``@base``, and
records the line and column of the subject that opens each top-level statement. Prefixed names and relative
IRIs are expanded the way the parser expands them, so the keys are the same absolute IRIs the graph holds.
It never fails: text it cannot follow is skipped (the parser reports real syntax errors).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin

_NAME_END = re.compile(r"[\s;,\[\]()<\"'#]")
_LOCAL_ESCAPE = re.compile(r"\\(.)")


def subject_positions(text: str, base_iri: str) -> dict[str, tuple[int, int]]:
    """Map each IRI subject of a top-level statement to the (line, column) of its first description."""
    scanner = _Scanner(text, base_iri)
    return scanner.run()


class _Scanner:
    def __init__(self, text: str, base_iri: str) -> None:
        self.text = text
        self.base = base_iri
        self.prefixes: dict[str, str] = {}
        self.pos = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def location(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self.line_starts[lo] + 1

    def tokens(self) -> Iterator[tuple[str, str, int]]:
        """Yield (kind, value, offset); kinds: iri, str, punct, name."""
        text, n = self.text, len(self.text)
        while self.pos < n:
            c = text[self.pos]
            start = self.pos
            if c.isspace():
                self.pos += 1
            elif c == "#":
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end
            elif c == "<":
                end = text.find(">", self.pos + 1)
                if end < 0:
                    self.pos = n
                    return
                self.pos = end + 1
                yield "iri", text[start + 1 : end], start
            elif c in "\"'":
                self.pos = _skip_string(text, self.pos)
                yield "str", "", start
            elif c in "[]();,":
                self.pos += 1
                yield "punct", c, start
            elif c == "." and (self.pos + 1 >= n or text[self.pos + 1].isspace() or text[self.pos + 1] == "#"):
                self.pos += 1
                yield "punct", ".", start
            else:
                m = _NAME_END.search(text, self.pos + 1)
                end = n if m is None else m.start()
                word = text[start:end]
                # a statement-ending dot glued to a name: "ex:a ex:b ex:c."
                if word.endswith(".") and len(word) > 1:
                    end -= 1
                    word = word[:-1]
                self.pos = end
                yield "name", word, start

    def expand(self, kind: str, value: str) -> str | None:
        if kind == "iri":
            return urljoin(self.base, value) if value else self.base
        if kind == "name" and ":" in value and not value.startswith("_:"):
            prefix, local = value.split(":", 1)
            ns = self.prefixes.get(prefix)
            if ns is None:
                return None
            return ns + _LOCAL_ESCAPE.sub(r"\1", local)
        return None

    def run(self) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        depth = 0
        at_statement_start = True
        directive: list[tuple[str, str]] | None = None
        for kind, value, offset in self.tokens():
            if directive is not None:
                if kind == "punct" and value == ".":
                    self._directive(directive)
                    directive = None
                    at_statement_start = True
                    continue
                directive.append((kind, value))
                if _directive_complete(directive):
                    self._directive(directive)
                    directive = None
                    at_statement_start = True
                continue
            if kind == "punct" and value in "[(":
                depth += 1
                at_statement_start = False
                continue
            if kind == "punct" and value in "])":
                depth = max(0, depth - 1)
                continue
            if kind == "punct" and value == "." and depth == 0:
                at_statement_start = True
                continue
            if at_statement_start and depth == 0:
                at_statement_start = False
                if kind == "name" and value.lower() in ("@prefix", "@base", "prefix", "base"):
                    directive = [(kind, value)]
                    continue
                iri = self.expand(kind, value)
                if iri is not None and iri not in found:
                    found[iri] = self.location(offset)
        return found

    def _directive(self, parts: list[tuple[str, str]]) -> None:
        keyword = parts[0][1].lower().lstrip("@")
        if keyword == "prefix" and len(parts) >= 3 and parts[2][0] == "iri":
            self.prefixes[parts[1][1].rstrip(":")] = urljoin(self.base, parts[2][1])
        elif keyword == "base" and len(parts) >= 2 and parts[1][0] == "iri":
            self.base = urljoin(self.base, parts[1][1])


def _directive_complete(parts: list[tuple[str, str]]) -> bool:
    """SPARQL-style PREFIX / BASE have no final dot: they end with their IRI."""
    keyword = parts[0][1]
    if keyword.startswith("@"):
        return False
    return parts[-1][0] == "iri"


def _skip_string(text: str, pos: int) -> int:
    quote = text[pos]
    long = text.startswith(quote * 3, pos)
    delim = quote * 3 if long else quote
    i = pos + len(delim)
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if text.startswith(delim, i):
            return i + len(delim)
        if not long and c == "\n":
            return i
        i += 1
    return n
