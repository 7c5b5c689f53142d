"""How far from the node it is about each rule looks: what an edit can change besides the resource it edits.

For every predicate the shapes read, :func:`predicate_reach` gives the largest number of links between a focus
node and the subject of a triple with that predicate that some check reads: ``0`` for a property of the focus
node itself (``dct:title`` of a dataset), ``1`` for a property of a value (``rdf:type`` of a publisher, for
``sh:class``) or of a node that points at the focus (``^dcat:inSeries``), and so on through nested shapes and
path sequences. A predicate no check reads is absent. Unbounded paths (``rdfs:subClassOf*``) and the key
:data:`ANY` (a SPARQL constraint using a name that cannot be expanded) get :data:`UNBOUNDED`.

An edit of a resource's triples with predicates of reach ``r`` can only change the results about nodes at most
``r`` links away from it: what an incremental validation checks again (see :mod:`hdh_graph.validation.impact`).
SHACL-SPARQL constraints are not analysed: every name in their query gets a reach as large as the query has
terms, a safe bound.
"""

from __future__ import annotations

import re

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from hdh_graph.vocab import DCT

ANY = ""
"""The key standing for any predicate."""
UNBOUNDED = 1_000_000

_NESTED = (SH.node, SH["not"], SH.qualifiedValueShape)
_LISTS = (SH["or"], SH["and"], SH.xone)
_SPARQL_TERM = re.compile(r'[?$]\w+|<[^<>"\s]*>|"(?:[^"\\]|\\.)*"|\b[A-Za-z][\w.-]*:[\w.-]*|\ba\b')


def predicate_reach(graph: rdflib.Graph) -> dict[str, int]:
    """The reach of each predicate the shapes of ``graph`` read (see the module's docstring)."""
    walker = _Walker(graph)
    for shape in sorted(_targeted(graph), key=str):
        if (shape, SH.deactivated, rdflib.Literal(True)) in graph:
            continue
        walker.targets(shape)
        walker.shape(shape, 0, frozenset())
    walker.note(DCT.accessRights, 0)  # the access level that ties a dataset to its level's shapes
    return walker.reach


def merge(into: dict[str, int], other: dict[str, int]) -> dict[str, int]:
    """The larger reach of each predicate of both maps."""
    for predicate, reach in other.items():
        into[predicate] = max(into.get(predicate, -1), reach)
    return into


def _targeted(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    found: set[rdflib.term.Node] = set()
    for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found |= set(graph.subjects(pred, None))
    return found


class _Walker:
    def __init__(self, graph: rdflib.Graph) -> None:
        self.g = graph
        self.reach: dict[str, int] = {}
        self.prefixes = _prefixes(graph)

    def note(self, predicate: object, reach: int) -> None:
        key = str(predicate)
        self.reach[key] = max(self.reach.get(key, -1), min(reach, UNBOUNDED))

    def targets(self, shape: rdflib.term.Node) -> None:
        g = self.g
        if (shape, SH.targetClass, None) in g:
            self.note(RDF.type, 0)
            self.note(RDFS.subClassOf, UNBOUNDED)
        for predicate in g.objects(shape, SH.targetSubjectsOf):
            self.note(predicate, 0)
        for predicate in g.objects(shape, SH.targetObjectsOf):
            self.note(predicate, 1)  # the triple's subject points at the focus node

    def shape(self, shape: rdflib.term.Node, depth: int, seen: frozenset[rdflib.term.Node]) -> None:
        """Record what ``shape`` reads when applied to a node ``depth`` links from the focus node."""
        if shape in seen or depth >= UNBOUNDED:
            return
        seen = seen | {shape}
        g = self.g
        path = g.value(shape, SH.path)
        values = self.path(path, depth) if path is not None else depth
        for predicate, obj in g.predicate_objects(shape):
            if predicate == SH["class"]:
                self.note(RDF.type, values)
                self.note(RDFS.subClassOf, UNBOUNDED)
            elif predicate in _NESTED:
                self.shape(obj, values, seen)
            elif predicate in _LISTS:
                for member in Collection(g, obj):
                    self.shape(member, values, seen)
            elif predicate == SH.property:
                self.shape(obj, depth, seen)
            elif predicate == SH.sparql:
                self.sparql(str(g.value(obj, SH.select) or ""), depth)

    def path(self, node: rdflib.term.Node, depth: int) -> int:
        """Record the predicates a path reads from a node ``depth`` links away; the depth of its values."""
        g = self.g
        if isinstance(node, rdflib.URIRef):
            self.note(node, depth)
            return depth + 1
        inverse = g.value(node, SH.inversePath)
        if isinstance(inverse, rdflib.URIRef):
            self.note(inverse, depth + 1)  # reads (x p node): its subject is one link further
            return depth + 1
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return max((self.path(member, depth) for member in Collection(g, alternatives)), default=depth)
        if (node, RDF.first, None) in g:
            for step in Collection(g, node):
                depth = self.path(step, depth)
            return depth
        for inner in (inverse, *(g.value(node, p) for p in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath))):
            if inner is not None:
                self.path(inner, UNBOUNDED)
        return UNBOUNDED

    def sparql(self, query: str, depth: int) -> None:
        terms = set(_SPARQL_TERM.findall(query))
        bound = depth + len(terms)
        for term in terms:
            if term == "a":
                self.note(RDF.type, bound)
            elif term.startswith("<"):
                self.note(term[1:-1], bound)
            elif ":" in term and not term.startswith(('"', "?", "$")):
                prefix, local = term.split(":", 1)
                self.note(self.prefixes[prefix] + local if prefix in self.prefixes else ANY, bound)


def _prefixes(graph: rdflib.Graph) -> dict[str, str]:
    found = {"rdf": str(RDF), "rdfs": str(RDFS)}
    for declaration in graph.objects(None, SH.declare):
        prefix, namespace = graph.value(declaration, SH.prefix), graph.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            found[str(prefix)] = str(namespace)
    return found
