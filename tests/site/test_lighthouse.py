"""Lighthouse 12 on the fixture site as ``hdh serve`` serves it (issue 13): every category at 0.95 or more on a page
of each kind, in Debian's chromium with Lighthouse's default mobile profile and simulated throttling.

Lighthouse is installed with npm the first time (``tests/site/lighthouse_support.py``, shared with
``bench/bench_lighthouse.py``); the tests skip only when chromium or npm is missing. Lighthouse runs once a page
(about 12 s each, 7 pages). The figures on the SNDS site: bench/RESULTS.md.

The query editor's page paints a plain form and loads YASGUI (about 1 MB) only when the reader reaches for it:
loaded at once, its two long tasks alone cost 200-290 ms of blocking time (0.93-0.96, bench/RESULTS.md)."""

from __future__ import annotations

from typing import Any

import pytest
from lighthouse_support import (
    CATEGORIES,
    LighthouseUnavailable,
    lighthouse_command,
    lost_points,
    run_lighthouse,
    scores,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]

THRESHOLD = 0.95
# Home (fr, en), a dataset, a table, a variable, the fixture's biggest code list, the query editor.
PAGES = ["/", "/en/", "/dataset/dcir/", "/table/ER_PRS_F/", "/table/ER_PRS_F/BEN_AMA_COD/", "/codelist/IR_AMA_V/",
         "/sparql"]  # fmt: skip


@pytest.fixture(scope="module")
def reports(served: str) -> dict[str, dict[str, Any]]:
    """Lighthouse's report of each page, run the first time a test asks for it."""
    try:
        lighthouse_command()
    except LighthouseUnavailable as missing:
        pytest.skip(str(missing))
    return {}


def report_of(reports: dict[str, dict[str, Any]], served: str, path: str) -> dict[str, Any]:
    if path not in reports:
        report = run_lighthouse(lighthouse_command(), served + path)
        assert report.get("runtimeError") is None, f"{path}: {report['runtimeError']}"
        reports[path] = report
    return reports[path]


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("path", PAGES)
def test_every_category_reaches_the_threshold(
    reports: dict[str, dict[str, Any]], served: str, path: str, category: str
) -> None:
    report = report_of(reports, served, path)
    got = scores(report)
    summary = ", ".join(f"{c} {got[c]:.2f}" for c in CATEGORIES)
    message = f"{path}: {summary}; audits that lost points:\n" + "\n".join(lost_points(report))
    assert got[category] >= THRESHOLD, message
