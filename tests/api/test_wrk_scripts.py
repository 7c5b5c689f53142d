"""The wrk scripts of bench/bench_load.py (``--generator wrk``) against a real server: each wrk connection is its
own client to the server (``X-Forwarded-For``, which uvicorn takes from 127.0.0.1 only), non-2xx answers are
counted by status, and bench_load.py reads the JSON line that the scripts print. Speeds: bench/RESULTS.md.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from hdh_graph.api.server import BackgroundServer

ROOT = Path(__file__).resolve().parents[2]
WRK = shutil.which("wrk")
pytestmark = [pytest.mark.server, pytest.mark.skipif(WRK is None, reason="wrk is not installed (apt-get install wrk)")]


def _bench_load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "bench_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_wrk_connection_is_its_own_client_and_statuses_are_counted(
    server: BackgroundServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tables = tmp_path / "tables.txt"
    # One real table, and one line that makes the query unparseable (400), to see non-2xx answers counted.
    tables.write_text(f"{server.url}/table/T_MCOaaB\nnot an IRI> .\n")
    command = [str(WRK), "-t", "3", "-c", "3", "-d", "1s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "wrk" / "cheap.lua"), server.url + "/sparql", "--", "5", str(tables)]
    with caplog.at_level(logging.INFO, logger="hdh_graph.api.access"):
        output = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout
    report = _bench_load().parse_wrk_report(output)
    clients = {r.getMessage().split()[0] for r in caplog.records if r.name == "hdh_graph.api.access"}
    assert clients == {"127.0.1.7", "127.0.1.8", "127.0.1.9"}  # clients 5, 6 and 7, as the Python mix numbers them
    assert report["wrk"] == "cheap" and report["clients"] == 3
    assert report["answered"] > 0 and report["statuses"][400] > 0
    assert report["answered"] + report["statuses"][400] == report["requests"]
    assert report["errors"] == report["statuses"][400]
    latency = report["latency_ms"]
    assert 0 < latency["p50"] <= latency["p95"] <= latency["p99"] <= latency["max"]


def test_a_wrk_output_without_the_report_line_is_an_error() -> None:
    with pytest.raises(ValueError, match=re.escape("no JSON report line")):
        _bench_load().parse_wrk_report("Running 1s test @ http://127.0.0.1:1/sparql\nunable to connect\n")
