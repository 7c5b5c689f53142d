"""SPARQL on the store: union default graph, pre-declared prefixes, every output format parses back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdh_graph.build import build_store
from hdh_graph.errors import QueryError
from hdh_graph.graph_store import QueryResult
from hdh_graph.settings import Settings
from hdh_graph.sparql.results import default_format, format_table, write_result
from hdh_graph.sparql.run import QueryRequest, evaluate
from hdh_graph.store import open_store

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://data.example.org/hub/"
COLUMNS = "SELECT ?column ?name WHERE { ?column a csvw:Column ; csvw:name ?name } ORDER BY ?name ?column"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    folder = tmp_path_factory.mktemp("query")
    settings = Settings(catalogue=FIXTURES / "mini-catalogue", store=folder / "store", base_iri=BASE)
    build_store(settings)
    return open_store(settings)


def run_query(store: ox.Store, sparql: str, base_iri: str | None = None) -> QueryResult:
    return evaluate(store, QueryRequest(sparql, base_iri=base_iri))


def output(store: ox.Store, sparql: str, fmt: str) -> bytes:
    out = io.BytesIO()
    write_result(run_query(store, sparql, base_iri=BASE), fmt, out, base_iri=BASE)
    return out.getvalue()


def test_prefixes_need_no_declaration_and_the_default_graph_is_the_union(store: ox.Store) -> None:
    rows = list(run_query(store, "SELECT ?d ?c WHERE { ?d a dcat:Dataset . ?c a dcat:Catalog }"))
    assert [(r["d"].value, r["c"].value) for r in rows] == [(BASE + "dataset/demo", BASE + "catalog")]


def test_a_prefix_of_the_query_wins(store: ox.Store) -> None:
    assert list(run_query(store, "PREFIX dcat: <http://example.org/not-dcat#> SELECT * { ?d a dcat:Dataset }")) == []


def test_relative_iris_resolve_against_the_base(store: ox.Store) -> None:
    assert bool(run_query(store, "ASK { <dataset/demo> a dcat:Dataset }", base_iri=BASE))


def test_graph_tells_the_source_file(store: ox.Store) -> None:
    rows = list(run_query(store, "SELECT ?g WHERE { GRAPH ?g { ?c skos:notation '1' } }"))
    assert [r["g"].value for r in rows] == [BASE + "graph/codelists/DEMO/SEX.csv"]


def test_json_parses_back(store: ox.Store) -> None:
    data = json.loads(output(store, COLUMNS, "json"))
    assert data["head"]["vars"] == ["column", "name"]
    names = [b["name"]["value"] for b in data["results"]["bindings"]]
    assert names == ["PAT_ID", "PAT_ID", "SEX_COD", "VIS_DTE", "VIS_ID"]


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_parse_back(store: ox.Store, fmt: str, delimiter: str) -> None:
    text = output(store, COLUMNS, fmt).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert rows[0] == (["column", "name"] if fmt == "csv" else ["?column", "?name"])
    assert len(rows) == 6
    if fmt == "csv":
        assert rows[1] == [BASE + "table/PATIENT/PAT_ID", "PAT_ID"]


@pytest.mark.parametrize(("fmt", "rdf_format"), [("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)])
def test_construct_parses_back(store: ox.Store, fmt: str, rdf_format: ox.RdfFormat) -> None:
    sparql = "CONSTRUCT { ?c skos:notation ?n } WHERE { ?c skos:inScheme <codelist/SEX> ; skos:notation ?n }"
    triples = list(ox.parse(output(store, sparql, fmt), rdf_format))
    assert len(triples) == 5
    assert {t.object.value for t in triples} == {"0", "1", "2", "9", "É/1"}


def test_table_is_aligned_and_counts_rows(store: ox.Store) -> None:
    text = output(store, COLUMNS, "table").decode("utf-8")
    lines = text.splitlines()
    assert lines[0].split() == ["column", "name"]
    assert lines[2].startswith("<table/PATIENT/PAT_ID>")
    assert lines[2].rindex("PAT_ID") == lines[0].index("name")
    assert lines[-1] == "(5 rows)"


def test_table_shows_prefixed_names_and_languages(store: ox.Store) -> None:
    result = run_query(store, "SELECT ?t ?l WHERE { <dataset/demo> a ?t ; dct:title ?l } ORDER BY ?l", BASE)
    assert format_table(result, BASE).splitlines()[2].split() == ["dcat:Dataset", "Demo@en"]


def test_ask(store: ox.Store) -> None:
    assert output(store, "ASK { ?s a dcat:Dataset }", "table") == b"true\n"
    assert json.loads(output(store, "ASK { ?s a dcat:Nothing }", "json"))["boolean"] is False


def test_default_formats(store: ox.Store) -> None:
    assert default_format(run_query(store, "SELECT * { ?s ?p ?o } LIMIT 1")) == "table"
    assert default_format(run_query(store, "CONSTRUCT WHERE { ?s ?p ?o }")) == "turtle"


def test_syntax_error_names_line_and_column(store: ox.Store) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(store, "SELECT *\nWHERE { ?s ?p }")
    assert "line 2, column 16" in caught.value.message  # as the SPARQL parser counts
    assert "dcat:" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("sparql", "fmt", "advice"),
    [
        ("SELECT * { ?s ?p ?o }", "turtle", "CONSTRUCT"),
        ("ASK { ?s ?p ?o }", "ntriples", "CONSTRUCT"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "csv", "SELECT"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "table", "--format turtle"),
    ],
)
def test_a_format_that_does_not_fit_the_query_form(store: ox.Store, sparql: str, fmt: str, advice: str) -> None:
    with pytest.raises(QueryError) as caught:
        output(store, sparql, fmt)
    assert advice in str(caught.value)
