"""The service description and the VoID counts at GET /sparql."""

from __future__ import annotations

import httpx
from endpoint_support import count_triples
from pyoxigraph import RdfFormat, Store, parse

from hdh_graph.api.server import BackgroundServer

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def _description(client: httpx.Client, accept: str, rdf_format: RdfFormat) -> Store:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == rdf_format.media_type
    store = Store()
    store.load(response.content, format=rdf_format)
    return store


def _select(store: Store, query: str) -> list[dict[str, str]]:
    rows = store.query(f"PREFIX sd: <{SD}> PREFIX void: <{VOID}> {query}")
    return [{v.value: row[v].value for v in rows.variables if row[v] is not None} for row in rows]


def test_service_description_names_the_endpoint_and_the_formats(server: BackgroundServer, client: httpx.Client) -> None:
    store = _description(client, "text/turtle", RdfFormat.TURTLE)
    rows = _select(store, "SELECT ?svc ?endpoint WHERE { ?svc a sd:Service ; sd:endpoint ?endpoint }")
    assert [r["endpoint"] for r in rows] == [server.url + "/sparql"]
    formats = {r["f"] for r in _select(store, "SELECT ?f WHERE { ?s sd:resultFormat ?f }")}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats
    assert "http://www.w3.org/ns/formats/JSON-LD" in formats
    features = {r["f"] for r in _select(store, "SELECT ?f WHERE { ?s sd:feature ?f }")}
    assert SD + "UnionDefaultGraph" in features


def test_void_counts_match_the_store(client: httpx.Client) -> None:
    store = _description(client, "application/n-triples", RdfFormat.N_TRIPLES)
    triples = _select(store, "SELECT ?n WHERE { ?d a void:Dataset ; void:triples ?n }")
    assert int(triples[0]["n"]) == count_triples(client)
    graphs = _select(
        store, "SELECT ?name ?n WHERE { ?d sd:namedGraph [ sd:name ?name ; sd:graph [ void:triples ?n ] ] }"
    )
    names = {r["name"] for r in graphs}
    assert "https://catalogue.health-data-hub.fr/graph/snds/dcir.ttl" in names
    assert len(names) == 7
    assert sum(int(r["n"]) for r in graphs) == count_triples(client)
    classes = _select(
        store,
        "SELECT ?n WHERE { ?d void:classPartition [ void:class <http://www.w3.org/ns/csvw#Table> ; "
        "void:entities ?n ] }",
    )
    assert classes == [{"n": "3"}]


def test_description_in_other_rdf_formats(client: httpx.Client) -> None:
    for accept, rdf_format in (
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", RdfFormat.RDF_XML),
        ("application/trig", RdfFormat.TRIG),
    ):
        response = client.get("/sparql", headers={"Accept": accept})
        assert response.headers["content-type"].split(";")[0] == rdf_format.media_type
        assert len(list(parse(response.content, format=rdf_format))) > 20


def test_no_accept_header_gives_turtle_and_a_browser_gets_the_editor(client: httpx.Client) -> None:
    plain = client.get("/sparql", headers={"Accept": ""})
    assert plain.headers["content-type"].startswith("text/turtle")
    browser = client.get(
        "/sparql", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    )
    assert browser.headers["content-type"].startswith("text/html")
    assert "yasgui-4.6.2.min.js" in browser.text
