"""Every example query of the editor's library runs on the fixture catalogue and answers what it promises."""

from __future__ import annotations

import httpx
import pytest

from hdh_graph.api.examples import load_examples

BASE = "https://catalogue.health-data-hub.fr/"
EXAMPLES = {example.name: example for example in load_examples()}


def _run(client: httpx.Client, name: str) -> list[dict[str, str]]:
    response = client.post("/sparql", data={"query": EXAMPLES[name].query})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def test_every_example_has_a_title_a_description_and_is_tested() -> None:
    assert len(EXAMPLES) == 8
    for example in EXAMPLES.values():
        assert example.title and len(example.description) > 40
        assert f"test_{example.name[3:].replace('-', '_')}" in globals(), example.name


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_answers_rows(client: httpx.Client, name: str) -> None:
    assert _run(client, name)


def test_variables_by_keyword(client: httpx.Client) -> None:
    rows = _run(client, "01-variables-by-keyword")
    assert [(r["name"], r["table"], r["dataset"]) for r in rows] == [
        ("DGN_PAL", BASE + "table/T_MCOaaB", BASE + "dataset/pmsi-mco")
    ]


def test_table_variables_and_code_lists(client: httpx.Client) -> None:
    rows = {r["name"]: r for r in _run(client, "02-table-variables-and-code-lists")}
    assert sorted(rows) == ["BEN_AMA_COD", "BEN_NIR_PSA", "PRS_REM_MNT"]
    assert rows["BEN_AMA_COD"]["codeList"] == BASE + "codelist/IR_AMA_V"
    assert rows["BEN_AMA_COD"]["codeListTitle"] == "Tranches d'âge"
    assert rows["BEN_NIR_PSA"]["primaryKey"] == "true" and "codeList" not in rows["BEN_NIR_PSA"]


def test_tables_using_icd10(client: httpx.Client) -> None:
    rows = _run(client, "03-tables-using-icd10")
    assert [(r["tableName"], r["columnName"], r["codeListId"]) for r in rows] == [("T_MCOaaB", "DGN_PAL", "IR_CIM_V")]


def test_joinable_tables(client: httpx.Client) -> None:
    rows = _run(client, "04-joinable-tables")
    found = {(r["otherName"], r["localColumns"], r["otherColumns"], r["via"]) for r in rows}
    assert found == {
        ("ER_PRS_F", "BEN_NIR_PSA", "BEN_NIR_PSA", "hdh:references"),
        ("ER_PRS_F", "BEN_NIR_PSA", "BEN_NIR_PSA", "csvw:foreignKey"),
        ("T_MCOaaB", "BEN_NIR_PSA", "BEN_NIR_PSA", "hdh:references"),
        ("T_MCOaaB", "BEN_NIR_PSA", "BEN_NIR_PSA", "csvw:foreignKey"),
    }
    assert {r["direction"] for r in rows} == {"references this table"}


def test_codes_of_a_code_list(client: httpx.Client) -> None:
    rows = _run(client, "05-codes-of-a-code-list")
    assert [(r["code"], r["label"]) for r in rows] == [("1", "Masculin"), ("2", "Féminin")]


def test_datasets_by_theme_and_access(client: httpx.Client) -> None:
    rows = {r["dataset"].removeprefix(BASE): r for r in _run(client, "06-datasets-by-theme-and-access")}
    assert rows["dataset/open-damir"]["access"] == "PUBLIC"
    assert rows["dataset/open-damir"]["themes"] in ("ECON, HEAL", "HEAL, ECON")
    assert rows["dataset/dcir"]["access"] == "NON_PUBLIC" and rows["dataset/dcir"]["tables"] == "2"
    assert rows["dataset/pmsi-mco"]["tables"] == "1"


def test_provenance(client: httpx.Client) -> None:
    rows = _run(client, "07-provenance")
    agents = {(r["dataset"], r.get("agentName")) for r in rows if "role" in r}
    assert (BASE + "dataset/dcir", "Caisse nationale de l'Assurance Maladie") in agents
    dcir = next(r for r in rows if r["dataset"] == BASE + "dataset/dcir" and "role" in r)
    assert dcir["activity"] == BASE + "dataset/dcir#activity"
    assert dcir["provenance"].startswith("Extrait chaque mois")
    sources = {r["table"]: r["source"] for r in rows if "source" in r}
    assert sources[BASE + "table/ER_PRS_F"].endswith("schemas/DCIR/ER_PRS_F.json")
    assert len(sources) == 3


def test_matching_variables(client: httpx.Client) -> None:
    rows = _run(client, "08-matching-variables")
    # the mapping within the DCIR is left out; the one stated from the PMSI side reads from this variable's side
    assert [(r["matchName"], r["dataset"], r["property"]) for r in rows] == [
        ("BEN_NIR_PSA", BASE + "dataset/pmsi-mco", "http://www.w3.org/2004/02/skos/core#narrowMatch")
    ]
    assert rows[0]["notion"] == "Pseudonym of the patient"
    assert rows[0]["justification"] == "The patient of a stay is a beneficiary."
    assert rows[0]["sources"] == "https://example.org/pmsi"
