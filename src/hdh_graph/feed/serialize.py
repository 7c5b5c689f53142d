"""Write feed triples as Turtle, JSON-LD, RDF/XML or N-Triples, with the project's prefixes.

Turtle and RDF/XML come from pyoxigraph. JSON-LD is written here as a flat ``@graph`` with a ``@context``
of prefixes and ``@type`` for classes (pyoxigraph's own writer gives expanded JSON-LD without a context).
Subjects and their properties come out sorted, so the same graph always gives the same bytes.

``serialize`` does both steps; a document written in several formats puts its triples in order once
(``canonical``) and writes that order in each format (``write``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from json.encoder import encode_basestring
from typing import Any

import pyoxigraph as ox

from hdh_graph.errors import HdhError
from hdh_graph.feed.canon import relabel
from hdh_graph.vocab import HYDRA, PREFIXES, RDF, SCHEMA, XSD

FEED_PREFIXES: dict[str, str] = {k: str(v) for k, v in {**PREFIXES, "hydra": HYDRA, "schema": SCHEMA}.items()}

MEDIA_TYPES = {
    "turtle": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "ntriples": "application/n-triples",
}
EXTENSIONS = {"ttl": "turtle", "jsonld": "jsonld", "rdf": "rdfxml", "nt": "ntriples"}


class FormatError(HdhError):
    """An unknown serialisation format was asked for."""


def canonical(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples without duplicates, blank nodes relabelled from their content, in the order they are written.

    The order is by subject, then predicate, then object, each compared as N-Triples text: ``str`` of a triple
    joins those three with spaces, and a space sorts before any character that can follow a term's text.
    """
    return sorted(set(relabel(triples)), key=str)


def with_triples(ordered: list[ox.Triple], extra: Iterable[ox.Triple]) -> list[ox.Triple]:
    """``ordered`` (from :func:`canonical`) with ``extra`` triples added in their place.

    ``extra`` must hold no blank node (they would change the labels of the others); triples already
    there are not repeated.
    """
    out = list(ordered)
    for triple in sorted(set(extra), key=str):
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            raise ValueError(f"cannot add a triple with a blank node to a written order: {triple}")
        key = str(triple)
        at = bisect.bisect_left(out, key, key=str)
        if at == len(out) or str(out[at]) != key:
            out.insert(at, triple)
    return out


def _sort_header(text: bytes, fmt: str) -> bytes:
    """pyoxigraph writes prefixes in no fixed order: sort them."""
    if fmt == "turtle":
        lines = text.split(b"\n")
        head = [line for line in lines if line.startswith(b"@prefix ")]
        return b"\n".join(sorted(head) + lines[len(head) :])
    start = text.find(b"<rdf:RDF")
    end = text.find(b">", start)
    if start < 0 or end < 0:
        return text
    parts = text[start + len(b"<rdf:RDF") : end].split()
    return text[:start] + b"<rdf:RDF " + b" ".join(sorted(parts)) + text[end:]


def _bytes(data: bytes | None) -> bytes:
    # ox.serialize returns the bytes when it is given no output file, None only when it writes to one
    if data is None:
        raise TypeError("ox.serialize wrote to a file where bytes were expected")
    return data


def write(ordered: list[ox.Triple], fmt: str = "turtle", prefixes: dict[str, str] | None = None) -> bytes:
    """Triples already in order (:func:`canonical`) in ``fmt`` (``turtle``, ``jsonld``, ``rdfxml``, ``ntriples``)."""
    prefixes = {k: str(v) for k, v in (prefixes or FEED_PREFIXES).items()}
    if fmt == "turtle":
        return _sort_header(_bytes(ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=prefixes)), fmt)
    if fmt == "rdfxml":
        return _sort_header(_bytes(ox.serialize(ordered, format=ox.RdfFormat.RDF_XML, prefixes=prefixes)), fmt)
    if fmt == "ntriples":
        return _bytes(ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES))
    if fmt == "jsonld":
        return dump_json(to_jsonld(ordered, prefixes)).encode("utf-8")
    raise FormatError(f"unknown feed format {fmt!r}", hint="use one of: " + ", ".join(sorted(MEDIA_TYPES)))


def serialize(triples: Iterable[ox.Triple], fmt: str = "turtle", prefixes: dict[str, str] | None = None) -> bytes:
    """The triples in ``fmt`` (``turtle``, ``jsonld``, ``rdfxml`` or ``ntriples``)."""
    if fmt not in MEDIA_TYPES:
        raise FormatError(f"unknown feed format {fmt!r}", hint="use one of: " + ", ".join(sorted(MEDIA_TYPES)))
    return write(canonical(triples), fmt, prefixes)


class _Compactor:
    """Prefixed names for IRIs (``dcat:Dataset``), each IRI worked out once."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first: the first that fits is the one the longest match rule picks.
        self._namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self._done: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self._done.get(iri)
        if found is None:
            found = self._done[iri] = self._compact(iri)
        return found

    def _compact(self, iri: str) -> str:
        for prefix, ns in self._namespaces:
            if iri.startswith(ns):
                local = iri[len(ns) :]
                if local and all(c.isalnum() or c in "_-." for c in local) and not local[0].isdigit():
                    return f"{prefix}:{local}"
        return iri


def to_jsonld(triples: Iterable[ox.Triple], prefixes: dict[str, str] = FEED_PREFIXES) -> dict[str, Any]:
    """A JSON-LD document (flat ``@graph``) for the triples."""
    compact = _Compactor(prefixes)

    def node_id(term: Any) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value)

    def value(term: Any) -> dict[str, str]:
        if isinstance(term, ox.Literal):
            found: dict[str, str] = {"@value": term.value}
            if term.language:
                found["@language"] = term.language
            elif term.datatype != xsd_string:
                found["@type"] = compact(term.datatype.value)
            return found
        return {"@id": node_id(term)}

    xsd_string = ox.NamedNode(XSD.string)

    rdf_type = ox.NamedNode(RDF.type)
    nodes: dict[str, dict[str, Any]] = {}
    subject: Any = None
    node: dict[str, Any] = {}
    for t in triples:
        if t.subject != subject:  # written triples come grouped by subject
            subject = t.subject
            key = node_id(subject)
            node = nodes.setdefault(key, {"@id": key})
        if t.predicate == rdf_type and not isinstance(t.object, ox.Literal):
            node.setdefault("@type", []).append(node_id(t.object))
        else:
            node.setdefault(compact(t.predicate.value), []).append(value(t.object))
    return {"@context": dict(sorted(prefixes.items())), "@graph": [nodes[k] for k in sorted(nodes)]}


def dump_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)`` for strings, lists and dicts, in a third of the time
    (the standard library's C encoder is not used when indenting)."""
    out: list[str] = []

    def emit(item: Any, depth: int) -> None:
        if isinstance(item, str):
            out.append(encode_basestring(item))
            return
        if not item:
            out.append("{}" if isinstance(item, dict) else "[]")
            return
        inner = "\n" + " " * (depth + 1)
        if isinstance(item, dict):
            sep = "{"
            for key, sub in item.items():
                out.append(f"{sep}{inner}{encode_basestring(key)}: ")
                sep = ","
                emit(sub, depth + 1)
            out.append("\n" + " " * depth + "}")
        else:
            sep = "["
            for sub in item:
                out.append(sep + inner)
                sep = ","
                emit(sub, depth + 1)
            out.append("\n" + " " * depth + "]")

    emit(value, 0)
    return "".join(out)
