"""``hdh build`` validates again only what an edit can affect: the saved report is the one a full validation saves.

Each test builds the fixture catalogue once in full, makes one edit, builds again (incrementally) and compares
the ``validation.json`` saved with the new snapshot with the record of a full validation of the catalogue as it
is now.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hdh_graph.build_plan import plan_build
from hdh_graph.publishing import validated_build, validation_record
from hdh_graph.settings import Settings
from hdh_graph.store import VALIDATION_REPORT, build_info
from hdh_graph.validation import validate_catalogue
from hdh_graph.validation.incremental import rules_version

HERE = Path(__file__).parent
CATALOGUE = HERE / "fixtures" / "catalogue"
SITE_CATALOGUE = HERE.parents[1] / "tests" / "site" / "fixtures" / "catalogue"


def write(path: Path, text: str) -> None:
    """Save a file as a curator does, some seconds before the build."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    earlier = time.time_ns() - 10 * 10**9
    os.utime(path, ns=(earlier, earlier))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    write(path, text.replace(old, new))


def built(tmp_path: Path, source: Path = CATALOGUE, copies: int = 0) -> Settings:
    """The catalogue copied (with ``copies`` more dataset files made from ``snds/demo.ttl``), its files dated an
    hour back, built once in full."""
    catalogue = tmp_path / "catalogue"
    shutil.copytree(source, catalogue)
    demo = (catalogue / "snds" / "demo.ttl").read_text(encoding="utf-8") if copies else ""
    # the copies hold a literal that the store gives back in another form ("42"^^xsd:integer): not a change
    demo = demo.replace(
        '    dct:identifier "demo" ;',
        '    dct:identifier "demo" ;\n    hdh:sampleSize "042"^^xsd:nonNegativeInteger ;',
    )
    for number in range(1, copies + 1):
        text = demo.replace("<dataset/demo", f"<dataset/demo{number}").replace("<table/IR_BEN_R", f"<table/T{number}")
        (catalogue / "snds" / f"demo{number}.ttl").write_text(text, encoding="utf-8")
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in catalogue.rglob("*"):
        os.utime(path, ns=(hour_ago, hour_ago))
    settings = Settings(
        catalogue=catalogue, store=tmp_path / "var" / "store", base_iri="https://catalogue.example.org/"
    )
    validated_build(settings, allow_violations=True)
    return settings


def saved(settings: Settings) -> dict[str, object]:
    return json.loads((settings.store / "active" / VALIDATION_REPORT).read_text(encoding="utf-8"))


def full_record(settings: Settings) -> dict[str, object]:
    """What a full validation of the catalogue as it is now saves (through JSON, as the file holds it)."""
    return json.loads(json.dumps(validation_record(validate_catalogue(settings), rules_version())))


def rebuild(settings: Settings) -> int:
    """Build again after one edit; the number of files validated again."""
    messages: list[str] = []
    validated_build(settings, progress=messages.append, allow_violations=True)
    info = build_info(settings)
    assert info is not None and "incremental" in info, messages
    assert "Validating what 1 changed file(s) can affect" in messages, messages
    [again] = [m for m in messages if m.endswith(" file(s) validated again, the others' results kept")]
    return int(again.split()[0])


def results(record: dict[str, object]) -> set[tuple[object, ...]]:
    return {(r["file"], r["rule"], r["resource"], r["property"]) for r in record["results"]}  # type: ignore[index,union-attr]


def _move_down(path: Path, line: str) -> None:
    edit(path, line, "\n\n")
    write(path, path.read_text(encoding="utf-8") + "\n# moved here\n" + line)


def _demo(settings: Settings) -> Path:
    return settings.catalogue / "snds" / "demo3.ttl"


EDITS: dict[str, Callable[[Settings], None]] = {
    # a warning appears: the dataset loses its custodian, which HealthDCAT-AP recommends
    "warning added": lambda s: edit(_demo(s), "    geodcatap:custodian <agent/cnam> ;\n", ""),
    # a violation appears: the dataset loses its keywords (read on the dataset only)
    "violation added": lambda s: edit(_demo(s), '    dcat:keyword "bénéficiaires"@fr , "beneficiaries"@en ;\n', ""),
    # a warning goes: the distribution gets the licence DCAT-AP recommends
    "warning removed": lambda s: edit(
        _demo(s),
        "    dcat:accessURL <https://www.health-data-hub.fr/> ;",
        "    dcat:accessURL <https://www.health-data-hub.fr/> ;\n"
        "    dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ;",
    ),
    # lines move, the triples stay
    "lines moved": lambda s: _move_down(_demo(s), "<catalog> dcat:dataset <dataset/demo3> .\n"),
    # a title changes: rules read titles one link away, so the neighbours are checked again
    "title changed": lambda s: edit(_demo(s), '"Bénéficiaires (démonstration)"@fr', '"Bénéficiaires"@fr'),
    # another file's resource stops being an agent: the datasets that name it as custodian are told, in their files
    "type removed elsewhere": lambda s: edit(
        s.catalogue / "agents.ttl",
        "<agent/cnam>\n    a foaf:Agent , foaf:Organization ;",
        "<agent/cnam> a foaf:Person ;",
    ),
    # the code list the datasets' columns name goes away
    "cited file deleted": lambda s: (s.catalogue / "codelists" / "demo.ttl").unlink(),
    # a dataset file goes away: the catalogue no longer lists it
    "dataset deleted": lambda s: _demo(s).unlink(),
    # a new file, first in path order, adds to the catalogue resource: its results move to that file
    "home moved": lambda s: write(
        s.catalogue / "aaa.ttl",
        '@prefix dct: <http://purl.org/dc/terms/> .\n<catalog> dct:issued "2024-01-01" ; dct:language [] .\n',
    ),
    # a new dataset file
    "file added": lambda s: write(
        s.catalogue / "snds" / "other.ttl",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
        '<catalog> dcat:dataset <dataset/other> .\n<dataset/other> a dcat:Dataset ; dct:title "Autre"@fr ;\n'
        "    dct:publisher <agent/nobody> .\n",
    ),
}
VALIDATED_AGAIN = {
    "violation added": 1,  # rules read keywords on the dataset only: its file alone
    "warning added": 1,
    "lines moved": 1,
    "warning removed": 2,  # rules read a distribution's licence from its dataset too: and the home of its access URL
    "title changed": 3,  # and the homes of the catalogue that lists the dataset and of the agents it names
}
"""How many files are validated again after the edits that stay local (the others reach the whole catalogue)."""


@pytest.mark.parametrize("name", sorted(EDITS))
def test_the_saved_report_is_the_one_a_full_validation_saves(tmp_path: Path, name: str) -> None:
    settings = built(tmp_path, copies=6)  # 10 files: catalog, agents, code list, 7 datasets
    before = saved(settings)
    EDITS[name](settings)
    again = rebuild(settings)
    after = saved(settings)
    assert after == full_record(settings)
    assert again == VALIDATED_AGAIN.get(name, again)
    if name in ("warning added", "violation added", "type removed elsewhere", "cited file deleted", "file added"):
        assert results(after) - results(before)
    if name in ("warning removed", "home moved", "dataset deleted"):
        assert results(before) - results(after)


def test_the_expected_results_come_and_go(tmp_path: Path) -> None:
    settings = built(tmp_path, copies=3)
    demo3 = "https://catalogue.example.org/dataset/demo3"
    custodian = ("snds/demo3.ttl", "r5r:Dataset_Shape", demo3, "geodcatap:custodian")
    licence = ("snds/demo3.ttl", "r5r:Distribution_Shape", demo3 + "#access", "dct:license")
    assert custodian not in results(saved(settings)) and licence in results(saved(settings))
    EDITS["warning added"](settings)
    rebuild(settings)
    assert custodian in results(saved(settings))
    assert {r["severity"] for r in saved(settings)["results"] if r["property"] == "geodcatap:custodian"} == {"warning"}  # type: ignore[union-attr,index]
    EDITS["warning removed"](settings)
    rebuild(settings)
    assert licence not in results(saved(settings)) and custodian in results(saved(settings))
    EDITS["type removed elsewhere"](settings)
    rebuild(settings)
    agents = [r for r in saved(settings)["results"] if r["property"] == "geodcatap:custodian"]  # type: ignore[union-attr,index]
    assert sorted((r["file"], r["severity"]) for r in agents) == [
        (f"snds/demo{n}.ttl", "violation") for n in ("", "1", "2")
    ] + [("snds/demo3.ttl", "warning")]
    assert saved(settings) == full_record(settings)


def test_the_site_fixture_catalogue(tmp_path: Path) -> None:
    settings = built(tmp_path, SITE_CATALOGUE)
    dcir = settings.catalogue / "snds" / "dcir.ttl"
    edit(dcir, "dct:title", "dct:alternative")
    rebuild(settings)
    assert saved(settings) == full_record(settings)


def test_violations_of_files_not_validated_again_still_stop_the_build(tmp_path: Path) -> None:
    from hdh_graph.publishing import CatalogueNotValid

    settings = built(tmp_path, copies=3)
    EDITS["cited file deleted"](settings)
    rebuild(settings)  # built anyway: every dataset's column names a code list that is gone
    EDITS["violation added"](settings)  # only snds/demo3.ttl is validated again
    with pytest.raises(CatalogueNotValid) as caught:
        validated_build(settings)
    text = str(caught.value)
    assert "the catalogue has 5 violation(s)" in text
    assert "snds/demo1.ttl\n  73 violation <table/T1/BEN_SEX_COD> qb:codeList" in text  # kept: no column saved
    assert "snds/demo3.ttl\n  16:1 violation <dataset/demo3> dcat:keyword" in text  # validated again
    assert "  72:1 violation <table/T3/BEN_SEX_COD> qb:codeList" in text


def test_results_made_with_other_rules_are_not_reused(tmp_path: Path) -> None:
    settings = built(tmp_path, copies=3)
    report = settings.store / "active" / VALIDATION_REPORT
    data = json.loads(report.read_text(encoding="utf-8"))
    data["rules"] = "something else"
    data["results"] = []
    report.write_text(json.dumps(data), encoding="utf-8")
    edit(_demo(settings), '"Bénéficiaires (démonstration)"@fr', '"Bénéficiaires"@fr')
    messages: list[str] = []
    validated_build(settings, progress=messages.append, allow_violations=True)
    assert any("cannot be reused" in m for m in messages)
    assert saved(settings) == full_record(settings)


def test_a_full_build_validates_everything(tmp_path: Path) -> None:
    settings = built(tmp_path, copies=3)
    edit(_demo(settings), '"Bénéficiaires (démonstration)"@fr', '"Bénéficiaires"@fr')
    assert plan_build(settings).incremental
    messages: list[str] = []
    validated_build(settings, progress=messages.append, full=True)
    assert not any("changed file(s) can affect" in m for m in messages)
    info = build_info(settings)
    assert info is not None and "incremental" not in info
    assert saved(settings) == full_record(settings)
