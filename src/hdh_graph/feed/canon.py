"""Stable blank-node labels, so that the same graph is always written as the same bytes.

Each blank node is labelled from a hash of what it says (its outgoing triples, nested blank nodes hashed in
turn) and of the named resource that points at it. Nodes that say exactly the same thing from the same place
get a counter; swapping them changes no byte of the output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox


def _term_key(term: object) -> str:
    return str(term)


def relabel(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The same triples with blank nodes renamed ``b`` + a content hash."""
    triples = list(triples)
    out_edges: dict[ox.BlankNode, list[ox.Triple]] = {}
    parents: dict[ox.BlankNode, list[tuple[object, str]]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            out_edges.setdefault(t.subject, []).append(t)
        if isinstance(t.object, ox.BlankNode):
            out_edges.setdefault(t.object, [])
            parents.setdefault(t.object, []).append((t.subject, str(t.predicate)))
    if not out_edges:
        return triples
    cache: dict[ox.BlankNode, str] = {}

    def digest(node: ox.BlankNode, path: frozenset[ox.BlankNode]) -> str:
        if node in cache:
            return cache[node]
        parts = []
        for t in out_edges.get(node, []):
            obj = t.object
            if isinstance(obj, ox.BlankNode):
                value = "cycle" if obj in path else digest(obj, path | {node})
            else:
                value = _term_key(obj)
            parts.append(f"{t.predicate} {value}")
        parts.sort()
        result = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:20]
        if not path:
            cache[node] = result
        return result

    def where(node: ox.BlankNode) -> str:
        keys = sorted(
            f"{digest(s, frozenset()) if isinstance(s, ox.BlankNode) else s} {p}" for s, p in parents.get(node, [])
        )
        text = digest(node, frozenset()) + "\n" + "\n".join(keys)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]

    labels = {node: where(node) for node in out_edges}
    names: dict[ox.BlankNode, ox.BlankNode] = {}
    used: dict[str, int] = {}
    for node in sorted(out_edges, key=lambda n: labels[n]):
        base = labels[node]
        count = used.get(base, 0)
        used[base] = count + 1
        names[node] = ox.BlankNode(f"b{base}" + (f"x{count}" if count else ""))

    def swap(term: object) -> object:
        return names.get(term, term) if isinstance(term, ox.BlankNode) else term

    return [
        ox.Triple(swap(t.subject), t.predicate, swap(t.object))  # type: ignore[arg-type]
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
        else t
        for t in triples
    ]
