"""A small lexer for SPARQL text: enough to find keywords, IRIs and prefixed names outside strings and comments.

It does not parse SPARQL (pyoxigraph does that); it lets the safety checks and the search rewrite look at
the words of a query without being fooled by a keyword inside a string, an IRI or a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<word>(?:[A-Za-z_\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:(?:[\w.\-%:\u00b7\u00c0-\uffff]|\\.)*
        |[A-Za-z_][A-Za-z0-9_]*)
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    """``string``, ``iri``, ``var``, ``word`` (keyword or prefixed name) or ``other`` (punctuation)."""
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokens(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text (comments and spaces dropped)."""
    found: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("comment", "space"):
            continue
        value = match.group()
        if kind == "word" and value.endswith(".") and ":" in value:
            # A prefixed name cannot end with '.': that dot ends the triple.
            value = value.rstrip(".")
            found.append(Token(kind, value, match.start(), match.start() + len(value)))
            found.append(Token("other", ".", match.start() + len(value), match.start() + len(value) + 1))
            continue
        found.append(Token(kind, value, match.start(), match.end()))
    return found


def prefixes(toks: list[Token]) -> dict[str, str]:
    """The ``PREFIX p: <iri>`` declarations of a query."""
    declared: dict[str, str] = {}
    for i, tok in enumerate(toks[:-2]):
        if tok.kind == "word" and tok.upper == "PREFIX" and toks[i + 2].kind == "iri":
            declared[toks[i + 1].text.rstrip(":")] = toks[i + 2].text[1:-1]
    return declared


def expand(tok: Token, declared: dict[str, str]) -> str | None:
    """The full IRI an IRI token or prefixed name stands for, when known."""
    if tok.kind == "iri":
        return tok.text[1:-1]
    if tok.kind == "word" and ":" in tok.text:
        prefix, _, local = tok.text.partition(":")
        if prefix in declared:
            return declared[prefix] + local
    return None


def unquote(tok: Token) -> str:
    """The value of a string token (escapes resolved for the common cases)."""
    text = tok.text
    body = text[3:-3] if text[:3] in ('"""', "'''") else text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body)


def first_keyword(toks: list[Token]) -> str | None:
    """The first keyword after the prologue (BASE and PREFIX declarations): the operation's form."""
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "word" and tok.upper == "BASE":
            i += 2
        elif tok.kind == "word" and tok.upper == "PREFIX":
            i += 3
        elif tok.kind == "word":
            return tok.upper
        else:
            return None
    return None


def dataset_clauses(toks: list[Token], base_iri: str | None = None) -> tuple[list[str], list[str]]:
    """The graphs named by FROM and FROM NAMED, relative IRIs resolved against ``base_iri``."""
    declared = prefixes(toks)
    defaults: list[str] = []
    named: list[str] = []
    for i, tok in enumerate(toks):
        if tok.kind != "word" or tok.upper != "FROM":
            continue
        j = i + 1
        target = defaults
        if j < len(toks) and toks[j].kind == "word" and toks[j].upper == "NAMED":
            j += 1
            target = named
        iri = expand(toks[j], declared) if j < len(toks) else None
        if iri is not None:
            target.append(urljoin(base_iri, iri) if base_iri else iri)
    return defaults, named
