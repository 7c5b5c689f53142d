"""The site and the query editor as ``hdh serve`` serves them, with its Content-Security-Policy, in a real browser
(Debian's chromium driven by Playwright): every page works and the console shows no error, no refused script."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

# ``served`` (tests/site/conftest.py): the fixture catalogue built, rendered and served by ``hdh serve``'s app.
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PAGES = ["/", "/en/", "/dataset/dcir/", "/table/ER_PRS_F/", "/table/ER_PRS_F/BEN_AMA_COD/", "/codelist/IR_AMA_V/",
         "/crossing/", "/about/", "/agent/hdh/", "/search/"]  # fmt: skip


@pytest.fixture(scope="module")
def browser(served: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: pg.problems.append(f"request failed: {r.url} {r.failure}"))
    pg.on("response", lambda r: pg.problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    yield pg
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_site_pages_work_under_the_policy(page: Any, served: str, path: str) -> None:
    response = page.goto(served + path)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert page.problems == [], "\n".join(page.problems)


def test_search_runs_under_the_policy(page: Any, served: str) -> None:
    """The search reads its index with fetch: the policy needs nothing more than the server's own scripts."""
    page.goto(served + "/search/")
    page.fill("#q", "séjour")
    page.press("#q", "Enter")
    # A selector, not wait_for_function: that one evaluates a string, which the policy rightly refuses.
    page.wait_for_selector("[data-search-results] a")
    links = page.eval_on_selector_all("[data-search-results] a", "els => els.map(e => e.pathname)")
    assert "/table/T_MCOaaB/DGN_PAL/" in links
    assert page.problems == [], "\n".join(page.problems)


def test_the_query_editor_runs_a_query_under_the_policy(page: Any, served: str) -> None:
    response = page.goto(served + "/sparql")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.focus("#query")  # the reader reaches for the plain form: YASGUI is loaded and takes its place
    page.wait_for_selector(".CodeMirror")
    page.select_option("#example", "0")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table, .yasr .dataTable, .yasr_results table", timeout=30_000)
    assert page.problems == [], "\n".join(page.problems)


def test_the_query_typed_in_the_plain_form_goes_into_the_editor(page: Any, served: str) -> None:
    page.goto(served + "/sparql")
    assert page.query_selector(".CodeMirror") is None  # nothing loaded before the reader reaches for it
    page.fill("#query", "ASK { ?s ?p ?o }")
    page.wait_for_selector(".CodeMirror")
    assert page.query_selector("#query") is None
    assert "ASK { ?s ?p ?o }" in page.inner_text(".CodeMirror-code")
    assert page.problems == [], "\n".join(page.problems)
