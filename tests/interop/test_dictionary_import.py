"""Data dictionaries (CSV, Excel, Table Schema, Data Package) into variables of a dataset."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hdh_loaders.dictionary import import_dictionary
from interop_support import BASE, FIXTURES

from hdh_graph.errors import HdhError, SourceErrors
from hdh_graph.settings import Settings
from hdh_graph.vocab import CSVW, DCT, HEALTHDCATAP, QB, SKOS, XSD

DICTS = FIXTURES / "dictionaries"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    shutil.copytree(FIXTURES / "catalogue", tmp_path / "catalogue")
    return Settings(catalogue=tmp_path / "catalogue", base_iri=BASE)


def _load(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    return store


def _values(store: ox.Store, s: str, p: str) -> list[str]:
    return sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode(BASE + s), ox.NamedNode(p), None, None))


def _literal(store: ox.Store, s: str, p: str) -> ox.Literal:
    (quad,) = store.quads_for_pattern(ox.NamedNode(BASE + s), ox.NamedNode(p), None, None)
    return quad.object


def test_csv_dictionary_with_french_headers(settings):
    report = import_dictionary(DICTS / "cohorte-variables.csv", BASE + "dataset/dcir", settings, table="COHORTE")
    assert report.file == settings.catalogue / "dictionaries" / "dcir" / "COHORTE.ttl"
    assert report.tables == ["COHORTE"] and report.variables == 8
    assert report.unmapped_columns == ["Unité"]
    assert report.unknown_types == ["COHORTE.GEOLOC: type 'geopoint' (written as string, noted in skos:editorialNote)"]
    g = _load(report.file)
    assert _values(g, "dataset/dcir", HEALTHDCATAP.hasVariables) == [BASE + "dataset/dcir/variables"]
    assert _values(g, "dataset/dcir/variables", CSVW.table) == [BASE + "table/COHORTE"]
    assert len(_values(g, "table/COHORTE", CSVW.column)) == 8
    assert _values(g, "table/COHORTE", CSVW.primaryKey) == [BASE + "table/COHORTE/ID_PAT"]
    assert _values(g, "table/COHORTE/ID_PAT", CSVW.datatype) == ["string"]
    assert _values(g, "table/COHORTE/SEXE", CSVW.datatype) == ["integer"]  # NUMBER(1)
    assert _values(g, "table/COHORTE/POIDS", CSVW.datatype) == ["number"]
    assert _literal(g, "table/COHORTE/POIDS", CSVW.minimum) == ox.Literal("0.5", datatype=ox.NamedNode(XSD.decimal))
    assert _literal(g, "table/COHORTE/AGE", CSVW.maximum) == ox.Literal("120", datatype=ox.NamedNode(XSD.integer))
    assert _values(g, "table/COHORTE/ID_PAT", CSVW.required) == ["true"]
    assert _values(g, "table/COHORTE/ID_PAT", SKOS.note) == ["Pseudonymisé"]
    assert _literal(g, "table/COHORTE/AGE", CSVW.title) == ox.Literal("Âge à l'inclusion", language="fr")
    # inline value list -> SKOS in the same file; named list -> link, reported when the catalogue lacks it
    assert _values(g, "table/COHORTE/SEXE", QB.codeList) == [BASE + "codelist/COHORTE-SEXE"]
    assert _values(g, "codelist/COHORTE-SEXE/2", SKOS.prefLabel) == ["Femme"]
    assert len(list(g.quads_for_pattern(None, ox.NamedNode(SKOS.inScheme), None, None))) == 3 + 4
    assert _values(g, "table/COHORTE/DEP_RES", QB.codeList) == [BASE + "codelist/IR_DPT_V"]
    assert report.missing_codelists == ["IR_DPT_V"]
    assert report.inline_codelists == ["COHORTE-SEXE", "COHORTE-IMC_CLASSE"]


def test_a_named_code_list_the_catalogue_defines_is_not_reported(settings, tmp_path):
    dictionary = tmp_path / "d.csv"
    dictionary.write_text("name,label,codelist\nBEN_AMA_COD,Age,IR_AMA_V\n", encoding="utf-8")
    report = import_dictionary(dictionary, "dataset/dcir", settings)
    assert report.linked_codelists == ["IR_AMA_V"] and report.missing_codelists == []


def test_excel_dictionary(settings, tmp_path):
    Workbook = pytest.importorskip("openpyxl").Workbook

    book = Workbook()
    book.active.title = "Lisez-moi"
    book.active.append(["Ce classeur décrit les variables de la cohorte."])
    sheet = book.create_sheet("Variables")
    with (DICTS / "cohorte-variables.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter=";"):
            sheet.append(row)
    path = tmp_path / "cohorte.xlsx"
    book.save(path)
    report = import_dictionary(path, "dataset/dcir", settings, table="COHORTE")
    assert report.variables == 8 and report.unmapped_columns == ["Unité"]
    g = _load(report.file)
    assert _values(g, "codelist/COHORTE-SEXE/9", SKOS.prefLabel) == ["Inconnu"]


def test_real_snds_table_schema(settings):
    report = import_dictionary(DICTS / "T_MCOaaUPGV.json", "dataset/pmsi-mco", settings)
    assert report.tables == ["T_MCOaaUPGV"] and report.variables == 4
    assert "field.length" in report.unmapped_columns and "schema.champ" in report.unmapped_columns
    g = _load(report.file)
    assert _values(g, "table/T_MCOaaUPGV/ETA_NUM", DCT.description) == ["Numéro FINESS"]
    fk = "table/T_MCOaaUPGV#fk-T_MCOaaB"
    assert _values(g, fk, CSVW.columnReference) == [
        BASE + "table/T_MCOaaUPGV/ETA_NUM",
        BASE + "table/T_MCOaaUPGV/RSA_NUM",
    ]
    assert _values(g, fk + "-ref", CSVW.resource) == [BASE + "table/T_MCOaaB"]
    assert _values(g, "table/T_MCOaaUPGV/ETA_NUM", "https://w3id.org/hdh-graph/ns#references") == [
        BASE + "table/T_MCOaaB/ETA_NUM"
    ]


def test_data_package_with_two_resources_and_a_foreign_key(settings):
    report = import_dictionary(DICTS / "datapackage.json", "dataset/dcir", settings)
    assert report.tables == ["PATIENT", "SEJOUR"] and report.variables == 6
    assert report.unmapped_columns == ["field.example"]
    g = _load(report.file)
    assert _values(g, "table/PATIENT", CSVW.primaryKey) == [BASE + "table/PATIENT/PAT_ID"]
    assert _values(g, "table/PATIENT", DCT.description) == ["Une ligne par patient inclus."]
    assert _values(g, "table/PATIENT/DAT_NAI", CSVW["format"]) == ["%Y-%m"]
    assert _values(g, "codelist/PATIENT-SEXE", SKOS.hasTopConcept) == []
    assert len(_values(g, "table/SEJOUR", CSVW.foreignKey)) == 1
    assert _values(g, "table/SEJOUR/PAT_ID", "https://w3id.org/hdh-graph/ns#references") == [
        BASE + "table/PATIENT/PAT_ID"
    ]


def test_same_input_same_bytes(settings):
    first = import_dictionary(DICTS / "datapackage.json", "dataset/dcir", settings).file.read_bytes()
    second = import_dictionary(DICTS / "datapackage.json", "dataset/dcir", settings).file.read_bytes()
    assert first == second


def test_errors_name_the_file_line_and_fix(settings, tmp_path):
    no_name = tmp_path / "no-name.csv"
    no_name.write_text("label,type\nAge,integer\n", encoding="utf-8")
    with pytest.raises(HdhError, match=r"no-name.csv:1: no column names the variables") as err:
        import_dictionary(no_name, "dataset/dcir", settings)
    assert "variable" in (err.value.hint or "")
    blank = tmp_path / "blank.csv"
    blank.write_text("name,label\nA,a\n,b\nC,c\n,d\n", encoding="utf-8")
    with pytest.raises(SourceErrors) as many:
        import_dictionary(blank, "dataset/dcir", settings)
    assert [p.line for p in many.value.problems] == [3, 5]
    with pytest.raises(HdhError, match="not a dataset of this catalogue"):
        import_dictionary(DICTS / "datapackage.json", "https://elsewhere.org/x", settings)
    with pytest.raises(HdhError, match="unknown data dictionary format"):
        import_dictionary(DICTS / "SOURCES.md", "dataset/dcir", settings)
