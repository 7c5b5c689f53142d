"""Lighthouse scores of a served site: performance, accessibility, best practices and SEO, page by page.

    .venv/bin/hdh build && .venv/bin/hdh site && .venv/bin/hdh serve --port 8000 &
    .venv/bin/python bench/bench_lighthouse.py http://127.0.0.1:8000 / /en/ /dataset/dcir/ /table/ER_PRS_F/ \
        /table/ER_PRS_F/BEN_AMA_COD/ /codelist/IR_ORG_V/ /sparql --audits

Runs Lighthouse 12 (``lighthouse`` on the PATH, else installed with npm into ``~/.cache/hdh-graph/lighthouse-12``)
in Debian's chromium, headless, with its default mobile profile and simulated throttling (``--preset desktop``
for the desktop one). Prints one Markdown row per page: the four scores, then the paint and blocking-time
figures the performance score is made of; ``--audits`` adds, under the table, every audit that lost points.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "site"))
from lighthouse_support import (  # noqa: E402
    CATEGORIES,
    LighthouseUnavailable,
    chromium,
    lighthouse_command,
    lighthouse_version,
    lost_points,
    run_lighthouse,
    scores,
)

FIGURES = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", help="base URL of the served site, e.g. http://127.0.0.1:8000")
    parser.add_argument("paths", nargs="+", help="paths of the pages, e.g. / /en/ /sparql")
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median of each figure is shown")
    parser.add_argument("--audits", action="store_true", help="list the audits that lost points")
    options = parser.parse_args(argv)
    if not chromium().exists():
        raise SystemExit(f"{chromium()} is missing: apt-get install chromium (or set CHROME_PATH)")
    try:
        command = lighthouse_command()
    except LighthouseUnavailable as missing:
        raise SystemExit(str(missing)) from None
    version = lighthouse_version(command)
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
