#!/usr/bin/env python3
"""Validation benchmarks: full SNDS validation, ``--changed`` on the synthetic catalogues, engines compared.

    .venv/bin/python bench/bench_validate.py snds            # full validation of catalogue/ (fast path)
    .venv/bin/python bench/bench_validate.py compare         # fast path vs pyshacl on catalogue/ (slow)
    .venv/bin/python bench/bench_validate.py changed 1000    # --changed, one edited dataset file, 1,000 datasets
    .venv/bin/python bench/bench_validate.py changed 10000   # same with 10,000 datasets

Synthetic catalogues are generated once with ../shared/bench/gen_catalogue.py into build/validate-bench/.
Prints one line per measure; results are recorded by hand in bench/RESULTS.md.
"""

from __future__ import annotations

import collections
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hdh_graph.settings import Settings
from hdh_graph.validation import validate_catalogue
from hdh_graph.validation.runner import index_catalogue

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_catalogue.py"
WORK = ROOT / "build" / "validate-bench"
SYNTHETIC_BASE = "https://catalogue.example.org/"


def snds() -> None:
    cache = Path(tempfile.mkdtemp(prefix="hdh-bench-"))
    settings = Settings.from_env(catalogue=ROOT / "catalogue", store=cache / "var" / "store")
    for label in ("cold (shapes compiled, index built)", "warm (cached shapes and index)"):
        start = time.perf_counter()
        report = validate_catalogue(settings, shapes_dir=ROOT / "shapes")
        took = time.perf_counter() - start
        print(
            f"SNDS full validation, {label}: {took:.1f} s, {len(report.files_checked)} files, "
            f"{len(report.violations)} violations, {len(report.warnings)} warnings"
        )
    kinds = collections.Counter((r.severity.value, r.rule, r.property) for r in report.results)
    for (severity, rule, prop), n in sorted(kinds.items()):
        print(f"  {n:5d} {severity:9s} {rule} {prop or ''}")
    shutil.rmtree(cache, ignore_errors=True)


def compare() -> None:
    cache = Path(tempfile.mkdtemp(prefix="hdh-bench-"))
    settings = Settings.from_env(catalogue=ROOT / "catalogue", store=cache / "var" / "store")
    reports = {}
    for engine in ("sparql", "pyshacl"):
        start = time.perf_counter()
        reports[engine] = validate_catalogue(settings, engine=engine, shapes_dir=ROOT / "shapes")
        took = time.perf_counter() - start
        print(f"{engine}: {took:.1f} s, {len(reports[engine].results)} results")
    fast = set(reports["sparql"].results)
    ref = set(reports["pyshacl"].results)
    print(f"same results: {fast == ref} (only fast path: {len(fast - ref)}, only pyshacl: {len(ref - fast)})")
    for label, extra in (("only fast path", fast - ref), ("only pyshacl", ref - fast)):
        for r in sorted(extra, key=lambda r: r.sort_key())[:10]:
            print(f"  {label}: {r.file}:{r.line} {r.rule} {r.component} {r.property} {r.value}")
    shutil.rmtree(cache, ignore_errors=True)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=b@example.org", "-c", "user.name=bench", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def synthetic(n: int) -> Path:
    repo = WORK / f"cat-{n}"
    catalogue = repo / "catalogue"
    if not (repo / ".git").is_dir():
        shutil.rmtree(repo, ignore_errors=True)
        catalogue.mkdir(parents=True)
        subprocess.run(
            [sys.executable, str(GENERATOR), "--datasets", str(n), "--variables", "50", "--split", str(catalogue)],
            check=True,
            capture_output=True,
        )
        git(repo, "init", "-q")
        git(repo, "add", ".")
        git(repo, "commit", "-qm", "synthetic catalogue")
    return repo


def changed(n: int) -> None:
    repo = synthetic(n)
    catalogue = repo / "catalogue"
    settings = Settings(catalogue=catalogue, store=repo / "var" / "store", base_iri=SYNTHETIC_BASE)
    start = time.perf_counter()
    read = index_catalogue(settings)
    print(f"{n} datasets: index brought up to date in {time.perf_counter() - start:.1f} s ({read} files read)")
    edited = catalogue / "datasets" / f"d{n // 2:06d}.ttl"
    original = edited.read_text(encoding="utf-8")
    try:
        edited.write_text(original + f'\nds:d{n // 2:06d} dcat:keyword "modifié"@fr .\n', encoding="utf-8")
        for attempt in (1, 2, 3):
            start = time.perf_counter()
            report = validate_catalogue(settings, changed=True, shapes_dir=ROOT / "shapes")
            took = time.perf_counter() - start
            print(
                f"{n} datasets: --changed (library call {attempt}) {took:.2f} s, files {report.files_checked[:4]}"
                f"{'…' if len(report.files_checked) > 4 else ''} ({len(report.files_checked)}), "
                f"{len(report.violations)} violations, {len(report.warnings)} warnings"
            )
        start = time.perf_counter()
        done = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "python"),
                "-c",
                "from hdh_graph.cli.validate_cmds import validate; validate()",
                "--catalogue",
                str(catalogue),
                "--store",
                str(settings.store),
                "--base-iri",
                SYNTHETIC_BASE,
                "--shapes",
                str(ROOT / "shapes"),
                "--changed",
                "--format",
                "json",
            ],
            cwd=repo,
            capture_output=True,
            text=True,
            check=False,
        )
        print(
            f"{n} datasets: --changed as a command (process start included) {time.perf_counter() - start:.2f} s, "
            f"exit {done.returncode}"
        )
    finally:
        edited.write_text(original, encoding="utf-8")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "snds"
    if what == "snds":
        snds()
    elif what == "compare":
        compare()
    elif what == "changed":
        changed(int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    else:
        sys.exit(__doc__)
