"""Interoperability figures: harvest of a synthetic 10,000-dataset feed (time, peak memory), the feed's
conformance (violations per level, warnings) and the ckanext-dcat round trip (fields carried / present).

    python3 ../shared/bench/gen_catalogue.py --datasets 10000 --variables 50 --out build/cat-10k.ttl
    .venv/bin/python bench/bench_harvest.py harvest build/cat-10k.ttl
    .venv/bin/python bench/bench_harvest.py feed          # the SNDS catalogue in catalogue/
    .venv/bin/python bench/bench_harvest.py ckan          # needs build/ckan-venv (the interop tests create it)

Each part prints one Markdown block to paste into bench/RESULTS.md. Peak memory is the process's maximum
resident set (ru_maxrss), measured in a fresh child process per run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object; add its peak memory."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_mib"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return result


HARVEST = """
import json, sys, time, tempfile
from pathlib import Path
from hdh_graph.settings import Settings
from hdh_graph.harvest import harvest, HarvestLimits
folder = Path(tempfile.mkdtemp())
settings = Settings(catalogue=folder / "catalogue")
start = time.perf_counter()
report = harvest(sys.argv[1], settings, name="synthetic", limits=HarvestLimits(max_bytes=2**31))
first = time.perf_counter() - start
start = time.perf_counter()
again = harvest(sys.argv[1], settings, name="synthetic", limits=HarvestLimits(max_bytes=2**31))
second = time.perf_counter() - start
size = sum(p.stat().st_size for p in report.folder.iterdir())
files = len(list(report.folder.iterdir()))
print(json.dumps({"kept": report.kept, "skipped": len(report.skipped), "first_s": round(first, 1),
                  "reharvest_s": round(second, 1), "unchanged": len(again.unchanged), "files": files,
                  "written_mib": round(size / 2**20, 1)}))
"""


def bench_harvest(source: str) -> str:
    size = Path(source).stat().st_size / 2**20
    r = _child(HARVEST, source)
    return (
        f"| harvest of `{source}` ({size:.0f} MiB Turtle, one page) | {r['kept']} records kept, "
        f"{r['skipped']} skipped; {r['files']} files ({r['written_mib']} MiB) | first harvest {r['first_s']} s; "
        f"re-harvest {r['reharvest_s']} s ({r['unchanged']} unchanged) | peak RSS {r['peak_mib']} MiB "
        "(both runs, one process) |"
    )


def bench_feed() -> str:
    from hdh_graph.build import build_store
    from hdh_graph.feed import build_feed
    from hdh_graph.settings import Settings
    from hdh_graph.store import open_store
    from hdh_graph.validation.runner import validate_catalogue

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(catalogue=ROOT / "catalogue", store=Path(tmp) / "store")
        build_store(settings)
        store = open_store(settings)
        start = time.perf_counter()
        page = build_feed(store, settings)
        data = page.serialize("turtle")
        seconds = time.perf_counter() - start
        folder = Path(tmp) / "feed-only"
        folder.mkdir()
        (folder / "catalog.ttl").write_bytes(data)
        report = validate_catalogue(Settings(catalogue=folder, store=Path(tmp) / "v"), use_cache=False)
    levels = Counter((r.source, r.severity.value) for r in report.results)
    rows = ", ".join(f"{src} {sev}: {n}" for (src, sev), n in sorted(levels.items()))
    violations = sorted({f"{r.resource} — {r.message_en}" for r in report.results if r.severity.value == "violation"})
    lines = [
        f"| feed of the SNDS catalogue ({page.total} datasets, {len(page.triples)} triples, "
        f"{len(data) / 2**20:.1f} MiB Turtle) built in {seconds:.1f} s | validated alone: "
        f"{len(report.violations)} violations, {len(report.warnings)} warnings ({rows}) |",
    ]
    lines += [f"|  violation | {v} |" for v in violations]
    top = Counter(r.property or r.rule for r in report.results if r.severity.value == "warning").most_common(8)
    lines.append("|  most frequent warnings | " + ", ".join(f"{p} {n}" for p, n in top) + " |")
    return "\n".join(lines)


def bench_ckan() -> str:
    sys.path.insert(0, str(ROOT / "tests" / "interop"))
    import pyoxigraph as ox
    from ckan_roundtrip_support import ckan_parse, compare, ensure_ckan

    from hdh_graph.build import build_store
    from hdh_graph.feed import build_feed
    from hdh_graph.settings import Settings
    from hdh_graph.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(catalogue=ROOT / "catalogue", store=Path(tmp) / "store")
        build_store(settings)
        page = build_feed(open_store(settings), settings)
        feed = Path(tmp) / "catalog.ttl"
        feed.write_bytes(page.serialize("turtle"))
        graph = ox.Store()
        graph.load(feed.read_bytes(), format=ox.RdfFormat.TURTLE)
        python = ensure_ckan()
        rows = []
        for profiles in (
            ["euro_dcat_ap_3", "euro_health_dcat_ap"],
            ["euro_dcat_ap_3", "euro_health_dcat_ap", "hdh_health_dcat_ap"],
        ):
            start = time.perf_counter()
            parsed = ckan_parse(python, feed, "turtle", profiles=profiles)
            seconds = time.perf_counter() - start
            result = compare(graph, parsed["datasets"])
            carried, present = sum(result.carried.values()), sum(result.present.values())
            rows.append(
                f"| ckanext-dcat ({' + '.join(profiles)}) on the SNDS feed: {len(parsed['datasets'])} datasets "
                f"parsed in {seconds:.1f} s | fields carried / present: {carried}/{present} | {result.summary()} |"
            )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=["harvest", "feed", "ckan"])
    parser.add_argument("source", nargs="?", default=str(ROOT / "build" / "cat-10k.ttl"))
    args = parser.parse_args()
    if args.part == "harvest":
        print(bench_harvest(args.source))
    elif args.part == "feed":
        print(bench_feed())
    else:
        print(bench_ckan())


if __name__ == "__main__":
    main()
