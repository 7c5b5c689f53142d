"""The curated content for citizens (catalogue/citizens/): complete, sourced, short; the query of docs/citizens.md."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import pytest

from hdh_graph.settings import Settings
from hdh_graph.validation import validate_catalogue

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "catalogue"
BASE = "https://catalogue.health-data-hub.fr/"
DOC = "https://github.com/indsante/Documentation-SNDS/blob/a2910d5a0f0914c44514146fd68b01bdeaf50498/"
HDH = "https://w3id.org/hdh-graph/ns#"
DCT = "http://purl.org/dc/terms/"
KINDS = {"WhatItContains", "WhatItDoesNotContain", "WhoHoldsIt", "WhoMayAccess", "WhoDecides", "YourRights"}
DATASETS = ("snds", "omop-cdm")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    graph = ox.Store()
    for path in sorted(CATALOGUE.rglob("*.ttl")):
        graph.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    return graph


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(query, base_iri=BASE)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]  # type: ignore[union-attr]


@pytest.mark.parametrize("dataset", DATASETS)
def test_each_database_has_the_six_topics_in_order(store: ox.Store, dataset: str) -> None:
    rows = _rows(
        store,
        f"""SELECT ?kind ?position WHERE {{
            ?topic a <{HDH}CitizenTopic> ; <{DCT}subject> <dataset/{dataset}> ; <{DCT}type> ?kind ;
                   <http://schema.org/position> ?position }} ORDER BY ?position""",
    )
    assert [r["kind"].removeprefix(HDH) for r in rows] == [
        "WhatItContains",
        "WhatItDoesNotContain",
        "WhoHoldsIt",
        "WhoMayAccess",
        "WhoDecides",
        "YourRights",
    ]
    assert [int(r["position"]) for r in rows] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("dataset", DATASETS)
def test_statements_are_short_bilingual_and_sourced(store: ox.Store, dataset: str) -> None:
    rows = _rows(
        store,
        f"""SELECT ?s ?fr ?en ?source ?title WHERE {{
            ?topic <{DCT}subject> <dataset/{dataset}> ; <{DCT}hasPart> ?s .
            ?s <{DCT}description> ?fr , ?en ; <{DCT}source> ?source .
            ?source <{DCT}title> ?title .
            FILTER(LANG(?fr) = "fr" && LANG(?en) = "en" && LANG(?title) = "fr") }}""",
    )
    assert len(rows) >= 12
    for row in rows:
        for text in (row["fr"], row["en"]):
            assert text.endswith(".") and len(text) <= 200, text  # one short sentence
            assert text.count(". ") <= 1, text
        if row["source"].startswith(DOC):  # a page of the SNDS documentation: it is in the copy the project keeps
            assert (ROOT / "loaders/sources/documentation-snds" / unquote(row["source"].removeprefix(DOC))).is_file()
        else:
            assert re.match(r"https?://[a-z0-9.-]+\.[a-z]+/", row["source"]), row["source"]


def test_the_snds_content_says_what_a_citizen_asks(store: ox.Store) -> None:
    rows = _rows(
        store,
        f"""SELECT ?kind ?fr WHERE {{ ?topic <{DCT}subject> <dataset/snds> ; <{DCT}type> ?kind ; <{DCT}hasPart> ?s .
            ?s <{DCT}description> ?fr FILTER(LANG(?fr) = "fr") }}""",
    )
    by_kind: dict[str, str] = {}
    for row in rows:
        by_kind[row["kind"].removeprefix(HDH)] = by_kind.get(row["kind"].removeprefix(HDH), "") + " " + row["fr"]
    assert "ni votre nom, ni votre adresse" in by_kind["WhatItDoesNotContain"]
    assert "pseudonyme" in by_kind["WhatItDoesNotContain"]
    assert "Cnam" in by_kind["WhoHoldsIt"]
    assert "intérêt public" in by_kind["WhoMayAccess"]
    for body in ("CNIL", "CESREES", "Plateforme des données de santé"):
        assert body in by_kind["WhoDecides"], body
    assert "opposer" in by_kind["YourRights"] and "répertoire public" in by_kind["YourRights"]
    # the bodies named are organisations of the catalogue, for links
    agents = _rows(
        store, f"SELECT DISTINCT ?a WHERE {{ ?s <{DCT}relation> ?a . ?a a <http://xmlns.com/foaf/0.1/Agent> }}"
    )
    assert {BASE + f"agent/{a}" for a in ("cnil", "cesrees", "hdh", "cnam", "ohdsi")} <= {r["a"] for r in agents}


def _page_query() -> str:
    text = (ROOT / "docs" / "citizens.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```sparql\n(.*?)```", text, re.S)
    return block


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_query_of_the_docs_gives_a_page_in_order(store: ox.Store, lang: str) -> None:
    query = _page_query().replace('(<dataset/snds> "fr")', f'(<dataset/snds> "{lang}")')
    rows = _rows(store, query)
    order = [(int(r["topicPosition"]), int(r["position"])) for r in rows]
    assert order == sorted(order) and len(order) == len(set(order)) >= 20
    assert {r["topicTitle"] for r in rows} >= ({"Vos droits"} if lang == "fr" else {"Your rights"})
    assert all(r["sourceTitle"] and r["text"] for r in rows)
    cnil = [r for r in rows if BASE + "agent/cnil" in r.get("agents", "")]
    assert cnil


def test_the_citizens_files_conform(tmp_path: Path) -> None:
    settings = Settings(catalogue=CATALOGUE, store=tmp_path / "var" / "store")
    report = validate_catalogue(settings, [CATALOGUE / "citizens"], shapes_dir=ROOT / "shapes")
    assert report.violations == [] and report.warnings == []
