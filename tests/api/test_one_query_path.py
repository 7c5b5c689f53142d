"""``hdh query`` and ``/sparql`` run queries through the same path: same answers, same messages."""

from __future__ import annotations

import json

import httpx
import pytest
from click.testing import CliRunner
from endpoint_support import FIXTURES

from hdh_graph.cli import main
from hdh_graph.settings import Settings

QUERIES = [
    "SELECT ?t WHERE { ?t a csvw:Table } ORDER BY ?t",
    # keyword search through the index (the rewrite of hdh:search), then the hdh:matches function
    'SELECT ?r WHERE { ?r hdh:search "sexe" . ?r a csvw:Column } ORDER BY ?r',
    'SELECT ?c WHERE { ?c a csvw:Column FILTER(hdh:matches(?c, "sexe")) } ORDER BY ?c',
    "SELECT ?d WHERE { ?d a dcat:Dataset FILTER(STRSTARTS(STR(?d), STR(<dataset/>))) } ORDER BY ?d",
    "ASK { ?s a dcat:Catalog }",
]


def _cli(settings: Settings, query: str, fmt: str = "json") -> tuple[int, str, str]:
    where = [
        "--store",
        str(settings.store),
        "--base-iri",
        settings.base_iri,
        "--catalogue",
        str(FIXTURES / "catalogue"),
    ]
    result = CliRunner().invoke(main, ["query", *where, query, "--format", fmt])
    return result.exit_code, result.stdout, result.stderr


def _rows(document: dict[str, object]) -> object:
    return document.get("boolean", document.get("results"))


@pytest.mark.parametrize("query", QUERIES)
def test_the_command_line_and_the_endpoint_give_the_same_answer(
    settings: Settings, client: httpx.Client, query: str
) -> None:
    code, out, err = _cli(settings, query)
    assert code == 0, err
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    cli, http = json.loads(out), response.json()
    assert _rows(cli) == _rows(http)
    assert _rows(cli) not in ([], {"bindings": []}), "a query that finds nothing proves nothing"


@pytest.mark.parametrize(
    "query", ["SELECT *\nWHERE { ?s ?p }", "SELECT ?x WHERE { ?x a csvw:Table ", "ASK { ?s nope:p ?o }"]
)
def test_the_command_line_and_the_endpoint_give_the_same_error(
    settings: Settings, client: httpx.Client, query: str
) -> None:
    code, _, err = _cli(settings, query)
    response = client.get("/sparql", params={"query": query})
    assert code != 0 and response.status_code == 400
    message = response.text.strip()
    assert message.startswith("SPARQL syntax error")
    assert message in err
