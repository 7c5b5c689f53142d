"""Each of our rules on its pair of fixtures (fixtures/<rule>/ok.ttl and bad.ttl), with both engines.

The bad fixture must produce the rule's result on the line where the offending resource is described; the ok
fixture must not produce it. Both engines must agree on every result of every fixture.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

from hdh_graph.settings import Settings
from hdh_graph.validation import Severity, ValidationReport, validate_catalogue

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SHAPES = HERE.parents[1] / "shapes"
RULES = sorted(p.name for p in FIXTURES.iterdir() if (p / "ok.ttl").is_file())
CACHE_ROOT = Path(tempfile.mkdtemp(prefix="hdh-validation-tests-"))
WARNING_RULES = {"dataset-english", "foreign-key-unresolved"}


def validate_one(tmp_path: Path, fixture: Path, engine: str) -> ValidationReport:
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir(parents=True, exist_ok=True)
    shutil.copy(fixture, catalogue / fixture.name)
    # one cache folder for the whole run: the shapes are compiled once
    settings = Settings(catalogue=catalogue, store=CACHE_ROOT / "var" / "store")
    return validate_catalogue(settings, engine=engine, shapes_dir=SHAPES)


def test_every_rule_of_hdh_ttl_has_a_fixture_pair() -> None:
    rules = set(re.findall(r"^hdhsh:([a-z0-9-]+) a sh:NodeShape", (SHAPES / "hdh.ttl").read_text(), re.M))
    assert rules == set(RULES)
    for rule in RULES:
        assert (FIXTURES / rule / "ok.ttl").is_file() and (FIXTURES / rule / "bad.ttl").is_file()


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
@pytest.mark.parametrize("rule", RULES)
def test_bad_fixture_breaks_the_rule_where_the_resource_is_described(tmp_path: Path, rule: str, engine: str) -> None:
    fixture = FIXTURES / rule / "bad.ttl"
    report = validate_one(tmp_path, fixture, engine)
    mine = [r for r in report.results if r.rule == f"hdhsh:{rule}"]
    assert mine, f"{rule}: no result on bad.ttl"
    expected = Severity.WARNING if rule in WARNING_RULES else Severity.VIOLATION
    lines = fixture.read_text().splitlines()
    for result in mine:
        assert result.severity is expected
        assert result.file == "bad.ttl"
        assert result.message_fr and result.message_en and result.message_fr != result.message_en
        assert result.hint_fr and result.hint_en
        local = result.resource.split("catalogue.health-data-hub.fr/", 1)[1]
        assert lines[result.line - 1].startswith(f"<{local}>"), (result.line, local)


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
@pytest.mark.parametrize("rule", RULES)
def test_ok_fixture_keeps_the_rule(tmp_path: Path, rule: str, engine: str) -> None:
    report = validate_one(tmp_path, FIXTURES / rule / "ok.ttl", engine)
    assert [r for r in report.results if r.rule == f"hdhsh:{rule}"] == []


@pytest.mark.parametrize("kind", ["ok", "bad"])
@pytest.mark.parametrize("rule", RULES)
def test_engines_agree_on_every_result(tmp_path: Path, rule: str, kind: str) -> None:
    fixture = FIXTURES / rule / f"{kind}.ttl"
    fast = validate_one(tmp_path / "fast", fixture, "sparql")
    reference = validate_one(tmp_path / "ref", fixture, "pyshacl")
    assert fast.results == reference.results


def test_privacy_values_are_not_repeated_in_the_report(tmp_path: Path) -> None:
    report = validate_one(tmp_path, FIXTURES / "privacy-nir" / "bad.ttl", "sparql")
    (result,) = [r for r in report.results if r.rule == "hdhsh:privacy-nir"]
    assert "999" not in (result.value or "") and "999" not in result.message_en
    assert result.property == "dct:description"


def test_variable_names_that_mention_nir_are_not_personal_data(tmp_path: Path) -> None:
    report = validate_one(tmp_path, FIXTURES / "column-name" / "ok.ttl", "sparql")
    assert not [r for r in report.results if r.rule.startswith("hdhsh:privacy")]
