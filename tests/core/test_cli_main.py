"""The command line: every verb has help, bad flags and settings say how to fix them."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from hdh_graph.cli import main

MINI = Path(__file__).resolve().parents[1] / "loaders" / "fixtures" / "schema-snds-mini"


def test_every_verb_has_help() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    verbs = main.list_commands(click.Context(main))
    assert "import" in verbs  # registered by the loaders through the hdh_graph.commands entry point
    for verb in verbs:
        result = runner.invoke(main, [verb, "--help"])
        assert result.exit_code == 0, (verb, result.output)
        assert "Usage:" in result.output


def test_unknown_flag_points_to_help() -> None:
    result = CliRunner().invoke(main, ["import", "snds", "--bogus", "x"])
    assert result.exit_code == 2
    assert "No such option" in result.output
    assert "--help" in result.output


def test_unknown_setting_exits_2_with_hint(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["import", "snds", str(MINI)], env={"HDH_CATALOG": str(tmp_path)})
    assert result.exit_code == 2
    assert "did you mean HDH_CATALOGUE" in result.output


def test_import_snds_writes_the_catalogue_and_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["import", "snds", str(MINI), "--catalogue", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 products, 2 tables" in result.output
    assert "foreign-key target table DA_PRA_R is not defined" in result.output
    assert (tmp_path / "snds" / "dcir.ttl").is_file()


def test_import_snds_bad_source_exits_1_naming_the_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["import", "snds", str(tmp_path / "nope"), "--catalogue", str(tmp_path)])
    assert result.exit_code == 1
    assert "nope: no such folder" in result.output
    assert "Traceback" not in result.output
