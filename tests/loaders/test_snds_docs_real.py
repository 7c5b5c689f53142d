"""The committed docs-snds catalogue is what the importer makes of the committed documentation and catalogue."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hdh_loaders.snds_docs import FOLDER, import_snds_docs

from hdh_graph.settings import Settings
from hdh_graph.validation import validate_catalogue

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "loaders" / "sources" / "documentation-snds"
CATALOGUE = ROOT / "catalogue"
SKOS = "http://www.w3.org/2004/02/skos/core#"

pytestmark = pytest.mark.slow


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_regenerating_docs_snds_is_a_no_op(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, catalogue, ignore=shutil.ignore_patterns("*.csv", FOLDER))
    import_snds_docs(SOURCE, catalogue)
    assert _digest(catalogue / FOLDER) == _digest(CATALOGUE / FOLDER), (
        f"catalogue/{FOLDER} differs from a fresh import: run `hdh import snds-docs loaders/sources/documentation-snds`"
    )


def test_every_glossary_page_is_a_term() -> None:
    pages = [p for p in (SOURCE / "glossaire").glob("*.md") if p.name != "README.md"]
    store = ox.Store()
    store.load(path=str(CATALOGUE / FOLDER / "glossary.ttl"), format=ox.RdfFormat.TURTLE, base_iri="https://x/")
    (row,) = store.query(
        f"SELECT (COUNT(?t) AS ?n) (COUNT(?d) AS ?d) "
        f"WHERE {{ ?t a <{SKOS}Concept> OPTIONAL {{ ?t <{SKOS}definition> ?d }} }}"
    )
    assert int(row["n"].value) == len(pages) == 129
    assert int(row["d"].value) == 110  # 19 pages of the documentation are stubs with a title only
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?t <http://purl.org/dc/terms/isReferencedBy> ?r }")
    assert int(row["n"].value) > 800


def test_docs_snds_has_no_violation(tmp_path: Path) -> None:
    settings = Settings(catalogue=CATALOGUE, store=tmp_path / "var" / "store")
    report = validate_catalogue(settings, [CATALOGUE / FOLDER], shapes_dir=ROOT / "shapes")
    assert report.violations == [], sorted({(r.rule, r.property) for r in report.violations})
    assert report.warnings == []
