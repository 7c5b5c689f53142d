"""The build, query, export and stats verbs: output, messages and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from hdh_graph.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://data.example.org/hub/"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "mini-catalogue", catalogue)
    return catalogue, tmp_path / "store"


def hdh(runner: CliRunner, folders: tuple[Path, Path], *args: str, stdin: str | None = None):
    catalogue, store = folders
    where = ["--catalogue", str(catalogue), "--store", str(store), "--base-iri", BASE]
    return runner.invoke(main, [args[0], *where, *args[1:]], input=stdin)


@pytest.mark.parametrize("verb", ["build", "query", "export", "stats"])
def test_help(runner: CliRunner, verb: str) -> None:
    result = runner.invoke(main, [verb, "--help"])
    assert result.exit_code == 0
    assert "--store" in result.output and "--catalogue" in result.output


def test_build_then_query(runner: CliRunner, folders: tuple[Path, Path]) -> None:
    built = hdh(runner, folders, "build", "--allow-violations")
    assert built.exit_code == 0, built.output
    assert "Built" in built.stderr and "7 codes" in built.stderr
    assert built.stdout == ""
    result = hdh(runner, folders, "query", "SELECT ?d WHERE { ?d a dcat:Dataset }", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["d", BASE + "dataset/demo"]


def test_build_json_report(runner: CliRunner, folders: tuple[Path, Path]) -> None:
    result = hdh(runner, folders, "build", "--allow-violations", "-q", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["files"], report["graphs"], report["codes"]) == (6, 6, 7)
    assert Path(report["store"]).parent.name == "snapshots"


def test_query_from_stdin_and_from_a_file(runner: CliRunner, folders: tuple[Path, Path], tmp_path: Path) -> None:
    assert hdh(runner, folders, "build", "--allow-violations", "-q").exit_code == 0
    result = hdh(runner, folders, "query", "-", "--format", "json", stdin="ASK { <dataset/demo> ?p ?o }")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["boolean"] is True
    query_file = tmp_path / "codes.rq"
    query_file.write_text("CONSTRUCT WHERE { ?c skos:inScheme <codelist/SEX> }", encoding="utf-8")
    result = hdh(runner, folders, "query", "--file", str(query_file))
    assert result.exit_code == 0, result.output
    assert len(list(ox.parse(result.stdout_bytes, ox.RdfFormat.TURTLE))) == 5  # turtle by default


def test_query_errors_exit_1_with_a_message(runner: CliRunner, folders: tuple[Path, Path]) -> None:
    missing = hdh(runner, folders, "query", "SELECT * { ?s ?p ?o }")
    assert missing.exit_code == 1
    assert "hdh build" in missing.stderr
    assert hdh(runner, folders, "build", "--allow-violations", "-q").exit_code == 0
    bad = hdh(runner, folders, "query", "SELECT * { ?s ?p }")
    assert bad.exit_code == 1
    assert "SPARQL syntax error at line 1" in bad.stderr and "Traceback" not in bad.stderr
    misfit = hdh(runner, folders, "query", "SELECT * { ?s ?p ?o }", "--format", "turtle")
    assert misfit.exit_code == 1 and "CONSTRUCT" in misfit.stderr
    usage = hdh(runner, folders, "query")
    assert usage.exit_code == 2


def test_query_warns_when_the_catalogue_changed(runner: CliRunner, folders: tuple[Path, Path]) -> None:
    assert hdh(runner, folders, "build", "--allow-violations", "-q").exit_code == 0
    (folders[0] / "new.ttl").write_text("<x> a <y> .\n", encoding="utf-8")
    result = hdh(runner, folders, "query", "ASK { ?s ?p ?o }")
    assert result.exit_code == 0
    assert "run `hdh build`" in result.stderr and result.stdout == "true\n"


def test_broken_build_exits_1_and_lists_every_file(runner: CliRunner, folders: tuple[Path, Path]) -> None:
    assert hdh(runner, folders, "build", "--allow-violations", "-q").exit_code == 0
    before = hdh(runner, folders, "stats", "--format", "json").stdout
    shutil.copytree(FIXTURES / "broken", folders[0] / "broken")
    result = hdh(runner, folders, "build", "--allow-violations")
    assert result.exit_code == 1
    assert "4 file problem(s)" in result.stderr
    for where in ("unterminated-string.ttl:4:29", "missing-object.ttl:4:20", "latin1.ttl:3:28", "lists.ttl:5"):
        assert where in result.stderr
    assert hdh(runner, folders, "stats", "--format", "json").stdout == before


def test_export_and_stats(runner: CliRunner, folders: tuple[Path, Path], tmp_path: Path) -> None:
    assert hdh(runner, folders, "build", "--allow-violations", "-q").exit_code == 0
    target = tmp_path / "dump.trig"
    result = hdh(runner, folders, "export", "--format", "trig", "--output", str(target))
    assert result.exit_code == 0, result.output
    stats = json.loads(hdh(runner, folders, "stats", "--format", "json").stdout)
    assert len(list(ox.parse(path=target, format=ox.RdfFormat.TRIG))) == stats["triples"]
    to_stdout = hdh(runner, folders, "export")
    assert len(list(ox.parse(to_stdout.stdout_bytes, ox.RdfFormat.N_QUADS))) == stats["triples"]
    table = hdh(runner, folders, "stats").stdout
    assert "skos:Concept" in table and "codelists/DEMO/SEX.csv" in table


def test_bad_base_iri_exits_2(runner: CliRunner, folders: tuple[Path, Path]) -> None:
    catalogue, store = folders
    result = runner.invoke(main, ["build", "--catalogue", str(catalogue), "--store", str(store), "--base-iri", "x"])
    assert result.exit_code == 2
    assert "HDH_BASE_IRI" in result.stderr


def test_missing_catalogue_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "--catalogue", str(tmp_path / "none"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "--catalogue" in result.stderr


def test_build_reads_only_what_changed_unless_full(runner: CliRunner, folders: tuple[Path, Path]) -> None:
    assert hdh(runner, folders, "build", "--allow-violations", "-q").exit_code == 0
    agents = folders[0] / "agents.ttl"
    agents.write_text(agents.read_text(encoding="utf-8").replace("Health Data Hub", "HDH"), encoding="utf-8")
    earlier = time.time_ns() - 10 * 10**9  # saved some seconds before the build, as a curator does
    os.utime(agents, ns=(earlier, earlier))
    result = hdh(runner, folders, "build", "--allow-violations")
    assert result.exit_code == 0, result.output
    assert "Updating the store: 1 file(s) changed" in result.stderr
    assert "Validating what 1 changed file(s) can affect" in result.stderr
    full = hdh(runner, folders, "build", "--allow-violations", "--full")
    assert full.exit_code == 0, full.output
    assert "Building the store in full: a full build was asked for" in full.stderr
    assert "Validating what" not in full.stderr
