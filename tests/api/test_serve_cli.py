"""`hdh serve` as a user runs it: a real process that builds a stale store, then answers on its port."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
from endpoint_support import FIXTURES

from hdh_graph.api.server import free_port

HDH = str(Path(sys.executable).parent / "hdh")


def _wait(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"hdh serve exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("hdh serve did not answer in time")


def test_serve_builds_a_missing_store_then_serves(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", catalogue)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDH_")}
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [HDH, "serve", "--catalogue", str(catalogue), "--store", str(tmp_path / "store"), "--port", str(port),
             "--query-timeout", "3", "--workers", "1", "--allow-violations"],
            cwd=tmp_path, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait(f"http://127.0.0.1:{port}/health", process)
            answer = httpx.get(
                f"http://127.0.0.1:{port}/sparql",
                params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?t a csvw:Table }"},
            )
            assert answer.json()["results"]["bindings"][0]["n"]["value"] == "3"
        finally:
            process.terminate()
            process.wait(20)
    output = log.read_text()
    assert "Building the store" in output
    assert f"SPARQL endpoint on http://127.0.0.1:{port}/sparql" in output
    assert '"GET /sparql?query=SELECT' in output and " ms" in output  # access log with the query time


def test_serve_without_a_catalogue_or_store_says_how_to_fix_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDH_")}
    result = subprocess.run(
        [HDH, "serve", "--catalogue", str(tmp_path / "none"), "--store", str(tmp_path / "store")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "Error:" in result.stderr and "Traceback" not in result.stderr


def test_serve_help_lists_its_flags() -> None:
    result = subprocess.run([HDH, "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for flag in ("--host", "--port", "--query-timeout", "--sparql-endpoint", "--store", "--catalogue"):
        assert flag in result.stdout


def test_publish_without_an_endpoint_says_how_to_fix_it(tmp_path: Path) -> None:
    # `publish` is called through its click command (its registration in the verb table is pending).
    from click.testing import CliRunner

    from hdh_graph.cli import main
    from hdh_graph.cli.serve_cmds import publish

    store = tmp_path / "store"
    build = CliRunner().invoke(
        main, ["build", "--allow-violations", "--catalogue", str(FIXTURES / "catalogue"), "--store", str(store)]
    )
    assert build.exit_code == 0, build.output
    result = CliRunner().invoke(publish, ["--store", str(store)], env={"HDH_GRAPH_STORE_ENDPOINT": ""})
    assert result.exit_code == 1
    assert "no Graph Store Protocol endpoint is configured" in result.output
    assert "HDH_GRAPH_STORE_ENDPOINT" in result.output
