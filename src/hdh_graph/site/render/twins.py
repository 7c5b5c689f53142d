"""Machine-readable twins of every page: the resource's own triples in Turtle, JSON-LD and RDF/XML.

A page's twin holds the triples of its resource, of the resources named with its IRI plus ``#…`` or a
deeper path that have no page of their own (a dataset's distribution and variable group, a code list's
codes), and of the blank nodes they lead to. Blank nodes are renamed from their content, so that the
same graph gives the same bytes whatever labels the store gave them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from hdh_graph.site.read.facts import CodeRow, Facts, Node
from hdh_graph.site.urls import resource_path
from hdh_graph.vocab import PREFIXES, RDF, SKOS

FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}


def owners(facts: Facts, page_paths: set[str]) -> dict[str, list[Node]]:
    """Which nodes each page's twin holds: a node goes to the page with the longest path above it."""
    out: dict[str, list[Node]] = defaultdict(list)
    for node in facts.nodes.values():
        if node.key.startswith("_:"):
            continue
        path = resource_path(node.key, facts.base_iri)
        while path:
            if path in page_paths:
                out[path].append(node)
                break
            path = path.rsplit("/", 1)[0] if "/" in path else ""
    return out


class TwinWriter:
    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self._preds: dict[str, ox.NamedNode] = {}
        self._labels: dict[str, str] = {}

    def _pred(self, iri: str) -> ox.NamedNode:
        found = self._preds.get(iri)
        if found is None:
            found = self._preds[iri] = ox.NamedNode(iri)
        return found

    def _blank_label(self, key: str, depth: int = 0) -> str:
        found = self._labels.get(key)
        if found is not None:
            return found
        node = self.facts.get(key)
        parts = []
        for pred, objs in sorted(node.props.items()) if node else []:
            for o in objs:
                text = (
                    self._blank_label("_:" + o.value, depth + 1)
                    if isinstance(o, ox.BlankNode) and depth < 4
                    else str(o)
                )
                parts.append(f"{pred} {text}")
        digest = "b" + hashlib.sha1("\n".join(sorted(parts)).encode()).hexdigest()[:16]
        self._labels[key] = digest
        return digest

    def _term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, ox.BlankNode):
            return ox.BlankNode(self._blank_label("_:" + term.value))
        return term

    def triples(self, nodes: Iterable[Node], scheme: str | None = None) -> list[ox.Triple]:
        """The twin's triples, sorted (by subject, predicate, object as N-Triples terms); ``scheme`` adds the codes
        of that code list."""
        out: set[ox.Triple] = set()
        pending = list(nodes)
        seen: set[str] = set()
        while pending:
            node = pending.pop()
            if node.key in seen:
                continue
            seen.add(node.key)
            subject: ox.NamedNode | ox.BlankNode = (
                ox.BlankNode(self._blank_label(node.key)) if node.key.startswith("_:") else ox.NamedNode(node.key)
            )
            for pred, objs in node.props.items():
                p = self._pred(pred)
                for o in objs:
                    out.add(ox.Triple(subject, p, self._term(o)))
                    if isinstance(o, ox.BlankNode):
                        child = self.facts.get("_:" + o.value)
                        if child is not None:
                            pending.append(child)
        codes = self.facts.codes_of(scheme) if scheme else []
        if any(code.iri in seen for code in codes):  # a code also read as a resource: one set, sorted once
            out.update(t for group in self._code_triples(codes, scheme) for t in group[1])
            codes = []
        ordered = sorted(out, key=lambda t: (str(t.subject), t.predicate.value, str(t.object)))
        if not codes:
            return ordered
        # Hundreds of thousands of codes: their triples come grouped by code, each group already in order, and
        # are merged with the others by subject instead of sorting them all.
        groups = sorted(self._code_triples(codes, scheme), key=lambda g: g[0])
        merged: list[ox.Triple] = []
        i = 0
        for key, group in groups:
            while i < len(ordered) and str(ordered[i].subject) < key:
                merged.append(ordered[i])
                i += 1
            merged.extend(group)
        merged.extend(ordered[i:])
        return merged

    def _code_triples(self, codes: Iterable[CodeRow], scheme: str | None) -> Iterator[tuple[str, list[ox.Triple]]]:
        """Each code's subject (as an N-Triples term) and its triples, in predicate then object order."""
        in_scheme = ox.NamedNode(scheme) if scheme else None
        typ, concept = self._pred(RDF.type), self._pred(SKOS.Concept)
        in_p, notation, pref = self._pred(SKOS.inScheme), self._pred(SKOS.notation), self._pred(SKOS.prefLabel)
        for code in codes:
            c = ox.NamedNode(code.iri)
            group = [ox.Triple(c, typ, concept), ox.Triple(c, in_p, in_scheme)]  # type: ignore[arg-type]
            group.append(ox.Triple(c, notation, ox.Literal(code.notation)))
            labels = sorted(set(code.labels), key=str)
            group += [ox.Triple(c, pref, label) for label in labels]
            yield f"<{code.iri}>", group

    def fingerprint(self, nodes: Iterable[Node], scheme: str | None = None) -> str:
        """A hash of what :meth:`triples` would give, much cheaper to compute (no sorting of triples)."""
        h = hashlib.sha256()
        for node in sorted(nodes, key=lambda n: n.key):
            lines = []
            for pred, objs in node.props.items():
                for o in objs:
                    text = self._blank_label("_:" + o.value) if isinstance(o, ox.BlankNode) else str(o)
                    lines.append(f"{pred} {text}")
            h.update(f"{node.key}\n".encode() + "\n".join(sorted(lines)).encode())
        for code in self.facts.codes_of(scheme) if scheme else []:
            h.update(f"{code.iri}\t{code.notation}\t{[str(x) for x in code.labels]}\n".encode())
        return h.hexdigest()

    def serialize(self, triples: list[ox.Triple]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for ext, fmt in FORMATS.items():
            data = ox.serialize(triples, format=fmt, prefixes=PREFIXES)
            if data is None:  # only when given an output file
                raise TypeError("ox.serialize wrote to a file where bytes were expected")
            out[ext] = data
        return out
