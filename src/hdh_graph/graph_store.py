"""The store port: what the readers of the graph (site, feed, search index, stats, export) need from a store.

Two stores stand behind it:

- the embedded pyoxigraph store (:func:`hdh_graph.store.open_store`), which *is* a :class:`GraphStore` as it is;
- a remote SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki...) reached through the standard protocols
  (:class:`hdh_graph.remote_store.SparqlStore`).

Readers take a ``GraphStore`` and use only these methods, so the same code runs on either. Terms are pyoxigraph's
(:class:`pyoxigraph.NamedNode`, :class:`~pyoxigraph.BlankNode`, :class:`~pyoxigraph.Literal`) whatever the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO, Protocol, runtime_checkable

import pyoxigraph as ox

from hdh_graph.settings import Settings

Subject = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal
AnyTerm = Term | ox.Triple  # what a quad's subject or object can be (RDF 1.2 quoted triples included)
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@runtime_checkable
class GraphStore(Protocol):
    """Read access to a quad store: pattern reads, SPARQL queries, its named graphs and its size."""

    def quads_for_pattern(
        self,
        subject: Subject | None,
        predicate: ox.NamedNode | None,
        object: Term | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads that match (``None``: any); ``graph_name`` ``None`` reads every graph."""
        ...

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
        custom_functions: dict[ox.NamedNode, Callable[..., Term | ox.Triple | None]] | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL 1.1 query (raises ``SyntaxError`` when it does not parse)."""
        ...

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]: ...

    def dump(
        self,
        output: BinaryIO | None = None,
        format: ox.RdfFormat | None = None,
        *,
        from_graph: GraphName | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> bytes | None:
        """Serialise the quads (of one graph with ``from_graph``) to ``output``, or return the bytes."""
        ...

    def contains_named_graph(self, graph_name: ox.NamedNode | ox.BlankNode) -> bool: ...

    def __len__(self) -> int: ...


def open_graph_store(settings: Settings) -> GraphStore:
    """The store the settings name: the remote server when ``sparql_endpoint`` is set, else the embedded store."""
    if settings.sparql_endpoint:
        from hdh_graph.remote_store import SparqlStore

        return SparqlStore(settings.sparql_endpoint, graphs=settings.graph_iri(""))
    from hdh_graph.store import open_store

    store: GraphStore = open_store(settings)
    return store


def select(store: GraphStore, query: str, *, use_default_graph_as_union: bool = False) -> ox.QuerySolutions:
    """The solutions of a SELECT query (a ``TypeError`` names the query when it is an ASK or a CONSTRUCT)."""
    result = store.query(query, use_default_graph_as_union=use_default_graph_as_union)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"not a SELECT query: {query.strip()[:60]}")
    return result
