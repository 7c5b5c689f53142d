"""The thin CLI commands: hdh harvest and hdh import dictionary (run through click, as the entry point does)."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from hdh_loaders.dictionary_cmds import dictionary
from interop_support import FIXTURES

from hdh_graph.cli.harvest_cmds import harvest


def test_harvest_command_reports_and_exits_cleanly(tmp_path):
    runner = CliRunner()
    args = [str(FIXTURES / "dcat-samples" / "catalog.xml"), "--catalogue", str(tmp_path / "cat"), "--name", "udata"]
    result = runner.invoke(harvest, args)
    assert result.exit_code == 0, result.output
    assert "2 record(s)" in result.output and "Skipped:" in result.output
    assert (tmp_path / "cat" / "harvested" / "udata" / "_harvest.ttl").is_file()


def test_harvest_command_error_has_a_hint_and_exit_code(tmp_path):
    bad = FIXTURES / "dcat-samples" / "ckan-dataset-invalid.ttl"
    result = CliRunner().invoke(harvest, [str(bad), "--catalogue", str(tmp_path / "cat"), "--max-pages", "3"])
    assert result.exit_code == 1
    assert ":149:17: not valid Turtle" in result.output and "Hint:" in result.output
    assert not (tmp_path / "cat").exists()


def test_dictionary_command_lists_unmapped_columns(tmp_path):
    shutil.copytree(FIXTURES / "catalogue", tmp_path / "cat")
    csv = FIXTURES / "dictionaries" / "cohorte-variables.csv"
    result = CliRunner().invoke(
        dictionary, [str(csv), "--dataset", "dataset/dcir", "--table", "COHORTE", "--catalogue", str(tmp_path / "cat")]
    )
    assert result.exit_code == 0, result.output
    assert "8 variable(s) in 1 table(s)" in result.output
    assert "Columns not mapped (ignored):\n  Unité" in result.output
    assert "Code lists named but not in the catalogue:\n  IR_DPT_V" in result.output
