"""A small lexer for SPARQL text: enough to find keywords, IRIs and prefixed names outside strings and comments.

It does not parse SPARQL (pyoxigraph does that); it lets the safety checks and the search rewrite look at
the words of a query without being fooled by a keyword inside a string, an IRI or a comment.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urljoin

_LOCAL = r"(?:[\w.\-%:\u00b7\u00c0-\uffff]|\\.)*+"
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*+)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*+(?:(?P<c1>\"\"\")|\Z)|'''(?:[^'\\]|\\.|'(?!''))*+(?:(?P<c2>''')|\Z)
        |"(?:[^"\\\n]|\\.)*+(?:(?P<c3>")|(?=\n)|\Z)|'(?:[^'\\\n]|\\.)*+(?:(?P<c4>')|(?=\n)|\Z))
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*+>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]++)
    | (?P<name>[A-Za-z_\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*+(?::LOCAL)?|:LOCAL)
    | (?P<space>\s++)
    | (?P<other>.)
    """.replace("LOCAL", _LOCAL),
    re.VERBOSE | re.DOTALL,
)
"""Every alternative is possessive and none can fail after a long scan, so lexing is linear in the text's size:
an unterminated string runs to the end of its line (of the text, for a long string) and is marked as such,
and a run of name characters is one match, split into keywords afterwards when it is not a prefixed name."""
_KEYWORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|.", re.DOTALL)


class Token(NamedTuple):
    """One token (a named tuple: a query of a mebibyte has hundreds of thousands)."""

    kind: str
    """``string``, ``iri``, ``var``, ``word`` (keyword or prefixed name), ``other`` (punctuation) or
    ``unterminated`` (a string that does not end: the query cannot parse)."""
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokens(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text (comments and spaces dropped), in time linear in its size.

    A string that does not end (on its line, or in the text for a long string) is one ``unterminated`` token.
    """
    found: list[Token] = []
    append = found.append
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("comment", "space"):
            continue
        value = match.group()
        start = match.start()
        if kind == "name":
            if ":" not in value:
                # Not a prefixed name: keywords, and punctuation between them.
                for part in _KEYWORD.finditer(value):
                    word = part.group()
                    is_word = word[0].isascii() and (word[0].isalpha() or word[0] == "_")
                    append(Token("word" if is_word else "other", word, start + part.start(), start + part.end()))
                continue
            kind = "word"
            if value.endswith("."):
                # A prefixed name cannot end with '.': that dot ends the triple.
                value = value.rstrip(".")
                append(Token(kind, value, start, start + len(value)))
                append(Token("other", ".", start + len(value), start + len(value) + 1))
                continue
        elif kind == "string" and match.group("c1", "c2", "c3", "c4") == (None, None, None, None):
            kind = "unterminated"
        append(Token(kind, value, start, match.end()))
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


def base_of(toks: list[Token], base_iri: str | None = None) -> str | None:
    """What relative IRIs of the query resolve against: its last ``BASE`` (itself resolved), else ``base_iri``."""
    base = base_iri
    for i, tok in enumerate(toks[:-1]):
        if tok.kind == "word" and tok.upper == "BASE" and toks[i + 1].kind == "iri":
            iri = toks[i + 1].text[1:-1]
            base = urljoin(base, iri) if base else iri
    return base


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


MAX_NESTING = 128
"""Deepest nesting of brackets (``{``, ``(``, ``[``) a query may have: the engine parses and evaluates nested
groups recursively, and a few thousand levels would overflow its stack."""


def deepest_nesting(toks: list[Token]) -> tuple[int, Token | None]:
    """The deepest bracket nesting of the tokens, and the first token that reaches it."""
    depth = deepest = 0
    where: Token | None = None
    for tok in toks:
        if tok.kind != "other":
            continue
        if tok.text in "{([":
            depth += 1
            if depth > deepest:
                deepest, where = depth, tok
        elif tok.text in "})]" and depth > 0:
            depth -= 1
    return deepest, where


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
