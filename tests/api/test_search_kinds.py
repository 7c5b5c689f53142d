"""Keyword search finds the terms of a glossary and the projects of the register, by kind, as it finds
variables: on the embedded store's index scan and on the extraction query a remote server answers alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from endpoint_support import FIXTURES, build_fixture_store

from hdh_graph.settings import Settings
from hdh_graph.sparql import keywords as search
from hdh_graph.sparql import text as sparql_text
from hdh_graph.store import open_store
from hdh_graph.vocab import PREFIXES

BASE = "https://catalogue.health-data-hub.fr/"
PROJECTS = Path(__file__).parents[1] / "fixtures" / "projects" / "register-examples.ttl"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("kinds")
    catalogue = root / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", catalogue)
    shutil.copytree(FIXTURES / "glossary", catalogue / "glossary")
    (catalogue / "projects").mkdir()
    shutil.copy(PROJECTS, catalogue / "projects" / PROJECTS.name)
    return build_fixture_store(catalogue, root / "store", BASE)


@pytest.fixture(scope="module")
def index(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> search.SearchIndex:
    path = tmp_path_factory.mktemp("index") / "search.sqlite"
    search.build_index(search.store_rows(open_store(settings, read_only=True)), path, "test")
    return search.SearchIndex(path)


def test_a_glossary_term_is_found_by_its_definition_and_its_acronym(index: search.SearchIndex) -> None:
    by_definition = index.search("complementaire sante", kinds=["term"])
    assert [(h.iri, h.label, h.name) for h in by_definition] == [
        (BASE + "vocabulary/snds-glossary/ACS", "Aide à la complémentaire santé", "ACS")
    ]
    # A term with no definition, used by variables, is a term too; the scheme stays a code list.
    assert [h.iri for h in index.search("ALD", kinds=["term"])] == [BASE + "vocabulary/snds-glossary/ALD"]
    assert [h.kind for h in index.search("glossaire")] == ["codelist"]


def test_the_codes_of_a_code_list_are_not_terms(index: search.SearchIndex) -> None:
    assert {h.kind for h in index.search("sexe")} <= {"codelist", "variable", "table", "dataset"}
    assert index.search("masculin", kinds=["term"]) == []


def test_a_project_is_found_by_its_purpose_and_not_its_decision(index: search.SearchIndex) -> None:
    hits = index.search("insuffisance cardiaque")
    assert [(h.iri, h.kind) for h in hits] == [(BASE + "project/example-heart-failure", "project")]
    assert index.search("autorisation CNIL decision fictive") == []  # the decision is part of the project's page


def test_a_query_naming_the_class_looks_up_that_kind_only() -> None:
    asked: list[list[str] | None] = []

    class RecordingIndex:
        def iris(self, text: str, kinds: list[str] | None = None) -> list[str]:
            asked.append(kinds)
            return []

    for query in (
        'SELECT ?t { ?t hdh:search "x" . ?t a skos:Concept }',
        'PREFIX dpv: <https://w3id.org/dpv#> SELECT ?p { ?p a dpv:Process . ?p hdh:search "x" }',
    ):
        search.rewrite_search(query, sparql_text.tokens(query), RecordingIndex())  # type: ignore[arg-type]
    assert asked == [["term"], ["project"]]


def test_the_remote_extraction_query_reads_the_same_terms_and_projects(settings: Settings) -> None:
    store = open_store(settings, read_only=True)
    scanned = {(r["r"], r["type"], r["field"], r["v"], r["lang"]) for r in search.store_rows(store)}
    queried = {
        tuple(row[name].value for name in ("r", "type", "field", "v", "lang"))
        for row in store.query(search.EXTRACT_QUERY, prefixes=PREFIXES, use_default_graph_as_union=True)
    }
    assert scanned == queried
    kinds = {search.KINDS[t] for _, t, *_ in scanned}
    assert {"term", "project", "variable"} <= kinds
