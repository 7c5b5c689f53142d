"""``--changed``: the files git sees as changed, their context and the files that depend on them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from hdh_graph.settings import Settings
from hdh_graph.validation import validate_catalogue

HERE = Path(__file__).parent
SHAPES = HERE.parents[1] / "shapes"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def repo_with_catalogue(tmp_path: Path) -> Settings:
    root = tmp_path / "repo"
    shutil.copytree(HERE / "fixtures" / "catalogue", root / "catalogue")
    git(root, "init", "-q")
    git(root, "-c", "user.email=t@example.org", "-c", "user.name=t", "add", ".")
    git(root, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "catalogue")
    return Settings(catalogue=root / "catalogue", store=tmp_path / "var" / "store")


def test_nothing_changed_means_nothing_checked(tmp_path: Path) -> None:
    settings = repo_with_catalogue(tmp_path)
    report = validate_catalogue(settings, changed=True, shapes_dir=SHAPES)
    assert report.files_checked == [] and report.conforms


def test_a_changed_code_list_revalidates_the_dataset_that_uses_it(tmp_path: Path) -> None:
    settings = repo_with_catalogue(tmp_path)
    validate_catalogue(settings, shapes_dir=SHAPES)  # a full run builds the index
    codelist = settings.catalogue / "codelists" / "demo.ttl"
    codelist.write_text(codelist.read_text().replace("IR_SEX_V", "IR_SEX_Z"))
    report = validate_catalogue(settings, changed=True, shapes_dir=SHAPES)
    assert report.files_checked == ["codelists/demo.ttl", "snds/demo.ttl"]
    (broken,) = [r for r in report.violations if r.rule == "hdhsh:codelist-exists"]
    assert broken.file == "snds/demo.ttl" and broken.line == 72
    # the same answer as a full validation gives for these files
    full = validate_catalogue(settings, shapes_dir=SHAPES)
    assert [r for r in full.results if r.file in report.files_checked] == report.results


def test_a_changed_dataset_file_is_checked_with_its_context_only(tmp_path: Path) -> None:
    settings = repo_with_catalogue(tmp_path)
    dataset = settings.catalogue / "snds" / "demo.ttl"
    dataset.write_text(dataset.read_text().replace('"Bénéficiaires (démonstration)"@fr , ', ""))
    report = validate_catalogue(settings, changed=True, shapes_dir=SHAPES, use_cache=False)
    assert report.files_checked == ["snds/demo.ttl"]
    assert [r.rule for r in report.violations] == ["hdhsh:dataset-title-fr"]
    # the agents and the code list were loaded as context: no false "missing" results about them
    assert not [r for r in report.results if r.rule.endswith("codelist-exists")]


def test_a_deleted_code_list_revalidates_the_dataset_that_used_it(tmp_path: Path) -> None:
    settings = repo_with_catalogue(tmp_path)
    validate_catalogue(settings, shapes_dir=SHAPES)  # a full run builds the index
    (settings.catalogue / "codelists" / "demo.ttl").unlink()
    report = validate_catalogue(settings, changed=True, shapes_dir=SHAPES)
    assert report.files_checked == ["snds/demo.ttl"]
    assert [(r.file, r.rule) for r in report.violations] == [("snds/demo.ttl", "hdhsh:codelist-exists")]
