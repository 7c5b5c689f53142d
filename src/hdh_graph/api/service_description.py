"""The SPARQL 1.1 Service Description of ``/sparql``, with a VoID description of the dataset it serves.

Answered at ``GET /sparql`` without a query when RDF is asked for (any RDF format of
:mod:`hdh_graph.api.negotiation`). Counts (triples, classes, named graphs) are computed once and cached.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple, serialize

from hdh_graph.api import negotiation
from hdh_graph.errors import HdhError
from hdh_graph.sparql.keywords import MATCHES_FUNCTION, SEARCH_PROPERTY
from hdh_graph.vocab import HDH, RDF, VOID, XSD

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
ENTAILMENT = "http://www.w3.org/ns/entailment/"
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
    "N-Quads",
)
Select = Callable[[str], list[dict[str, str]]]


@dataclass
class Statistics:
    """VoID counts of the served dataset."""

    graphs: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def collect_statistics(select: Select) -> Statistics:
    """Count triples per named graph and instances per class with two SPARQL queries."""
    stats = Statistics()
    for row in select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        stats.graphs[row["g"]] = int(row["n"])
    for row in select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"):
        stats.classes[row["c"]] = int(row["n"])
    return stats


class StatisticsCache:
    """Computes the statistics on first use, once, off the event loop."""

    def __init__(self, select: Select) -> None:
        self._select = select
        self._value: Statistics | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> Statistics:
        async with self._lock:
            if self._value is None:
                loop = asyncio.get_running_loop()
                self._value = await loop.run_in_executor(None, collect_statistics, self._select)
            return self._value


def description(endpoint: str, stats: Statistics) -> list[Triple]:
    """The service description graph."""
    sd = SD

    def n(iri: str) -> NamedNode:
        return NamedNode(iri)

    def integer(value: int) -> Literal:
        return Literal(str(value), datatype=NamedNode(XSD.integer))

    a = n(RDF.type)
    service, dataset, default_graph = BlankNode("service"), BlankNode("dataset"), BlankNode("defaultGraph")
    triples = [
        Triple(service, a, n(sd + "Service")),
        Triple(service, n(sd + "endpoint"), n(endpoint)),
        Triple(service, n(sd + "supportedLanguage"), n(sd + "SPARQL11Query")),
        Triple(service, n(sd + "feature"), n(sd + "UnionDefaultGraph")),
        Triple(service, n(sd + "defaultEntailmentRegime"), n(ENTAILMENT + "Simple")),
        Triple(service, n(sd + "extensionFunction"), n(MATCHES_FUNCTION)),
        Triple(n(MATCHES_FUNCTION), a, n(sd + "Function")),
        Triple(service, n(sd + "feature"), n(SEARCH_PROPERTY)),
        Triple(n(SEARCH_PROPERTY), a, n(sd + "Feature")),
        Triple(service, n(sd + "defaultDataset"), dataset),
        Triple(dataset, a, n(sd + "Dataset")),
        Triple(dataset, a, n(VOID.Dataset)),
        Triple(dataset, n(VOID.sparqlEndpoint), n(endpoint)),
        Triple(dataset, n(VOID.triples), integer(stats.triples)),
        Triple(dataset, n(VOID.classes), integer(len(stats.classes))),
        Triple(dataset, n(sd + "defaultGraph"), default_graph),
        Triple(default_graph, a, n(sd + "Graph")),
        Triple(default_graph, n(VOID.triples), integer(stats.triples)),
    ]
    triples += [Triple(service, n(sd + "resultFormat"), n(FORMATS + f)) for f in RESULT_FORMATS]
    for i, (cls, count) in enumerate(sorted(stats.classes.items())):
        partition = BlankNode(f"class{i}")
        triples += [
            Triple(dataset, n(VOID.classPartition), partition),
            Triple(partition, n(VOID["class"]), n(cls)),
            Triple(partition, n(VOID.entities), integer(count)),
        ]
    for i, (graph, count) in enumerate(sorted(stats.graphs.items())):
        named, graph_node = BlankNode(f"named{i}"), BlankNode(f"graph{i}")
        triples += [
            Triple(dataset, n(sd + "namedGraph"), named),
            Triple(named, a, n(sd + "NamedGraph")),
            Triple(named, n(sd + "name"), n(graph)),
            Triple(named, n(sd + "graph"), graph_node),
            Triple(graph_node, a, n(sd + "Graph")),
            Triple(graph_node, n(VOID.triples), integer(count)),
        ]
    return triples


PREFIXES = {"sd": SD, "void": str(VOID), "formats": FORMATS, "hdh": str(HDH), "xsd": str(XSD)}


async def respond(request: Request, accept: str | None, format_param: tuple[str, ...] | str | None) -> Response:
    try:
        fmt = negotiation.rdf_format_for(accept, format_param)
    except negotiation.NotAcceptable as exc:
        return PlainTextResponse(str(exc) + "\n", status_code=406)
    try:
        stats = await request.app.state.statistics.get()
    except HdhError as exc:  # a remote store that cannot be reached
        return PlainTextResponse(f"The dataset could not be described: {exc}\n", status_code=502)
    endpoint = str(request.url.replace(query=None, fragment=None))
    triples = description(endpoint, stats)
    data: list[Triple] | list[Quad] = triples
    if fmt.oxigraph.supports_datasets:  # type: ignore[union-attr]
        data = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]
    body = serialize(data, format=fmt.oxigraph, prefixes=PREFIXES)  # type: ignore[arg-type]
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
