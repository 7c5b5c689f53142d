"""Ordinary clients work as they are: SPARQLWrapper in every return format it offers for each query form, and
the edge cases of the Protocol they run into (relative FROM, deep nesting, unknown functions)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from hdh_graph.api.server import BackgroundServer
from hdh_graph.sparql.text import MAX_NESTING

BASE = "https://catalogue.health-data-hub.fr/"
PREFIXES = "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX csvw: <http://www.w3.org/ns/csvw#> "
SELECT = PREFIXES + "SELECT ?d WHERE { ?d a dcat:Dataset } ORDER BY ?d"
ASK = PREFIXES + "ASK { ?d a dcat:Dataset }"
CONSTRUCT = PREFIXES + "CONSTRUCT { ?t a csvw:Table } WHERE { ?t a csvw:Table }"
DESCRIBE = f"DESCRIBE <{BASE}table/IR_BEN_R>"


def _wrapper(server: BackgroundServer, query: str, fmt: str, method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


def _datasets(fmt: str, result: object) -> list[str]:
    if fmt == JSON:
        return [row["d"]["value"] for row in result["results"]["bindings"]]  # type: ignore[index]
    if fmt == XML:  # a DOM document
        return [u.firstChild.data for u in result.getElementsByTagName("uri")]  # type: ignore[attr-defined]
    text = result.decode("utf-8")  # type: ignore[attr-defined]
    if fmt == CSV:
        return [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]
    return [line.strip("<>") for line in text.strip().split("\n")[1:]]


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_and_ask(server: BackgroundServer, fmt: str, method: str) -> None:
    rows = _datasets(fmt, _wrapper(server, SELECT, fmt, method).queryAndConvert())
    assert rows[0] == BASE + "dataset/dcir" and len(rows) == 4
    answer = _wrapper(server, ASK, fmt, method).queryAndConvert()
    if fmt == JSON:
        assert answer["boolean"] is True  # type: ignore[index]
    elif fmt == XML:
        assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[attr-defined]
    else:
        assert answer == b"true"


# SPARQLWrapper reads RDF/XML and JSON-LD into rdflib's ConjunctiveGraph, which rdflib 7 deprecates.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("fmt", [XML, RDFXML, TURTLE, N3, JSONLD])
@pytest.mark.parametrize(("query", "count"), [(CONSTRUCT, 3), (DESCRIBE, None)])
def test_sparqlwrapper_construct_and_describe(
    server: BackgroundServer, fmt: str, method: str, query: str, count: int | None
) -> None:
    result = _wrapper(server, query, fmt, method).queryAndConvert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format="turtle")  # type: ignore[arg-type]
    assert len(graph) == count if count is not None else len(graph) > 3
    if query is DESCRIBE:
        assert {str(s) for s in graph.subjects()} == {BASE + "table/IR_BEN_R"}


def test_the_formats_sparqlwrapper_sends_are_understood(client: httpx.Client) -> None:
    """SPARQLWrapper sends format=rdf+xml and format=application/rdf+xml beside Accept (and output=, results=)."""
    params = [("query", CONSTRUCT), ("format", "rdf+xml"), ("format", "application/rdf+xml"), ("output", "rdf+xml")]
    response = client.get("/sparql", params=params, headers={"Accept": "application/rdf+xml"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/rdf+xml")
    assert len(list(parse(response.content, format=RdfFormat.RDF_XML))) == 3
    n3 = client.get("/sparql", params={"query": CONSTRUCT, "format": "n3"}, headers={"Accept": "text/n3"})
    assert n3.status_code == 200 and n3.headers["content-type"].startswith("text/turtle")
    # An unknown format gives way to Accept when Accept names something...
    unknown = client.get("/sparql", params={"query": SELECT, "format": "html"}, headers={"Accept": "text/csv"})
    assert unknown.status_code == 200 and unknown.headers["content-type"].startswith("text/csv")
    # ...and is refused, naming the formats, when it does not.
    refused = client.get("/sparql", params={"query": SELECT, "format": "pdf"})
    assert refused.status_code == 406 and "json, xml, csv, tsv" in refused.text


def test_yasgui_and_rdflib_accept_headers(client: httpx.Client) -> None:
    yasgui_select = client.post(
        "/sparql", data={"query": SELECT}, headers={"Accept": "application/sparql-results+json,*/*;q=0.9"}
    )
    assert yasgui_select.headers["content-type"].startswith("application/sparql-results+json")
    yasgui_graph = client.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": "text/turtle,*/*;q=0.9"})
    assert yasgui_graph.headers["content-type"].startswith("text/turtle")
    rdflib_select = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"}
    )
    ET.fromstring(rdflib_select.content)
    browser = client.get(
        "/sparql",
        params={"query": SELECT},
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert browser.status_code == 200 and browser.headers["content-type"].startswith("application/sparql-results+xml")


def test_rdflib_sparql_store_reads_the_endpoint(server: BackgroundServer) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.url + "/sparql", returnFormat="json")
    graph = Graph(store=store)
    rows = list(graph.query(SELECT))
    assert str(rows[0][0]) == BASE + "dataset/dcir"


def test_a_relative_iri_in_from_resolves_against_the_base(client: httpx.Client) -> None:
    query = "SELECT DISTINCT ?d FROM <graph/snds/pmsi-mco.ttl> WHERE { ?d a dcat:Dataset }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert [r["d"]["value"] for r in response.json()["results"]["bindings"]] == [BASE + "dataset/pmsi-mco"]
    # The query's own BASE counts, for the check as for the engine.
    outside = client.get("/sparql", params={"query": "BASE <file:///etc/> SELECT * FROM <passwd> { ?s ?p ?o }"})
    assert outside.status_code == 403 and "file:///etc/passwd" in outside.text


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000 + " }",
        "SELECT (" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) {}",
        "SELECT * WHERE { ?s " + "(" * 3000 + "<urn:p>" + ")" * 3000 + " ?o }",
    ],
)
def test_nesting_deeper_than_the_limit_is_a_clear_400(client: httpx.Client, query: str) -> None:
    response = client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert f"deeper than {MAX_NESTING} levels" in response.text and "line 1, column" in response.text
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # no worker was lost


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (" + "1 + " * 20000 + "1 AS ?x) {}",
        "SELECT (" + "!" * 50000 + "true AS ?x) {}",
        "SELECT * WHERE { " + "{} UNION " * 20000 + "{} }",
        "SELECT * WHERE { ?s <urn:p> ?o " + "FILTER(?o) " * 20000 + "}",
    ],
)
def test_long_chains_do_not_crash_a_worker(client: httpx.Client, query: str) -> None:
    response = client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code in (200, 400, 503), response.text
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_an_unknown_function_is_a_clear_400(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT (<urn:no-such-function>(1) AS ?x) {}"})
    assert response.status_code == 400
    assert "urn:no-such-function" in response.text and "not supported" in response.text
    in_filter = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o FILTER(<urn:nofn>(?o)) }"})
    assert in_filter.status_code == 400


def test_an_accept_that_refuses_everything_is_406(client: httpx.Client) -> None:
    for accept in ("*/*;q=0", "application/sparql-results+json;q=0, */*;q=0", "image/png"):
        response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
        assert response.status_code == 406, accept
    # q=0 refuses one format; the others remain.
    some = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "*/*, application/sparql-results+json;q=0"}
    )
    assert some.status_code == 200 and not some.headers["content-type"].startswith("application/sparql-results+json")
    assert json.loads(client.get("/sparql", params={"query": ASK}).content)["boolean"] is True
