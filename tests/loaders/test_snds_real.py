"""The committed SNDS catalogue is exactly what the importer makes of the committed source, and complete."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from hdh_loaders.snds import import_snds

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "loaders" / "sources" / "schema-snds"
CATALOGUE = ROOT / "catalogue"
BASE = "https://example.org/cat/"

pytestmark = pytest.mark.slow


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_regenerating_the_catalogue_is_a_no_op(tmp_path: Path) -> None:
    import_snds(SOURCE, tmp_path)
    for folder in ("snds", "codelists"):
        assert _digest(tmp_path / folder) == _digest(CATALOGUE / folder), (
            f"catalogue/{folder} differs from a fresh import: run `hdh import snds loaders/sources/schema-snds`"
        )


def _source_counts() -> dict[str, int]:
    tables = [json.loads(p.read_text(encoding="utf-8")) for p in (SOURCE / "schemas").rglob("*.json")]
    return {
        "tables": len(tables),
        "variables": sum(len(t["fields"]) for t in tables),
        "foreign keys": sum(len(t.get("foreignKeys") or []) for t in tables),
        "code lists": len(list((SOURCE / "nomenclatures").rglob("*.json"))),
    }


def _graph_counts() -> dict[str, int]:
    store = ox.Store()
    # the SNDS's own files: other databases (catalogue/omop/...) and curated files add tables and schemes
    for path in sorted(p for folder in ("snds", "codelists") for p in (CATALOGUE / folder).rglob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)

    def count(cls: str) -> int:
        (row,) = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}")
        return int(row["n"].value)

    return {
        "tables": count("http://www.w3.org/ns/csvw#Table"),
        "variables": count("http://www.w3.org/ns/csvw#Column"),
        "foreign keys": count("http://www.w3.org/ns/csvw#ForeignKey"),
        "code lists": count("http://www.w3.org/2004/02/skos/core#ConceptScheme"),
    }


def test_graph_counts_equal_the_source() -> None:
    source = _source_counts()
    assert source == {"tables": 188, "variables": 4815, "foreign keys": 197, "code lists": 505}
    assert _graph_counts() == source
