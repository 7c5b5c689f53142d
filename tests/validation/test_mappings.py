"""The curated mappings between the SNDS and the OMOP CDM (catalogue/mappings/), notion by notion, and the
shared terminologies both databases' variables link to; the rules on mappings, on a broken copy of the real file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import pytest

from hdh_graph.settings import Settings
from hdh_graph.validation import validate_catalogue

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "catalogue"
MAPPINGS = CATALOGUE / "mappings" / "snds-omop.ttl"
BASE = "https://catalogue.health-data-hub.fr/"
DOC = "https://github.com/indsante/Documentation-SNDS/blob/a2910d5a0f0914c44514146fd68b01bdeaf50498/"
SCHEMA = "https://gitlab.com/healthdatahub/schema-snds/-/blob/fe17ef8348aeb74f38c29016f49e65f82a6168b6/"
OMOP_DOC = "https://ohdsi.github.io/CommonDataModel/cdm54.html#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

# notion -> (SNDS variable, SKOS property, OMOP variable): what the curated file must keep saying
NOTIONS = {
    "person-identifier": ("IR_BEN_R/BEN_NIR_PSA", "closeMatch", "person/person_source_value"),
    "person-identifier-pmsi": ("T_MCOaaC/NIR_ANO_17", "closeMatch", "person/person_source_value"),
    "sex": ("IR_BEN_R/BEN_SEX_COD", "closeMatch", "person/gender_concept_id"),
    "year-of-birth": ("IR_BEN_R/BEN_NAI_ANN", "exactMatch", "person/year_of_birth"),
    "month-of-birth": ("IR_BEN_R/BEN_NAI_MOI", "closeMatch", "person/month_of_birth"),
    "age": ("T_MCOaaB/AGE_ANN", "relatedMatch", "person/year_of_birth"),
    "date-of-death": ("IR_BEN_R/BEN_DCD_DTE", "exactMatch", "death/death_date"),
    "date-of-death-cepidc": ("KI_CCI_R/BEN_DCD_DTE", "exactMatch", "death/death_date"),
    "cause-of-death": ("KI_CCI_R/DCD_CIM_COD", "closeMatch", "death/cause_source_value"),
    "hospital-stay": ("T_MCOaaB/RSA_NUM", "broadMatch", "visit_occurrence/visit_occurrence_id"),
    "admission-date": ("T_MCOaaC/EXE_SOI_DTD", "closeMatch", "visit_occurrence/visit_start_date"),
    "discharge-date": ("T_MCOaaC/EXE_SOI_DTF", "closeMatch", "visit_occurrence/visit_end_date"),
    "admitted-from": ("T_MCOaaB/ENT_PRV", "closeMatch", "visit_occurrence/admitted_from_source_value"),
    "discharged-to": ("T_MCOaaB/SOR_DES", "closeMatch", "visit_occurrence/discharged_to_source_value"),
    "medical-unit-stay": ("T_MCOaaUM/UM_ORD_NUM", "broadMatch", "visit_detail/visit_detail_id"),
    "care-start-date": ("ER_PRS_F/EXE_SOI_DTD", "closeMatch", "visit_occurrence/visit_start_date"),
    "care-end-date": ("ER_PRS_F/EXE_SOI_DTF", "closeMatch", "visit_occurrence/visit_end_date"),
    "kind-of-care": ("ER_PRS_F/PRS_NAT_REF", "relatedMatch", "visit_occurrence/visit_source_value"),
    "principal-diagnosis": ("T_MCOaaB/DGN_PAL", "broadMatch", "condition_occurrence/condition_source_value"),
    "associated-diagnosis": ("T_MCOaaD/ASS_DGN", "broadMatch", "condition_occurrence/condition_source_value"),
    "hospital-procedure": ("T_MCOaaA/CDC_ACT", "broadMatch", "procedure_occurrence/procedure_source_value"),
    "outpatient-procedure": ("ER_CAM_F/CAM_PRS_IDE", "broadMatch", "procedure_occurrence/procedure_source_value"),
    "dispensed-drug": ("ER_PHA_F/PHA_PRS_C13", "broadMatch", "drug_exposure/drug_source_value"),
    "drug-class": ("ER_PHA_F/PHA_PRS_C13", "relatedMatch", "drug_exposure/drug_concept_id"),
    "quantity-dispensed": ("ER_PHA_F/PHA_ACT_QSN", "relatedMatch", "drug_exposure/quantity"),
    "hospital-drug": ("ER_UCD_F/UCD_UCD_COD", "broadMatch", "drug_exposure/drug_source_value"),
    "hospital-drug-pmsi": ("T_MCOaaMED/UCD_UCD_COD", "broadMatch", "drug_exposure/drug_source_value"),
    "health-care-facility": ("T_MCOaaB/ETA_NUM", "closeMatch", "care_site/care_site_source_value"),
    "health-professional": ("ER_PRS_F/PFS_EXE_NUM", "closeMatch", "provider/provider_source_value"),
    "specialty": ("ER_PRS_F/PSE_SPE_COD", "closeMatch", "provider/specialty_source_value"),
}
# the notions every mapping set between the SNDS and a hospital warehouse must cover, each by at least one record
REQUIRED = {
    "person and pseudonymous identifier": {"person-identifier", "person-identifier-pmsi"},
    "sex": {"sex"},
    "year of birth": {"year-of-birth"},
    "dates of care": {"care-start-date", "care-end-date", "admission-date", "discharge-date"},
    "hospital stays": {"hospital-stay", "medical-unit-stay"},
    "visits": {"kind-of-care"},
    "diagnoses (ICD-10)": {"principal-diagnosis", "associated-diagnosis", "cause-of-death"},
    "procedures (CCAM)": {"hospital-procedure", "outpatient-procedure"},
    "drugs (ATC, CIP, UCD)": {"dispensed-drug", "drug-class", "hospital-drug", "hospital-drug-pmsi"},
    "deaths (date of death)": {"date-of-death", "date-of-death-cepidc"},
}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    graph = ox.Store()
    for path in sorted(CATALOGUE.rglob("*.ttl")):
        graph.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    return graph


def _objects(store: ox.Store, subject: str, predicate: str) -> list[ox.NamedNode | ox.Literal]:
    found = store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)
    return [q.object for q in found]  # type: ignore[misc]


def _dataset_of(store: ox.Store, column: str) -> str:
    (row,) = store.query(
        f"SELECT ?d WHERE {{ ?t <http://www.w3.org/ns/csvw#column> <{column}> ; "
        "<http://purl.org/dc/terms/isPartOf> ?d }"
    )
    return str(row["d"].value)


def test_every_record_of_the_file_is_a_notion_tested_here(store: ox.Store) -> None:
    records = {
        q.subject.value.removeprefix(BASE + "mapping/snds-omop/")
        for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2002/07/owl#annotatedSource"), None)
    }
    assert records == set(NOTIONS)
    assert len(NOTIONS) >= 15


@pytest.mark.parametrize("notion", sorted(NOTIONS))
def test_each_notion_maps_an_snds_variable_to_an_omop_variable(store: ox.Store, notion: str) -> None:
    source, prop, target = NOTIONS[notion]
    record = f"{BASE}mapping/snds-omop/{notion}"
    owl = "http://www.w3.org/2002/07/owl#"
    assert _objects(store, record, owl + "annotatedSource") == [ox.NamedNode(f"{BASE}table/{source}")]
    assert _objects(store, record, owl + "annotatedProperty") == [ox.NamedNode(SKOS + prop)]
    assert _objects(store, record, owl + "annotatedTarget") == [ox.NamedNode(f"{BASE}table/{target}")]
    # both variables exist, one in an SNDS product, the other in the OMOP model
    snds_dataset = _dataset_of(store, f"{BASE}table/{source}")
    assert snds_dataset != BASE + "dataset/omop-cdm"
    assert BASE + "dataset/snds" in {
        o.value for o in _objects(store, snds_dataset, "http://purl.org/dc/terms/isPartOf")
    }
    assert _dataset_of(store, f"{BASE}table/{target}") == BASE + "dataset/omop-cdm"
    # a justification in both languages, a label naming the notion
    texts = {o.language: o.value for o in _objects(store, record, "https://w3id.org/sssom/curation_rule_text")}
    assert set(texts) == {"fr", "en"} and all(len(t) > 40 for t in texts.values())
    for text in texts.values():  # the justification names both variables
        assert source.split("/")[1] in text and target.split("/")[1] in text, text
    labels = {o.language for o in _objects(store, record, "http://www.w3.org/2000/01/rdf-schema#label")}
    assert labels == {"fr", "en"}


@pytest.mark.parametrize("notion", sorted(NOTIONS))
def test_each_notion_cites_the_documentation_of_both_variables(store: ox.Store, notion: str) -> None:
    """The OMOP page of the target's table, and an SNDS page (in the copy of the documentation or of the schema)
    that names the source variable."""
    source, _, target = NOTIONS[notion]
    sources = {o.value for o in _objects(store, f"{BASE}mapping/snds-omop/{notion}", "http://purl.org/dc/terms/source")}
    assert OMOP_DOC + target.split("/")[0] in sources
    (snds,) = sources - {OMOP_DOC + target.split("/")[0]}
    if snds.startswith(DOC):
        page = ROOT / "loaders" / "sources" / "documentation-snds" / unquote(snds.removeprefix(DOC))
    else:
        assert snds.startswith(SCHEMA)
        page = ROOT / "loaders" / "sources" / "schema-snds" / unquote(snds.removeprefix(SCHEMA))
    assert source.split("/")[1] in page.read_text(encoding="utf-8"), (notion, page)


@pytest.mark.parametrize("notion", sorted(REQUIRED))
def test_the_core_notions_are_covered(notion: str) -> None:
    assert REQUIRED[notion] <= set(NOTIONS)


TERMINOLOGIES = """
PREFIX csvw: <http://www.w3.org/ns/csvw#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT ?terminology ?dataset (COUNT(DISTINCT ?column) AS ?columns) WHERE {
  ?terminology a <http://www.w3.org/2004/02/skos/core#ConceptScheme> .
  FILTER(STRSTARTS(STR(?terminology), "%sterminology/"))
  { ?column qb:codeList ?terminology } UNION { ?column qb:codeList/dct:conformsTo ?terminology }
  ?table csvw:column ?column ; dct:isPartOf ?product .
  BIND(IF(?product = <%sdataset/omop-cdm>, "omop", "snds") AS ?dataset)
}
GROUP BY ?terminology ?dataset
"""


def test_shared_terminologies_are_linked_from_both_databases(store: ox.Store) -> None:
    rows = store.query(TERMINOLOGIES % (BASE, BASE))
    linked = {(str(r["terminology"].value).rsplit("/", 1)[1], str(r["dataset"].value)) for r in rows}
    for name in ("cim-10", "ccam", "cip", "ucd"):
        assert {(name, "snds"), (name, "omop")} <= linked, name
    assert ("atc", "snds") in linked
    # ATC classifies the drugs of OMOP's Drug domain
    assert _objects(store, BASE + "terminology/atc", "http://purl.org/dc/terms/relation") == [
        ox.NamedNode(BASE + "codelist/omop-domain-drug")
    ]
    # the ICD-10 versions of the SNDS and OMOP's source values meet on the same terminology
    (icd,) = _objects(store, BASE + "terminology/cim-10", "http://purl.org/dc/terms/conformsTo")
    assert icd.value.endswith("/coding-system/ICD-10")


# -- the rules, on a broken copy of the real file validated with the real catalogue as context -----------------


def _validate_copy(tmp_path: Path, edit: tuple[str, str]) -> tuple[list, list[str]]:
    copy = tmp_path / "snds-omop.ttl"
    text = MAPPINGS.read_text(encoding="utf-8")
    assert edit[0] in text
    copy.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    settings = Settings(catalogue=CATALOGUE, store=tmp_path / "var" / "store")
    report = validate_catalogue(settings, [copy], shapes_dir=ROOT / "shapes", use_cache=False)
    return report.violations, copy.read_text(encoding="utf-8").splitlines()


@pytest.mark.slow
def test_a_mapping_to_a_variable_that_does_not_exist_is_reported_at_its_record(tmp_path: Path) -> None:
    violations, lines = _validate_copy(
        tmp_path,
        ("owl:annotatedTarget <table/person/year_of_birth> ;", "owl:annotatedTarget <table/person/year_birth> ;"),
    )
    (result,) = violations
    assert result.rule == "hdhsh:mapping-variables-exist"
    assert lines[result.line - 1].startswith("<mapping/snds-omop/")
    assert "table/person/year_birth" in (result.value or "") and result.hint_en and "IRI" in result.hint_en


@pytest.mark.slow
def test_a_mapping_between_two_variables_of_one_table_is_reported(tmp_path: Path) -> None:
    violations, lines = _validate_copy(
        tmp_path,
        (
            "owl:annotatedTarget <table/person/gender_concept_id> ;",
            "owl:annotatedTarget <table/IR_BEN_R/BEN_NIR_PSA> ;",
        ),
    )
    (result,) = violations
    assert result.rule == "hdhsh:mapping-same-table"
    assert lines[result.line - 1] == "<mapping/snds-omop/sex>"
    assert result.value and "table/IR_BEN_R" in result.value


@pytest.mark.slow
def test_the_real_mapping_files_conform(tmp_path: Path) -> None:
    settings = Settings(catalogue=CATALOGUE, store=tmp_path / "var" / "store")
    report = validate_catalogue(settings, [CATALOGUE / "mappings"], shapes_dir=ROOT / "shapes", use_cache=False)
    assert report.violations == [] and report.warnings == []
    assert len(report.files_checked) == 2
