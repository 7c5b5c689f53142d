"""``hdh site`` over a store built by ``hdh build`` from the fixture catalogue."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from hdh_graph.build import build_store
from hdh_graph.cli.site_cmds import site
from hdh_graph.settings import Settings


def test_site_command_renders_from_the_built_store(settings: Settings, tmp_path: Path) -> None:
    build_store(settings)
    out = tmp_path / "rendered"
    args = ["--catalogue", str(settings.catalogue), "--store", str(settings.store), "--base-iri", settings.base_iri]
    result = CliRunner().invoke(site, [*args, "--out", str(out), "--no-search"])
    assert result.exit_code == 0, result.output
    assert (out / "dataset/dcir/index.html").is_file() and (out / "en/table/IR_BEN_R/index.html").is_file()
    assert "pages (" in result.output and str(out) in result.output
    pages = int(result.output.split(" pages (", 1)[0].rsplit(None, 1)[-1])
    again = CliRunner().invoke(site, [*args, "--out", str(out), "--no-search", "--incremental"])
    assert again.exit_code == 0 and f"(0 rendered, {pages} unchanged" in again.output


def test_site_command_without_a_store_says_how_to_fix(settings: Settings, tmp_path: Path) -> None:
    args = ["--catalogue", str(settings.catalogue), "--store", str(tmp_path / "none"), "--base-iri", settings.base_iri]
    result = CliRunner().invoke(site, [*args, "--out", str(tmp_path / "o"), "--no-search"])
    assert result.exit_code != 0
    assert "Error:" in result.output and "build" in result.output
