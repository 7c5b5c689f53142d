"""Write feed triples as Turtle, JSON-LD, RDF/XML or N-Triples, with the project's prefixes.

Turtle and RDF/XML come from pyoxigraph. JSON-LD is written here as a flat ``@graph`` with a ``@context``
of prefixes and ``@type`` for classes (pyoxigraph's own writer gives expanded JSON-LD without a context).
Subjects and their properties come out sorted, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
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


def _sorted(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    return sorted(set(relabel(triples)), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


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


def serialize(triples: Iterable[ox.Triple], fmt: str = "turtle", prefixes: dict[str, str] | None = None) -> bytes:
    """The triples in ``fmt`` (``turtle``, ``jsonld``, ``rdfxml`` or ``ntriples``)."""
    ordered = _sorted(triples)
    prefixes = {k: str(v) for k, v in (prefixes or FEED_PREFIXES).items()}
    if fmt == "turtle":
        return _sort_header(ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=prefixes), fmt)
    if fmt == "rdfxml":
        return _sort_header(ox.serialize(ordered, format=ox.RdfFormat.RDF_XML, prefixes=prefixes), fmt)
    if fmt == "ntriples":
        return ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "jsonld":
        return json.dumps(to_jsonld(ordered, prefixes), ensure_ascii=False, indent=1).encode("utf-8")
    raise FormatError(f"unknown feed format {fmt!r}", hint="use one of: " + ", ".join(sorted(MEDIA_TYPES)))


def _compact(iri: str, prefixes: dict[str, str] = FEED_PREFIXES) -> str:
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            local = iri[len(ns) :]
            if local and all(c.isalnum() or c in "_-." for c in local) and not local[0].isdigit():
                best = prefix
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else iri


def _node_id(term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else _compact(term.value)


def _object(term: Any) -> dict[str, str]:
    if isinstance(term, ox.Literal):
        value: dict[str, str] = {"@value": term.value}
        if term.language:
            value["@language"] = term.language
        elif term.datatype.value != XSD.string:
            value["@type"] = _compact(term.datatype.value)
        return value
    return {"@id": _node_id(term)}


def to_jsonld(triples: Iterable[ox.Triple], prefixes: dict[str, str] = FEED_PREFIXES) -> dict[str, Any]:
    """A JSON-LD document (flat ``@graph``) for the triples."""
    nodes: dict[str, dict[str, Any]] = {}
    for t in triples:
        node = nodes.setdefault(_node_id(t.subject), {"@id": _node_id(t.subject)})
        if t.predicate.value == RDF.type and not isinstance(t.object, ox.Literal):
            node.setdefault("@type", []).append(_node_id(t.object))
        else:
            node.setdefault(_compact(t.predicate.value), []).append(_object(t.object))
    return {"@context": dict(sorted(prefixes.items())), "@graph": [nodes[k] for k in sorted(nodes)]}
