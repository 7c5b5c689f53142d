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


def settings_for(tmp_path: Path) -> Settings:
    return Settings(catalogue=CATALOGUE, store=tmp_path / "var" / "store")


def test_snds_has_no_violation_at_its_level_and_against_our_rules(tmp_path: Path) -> None:
    report = validate_catalogue(settings_for(tmp_path), shapes_dir=SHAPES)
    assert len(report.files_checked) > 10
    assert report.violations == [], sorted({(r.rule, r.property) for r in report.violations})
    assert report.conforms
    # what remains are the official recommendations the source cannot fill, and no rule of ours
    assert {r.source for r in report.warnings} <= {"dcat-ap", "healthdcat-ap"}


def test_engines_agree_on_snds_products(tmp_path: Path) -> None:
    files = [CATALOGUE / "snds" / "causes-deces.ttl", CATALOGUE / "snds" / "beneficiaires.ttl"]
    fast = validate_catalogue(settings_for(tmp_path), files, shapes_dir=SHAPES)
    reference = validate_catalogue(settings_for(tmp_path), files, shapes_dir=SHAPES, engine="pyshacl")
    assert fast.results == reference.results
    assert fast.results  # the recommended properties the importer leaves out are reported as warnings
