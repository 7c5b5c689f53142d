"""The committed OMOP catalogue is exactly what the importer makes of the committed source, and complete."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from hdh_loaders.omop import import_omop

from hdh_graph.settings import Settings
from hdh_graph.validation import validate_catalogue

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "loaders" / "sources" / "omop-cdm"
CATALOGUE = ROOT / "catalogue"
BASE = "https://example.org/cat/"
CSVW = "http://www.w3.org/ns/csvw#"


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_regenerating_the_omop_catalogue_is_a_no_op(tmp_path: Path) -> None:
    import_omop(SOURCE, tmp_path)
    assert _digest(tmp_path / "omop") == _digest(CATALOGUE / "omop"), (
        "catalogue/omop differs from a fresh import: run `hdh import omop loaders/sources/omop-cdm`"
    )


def _csv_counts() -> dict[str, int]:
    with (SOURCE / "OMOP_CDMv5.4_Table_Level.csv").open(encoding="utf-8", newline="") as text:
        tables = list(csv.DictReader(text))
    with (SOURCE / "OMOP_CDMv5.4_Field_Level.csv").open(encoding="utf-8", newline="") as text:
        fields = list(csv.DictReader(text))
    return {
        "tables": len(tables),
        "fields": len(fields),
        "required": sum(f["isRequired"] == "Yes" for f in fields),
        "primary keys": sum(f["isPrimaryKey"] == "Yes" for f in fields),
        "foreign keys": sum(f["isForeignKey"] == "Yes" for f in fields),
        "domains": len({d.strip() for f in fields for d in f["fkDomain"].split(",") if f["fkDomain"] != "NA"}),
    }


def _graph_counts() -> dict[str, int]:
    store = ox.Store()
    for path in sorted((CATALOGUE / "omop").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)

    def count(pattern: str) -> int:
        (row,) = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(row["n"].value)

    return {
        "tables": count(f"?t a <{CSVW}Table>"),
        "fields": count(f"?c a <{CSVW}Column>"),
        "required": count(f"?c <{CSVW}required> true"),
        "primary keys": count(f"?t <{CSVW}primaryKey> ?c"),
        "foreign keys": count(f"?k a <{CSVW}ForeignKey>"),
        "domains": count("?s a <http://www.w3.org/2004/02/skos/core#ConceptScheme>"),
    }


def test_graph_counts_equal_the_csv_files() -> None:
    source = _csv_counts()
    assert source == {
        "tables": 39,
        "fields": 432,
        "required": 180,
        "primary keys": 28,
        "foreign keys": 176,
        "domains": 16,
    }
    assert _graph_counts() == source


@pytest.mark.slow
def test_the_omop_files_have_no_violation(tmp_path: Path) -> None:
    settings = Settings(catalogue=CATALOGUE, store=tmp_path / "var" / "store")
    report = validate_catalogue(settings, [CATALOGUE / "omop"], shapes_dir=ROOT / "shapes")
    assert len(report.files_checked) == 5
    assert report.violations == [], sorted({(r.rule, r.property) for r in report.violations})
    # what remains are the official recommendations a data model cannot fill (number of records, ages...)
    assert {r.source for r in report.warnings} <= {"dcat-ap", "healthdcat-ap"}
    assert {r.resource for r in report.warnings} <= {
        "https://catalogue.health-data-hub.fr/dataset/omop-cdm",
        "https://catalogue.health-data-hub.fr/dataset/omop-cdm#access",
    }
