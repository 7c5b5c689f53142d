#!/usr/bin/env python3
"""Benchmarks of the second database and of the mappings: the OMOP import, the matching-variables query, and
``hdh build`` / ``hdh validate`` of the SNDS with the OMOP CDM (and its mappings, documentation and citizens'
content) against the SNDS alone.

    .venv/bin/python bench/bench_databases.py omop        # hdh import omop: counts against the CSV files, time
    .venv/bin/python bench/bench_databases.py mappings    # mappings: notions, variables, query time on the store
    .venv/bin/python bench/bench_databases.py compare     # hdh build --full and hdh validate, both catalogues

Work goes to build/bench-databases/. Prints one line per measure; results are recorded by hand in
bench/RESULTS.md.
"""

from __future__ import annotations

import csv
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from hdh_loaders.omop import import_omop

from hdh_graph.build import build_store
from hdh_graph.settings import Settings
from hdh_graph.store import open_store

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "bench-databases"
HDH = str(ROOT / ".venv" / "bin" / "hdh")
QUERY = ROOT / "src" / "hdh_graph" / "api" / "queries" / "08-matching-variables.rq"
OWN_FOLDERS = ("omop", "mappings", "docs-snds", "citizens")  # what the SNDS alone leaves out


def omop() -> None:
    source = ROOT / "loaders" / "sources" / "omop-cdm"
    with (source / "OMOP_CDMv5.4_Field_Level.csv").open(encoding="utf-8", newline="") as text:
        fields = list(csv.DictReader(text))
    with (source / "OMOP_CDMv5.4_Table_Level.csv").open(encoding="utf-8", newline="") as text:
        tables = list(csv.DictReader(text))
    expected = (
        len(tables),
        len(fields),
        sum(f["isPrimaryKey"] == "Yes" for f in fields),
        sum(f["isForeignKey"] == "Yes" for f in fields),
    )
    times = []
    for run in range(5):
        out = WORK / f"omop-{run}"
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        report = import_omop(source, out)
        times.append(time.perf_counter() - start)
    got = (report.tables, report.fields, report.primary_keys, report.foreign_keys)
    print(
        f"CSV: {expected[0]} tables, {expected[1]} fields, {expected[2]} primary-key fields, {expected[3]} foreign keys"
    )
    print(
        f"import: {got[0]} tables, {got[1]} fields ({report.required_fields} required), {got[2]} primary-key "
        f"fields, {got[3]} foreign keys, {len(report.domains)} domains; equal to the CSV: {got == expected}"
    )
    print(f"time over 5 runs: median {statistics.median(times):.3f} s, min {min(times):.3f} s, max {max(times):.3f} s")


def _store(name: str, catalogue: Path) -> Settings:
    settings = Settings.from_env(catalogue=catalogue, store=WORK / name / "store")
    build_store(settings, full=True)
    return settings


def mappings() -> None:
    settings = _store("full", ROOT / "catalogue")
    store = open_store(settings, read_only=True)
    prefix = "PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX csvw: <http://www.w3.org/ns/csvw#> "
    (row,) = store.query(
        prefix + "SELECT (COUNT(DISTINCT ?m) AS ?records) (COUNT(DISTINCT ?s) AS ?snds) (COUNT(DISTINCT ?o) AS ?omop) "
        "WHERE { ?m owl:annotatedSource ?s ; owl:annotatedTarget ?o }",
        use_default_graph_as_union=True,
    )
    print(
        f"mapping records (one notion each): {row['records'].value}; SNDS variables linked: {row['snds'].value}; "
        f"OMOP variables linked: {row['omop'].value}"
    )
    text = QUERY.read_text(encoding="utf-8")
    for variable in (
        "table/IR_BEN_R/BEN_NIR_PSA",
        "table/drug_exposure/drug_source_value",
        "table/condition_occurrence/condition_source_value",
    ):
        query = text.replace("<table/IR_BEN_R/BEN_NIR_PSA>", f"<{variable}>")
        times, rows = [], 0
        for _ in range(20):
            start = time.perf_counter()
            rows = len(list(store.query(query, base_iri=settings.base_iri, use_default_graph_as_union=True)))
            times.append(time.perf_counter() - start)
        print(
            f"matching variables of {variable}: {rows} rows, median {statistics.median(times) * 1000:.1f} ms "
            f"over 20 runs (min {min(times) * 1000:.1f} ms)"
        )


def _run(args: list[str], line: str) -> tuple[float, str]:
    """Run ``hdh ARGS``; its time and the first output line that starts with ``line``."""
    start = time.perf_counter()
    done = subprocess.run([HDH, *args], capture_output=True, text=True, check=False, env={**os.environ})
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{args}: exit {done.returncode}\n{done.stderr}")
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return took, next((x for x in lines if x.startswith(line)), lines[-1] if lines else "")


def compare() -> None:
    alone = WORK / "snds-alone"
    shutil.rmtree(alone, ignore_errors=True)
    top = str(ROOT / "catalogue")
    shutil.copytree(
        ROOT / "catalogue", alone, ignore=lambda d, names: [n for n in names if d == top and n in OWN_FOLDERS]
    )
    for name, catalogue in (("SNDS alone", alone), ("SNDS + OMOP", ROOT / "catalogue")):
        store = WORK / name.replace(" ", "-").replace("+", "and") / "store"
        shutil.rmtree(store.parent, ignore_errors=True)
        took, last = _run(["build", "--full", "--catalogue", str(catalogue), "--store", str(store)], "Built")
        print(f"{name}: hdh build --full {took:.1f} s (validation, store, search index); {last}")
        shutil.rmtree(store.parent / "cache", ignore_errors=True)
        args = ["validate", "--no-warnings", "--catalogue", str(catalogue), "--store", str(store)]
        took, last = _run(args, "")
        print(f"{name}: hdh validate (cold: shapes compiled) {took:.1f} s; {last.strip()}")
        took, last = _run(args, "")
        print(f"{name}: hdh validate (warm) {took:.1f} s; {last.strip()}")


if __name__ == "__main__":
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"load average: {os.getloadavg()[0]:.2f}")
    {"omop": omop, "mappings": mappings, "compare": compare}[sys.argv[1]]()
