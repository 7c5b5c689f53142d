"""The SPARQL 1.1 Protocol over HTTP: methods, media types, dataset parameters and result formats."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from pyoxigraph import RdfFormat, parse

from hdh_graph.api.server import BackgroundServer

SELECT_DATASETS = (
    "SELECT ?d ?title WHERE { ?d a dcat:Dataset ; dct:title ?title FILTER(lang(?title) = 'fr') } ORDER BY ?d"
)
CONSTRUCT_TABLES = "CONSTRUCT { ?t a csvw:Table ; dct:identifier ?n } WHERE { ?t a csvw:Table ; dct:identifier ?n }"
BASE = "https://catalogue.health-data-hub.fr/"


def _names(response: httpx.Response) -> list[str]:
    return [row["d"]["value"] for row in response.json()["results"]["bindings"]]


def test_get_post_form_and_post_direct_give_the_same_solutions(client: httpx.Client) -> None:
    by_get = client.get("/sparql", params={"query": SELECT_DATASETS})
    by_form = client.post("/sparql", data={"query": SELECT_DATASETS})
    by_direct = client.post(
        "/sparql", content=SELECT_DATASETS.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    for response in (by_get, by_form, by_direct):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert _names(by_get) == _names(by_form) == _names(by_direct)
    assert BASE + "dataset/dcir" in _names(by_get)
    assert len(_names(by_get)) == 4


def test_default_graph_is_the_union_of_the_named_graphs(client: httpx.Client) -> None:
    ask = "ASK { <dataset/dcir> a dcat:Dataset . <codelist/IR_SEX_V> a skos:ConceptScheme }"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True


def test_default_graph_uri_restricts_the_default_graph(client: httpx.Client) -> None:
    query = "SELECT DISTINCT ?d WHERE { ?d a dcat:Dataset } ORDER BY ?d"
    only_dcir = client.get("/sparql", params={"query": query, "default-graph-uri": BASE + "graph/snds/dcir.ttl"})
    assert _names(only_dcir) == [BASE + "dataset/dcir"]
    two = client.get(
        "/sparql",
        params=[
            ("query", query),
            ("default-graph-uri", BASE + "graph/snds/dcir.ttl"),
            ("default-graph-uri", BASE + "graph/snds/pmsi-mco.ttl"),
        ],
    )
    assert _names(two) == [BASE + "dataset/dcir", BASE + "dataset/pmsi-mco"]


def test_named_graph_uri_restricts_the_named_graphs(client: httpx.Client) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query, "named-graph-uri": BASE + "graph/agents.ttl"})
    assert [r["g"]["value"] for r in response.json()["results"]["bindings"]] == [BASE + "graph/agents.ttl"]
    # With only named graphs given, the default graph is empty.
    empty = client.get(
        "/sparql",
        params={"query": "ASK { ?s ?p ?o }", "named-graph-uri": BASE + "graph/agents.ttl"},
    )
    assert empty.json()["boolean"] is False


def test_from_clause_selects_the_default_graph(client: httpx.Client) -> None:
    query = f"SELECT DISTINCT ?d FROM <{BASE}graph/snds/pmsi-mco.ttl> WHERE {{ ?d a dcat:Dataset }}"
    assert _names(client.get("/sparql", params={"query": query})) == [BASE + "dataset/pmsi-mco"]


@pytest.mark.parametrize(
    ("fmt", "accept", "media"),
    [
        ("json", None, "application/sparql-results+json"),
        ("xml", None, "application/sparql-results+xml"),
        ("csv", None, "text/csv"),
        ("tsv", None, "text/tab-separated-values"),
        (None, "application/sparql-results+xml", "application/sparql-results+xml"),
        (None, "text/csv", "text/csv"),
        (None, "text/tab-separated-values;q=0.9, text/html;q=0.1", "text/tab-separated-values"),
        (None, "application/json", "application/sparql-results+json"),
        (None, "*/*", "application/sparql-results+json"),
    ],
)
def test_select_formats(client: httpx.Client, fmt: str | None, accept: str | None, media: str) -> None:
    params = {"query": SELECT_DATASETS} | ({"format": fmt} if fmt else {})
    response = client.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    assert response.headers["vary"].lower().find("accept") >= 0
    body = response.text
    if media.endswith("json"):
        assert len(json.loads(body)["results"]["bindings"]) == 4
    elif media.endswith("xml"):
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert len(ET.fromstring(body).findall(f"{ns}results/{ns}result")) == 4
    elif media == "text/csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0] == ["d", "title"] and len(rows) == 5
    else:
        lines = body.strip().split("\n")
        assert lines[0] == "?d\t?title" and lines[1].startswith(f"<{BASE}dataset/")


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [
        ("turtle", RdfFormat.TURTLE),
        ("ntriples", RdfFormat.N_TRIPLES),
        ("jsonld", RdfFormat.JSON_LD),
        ("rdfxml", RdfFormat.RDF_XML),
        ("trig", RdfFormat.TRIG),
        ("nquads", RdfFormat.N_QUADS),
    ],
)
def test_construct_formats(client: httpx.Client, fmt: str, rdf_format: RdfFormat) -> None:
    by_param = client.get("/sparql", params={"query": CONSTRUCT_TABLES, "format": fmt})
    by_accept = client.get("/sparql", params={"query": CONSTRUCT_TABLES}, headers={"Accept": rdf_format.media_type})
    for response in (by_param, by_accept):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == rdf_format.media_type
        triples = list(parse(response.content, format=rdf_format))
        assert len(triples) == 6  # three tables, two triples each


def test_describe_answers_turtle_by_default(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "DESCRIBE <table/IR_BEN_R>"})
    assert response.headers["content-type"].startswith("text/turtle")
    subjects = {t.subject.value for t in parse(response.content, format=RdfFormat.TURTLE)}
    assert subjects == {BASE + "table/IR_BEN_R"}


def test_ask_formats_and_not_acceptable(client: httpx.Client) -> None:
    xml = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+xml"})
    assert "<boolean>true</boolean>" in xml.text
    csv_answer = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert csv_answer.status_code == 200 and csv_answer.text == "true"  # as Oxigraph writes a boolean in CSV
    refused = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "application/sparql-results+json" in refused.text
    refuses_all = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "*/*;q=0"})
    assert refuses_all.status_code == 406
    bad_format = client.get("/sparql", params={"query": SELECT_DATASETS, "format": "pdf"})
    assert bad_format.status_code == 406 and "json" in bad_format.text


def test_protocol_errors(client: httpx.Client) -> None:
    assert client.put("/sparql", params={"query": "ASK {}"}).status_code == 405
    two = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert two.status_code == 400 and "more than one" in two.text
    wrong_type = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    no_type = client.post("/sparql", content=b"query=ASK%20%7B%7D")
    assert no_type.status_code == 415
    utf16 = client.post(
        "/sparql",
        content="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert utf16.status_code == 415 and "UTF-8" in utf16.text
    not_utf8 = client.post(
        "/sparql", content=b"ASK { FILTER('\xff') }", headers={"Content-Type": "application/sparql-query"}
    )
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.text
    empty_form = client.post("/sparql", data={"format": "json"})
    assert empty_form.status_code == 400


def test_malformed_query_gives_the_parser_message_and_position(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert response.text.startswith("SPARQL syntax error at line 2, column 24: expected one of ")


def test_head_has_headers_and_no_body(client: httpx.Client) -> None:
    response = client.head("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert response.content == b""


def test_prefixes_and_base_are_predeclared(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?n WHERE { <table/IR_BEN_R> dct:identifier ?n }"})
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "IR_BEN_R"
    # A query's own declaration wins over the predeclared one.
    own = client.get(
        "/sparql",
        params={"query": "PREFIX dct: <http://example.org/> ASK { <dataset/dcir> dct:title ?t }"},
    )
    assert own.json()["boolean"] is False


def test_sparqlwrapper_client(server: BackgroundServer) -> None:
    """The client researchers use from Python works as is, by GET and by POST, for SELECT and CONSTRUCT."""
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery("PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?d WHERE { ?d a dcat:Dataset } ORDER BY ?d")
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [r["d"]["value"] for r in rows][:1] == [BASE + "dataset/dcir"]
    client.setMethod(POST)
    client.setQuery("PREFIX csvw: <http://www.w3.org/ns/csvw#> CONSTRUCT { ?t a csvw:Table } WHERE { ?t a csvw:Table }")
    client.setReturnFormat(TURTLE)
    turtle = client.queryAndConvert()
    assert len(list(parse(turtle, format=RdfFormat.TURTLE))) == 3  # type: ignore[arg-type]
