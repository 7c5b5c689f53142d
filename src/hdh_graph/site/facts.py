"""Read what the site shows from the store, in a few bulk SPARQL queries (never one query per page).

Each query returns every triple of every resource of one class, with the named graph (catalogue file) that
types it. The result is an in-memory index of :class:`Node` objects, keyed by IRI, that the page-context
builders read. Restricting the queries to a set of subjects (``only``) serves incremental rebuilds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from hdh_graph.errors import QueryError
from hdh_graph.vocab import CSVW, DCAT, FOAF, PROV, RDF, SKOS, sparql_prefixes

# The classes whose resources the site reads, in the order they are queried.
CLASSES: tuple[str, ...] = (
    DCAT.Catalog,
    DCAT.Dataset,
    DCAT.DatasetSeries,
    DCAT.Distribution,
    CSVW.TableGroup,
    CSVW.Table,
    CSVW.Column,
    CSVW.ForeignKey,
    CSVW.TableReference,
    SKOS.ConceptScheme,
    SKOS.Concept,
    FOAF.Agent,
    FOAF.Organization,
    PROV.Activity,
    PROV.Entity,
)

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass
class Node:
    """One resource: its IRI (or blank node id), the graph that types it and its properties."""

    key: str
    graph: str | None
    types: set[str] = field(default_factory=set)
    props: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))

    def values(self, predicate: str) -> list[Term]:
        return self.props.get(predicate, [])

    def iris(self, predicate: str) -> list[str]:
        return sorted(t.value for t in self.props.get(predicate, []) if isinstance(t, ox.NamedNode))

    def first_iri(self, predicate: str) -> str | None:
        found = self.iris(predicate)
        return found[0] if found else None

    def literals(self, predicate: str) -> list[ox.Literal]:
        return [t for t in self.props.get(predicate, []) if isinstance(t, ox.Literal)]

    def text(self, predicate: str) -> str | None:
        """The first plain value of a non-language property (sorted, so stable)."""
        found = sorted(t.value for t in self.literals(predicate))
        return found[0] if found else None

    def texts(self, predicate: str) -> list[str]:
        return sorted({t.value for t in self.literals(predicate)})

    def blanks(self, predicate: str) -> list[str]:
        return sorted(_key(t) for t in self.props.get(predicate, []) if isinstance(t, ox.BlankNode))


@dataclass
class Facts:
    """Every resource the site reads, keyed by IRI; blank nodes keyed ``_:id``."""

    nodes: dict[str, Node]
    base_iri: str

    def get(self, key: str | None) -> Node | None:
        return None if key is None else self.nodes.get(key)

    def of_type(self, cls: str) -> list[Node]:
        return sorted((n for n in self.nodes.values() if cls in n.types), key=lambda n: n.key)

    def subjects_with(self, predicate: str, obj: str) -> list[str]:
        """Subjects linked to ``obj`` by ``predicate`` (a reverse lookup, built once)."""
        return self.reverse().get((predicate, obj), [])

    def reverse(self) -> dict[tuple[str, str], list[str]]:
        cached = getattr(self, "_reverse", None)
        if cached is None:
            index: dict[tuple[str, str], list[str]] = defaultdict(list)
            for node in self.nodes.values():
                for pred, objs in node.props.items():
                    for o in objs:
                        if isinstance(o, ox.NamedNode):
                            index[(pred, o.value)].append(node.key)
            for keys in index.values():
                keys.sort()
            cached = dict(index)
            self._reverse = cached
        return cached


def _key(term: Term) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def _values_clause(only: Iterable[str] | None) -> str:
    if only is None:
        return ""
    iris = " ".join(f"<{i}>" for i in sorted(only) if not i.startswith("_:"))
    return f"VALUES ?s {{ {iris} }}\n"


def read_facts(store: ox.Store, base_iri: str, only: Iterable[str] | None = None) -> Facts:
    """Run the bulk queries and index the results.

    ``only`` restricts the resources read to the given IRIs (plus the blank nodes they point to).
    """
    nodes: dict[str, Node] = {}
    restrict = _values_clause(list(only) if only is not None else None)
    for cls in CLASSES:
        query = f"{sparql_prefixes()}SELECT ?s ?g ?p ?o WHERE {{ {restrict}GRAPH ?g {{ ?s a <{cls}> }} ?s ?p ?o }}"
        for row in _select(store, query):
            s, g, p, o = row[0], row[1], row[2], row[3]
            key = _key(s)
            node = nodes.get(key)
            if node is None:
                node = nodes[key] = Node(key, g.value if g is not None else None)
            elif node.graph is None and g is not None:
                node.graph = g.value
            node.types.add(cls)
            objs = node.props[p.value]
            if o not in objs:
                objs.append(o)
    _read_blank_nodes(store, nodes)
    for node in nodes.values():
        node.types.update(t.value for t in node.values(RDF.type) if isinstance(t, ox.NamedNode))
    return Facts(nodes, base_iri)


def _read_blank_nodes(store: ox.Store, nodes: dict[str, Node]) -> None:
    """Add the blank nodes (attributions, periods, contact points) the read resources point to."""
    pending = _blank_objects(nodes.values(), nodes)
    depth = 0
    while pending and depth < 3:
        found: dict[str, Node] = {}
        for key, term in sorted(pending.items()):
            node = found[key] = Node(key, None)
            for quad in store.quads_for_pattern(term, None, None, None):
                objs = node.props[quad.predicate.value]
                if quad.object not in objs:
                    objs.append(quad.object)
        nodes.update(found)
        pending = _blank_objects(found.values(), nodes)
        depth += 1


def _blank_objects(among: Iterable[Node], known: dict[str, Node]) -> dict[str, ox.BlankNode]:
    return {
        "_:" + o.value: o
        for n in among
        for objs in n.props.values()
        for o in objs
        if isinstance(o, ox.BlankNode) and "_:" + o.value not in known
    }


def _select(store: ox.Store, query: str) -> Iterable[ox.QuerySolution]:
    try:
        result = store.query(query, use_default_graph_as_union=True)
    except (SyntaxError, OSError, ValueError) as exc:  # pragma: no cover - queries are fixed text
        raise QueryError(f"site query failed: {exc}", hint="report this as a bug with the query text") from exc
    assert isinstance(result, ox.QuerySolutions)
    return result
