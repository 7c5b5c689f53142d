"""W3C SPARQL 1.1 Service Description tests, implemented from the specification (the manifest names them)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from conformance_support import SUITE, manifest, serve_graphs
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_graph, ENTRIES = manifest("service-description")
NAMES = sorted(str(e).rsplit("#", 1)[-1] for e in ENTRIES)


@pytest.fixture(scope="module")
def description(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, httpx.Response]]:
    data = SUITE / "protocol" / "data1.nt"
    with serve_graphs(tmp_path_factory.mktemp("sd"), {"http://example.org/g1": data}) as server:
        url = server.url + "/sparql"
        yield url, httpx.get(url, headers={"Accept": "text/turtle, application/rdf+xml;q=0.9"})


def _graph_of(response: httpx.Response) -> Graph:
    return Graph().parse(data=response.content, format=response.headers["content-type"].split(";")[0])


def test_the_manifest_names_three_tests() -> None:
    assert NAMES == ["conforms-to-schema", "has-endpoint-triple", "returns-rdf"]


def test_returns_rdf(description: tuple[str, httpx.Response]) -> None:
    _url, response = description
    assert response.status_code == 200
    assert len(_graph_of(response)) > 10


def test_has_endpoint_triple(description: tuple[str, httpx.Response]) -> None:
    url, response = description
    assert list(_graph_of(response).subjects(SD.endpoint, URIRef(url)))


def test_conforms_to_schema(description: tuple[str, httpx.Response]) -> None:
    _url, response = description
    shapes = Graph().parse(SUITE / "sd-shape.ttl")
    conforms, _report, text = validate(_graph_of(response), shacl_graph=shapes)
    assert conforms, text
