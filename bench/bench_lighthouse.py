"""Lighthouse scores of a served site: performance, accessibility, best practices and SEO, page by page.

    .venv/bin/hdh build && .venv/bin/hdh site && .venv/bin/hdh serve --port 8000 &
    .venv/bin/python bench/bench_lighthouse.py http://127.0.0.1:8000 / /en/ /dataset/dcir/ /table/ER_PRS_F/ \
        /table/ER_PRS_F/BEN_AMA_COD/ /codelist/IR_DTE_V/ /sparql

Runs Lighthouse 12 (``lighthouse`` on the PATH, else installed with npm into ``~/.cache/hdh-graph/lighthouse-12``)
in Debian's chromium, headless, with its default mobile profile and simulated throttling (``--preset desktop``
for the desktop one). Prints one Markdown row per page: the four scores, then the paint and blocking-time
figures the performance score is made of; ``--audits`` adds, under the table, every audit that lost points.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FIGURES = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def lighthouse_command() -> Path:
    """Lighthouse on the PATH, else the one in the cache folder, installed with npm the first time."""
    found = shutil.which("lighthouse")
    if found:
        return Path(found)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hdh-graph" / "lighthouse-12"
    command = cache / "node_modules" / ".bin" / "lighthouse"
    if not command.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("lighthouse is not on the PATH and npm is missing to install it (apt-get install npm)")
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(cache), "lighthouse@12"], check=True)
    return command


def run_lighthouse(command: Path, url: str, preset: str = "mobile") -> dict[str, Any]:
    """One Lighthouse run on ``url``: its JSON report (lhr)."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch:
        report = Path(scratch) / "report.json"
        args = [str(command), url, "--quiet", "--output=json", f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]  # fmt: skip
        if preset == "desktop":
            args.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM), "TMPDIR": scratch}
        subprocess.run(args, check=True, env=env, timeout=180, stdout=subprocess.DEVNULL)
        result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
        return result


def scores(lhr: dict[str, Any]) -> dict[str, float]:
    return {c: float(lhr["categories"][c]["score"] or 0.0) for c in CATEGORIES}


def lost_points(lhr: dict[str, Any]) -> list[str]:
    """The weighted audits below a full score, as ``category audit score (value)``."""
    lost = []
    for category in CATEGORIES:
        for ref in lhr["categories"][category]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                lost.append(f"{category} {ref['id']} {audit['score']}{value}")
    return lost


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", help="base URL of the served site, e.g. http://127.0.0.1:8000")
    parser.add_argument("paths", nargs="+", help="paths of the pages, e.g. / /en/ /sparql")
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median of each figure is shown")
    parser.add_argument("--audits", action="store_true", help="list the audits that lost points")
    options = parser.parse_args(argv)
    if not Path(os.environ.get("CHROME_PATH", CHROMIUM)).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium (or set CHROME_PATH)")
    command = lighthouse_command()
    version = subprocess.run([str(command), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    print(f"Lighthouse {version}, {options.preset}, {options.runs} run(s) a page, median\n")
    print("| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS |")
    print("|---|---|---|---|---|---|---|---|---|")
    notes: list[str] = []
    for path in options.paths:
        reports = [
            run_lighthouse(command, options.base.rstrip("/") + path, options.preset) for _ in range(options.runs)
        ]
        s = {c: statistics.median(scores(r)[c] for r in reports) for c in CATEGORIES}
        f = {k: statistics.median(float(r["audits"][k]["numericValue"]) for r in reports) for k in FIGURES}
        print(
            f"| `{path}` | {s['performance']:.2f} | {s['accessibility']:.2f} | {s['best-practices']:.2f} "
            f"| {s['seo']:.2f} | {f[FIGURES[0]] / 1000:.1f} s | {f[FIGURES[1]] / 1000:.1f} s "
            f"| {f[FIGURES[2]]:.0f} ms | {f[FIGURES[3]]:.3f} |",
            flush=True,
        )
        notes += [f"{path}: {line}" for line in lost_points(reports[-1])]
    if options.audits and notes:
        print("\nAudits that lost points (last run):\n")
        print("\n".join(f"- {n}" for n in notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
