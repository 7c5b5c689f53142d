"""The real SNDS catalogue (catalogue/): conformance goal and the engines' agreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdh_graph.settings import Settings
from hdh_graph.validation import validate_catalogue

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "catalogue"
SHAPES = ROOT / "shapes"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CATALOGUE / "snds").is_dir(), reason="the SNDS catalogue is not imported"),
]

# Violations that come from what the importer does not (yet) write, not from a curator's mistake:
# DCAT-AP range.ttl asks that foaf:page / foaf:homepage values be typed foaf:Document.
KNOWN_IMPORT_GAPS = {
    ("dcatapr:Dataset_Shape", "foaf:page"),
    ("dcatapr:Catalog_Shape", "foaf:homepage"),
}


def settings_for(tmp_path: Path) -> Settings:
    return Settings(catalogue=CATALOGUE, store=tmp_path / "var" / "store")


def test_snds_has_no_violation_beyond_the_known_import_gaps(tmp_path: Path) -> None:
    report = validate_catalogue(settings_for(tmp_path), shapes_dir=SHAPES)
    assert len(report.files_checked) > 10
    kinds = {(r.rule, r.property) for r in report.violations}
    assert kinds <= KNOWN_IMPORT_GAPS, sorted(kinds - KNOWN_IMPORT_GAPS)
    # nothing from our rules: no personal data, keys resolve, every column complete, titles in French
    assert not [r for r in report.violations if r.source == "hdh"]
    if kinds:
        pytest.xfail(f"import gaps remain: {sorted(kinds)}")


def test_engines_agree_on_snds_products(tmp_path: Path) -> None:
    files = [CATALOGUE / "snds" / "causes-deces.ttl", CATALOGUE / "snds" / "beneficiaires.ttl"]
    fast = validate_catalogue(settings_for(tmp_path), files, shapes_dir=SHAPES)
    reference = validate_catalogue(settings_for(tmp_path), files, shapes_dir=SHAPES, engine="pyshacl")
    assert fast.results == reference.results
    assert fast.results  # the recommended properties the importer leaves out are reported as warnings
