"""The shape of a project of the register, on the EXAMPLE projects of tests/fixtures/projects/ validated with the
real catalogue as context: they conform; a project naming an unknown dataset, or missing its decision's date, is a
violation at the line where it is described."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdh_graph.settings import Settings
from hdh_graph.validation import ValidationReport, validate_catalogue

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "catalogue"
EXAMPLES = ROOT / "tests" / "fixtures" / "projects" / "register-examples.ttl"


def _validate(tmp_path: Path, edits: list[tuple[str, str]] | None = None) -> tuple[ValidationReport, list[str]]:
    text = EXAMPLES.read_text(encoding="utf-8")
    for old, new in edits or []:
        assert old in text
        text = text.replace(old, new, 1)
    copy = tmp_path / "register.ttl"
    copy.write_text(text, encoding="utf-8")
    settings = Settings(catalogue=CATALOGUE, store=tmp_path / "var" / "store")
    return validate_catalogue(settings, [copy], shapes_dir=ROOT / "shapes", use_cache=False), text.splitlines()


def test_the_example_projects_conform(tmp_path: Path) -> None:
    report, _ = _validate(tmp_path)
    assert report.results == []
    assert "EXEMPLE" in EXAMPLES.read_text(encoding="utf-8")  # clearly labelled as examples
    assert not list(CATALOGUE.rglob("*project*"))  # the register's entries are the hub's to add, never examples


def test_a_project_naming_an_unknown_dataset_is_a_violation_at_its_line(tmp_path: Path) -> None:
    report, lines = _validate(
        tmp_path, [("<dataset/pmsi-mco> , <dataset/beneficiaires>", "<dataset/pmsi-mcoo> , <dataset/beneficiaires>")]
    )
    (result,) = report.violations
    assert result.rule == "hdhsh:project-dataset-exists"
    assert lines[result.line - 1] == "<project/example-heart-failure>"
    assert result.value and "dataset/pmsi-mcoo" in result.value
    assert result.hint_fr and "IRI du jeu de données" in result.hint_fr


@pytest.mark.parametrize(
    ("edit", "rule", "line_start", "property_"),
    [
        (
            ('    dct:issued "2021-06-10"^^xsd:date ;\n', ""),
            "hdhsh:project-decision",
            "<project/example-heart-failure#decision>",
            "dct:issued",
        ),
        (
            ("dpv:hasActivityStatus dpv:ActivityOngoing", "dpv:hasActivityStatus dpv:Running"),
            "hdhsh:project-required",
            "<project/example-warehouse-study>",
            "dpv:hasActivityStatus",
        ),
        (
            ("dpv:hasDataController <agent/example-hospital>", "dpv:hasDataController <agent/nobody>"),
            "hdhsh:project-required",
            "<project/example-warehouse-study>",
            "dpv:hasDataController",
        ),
        (
            (
                'dct:issued "2021-06-10"^^xsd:date ;\n    prov:wasAttributedTo <agent/cnil> .',
                'dct:issued "2021-06-10"^^xsd:date ;\n    prov:wasAttributedTo <agent/cnill> .',
            ),
            "hdhsh:project-decision",
            "<project/example-heart-failure#decision>",
            "prov:wasAttributedTo",
        ),
    ],
)
def test_what_a_project_must_say(
    tmp_path: Path, edit: tuple[str, str], rule: str, line_start: str, property_: str
) -> None:
    report, lines = _validate(tmp_path, [edit])
    (result,) = report.violations
    assert (result.rule, result.property) == (rule, property_)
    assert lines[result.line - 1] == line_start


def test_the_query_of_docs_projects_lists_the_projects_of_a_dataset() -> None:
    import re

    import pyoxigraph as ox

    base = "https://catalogue.health-data-hub.fr/"
    store = ox.Store()
    for path in [*sorted(CATALOGUE.rglob("*.ttl")), EXAMPLES]:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base)
    (query,) = re.findall(r"```sparql\n(.*?)```", (ROOT / "docs" / "projects.md").read_text(encoding="utf-8"), re.S)
    rows = [(r["project"].value, r["decided"].value) for r in store.query(query, base_iri=base)]  # type: ignore[union-attr]
    assert rows == [
        (base + "project/example-warehouse-study", "2023-11-20"),
        (base + "project/example-heart-failure", "2021-06-10"),
    ]
