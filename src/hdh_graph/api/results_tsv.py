"""SPARQL 1.1 TSV results, written so that every term keeps its datatype.

pyoxigraph writes some typed literals as bare numbers (``"-3"^^xsd:negativeInteger`` becomes ``-3``, which
reads back as an ``xsd:integer``); here a literal is bare only when its bare form means exactly the same term.
"""

from __future__ import annotations

import re
from typing import Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple

XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


class Sink(Protocol):
    def write(self, data: bytes) -> int: ...


def term(value: object) -> str:
    if isinstance(value, NamedNode):
        return f"<{value.value}>"
    if isinstance(value, BlankNode):
        return f"_:{value.value}"
    if isinstance(value, Triple):
        return f"<< {term(value.subject)} {term(value.predicate)} {term(value.object)} >>"
    if isinstance(value, Literal):
        text = value.value
        if value.language:
            return f'"{text.translate(_ESCAPES)}"@{value.language}'
        datatype = value.datatype.value
        pattern = _BARE.get(datatype)
        if pattern is not None and pattern.fullmatch(text):
            return text
        if datatype == XSD + "string":
            return f'"{text.translate(_ESCAPES)}"'
        return f'"{text.translate(_ESCAPES)}"^^<{datatype}>'
    return ""


def write_tsv(solutions: QuerySolutions, sink: Sink) -> None:
    variables = solutions.variables
    sink.write(("\t".join(f"?{v.value}" for v in variables) + "\n").encode("utf-8"))
    for solution in solutions:
        line = "\t".join(term(solution[v]) if solution[v] is not None else "" for v in variables)
        sink.write((line + "\n").encode("utf-8"))
