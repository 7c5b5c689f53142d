"""``hdh quality`` on a built catalogue: text, JSON and GitHub annotations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from quality_support import BASE, FIXTURES

from hdh_graph.cli import main


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("quality")
    catalogue = root / "catalogue"
    catalogue.mkdir()
    for name in ("empty.ttl", "full.ttl"):
        shutil.copy(FIXTURES / name, catalogue / name)
    store = root / "store"
    result = CliRunner().invoke(main, ["build", *_where(catalogue, store), "-q", "--allow-violations"])
    assert result.exit_code == 0, result.output
    return catalogue, store


def _where(catalogue: Path, store: Path) -> list[str]:
    return ["--catalogue", str(catalogue), "--store", str(store), "--base-iri", BASE]


def _run(built: tuple[Path, Path], *args: str) -> str:
    result = CliRunner().invoke(main, ["quality", *_where(*built), "-q", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_text(built: tuple[Path, Path]) -> None:
    out = _run(built)
    assert f"{BASE}dataset/empty: " in out and "  - Keyword usage: add dcat:keyword (30 points)" in out
    assert "Catalogue " in out and "not checked: accessUrlAccessible, downloadUrlAccessible" in out


def test_json(built: tuple[Path, Path]) -> None:
    data = json.loads(_run(built, "--format", "json"))
    by_iri = {d["dataset"]: d for d in data["datasets"]}
    full = by_iri[BASE + "dataset/full"]
    assert full["file"].endswith("full.ttl") and full["line"] == 8
    assert full["dimensions"]["findability"] == 100
    assert data["catalogue"]["datasets"] == 2
    assert data["catalogue"]["points"] == round((full["points"] + by_iri[BASE + "dataset/empty"]["points"]) / 2, 1)


def test_github(built: tuple[Path, Path]) -> None:
    lines = _run(built, "--format", "github").splitlines()
    [empty] = [line for line in lines if "dataset/empty" in line]
    assert empty.startswith("::warning file=") and "empty.ttl,line=3,title=MQA " in empty
    assert "add dcat:keyword (30 points)" in empty
    assert lines[-1].startswith("::notice title=MQA catalogue::")


def test_text_and_json_list_the_ehds_elements_unstated(built: tuple[Path, Path]) -> None:
    out = _run(built)
    assert "  EHDS label: 0 derived, 0 stated; unstated: metadata, support-documentation" in out
    data = json.loads(_run(built, "--format", "json"))
    full = next(d for d in data["datasets"] if d["dataset"] == BASE + "dataset/full")
    assert full["ehds_label"]["completeness"] == "unstated"
