"""Time `hdh build` on a catalogue folder beside what pyoxigraph alone takes for the same files.

Each measurement runs in its own child process, so that its peak memory (``ru_maxrss`` from ``wait4``) is
its own. Measurements, best of ``--repeat`` runs:

- ``parse``: pyoxigraph parses every Turtle file (iterating the triples), nothing stored;
- ``memory``: pyoxigraph loads every Turtle file into an in-memory store, one named graph per file;
- ``csv``: the code-list CSV files turned into SKOS N-Quads (hdh_graph.tabular), Turtle already loaded;
- ``disk``: pyoxigraph bulk-loads, into an empty on-disk store, the very quads the build produced (one
  N-Quads file exported beforehand): the least time writing this graph to disk can take with pyoxigraph;
- ``build``: ``hdh_graph.build.build_store`` into a fresh store folder (everything: parse, CSV, write, swap).

With ``--one-file-changed``, it measures instead what ``hdh build`` costs after a curator edited one dataset
file: the catalogue is copied to a scratch folder and built once (validation and store), then, for each run
and each kind of edit, one file is edited and ``hdh_graph.publishing.validated_build`` runs twice on it:
incrementally (the default) and with ``full=True``. Kinds of edit: ``keyword`` (a ``dcat:keyword`` added, a
triple no rule reads from another resource) and ``title`` (the first ``dct:title`` changed, which rules also
read from the resources that link to the dataset).

Usage (from the repository root)::

    .venv/bin/python bench/bench_build.py build/cat-1k
    .venv/bin/python bench/bench_build.py catalogue --repeat 3 --record "SNDS catalogue"
    .venv/bin/python bench/bench_build.py catalogue --one-file-changed --repeat 3
    .venv/bin/python bench/bench_build.py build/cat-10k --one-file-changed --repeat 1 --base-iri https://catalogue.example.org/

``--record LABEL`` appends the table to bench/RESULTS.md under a heading with that label.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
RESULTS = HERE.parent / "RESULTS.md"
BASE = "https://catalogue.health-data-hub.fr/"


# -- children: each prints one JSON object ---------------------------------------------------------------


def _settings(catalogue: Path, store: Path):
    from hdh_graph.settings import Settings

    return Settings(catalogue=catalogue, store=store, base_iri=os.environ.get("HDH_BENCH_BASE", BASE))


def child_parse(catalogue: Path, _work: Path) -> dict[str, float]:
    import pyoxigraph as ox

    from hdh_graph.catalogue_files import turtle_files

    files = turtle_files(_settings(catalogue, _work))
    started = time.perf_counter()
    count = 0
    for f in files:
        for _ in ox.parse(path=f.path, format=ox.RdfFormat.TURTLE, base_iri=BASE):
            count += 1
    return {"seconds": time.perf_counter() - started, "triples": count}


def child_memory(catalogue: Path, _work: Path) -> dict[str, float]:
    import pyoxigraph as ox

    from hdh_graph.catalogue_files import turtle_files

    files = turtle_files(_settings(catalogue, _work))
    started = time.perf_counter()
    store = ox.Store()
    for f in files:
        store.load(path=f.path, format=ox.RdfFormat.TURTLE, base_iri=BASE, to_graph=ox.NamedNode(f.graph))
    return {"seconds": time.perf_counter() - started, "triples": len(store)}


def child_csv(catalogue: Path, work: Path) -> dict[str, float]:
    import pyoxigraph as ox

    from hdh_graph import tabular
    from hdh_graph.catalogue_files import turtle_files

    settings = _settings(catalogue, work)
    files = turtle_files(settings)
    store = ox.Store()
    for f in files:
        store.load(path=f.path, format=ox.RdfFormat.TURTLE, base_iri=BASE, to_graph=ox.NamedNode(f.graph))
    started = time.perf_counter()
    tables, problems = tabular.describe_code_lists(store, settings, {f.graph: f.path for f in files})
    with (work / "codes.nq").open("wb") as out:
        outcome = tabular.write_concepts(tables, settings, out)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "triples": outcome.quads, "codes": outcome.rows, "problems": len(problems)}


def child_disk(_catalogue: Path, work: Path) -> dict[str, float]:
    import pyoxigraph as ox

    source = work.parent / "all.nq"
    target = work / "disk-store"
    started = time.perf_counter()
    store = ox.Store(str(target))
    store.bulk_load(path=source, format=ox.RdfFormat.N_QUADS, lenient=True)
    store.flush()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "triples": len(store)}


def child_build(catalogue: Path, work: Path) -> dict[str, float]:
    from hdh_graph.build import build_store

    marks: list[tuple[float, str]] = []
    started = time.perf_counter()
    report = build_store(
        _settings(catalogue, work / "store"), progress=lambda m: marks.append((time.perf_counter(), m))
    )
    seconds = time.perf_counter() - started
    steps = {_step(m): round(t - started, 2) for t, m in marks if not m.startswith(" ")}
    return {"seconds": seconds, "triples": report.triples, "codes": report.codes, "steps": steps}


def child_prepare(catalogue: Path, work: Path) -> dict[str, float]:
    """Export, as one N-Quads file, the quads a build of this catalogue gives (the input of ``disk``)."""
    from hdh_graph.build import build_store
    from hdh_graph.export import export_to_file
    from hdh_graph.store import open_store

    settings = _settings(catalogue, work / "prep-store")
    build_store(settings)
    export_to_file(open_store(settings), "nquads", work.parent / "all.nq")
    return {"seconds": 0.0, "triples": 0}


def child_validated(catalogue: Path, work: Path, full: bool = False) -> dict[str, object]:
    """``validated_build`` of the catalogue into ``work/store`` (kept: the next run starts from it)."""
    from hdh_graph.publishing import validated_build
    from hdh_graph.store import build_info

    marks: list[tuple[float, str]] = []
    settings = _settings(catalogue, work / "store")
    started = time.perf_counter()
    report, validation = validated_build(
        settings, progress=lambda m: marks.append((time.perf_counter(), m)), allow_violations=True, full=full
    )
    seconds = time.perf_counter() - started
    built = next((t for t, m in marks if m.startswith(("Updating the store", "Building the store"))), started)
    again = [m for m in marks if m[1].endswith("validated again, the others' results kept")]
    info = build_info(settings) or {}
    return {
        "seconds": seconds,
        "validation": built - started,
        "store": seconds - (built - started),
        "incremental": "incremental" in info,
        "validated": int(again[0][1].split()[0]) if again else len(validation.files_checked),
        "files": len(validation.files_checked),
        "triples": report.triples,
        "results": len(validation.results),
    }


def child_full(catalogue: Path, work: Path) -> dict[str, object]:
    return child_validated(catalogue, work, full=True)


def _step(message: str) -> str:
    return " ".join(w for w in message.split()[:4] if not w[0].isdigit()).rstrip(":")


CHILDREN = {
    "prepare": child_prepare,
    "parse": child_parse,
    "memory": child_memory,
    "csv": child_csv,
    "disk": child_disk,
    "build": child_build,
    "validated": child_validated,
    "full": child_full,
}
MEASURED = ["parse", "memory", "csv", "disk", "build"]


# -- parent ----------------------------------------------------------------------------------------------


def run_child(kind: str, catalogue: Path, work: Path, keep: bool = False) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(HERE), "--child", kind, str(catalogue), "--work", str(work)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{err.decode(errors='replace')}")
    result = json.loads(out)
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes; the parent stays small (fork counts it)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


# -- one file changed: incremental against full ------------------------------------------------------------

EDITS = ("keyword", "title")


def _edited_file(catalogue: Path) -> Path:
    """The middle one of the dataset files (those with a keyword and a title), in path order."""
    texts = {path: path.read_text(encoding="utf-8") for path in catalogue.rglob("*.ttl")}
    candidates = sorted(path for path, text in texts.items() if "dcat:keyword" in text and "dct:title" in text)
    return candidates[len(candidates) // 2]


def edit(path: Path, kind: str, run: int) -> None:
    """One curator's edit of a dataset file, different at each run."""
    text = path.read_text(encoding="utf-8")
    if kind == "keyword":
        text = text.replace("dcat:keyword ", f'dcat:keyword "benchmark {run}"@en , ', 1)
    else:
        start = text.index("dct:title ")
        end = text.index('"@', text.index('"', start) + 1)
        text = text[:end] + f" ({run})" + text[end:]
    path.write_text(text, encoding="utf-8")


def one_file_changed(source: Path, repeat: int) -> str:
    folder = Path(tempfile.mkdtemp(prefix="hdh-bench-"))
    catalogue, work = folder / "catalogue", folder / "work"
    try:
        shutil.copytree(source, catalogue)  # file times kept: only the edited file is newer than the build
        target = _edited_file(catalogue)
        first = run_child("validated", catalogue, work, keep=True)
        print(
            f"first build {first['seconds']:.1f} s ({first['files']} files, {first['triples']:,} triples)",
            file=sys.stderr,
        )
        rows: list[tuple[str, dict, dict]] = []
        for run in range(repeat):
            for kind in EDITS:
                edit(target, kind, run)
                fast = run_child("validated", catalogue, work, keep=True)
                slow = run_child("full", catalogue, work, keep=True)  # the same catalogue, read in full
                assert fast["incremental"] and not slow["incremental"], (fast, slow)
                rows.append((kind, fast, slow))
                print(
                    f"run {run + 1} {kind:8} incremental {fast['seconds']:6.1f} s "
                    f"({fast['validation']:.1f} + {fast['store']:.1f}), full {slow['seconds']:6.1f} s "
                    f"({slow['validation']:.1f} + {slow['store']:.1f}), {fast['validated']} file(s) validated again",
                    file=sys.stderr,
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rel = target.relative_to(catalogue).as_posix()
    lines = [
        f"Edited file: `{rel}`; {first['files']} Turtle files, {first['triples']:,} triples.",
        "",
        "| edit | build | best s | validation s | store s | files validated | peak MB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for kind in EDITS:
        for label, index in (("incremental", 1), ("full (`--full`)", 2)):
            runs = [row[index] for row in rows if row[0] == kind]
            best = min(runs, key=lambda r: r["seconds"])
            lines.append(
                f"| {kind} | {label} | {best['seconds']:.2f} | {best['validation']:.2f} | {best['store']:.2f} | "
                f"{best['validated']:,} | {max(r['peak_mb'] for r in runs):.0f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("catalogue", type=Path, help="catalogue folder (Turtle files and code-list CSVs)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is kept")
    parser.add_argument("--record", metavar="LABEL", help="append the results to bench/RESULTS.md")
    parser.add_argument("--one-file-changed", action="store_true", help="time validated_build after one edit")
    parser.add_argument("--base-iri", default=BASE, help="base IRI of the catalogue (synthetic ones: example.org)")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["HDH_BENCH_BASE"] = args.base_iri  # for the children

    if args.child:
        print(json.dumps(CHILDREN[args.child](args.catalogue.resolve(), args.work)))
        return
    if args.one_file_changed:
        print(one_file_changed(args.catalogue.resolve(), args.repeat))
        return

    catalogue = args.catalogue.resolve()
    folder = Path(tempfile.mkdtemp(prefix="hdh-bench-"))
    try:
        run_child("prepare", catalogue, folder / "prepare")  # in a child: the parent stays small
        results: dict[str, list[dict]] = {kind: [] for kind in MEASURED}
        for run in range(args.repeat):
            for kind in MEASURED:
                result = run_child(kind, catalogue, folder / f"{kind}-{run}")
                results[kind].append(result)
                print(f"run {run + 1} {kind:7} {result['seconds']:7.2f} s {result['peak_mb']:7.0f} MB", file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    table = render(args.catalogue, results, args.repeat)
    print(table)
    if args.record:
        record(args.record, args.catalogue, args.repeat, table)


def render(catalogue: Path, results: dict[str, list[dict]], repeat: int) -> str:
    best = {kind: min(runs, key=lambda r: r["seconds"]) for kind, runs in results.items()}
    build = best["build"]["seconds"]
    labels = {
        "parse": "pyoxigraph parse of the Turtle files (no store)",
        "memory": "pyoxigraph load of the Turtle files into an in-memory store",
        "csv": "code-list CSVs → SKOS N-Quads (hdh_graph.tabular)",
        "disk": "pyoxigraph bulk_load of the built quads into an on-disk store",
        "build": "**hdh build** (build_store: everything, atomic swap)",
    }
    lines = [
        "| step | best s | median s | build ÷ step | triples | peak MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, runs in results.items():
        seconds = [r["seconds"] for r in runs]
        ratio = f"{build / best[kind]['seconds']:.1f}×" if best[kind]["seconds"] >= 0.01 else "–"
        lines.append(
            f"| {labels[kind]} | {min(seconds):.2f} | {statistics.median(seconds):.2f} | "
            f"{ratio} | {best[kind]['triples']:,} | {max(r['peak_mb'] for r in runs):.0f} |"
        )
    steps = best["build"].get("steps", {})
    if steps:
        lines.append("")
        lines.append("Build timeline (s since start, best run): " + ", ".join(f"{k} {v}" for k, v in steps.items()))
    return "\n".join(lines)


def record(label: str, catalogue: Path, repeat: int, table: str) -> None:
    command = f".venv/bin/python bench/bench_build.py {catalogue} --repeat {repeat}"
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    import pyoxigraph

    section = (
        f"\n### Build: {label} ({time.strftime('%Y-%m-%d', time.gmtime())})\n\n"
        f"Command: `{command}` ({machine}, pyoxigraph {pyoxigraph.__version__}; best of {repeat}; "
        "the machine is shared, so the medians carry noise).\n\n"
        f"{table}\n"
    )
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n", encoding="utf-8")
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(section)


if __name__ == "__main__":
    main()
