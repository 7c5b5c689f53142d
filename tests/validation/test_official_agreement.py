"""The catalogue's validation reports what the official shapes report on the same files, and no more.

On three datasets of the synthetic benchmark catalogue (tests/fixtures/synthetic), the project's validation
(``hdh build``, ``hdh validate``) and the official DCAT-AP 3.0.1 / HealthDCAT-AP Release 8 shapes alone (with the
EU vocabularies shipped in shapes/vocabularies/) find the same violations: the literals keep the datatype the
curator wrote (the store normalises ``xsd:nonNegativeInteger`` to ``xsd:integer``) and the IANA media types and
EU file types are typed by the vocabularies.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import rdflib

from hdh_graph.settings import Settings
from hdh_graph.validation import runner
from hdh_graph.validation.model import Result
from hdh_graph.validation.official import Finding, validate_alone, violations

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "synthetic"
BASE = "https://catalogue.example.org/"


def project_violations(folder: Path, tmp: Path) -> list[Result]:
    report = runner.validate_catalogue(Settings(catalogue=folder, store=tmp / "store", base_iri=BASE), use_cache=False)
    return [r for r in report.results if r.severity.value == "violation"]


def official_violations(folder: Path) -> list[Finding]:
    graph = rdflib.Graph()
    for path in sorted(folder.rglob("*.ttl")):
        graph.parse(path, format="turtle", publicID=BASE)
    return violations(validate_alone(graph, "healthdcat-ap"))


def _local(name: str | None) -> str:
    text = (name or "").rsplit("/", 1)[-1]
    return text.replace("#", ":").rsplit(":", 1)[-1]


def test_the_validation_finds_what_the_official_shapes_find(tmp_path: Path) -> None:
    ours = Counter(_local(r.property) for r in project_violations(FIXTURE, tmp_path))
    official = Counter(_local(f.path) for f in official_violations(FIXTURE))
    assert ours == official
    assert sum(ours.values()) == 41  # the fixture has real problems, reported by both


def test_integer_subtypes_and_iana_media_types_are_not_reported(tmp_path: Path) -> None:
    props = {_local(r.property) for r in project_violations(FIXTURE, tmp_path)}
    assert not props & {"byteSize", "numberOfRecords", "mediaType", "format"}


def _copy_with(tmp: Path, old: str, new: str) -> Path:
    folder = tmp / "catalogue"
    shutil.copytree(FIXTURE, folder)
    path = folder / "datasets" / "d000000.ttl"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_a_byte_size_written_as_a_plain_integer_is_still_reported(tmp_path: Path) -> None:
    """What the curator wrote is validated: ``xsd:integer`` is not the ``xsd:nonNegativeInteger`` asked for."""
    folder = _copy_with(tmp_path, '"^^xsd:nonNegativeInteger .', '"^^xsd:integer .')
    found = [r for r in project_violations(folder, tmp_path) if _local(r.property) == "byteSize"]
    assert len(found) == 1 and found[0].file == "datasets/d000000.ttl"
    assert [f for f in official_violations(folder) if _local(f.path) == "byteSize"]


def test_a_negative_byte_size_is_still_reported(tmp_path: Path) -> None:
    text = (FIXTURE / "datasets" / "d000000.ttl").read_text(encoding="utf-8")
    size = text.split("dcat:byteSize ", 1)[1].split("^^", 1)[0]
    folder = _copy_with(tmp_path, f"dcat:byteSize {size}", 'dcat:byteSize "-1"')
    found = [r for r in project_violations(folder, tmp_path) if _local(r.property) == "byteSize"]
    assert len(found) == 1
