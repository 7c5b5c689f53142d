"""The site in a real browser (Debian's chromium driven by Playwright): search, language switch, console,
accessibility (axe-core) and hostile literals that must never run."""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from site_catalogue import BASE, FIXTURES, load_catalogue, rendered_copy

from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    settings = rendered_copy(tmp_path_factory.mktemp("browser"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(settings.site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.problems = []  # console errors, page errors and dialogs seen while the test ran
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))

    def on_dialog(dialog: Any) -> None:
        pg.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    context.close()


def _search(page: Any, base_url: str, query: str, lang: str = "") -> list[str]:
    prefix = f"/{lang}" if lang else ""
    page.goto(f"{base_url}{prefix}/search/")
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_function("document.querySelector('[data-search-status]').textContent.length > 0")
    links: list[str] = page.eval_on_selector_all("[data-search-results] a", "els => els.map(e => e.pathname)")
    return links


@pytest.mark.parametrize("query", ["séjour", "sejour", "SÉJOUR", "hospitalisation"])
def test_search_finds_a_variable_by_a_word_of_its_description(page: Any, base_url: str, query: str) -> None:
    assert "/table/T_MCOaaB/DGN_PAL/" in _search(page, base_url, query)
    assert page.problems == []


@pytest.mark.parametrize("query", ["bénéficiaire", "beneficiaire"])
def test_search_with_and_without_accents(page: Any, base_url: str, query: str) -> None:
    assert "/table/ER_PRS_F/BEN_AMA_COD/" in _search(page, base_url, query)


def test_search_finds_a_glossary_term_by_its_definition_and_citizens_pages_by_their_words(
    page: Any, base_url: str
) -> None:
    assert "/vocabulary/glossaire/" in _search(page, base_url, "révolues")
    assert any(link.startswith("/citizens/snds/") for link in _search(page, base_url, "opposer"))


def test_english_search_uses_the_english_index(page: Any, base_url: str) -> None:
    assert "/en/table/IR_BEN_R/BEN_SEX_COD/" in _search(page, base_url, "beneficiary", lang="en")


def test_language_switch(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/dataset/dcir/")
    assert page.get_attribute("html", "lang") == "fr"
    page.click("[data-lang-switch]")
    page.wait_for_url(f"{base_url}/en/dataset/dcir/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == "Inter-scheme consumption datamart (DCIR)"
    page.click("[data-lang-switch]")
    page.wait_for_url(f"{base_url}/dataset/dcir/")
    assert page.problems == []


def test_skip_link_is_first_and_moves_focus_to_the_content(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/dataset/dcir/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left >= 0")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


PAGES = [
    "/",
    "/en/",
    "/dataset/dcir/",
    "/en/dataset/pmsi-mco/",
    "/table/ER_PRS_F/",
    "/table/ER_PRS_F/BEN_AMA_COD/",
    "/en/table/ER_PRS_F/PRS_REM_MNT/",
    "/codelist/IR_AMA_V/",
    "/codelist/IR_NAT_V/",
    "/crossing/",
    "/about/",
    "/search/",
    "/agent/hdh/",
    "/citizens/",
    "/citizens/snds/",
    "/en/citizens/snds/",
    "/citizens/snds/rights/",
    "/vocabulary/glossaire/",
    "/table/IR_BEN_R/BEN_NIR_PSA/",
    "/en/table/T_MCOaaB/DGN_PAL/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_accessibility_violation_nor_console_error(page: Any, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in json.loads(result)
    ]
    assert violations == []
    assert page.problems == []


def test_hostile_literals_are_shown_not_run(page: Any, base_url: str) -> None:
    page.goto(base_url + "/table/ER_PRS_F/PRS_REM_MNT/")
    assert "</script><script>alert('x')</script>" in page.inner_text("main")
    assert page.evaluate("document.querySelectorAll('main script, main b, main img').length") == 0
    page.goto(base_url + "/codelist/IR_AMA_V/")
    assert "<img src=x onerror=alert(1)>" in page.inner_text("main")
    page.goto(base_url + "/dataset/dcir/")
    data = json.loads(page.eval_on_selector("script[type='application/ld+json']", "e => e.textContent"))
    assert data["@type"] == "Dataset"
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert "/table/ER_PRS_F/PRS_REM_MNT/" in _search(page, base_url, "gras")
    assert page.evaluate("document.querySelectorAll('[data-search-results] b, [data-search-results] img').length") == 0
    assert page.problems == []


def test_code_filter_and_keyboard(page: Any, base_url: str) -> None:
    page.goto(base_url + "/codelist/IR_AMA_V/")
    page.fill("#code-q", "inconnu")
    visible = page.eval_on_selector_all(
        "#codes-table tbody tr:not([hidden]) code", "els => els.map(e => e.textContent)"
    )
    assert visible == ["99"]
    page.fill("#code-q", "age")  # folded: matches "Âge"
    assert page.eval_on_selector_all("#codes-table tbody tr:not([hidden])", "els => els.length") == 1


def test_search_filters_narrow_the_results(page: Any, base_url: str) -> None:
    everything = _search(page, base_url, "bénéficiaire")
    assert any(link.startswith("/table/") and link.count("/") == 3 for link in everything)  # a table page
    page.click("[data-search-filters-box] summary")
    page.wait_for_selector(".filter-group label")
    page.check("label:has-text('Variable') input")
    page.wait_for_function("document.querySelector('[data-search-results] a') !== null")
    page.wait_for_timeout(300)
    links: list[str] = page.eval_on_selector_all("[data-search-results] a", "els => els.map(e => e.pathname)")
    assert links and all(link.count("/") == 4 for link in links)  # /table/T/C/: variables only
    assert page.problems == []


def test_more_results_come_a_page_at_a_time(page: Any, base_url: str) -> None:
    everything = _search(page, base_url, "soins")

    def small_pages(route: Any) -> None:  # the page size the template gives, made 2 for this small catalogue
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace('data-page-size="30"', 'data-page-size="2"'))

    page.route(f"{base_url}/search/*", small_pages)
    first = _search(page, base_url, "soins")
    assert len(everything) > 2 and first == everything[:2]
    page.click("[data-search-more]")
    page.wait_for_function("document.querySelectorAll('[data-search-results] a').length > 2")
    more: list[str] = page.eval_on_selector_all("[data-search-results] a", "els => els.map(e => e.pathname)")
    assert more == everything[:4]
    assert page.is_hidden("[data-search-more]") == (len(everything) <= 4)
    assert page.problems == []


@pytest.fixture(scope="module")
def updated_url(tmp_path_factory: pytest.TempPathFactory, base_url: str) -> Iterator[str]:
    """A site built with search, then brought up to date incrementally after a description changed."""
    root = tmp_path_factory.mktemp("updated")
    catalogue = root / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", catalogue)
    settings = Settings(catalogue=catalogue, store=root / "store", base_iri=BASE, site=root / "site")

    def builds() -> None:
        before = load_catalogue(catalogue, settings)
        build_site(before, settings, settings.site, search=True)
        pmsi = catalogue / "snds" / "pmsi-mco.ttl"
        text = pmsi.read_text(encoding="utf-8")
        pmsi.write_text(
            text.replace("qui a motivé l'hospitalisation", "qui a motivé la venue (zorglub)"), encoding="utf-8"
        )
        after = load_catalogue(catalogue, settings)
        report = build_site(after, settings, settings.site, search=True, incremental=True, previous=before)
        assert report.rendered and report.searched

    builds()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(settings.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_search_after_an_incremental_build_finds_the_new_text_and_not_the_old(page: Any, updated_url: str) -> None:
    found = _search(page, updated_url, "zorglub")  # the variable whose description changed, once
    assert found == ["/table/T_MCOaaB/DGN_PAL/"]
    assert "/table/T_MCOaaB/DGN_PAL/" not in _search(page, updated_url, "hospitalisation")  # its old entry is gone
    assert "/table/ER_PRS_F/BEN_AMA_COD/" in _search(page, updated_url, "bénéficiaire")  # the main index still works
    found = _search(page, updated_url, "diagnostic")
    assert found.count("/table/T_MCOaaB/DGN_PAL/") == 1  # shown once
    assert page.problems == []
