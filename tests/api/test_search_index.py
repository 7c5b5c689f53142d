"""Keyword search: the JSON API, the hdh:search magic property and the hdh:matches function."""

from __future__ import annotations

import httpx
import pytest

from hdh_graph.api.server import BackgroundServer
from hdh_graph.settings import Settings
from hdh_graph.sparql import keywords as search
from hdh_graph.sparql import text as sparql_text
from hdh_graph.sparql.keywords import fts_query, rewrite_search
from hdh_graph.store import database_path

BASE = "https://catalogue.health-data-hub.fr/"


def _iris(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [hit["iri"] for hit in response.json()["hits"]]


@pytest.mark.parametrize("words", ["diagnostic", "DIAGNOSTIC", "diagnos", "Diagnóstic", "principal diag"])
def test_search_ignores_case_and_accents_and_matches_word_starts(client: httpx.Client, words: str) -> None:
    assert _iris(client.get("/api/search", params={"q": words}))[0] == BASE + "table/T_MCOaaB/DGN_PAL"


def test_search_finds_french_words_typed_without_accents(client: httpx.Client) -> None:
    hits = client.get("/api/search", params={"q": "beneficiaire age"}).json()["hits"]
    assert hits[0]["iri"] == BASE + "table/ER_PRS_F/BEN_AMA_COD"
    assert hits[0]["label"] == "Âge du bénéficiaire"
    assert hits[0]["kind"] == "variable"


def test_search_by_kind_and_by_name(client: httpx.Client) -> None:
    assert _iris(client.get("/api/search", params={"q": "sexe", "kind": "codelist"})) == [BASE + "codelist/IR_SEX_V"]
    assert _iris(client.get("/api/search", params={"q": "ER_PRS_F", "kind": "table"})) == [BASE + "table/ER_PRS_F"]
    datasets = _iris(client.get("/api/search", params={"q": "hôpital séjours", "kind": "dataset"}))
    assert datasets == [BASE + "dataset/pmsi-mco"]


def test_search_with_no_match_or_no_words(client: httpx.Client) -> None:
    assert _iris(client.get("/api/search", params={"q": "zzzzzz"})) == []
    assert _iris(client.get("/api/search", params={"q": '"*" -'})) == []
    assert client.get("/api/search").status_code == 422


def test_hdh_search_magic_property_in_sparql(client: httpx.Client) -> None:
    query = 'SELECT ?v WHERE { ?v hdh:search "identifiant beneficiaire" . ?v a csvw:Column } ORDER BY ?v'
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert [r["v"]["value"] for r in rows] == [
        BASE + "table/ER_PRS_F/BEN_NIR_PSA",
        BASE + "table/IR_BEN_R/BEN_NIR_PSA",
        BASE + "table/T_MCOaaB/BEN_NIR_PSA",
    ]
    # Written with the full IRI and no match.
    none = "SELECT ?v WHERE { ?v <https://w3id.org/hdh-graph/ns#search> 'nothingmatches' }"
    assert client.get("/sparql", params={"query": none}).json()["results"]["bindings"] == []


def test_hdh_matches_function_in_sparql(client: httpx.Client) -> None:
    query = 'SELECT ?t WHERE { ?t a csvw:Table FILTER(hdh:matches(?t, "prestations")) }'
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert [r["t"]["value"] for r in rows] == [BASE + "table/ER_PRS_F"]


def test_rewrite_leaves_strings_and_other_triples_alone() -> None:
    class FakeIndex:  # the rewrite only asks for IRIs
        def iris(self, text: str, kinds: list[str] | None = None) -> list[str]:
            return ["urn:a", "urn:b"] if text == "x y" else []

    query = 'SELECT * WHERE { BIND("?v hdh:search \\"x y\\"" AS ?s) ?v hdh:search "x y" . ?v ?p ?o }'
    rewritten = rewrite_search(query, sparql_text.tokens(query), FakeIndex())  # type: ignore[arg-type]
    values = "{ SELECT ?v WHERE { VALUES ?v { <urn:a> <urn:b> } } }"
    assert rewritten == 'SELECT * WHERE { BIND("?v hdh:search \\"x y\\"" AS ?s) ' + values + " ?v ?p ?o }"


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('diag "NEAR" AND') == '"diag"* "NEAR"* "AND"*'
    assert fts_query("  ") is None


def test_too_many_matches_come_in_index_order_without_scores(
    server: BackgroundServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = search.SearchIndex(search.index_path(database_path(settings).parent))
    ranked = index.search("beneficiaire", limit=50)
    assert all(hit.score is not None for hit in ranked)
    monkeypatch.setattr(search, "RANK_LIMIT", 1)
    unranked = index.search("beneficiaire", limit=50)
    assert {h.iri for h in unranked} == {h.iri for h in ranked}
    assert all(hit.score is None for hit in unranked)
    kinds = [hit.kind for hit in unranked]
    assert kinds == sorted(kinds, key=search.KIND_ORDER.__getitem__)  # tables before variables
    assert kinds[0] == "table"


def test_the_class_stated_for_the_variable_narrows_the_search() -> None:
    asked: list[list[str] | None] = []

    class RecordingIndex:
        def iris(self, text: str, kinds: list[str] | None = None) -> list[str]:
            asked.append(kinds)
            return []

    for query in (
        'SELECT ?v { ?v hdh:search "x" . ?v a csvw:Column ; csvw:name ?n }',
        'SELECT ?v { ?v rdf:type <http://www.w3.org/ns/csvw#Column> . ?v hdh:search "x" }',
        'SELECT ?v { ?v hdh:search "x" . ?other a csvw:Table }',
    ):
        rewrite_search(query, sparql_text.tokens(query), RecordingIndex())  # type: ignore[arg-type]
    assert asked == [["variable"], ["variable"], None]


def test_the_index_scan_reads_what_the_extraction_query_reads(settings: Settings) -> None:
    """The embedded store is read by index scans, a remote one by EXTRACT_QUERY: both give the same rows."""
    from hdh_graph.store import open_store
    from hdh_graph.vocab import PREFIXES

    store = open_store(settings)
    scanned = {(r["r"], r["type"], r["field"], r["v"], r["lang"]) for r in search.store_rows(store)}
    queried = {
        tuple(row[name].value for name in ("r", "type", "field", "v", "lang"))
        for row in store.query(search.EXTRACT_QUERY, prefixes=PREFIXES, use_default_graph_as_union=True)
    }
    assert scanned == queried
    assert {(r["r"], r["type"], r["field"], r["v"], r["lang"]) for r in search.query_rows(store)} == queried
    assert len(scanned) > 50
