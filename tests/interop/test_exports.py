"""Exports beyond DCAT: Croissant JSON-LD and the data dictionary as CSV and Excel."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from hdh_loaders.dictionary import import_dictionary
from interop_support import BASE

from hdh_graph.feed.croissant import croissant
from hdh_graph.feed.dictionary_export import HEADER, dictionary_csv, dictionary_xlsx
from hdh_graph.feed.variables import UnknownDataset
from hdh_graph.vocab import RDF

DCIR = BASE + "dataset/dcir"


def test_croissant_describes_tables_as_record_sets(store):
    doc = json.loads(croissant(store, DCIR))
    assert doc["@type"] == "sc:Dataset" and doc["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert doc["name"] == "DCIR: inter-scheme consumption datamart"
    assert doc["creator"]["name"] == "Health Data Hub"
    (record_set,) = doc["recordSet"]
    assert record_set["name"] == "ER_PRS_F"
    fields = {f["name"]: f for f in record_set["field"]}
    assert fields["BEN_AMA_COD"]["dataType"] == "sc:Integer"
    assert fields["PRS_NAT_REF"]["dataType"] == "sc:Text"
    assert fields["BEN_AMA_COD"]["source"]["extract"] == {"column": "BEN_AMA_COD"}
    assert fields["BEN_AMA_COD"]["sameAs"] == BASE + "codelist/IR_AMA_V"
    assert record_set["key"] == [{"@id": "ER_PRS_F/PRS_NAT_REF"}]
    # it is JSON-LD: the context expands it into schema.org / Croissant triples
    g = ox.Store()
    g.load(croissant(store, DCIR), format=ox.RdfFormat.JSON_LD, base_iri=DCIR + "/croissant.json")
    types = {q.object.value for q in g.quads_for_pattern(None, ox.NamedNode(RDF.type), None, None)}
    assert {
        "https://schema.org/Dataset",
        "http://mlcommons.org/croissant/RecordSet",
        "http://mlcommons.org/croissant/Field",
    } <= types


def test_unknown_dataset_is_a_clear_error(store):
    with pytest.raises(UnknownDataset) as err:
        croissant(store, BASE + "dataset/nope")
    assert "hdh build" in (err.value.hint or "")


def test_dictionary_csv_has_one_row_per_variable(store):
    data = dictionary_csv(store, DCIR)
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == HEADER
    assert [r[:5] for r in table[1:]] == [
        [
            "ER_PRS_F",
            "BEN_AMA_COD",
            "Âge du bénéficiaire",
            "Âge du bénéficiaire au moment des soins, en années.",
            "integer",
        ],
        ["ER_PRS_F", "PRS_NAT_REF", "Nature de prestation de référence", "", "string"],
    ]
    assert table[1][5] == "IR_AMA_V" and table[2][9] == "yes"


def test_dictionary_excel_reads_back(store):
    load_workbook = pytest.importorskip("openpyxl").load_workbook

    book = load_workbook(io.BytesIO(dictionary_xlsx(store, DCIR)))
    assert book.sheetnames == ["variables", "about"]
    values = [[c or "" for c in row] for row in book["variables"].iter_rows(values_only=True)]
    assert values[0] == HEADER and len(values) == 3


def test_an_exported_dictionary_imports_back_to_the_same_variables(store, settings, tmp_path):
    exported = tmp_path / "dcir.csv"
    exported.write_bytes(dictionary_csv(store, DCIR))
    report = import_dictionary(exported, "dataset/dcir", settings)
    assert report.variables == 2 and report.tables == ["ER_PRS_F"]
    assert report.unmapped_columns == ["iri"]
    assert report.linked_codelists == ["IR_AMA_V"] and report.missing_codelists == []
    g = ox.Store()
    g.load(path=str(report.file), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    col = ox.NamedNode(BASE + "table/ER_PRS_F/BEN_AMA_COD")
    datatype = [
        q.object.value for q in g.quads_for_pattern(col, ox.NamedNode("http://www.w3.org/ns/csvw#datatype"), None, None)
    ]
    assert datatype == ["integer"]


def test_mlcroissant_reads_our_croissant_without_errors(store, tmp_path):
    """The MLCommons reference library (in its own venv under build/) loads the file: no error."""
    import subprocess
    from pathlib import Path

    from ckan_roundtrip_support import ensure_venv

    here = Path(__file__).parent
    python = ensure_venv(here.parents[1] / "build" / "croissant-venv", here / "croissant-requirements.txt")
    path = tmp_path / "dcir.croissant.json"
    path.write_bytes(croissant(store, DCIR))
    done = subprocess.run(
        [str(python), str(here / "croissant_check.py"), str(path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert found["errors"] == []
    assert found["record_sets"] == {"ER_PRS_F": ["BEN_AMA_COD", "PRS_NAT_REF"]}
