"""Code-list CSV files turned into SKOS concepts."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdh_graph import tabular
from hdh_graph.catalogue_files import turtle_files
from hdh_graph.iris import encode_segment
from hdh_graph.settings import Settings
from hdh_graph.vocab import RDF, SKOS

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://example.org/cat/"


def described(folder: Path) -> tuple[Settings, list[tabular.CodeListTable], list]:
    """Load the folder's Turtle files (each in its graph) and read the code lists they describe."""
    settings = Settings(catalogue=folder, store=folder / "unused", base_iri=BASE)
    store = ox.Store()
    files = turtle_files(settings)
    for f in files:
        if f.relative.endswith(("latin1.ttl", "missing-object.ttl", "unterminated-string.ttl")):
            continue  # the broken fixture's malformed Turtle is the build's business (test_build)
        store.load(path=f.path, format=ox.RdfFormat.TURTLE, base_iri=BASE, to_graph=ox.NamedNode(f.graph))
    tables, problems = tabular.describe_code_lists(store, settings, {f.graph: f.path for f in files})
    return settings, tables, problems


def concepts_of(folder: Path) -> tuple[ox.Store, tabular.TabularOutcome]:
    settings, tables, problems = described(folder)
    assert problems == []
    buffer = io.BytesIO()
    outcome = tabular.write_concepts(tables, settings, buffer)
    store = ox.Store()
    store.load(input=buffer.getvalue(), format=ox.RdfFormat.N_QUADS)  # strict parse: the output is valid
    return store, outcome


@pytest.fixture(scope="module")
def mini() -> tuple[ox.Store, tabular.TabularOutcome]:
    return concepts_of(FIXTURES / "mini-catalogue")


def labels(store: ox.Store, concept: str) -> set[tuple[str, str | None]]:
    return {
        (q.object.value, q.object.language)
        for q in store.quads_for_pattern(ox.NamedNode(concept), ox.NamedNode(SKOS.prefLabel), None)
    }


def test_code_lists_found_and_the_missing_one_skipped() -> None:
    _, tables, problems = described(FIXTURES / "mini-catalogue")
    assert problems == []
    assert [t.scheme for t in tables] == [BASE + "codelist/GEO", BASE + "codelist/SEX"]
    sex = tables[1]
    assert sex.delimiter == ";" and sex.header and sex.csv_relative == "codelists/DEMO/SEX.csv"


def test_each_row_is_a_concept_in_the_csv_graph(mini: tuple[ox.Store, tabular.TabularOutcome]) -> None:
    store, outcome = mini
    assert (outcome.tables, outcome.rows, outcome.concepts) == (2, 7, 7)
    graph = ox.NamedNode(BASE + "graph/codelists/DEMO/SEX.csv")
    one = ox.NamedNode(BASE + "codelist/SEX/1")
    assert ox.Quad(one, ox.NamedNode(RDF.type), ox.NamedNode(SKOS.Concept), graph) in store
    assert ox.Quad(one, ox.NamedNode(SKOS.inScheme), ox.NamedNode(BASE + "codelist/SEX"), graph) in store
    assert ox.Quad(one, ox.NamedNode(SKOS.notation), ox.Literal("1"), graph) in store
    assert labels(store, one.value) == {("Masculin", "fr")}


def test_quoted_fields_keep_delimiters_and_quotes(mini: tuple[ox.Store, tabular.TabularOutcome]) -> None:
    store, _ = mini
    assert labels(store, BASE + "codelist/SEX/9") == {("Inconnu; non renseigné", "fr")}


def test_non_ascii_code_is_percent_encoded_in_the_iri_only(mini: tuple[ox.Store, tabular.TabularOutcome]) -> None:
    store, _ = mini
    concept = BASE + "codelist/SEX/%C3%89%2F1"
    notations = [
        q.object.value for q in store.quads_for_pattern(ox.NamedNode(concept), ox.NamedNode(SKOS.notation), None)
    ]
    assert notations == ["É/1"]
    assert labels(store, concept) == {('Code "spécial"', "fr")}


def test_empty_label_gives_no_pref_label(mini: tuple[ox.Store, tabular.TabularOutcome]) -> None:
    store, _ = mini
    assert labels(store, BASE + "codelist/SEX/0") == set()
    assert ox.NamedNode(BASE + "codelist/SEX/0") in {q.subject for q in store}


def test_about_url_template_names_concepts_keyed_by_two_columns(
    mini: tuple[ox.Store, tabular.TabularOutcome],
) -> None:
    store, _ = mini
    concept = ox.NamedNode(BASE + "codelist/GEO/2A/004")
    graph = ox.NamedNode(BASE + "graph/codelists/DEMO/GEO.csv")
    assert ox.Quad(concept, ox.NamedNode(SKOS.notation), ox.Literal("004"), graph) in store
    assert labels(store, concept.value) == set()


@pytest.mark.parametrize(
    ("code", "encoded"),
    [("A-1._~z", "A-1._~z"), ("é", "%C3%A9"), ("a b/c", "a%20b%2Fc"), ("50%", "50%25"), ("", "")],
)
def test_encode_code(code: str, encoded: str) -> None:
    assert encode_segment(code) == encoded


def test_bad_csv_files_each_reported_with_file_and_line() -> None:
    settings, tables, problems = described(FIXTURES / "broken-codelists")
    assert problems == []
    outcome = tabular.write_concepts(tables, settings, io.BytesIO())
    found = {p.path.name: p for p in outcome.problems}
    assert set(found) == {"LATIN.csv", "EXTRA.csv", "SHORT.csv"}
    assert (found["LATIN.csv"].line, found["LATIN.csv"].column) == (3, 7)
    assert "utf-8" in found["LATIN.csv"].message
    assert found["EXTRA.csv"].line == 1 and "COMMENT" in found["EXTRA.csv"].message
    assert found["SHORT.csv"].line == 3 and "3 fields" in found["SHORT.csv"].message
    assert outcome.tables == 1 and outcome.rows == 1  # FINE.csv still read


def test_missing_csv_reported_at_its_csvw_url_line() -> None:
    _, tables, problems = described(FIXTURES / "broken")
    assert tables == []
    [problem] = problems
    assert problem.path.name == "lists.ttl" and problem.line == 5
    assert "GONE/GONE.csv" in problem.message and "hdh:codesMissing" in problem.message


def test_property_urls_may_be_prefixed_names_and_must_be_iris(tmp_path: Path) -> None:
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "A.csv").write_text("C,T\n1,Un\n", encoding="utf-8")
    (tmp_path / "lists.ttl").write_text(
        "@prefix csvw: <http://www.w3.org/ns/csvw#> .\n"
        '<codelist/A> csvw:url "L/A.csv" ; csvw:tableSchema [ csvw:column\n'
        '  [ csvw:name "C" ; csvw:propertyUrl "skos:notation" ] ,\n'
        '  [ csvw:name "T" ; csvw:propertyUrl "skos:altLabel" ] ] .\n'
        '<codelist/B> csvw:url "L/A.csv" ; csvw:tableSchema [ csvw:column\n'
        '  [ csvw:name "C" ; csvw:propertyUrl "notation" ] , [ csvw:name "T" ] ] .\n'
        "<codelist/C> csvw:url <L/A.csv> .\n",
        encoding="utf-8",
    )
    settings, tables, problems = described(tmp_path)
    not_iri, iri_url = problems
    assert (not_iri.path.name, not_iri.line) == ("lists.ttl", 5)
    assert "'notation' is not an IRI" in not_iri.message
    assert iri_url.line == 7 and "not an IRI" in iri_url.message and "relative" in iri_url.message
    assert [t.scheme for t in tables] == [BASE + "codelist/A"]
    buffer = io.BytesIO()
    assert tabular.write_concepts(tables, settings, buffer).problems == []
    assert f'<{BASE}codelist/A/1> <{SKOS.altLabel}> "Un"@fr'.encode() in buffer.getvalue()


def test_quad_count_matches_the_text(mini: tuple[ox.Store, tabular.TabularOutcome]) -> None:
    store, outcome = mini
    assert outcome.quads == len(store) == 7 * 3 + 4  # type, inScheme, notation each; four labels
