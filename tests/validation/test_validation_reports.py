"""The reports a curator reads: text (en, fr), JSON and GitHub annotations, pinned by golden files.

Regenerate the golden files on purpose with ``HDH_REGEN_GOLDEN=1 pytest tests/validation`` and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hdh_graph.cli.validate_cmds import validate

HERE = Path(__file__).parent
SHAPES = HERE.parents[1] / "shapes"
GOLDEN = HERE / "golden"
BAD = HERE / "fixtures" / "catalogue-bad"
GOOD = HERE / "fixtures" / "catalogue"


def run_cli(tmp_path: Path, catalogue: Path, *args: str) -> tuple[int, str]:
    copy = tmp_path / "catalogue"
    shutil.copytree(catalogue, copy)
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(tmp_path)  # so that the github annotations name files from the repository root: catalogue/...
    try:
        result = runner.invoke(
            validate,
            ["--catalogue", "catalogue", "--store", str(tmp_path / "var" / "store"), "--shapes", str(SHAPES), *args],
        )
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HDH_REGEN_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run with HDH_REGEN_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("catalogue-bad.txt", ["--format", "text"]),
        ("catalogue-bad.fr.txt", ["--format", "text", "--lang", "fr"]),
        ("catalogue-bad.json", ["--format", "json"]),
        ("catalogue-bad.github", ["--format", "github"]),
    ],
)
def test_reports_match_their_golden_files(tmp_path: Path, name: str, args: list[str]) -> None:
    code, output = run_cli(tmp_path, BAD, *args)
    assert code == 1
    check_golden(name, output)


def test_conforming_catalogue_exits_0_and_shows_its_warnings(tmp_path: Path) -> None:
    code, output = run_cli(tmp_path, GOOD)
    assert code == 0, output
    assert "0 violation(s)" in output and "warning" in output
    check_golden("catalogue.txt", output)


def test_json_report_follows_its_documented_schema(tmp_path: Path) -> None:
    _, output = run_cli(tmp_path, BAD, "--format", "json")
    doc = json.loads(output)
    assert set(doc) == {"schema_version", "conforms", "summary", "files"}
    assert doc["schema_version"] == 1 and doc["conforms"] is False
    assert doc["summary"]["violations"] == sum(
        1 for f in doc["files"] for r in f["results"] if r["severity"] == "violation"
    )
    keys = {
        "file",
        "line",
        "column",
        "severity",
        "resource",
        "resource_short",
        "property",
        "value",
        "message",
        "hint",
        "rule",
        "component",
        "source",
    }
    for group in doc["files"]:
        for result in group["results"]:
            assert set(result) == keys
            assert result["file"] == group["file"]
            assert set(result["message"]) == {"fr", "en"}
    files = [g["file"] for g in doc["files"]]
    assert files == sorted(files)
    documented = (HERE.parents[1] / "docs" / "validation.md").read_text(encoding="utf-8")
    for key in keys:
        assert f"`{key}`" in documented


def test_github_annotations_point_at_the_lines(tmp_path: Path) -> None:
    _, output = run_cli(tmp_path, BAD, "--format", "github")
    lines = output.splitlines()
    assert any(
        line.startswith("::error file=catalogue/snds/demo.ttl,line=17,col=1,title=hdhsh%3Adataset-title-fr::")
        for line in lines
    )
    assert any(line.startswith("::error file=catalogue/broken.ttl,line=5,col=1,title=hdh%3Asyntax::") for line in lines)
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_no_warnings_shows_violations_only_but_counts_warnings(tmp_path: Path) -> None:
    code, output = run_cli(tmp_path, BAD, "--no-warnings")
    assert code == 1
    assert " warning " not in output and " violation " in output
    assert "7 violation(s), 39 warning(s)" in output
    _, github = run_cli(tmp_path / "gh", BAD, "--format", "github", "--no-warnings")
    assert github.count("::error ") == 7 and "::warning " not in github
