"""What changed between two stores, resource by resource, within the named graphs that changed.

Each named resource of a changed graph is compared with its previous version in the same graph (blank
nodes compared by content, whatever labels the stores gave them). The result is the set of dependency keys
(see :mod:`facts`) that the change touches: the changed resources (``n:``), their labels (``l:``), their links
and names that structure the catalogue (``s:``), each changed property (``p:resource|property``), the
resources they link to (``r:``), the column names (``name:``) and classes (``t:``) that gained or lost a member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from hdh_graph.graph_store import AnyTerm, GraphStore
from hdh_graph.site.pages.resolve import LABEL_PROPERTIES
from hdh_graph.site.pages.structure import STRUCTURE_PREDICATES
from hdh_graph.vocab import CSVW, DCT, RDF

LABEL_PREDICATES = frozenset({*LABEL_PROPERTIES, CSVW.name, DCT.identifier, RDF.type})
"""What a link to a resource shows (its label, and its class for the kind of page): its ``l:`` key."""

Line = tuple[str, str, str]  # predicate, object as text, literal value ("" for others)
Lines = frozenset[Line]


@dataclass
class Change:
    graphs: set[str] = field(default_factory=set)
    resources: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)


def _graph_content(store: GraphStore, graph: str) -> dict[str, Lines]:
    """Each named subject of the graph and its triples as text, blank objects expanded (depth-limited)."""
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[tuple[str, AnyTerm]]] = defaultdict(list)
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        by_subject[q.subject].append((q.predicate.value, q.object))  # type: ignore[index]

    def text(term: AnyTerm, depth: int) -> str:
        if isinstance(term, ox.BlankNode):
            if depth > 4:
                return "[]"
            inner = sorted(f"{p} {text(o, depth + 1)}" for p, o in by_subject.get(term, []))
            return "[" + " ; ".join(inner) + "]"
        return str(term)

    return {
        s.value: frozenset((p, text(o, 0), o.value if isinstance(o, ox.Literal) else "") for p, o in props)
        for s, props in by_subject.items()
        if isinstance(s, ox.NamedNode)
    }


def _keys(subject: str, changed: Iterable[Line]) -> set[str]:
    """``n:`` the resource; ``r:`` the resources a link to was added or removed (a page that shows what
    the linking resources say records their own keys); ``l:``, ``s:``, ``p:``, ``name:`` and ``t:`` from the
    properties that changed."""
    out = {"n:" + subject}
    for pred, obj, value in changed:
        if obj.startswith("<") and obj.endswith(">"):
            out.add("r:" + obj[1:-1])
        out.add(f"p:{subject}|{pred}")
        if pred in LABEL_PREDICATES:
            out.add("l:" + subject)
        if pred in STRUCTURE_PREDICATES:
            out.add("s:" + subject)
        if pred == RDF.type and obj.startswith("<"):
            out.add("t:" + obj[1:-1])
        elif pred == CSVW.name:
            out.add("name:" + value)
    return out


def diff_graphs(old: GraphStore, new: GraphStore, graphs: Iterable[str]) -> Change:
    """The dependency keys touched by the differences of ``graphs`` between the two stores."""
    change = Change()
    for graph in sorted(set(graphs)):
        before, after = _graph_content(old, graph), _graph_content(new, graph)
        if before == after:
            continue
        change.graphs.add(graph)
        change.keys.add("g:" + graph)
        for subject in before.keys() | after.keys():
            a, b = before.get(subject, frozenset()), after.get(subject, frozenset())
            if a != b:
                change.resources.add(subject)
                change.keys |= _keys(subject, a ^ b)
                change.keys |= _names_of_moved_columns(old, new, a ^ b)
    return change


def _names_of_moved_columns(old: GraphStore, new: GraphStore, changed: Iterable[Line]) -> set[str]:
    """A column added to or removed from a table changes the tables listed for its name."""
    out: set[str] = set()
    name = ox.NamedNode(CSVW.name)
    for pred, obj, _value in changed:
        if pred == CSVW.column and obj.startswith("<"):
            column = ox.NamedNode(obj[1:-1])
            for store in (old, new):
                found = store.quads_for_pattern(column, name, None, None)
                out |= {"name:" + q.object.value for q in found if not isinstance(q.object, ox.Triple)}
    return out


def graph_names(store: GraphStore) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
