"""CORS, health, access log, the pages for people, static files and the site's content negotiation."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hdh_graph.api.app import create_app
from hdh_graph.api.server import BackgroundServer
from hdh_graph.settings import Settings


def test_cors_on_get_queries_and_preflight(client: httpx.Client) -> None:
    origin = {"Origin": "https://researcher.example.org"}
    response = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={**origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "accept"},
    )
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert client.get("/api/search", params={"q": "sexe"}, headers=origin).headers["access-control-allow-origin"] == "*"


def test_health(client: httpx.Client, settings: Settings) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["mode"] == "embedded"
    assert body["search_index"] == 19
    assert response.headers["cache-control"] == "no-store"


def test_access_log_lines_carry_the_query_time(client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    def logged() -> bool:
        lines = [r.getMessage() for r in caplog.records if r.name == "hdh_graph.api.access"]
        return any('"GET /sparql?query=ASK' in line and line.endswith(" ms") and " 200 " in line for line in lines)

    with caplog.at_level(logging.INFO, logger="hdh_graph.api.access"):
        client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        # The server thread writes the line once the response is sent: the client may read it first.
        deadline = time.monotonic() + 5
        while not logged() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert logged()
    assert "server-timing" in client.get("/health").headers


def test_editor_page_has_prefixes_examples_and_vendored_yasgui(client: httpx.Client) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "/api/static/vendor/yasgui-4.6.2.min.js" in page.text and "cdn" not in page.text.lower()
    assert "PREFIX csvw: &lt;http://www.w3.org/ns/csvw#&gt;" in page.text  # in the plain form's query
    assert "Tables that use ICD-10 (CIM-10) codes" in page.text
    for asset in (
        "/api/static/vendor/yasgui-4.6.2.min.js",
        "/api/static/vendor/yasgui-4.6.2.min.css",
        "/api/static/sparql-editor.js",
    ):
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 500, asset


def test_landing_page_without_a_site(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'href="/sparql"' in page.text and "Find variables by keyword" in page.text
    assert client.get("/dataset/dcir").status_code == 404


@pytest.fixture(scope="module")
def site_server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    site = tmp_path_factory.mktemp("site")
    files = {
        "index.html": "<h1>Catalogue</h1>",
        "dataset/dcir/index.html": "<h1>DCIR</h1>",
        "dataset/dcir.ttl": "<https://catalogue.health-data-hub.fr/dataset/dcir> a <http://www.w3.org/ns/dcat#Dataset>.",
        "dataset/dcir.jsonld": '{"@id": "https://catalogue.health-data-hub.fr/dataset/dcir"}',
        "dataset/dcir.rdf": "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>",
        "en/dataset/dcir/index.html": "<h1>DCIR (en)</h1>",
        "static/site.css": "body { color: black; }",
    }
    for name, text in files.items():
        path = Path(site, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    with BackgroundServer(create_app(settings.with_(site=site), workers=1)) as running:
        yield running


@pytest.mark.parametrize(
    ("path", "accept", "media", "text"),
    [
        ("/", "text/html", "text/html", "Catalogue"),
        ("/dataset/dcir", "text/html,application/xhtml+xml,*/*;q=0.8", "text/html", "<h1>DCIR</h1>"),
        ("/dataset/dcir", "text/turtle", "text/turtle", "dcat#Dataset"),
        ("/dataset/dcir", "application/ld+json", "application/ld+json", '"@id"'),
        ("/dataset/dcir", "application/rdf+xml;q=0.9, text/html;q=0.5", "application/rdf+xml", "rdf:RDF"),
        ("/dataset/dcir/", "text/html", "text/html", "<h1>DCIR</h1>"),
        ("/en/dataset/dcir", "text/html", "text/html", "DCIR (en)"),
        ("/en/dataset/dcir", "text/turtle", "text/turtle", "dcat#Dataset"),
        ("/dataset/dcir.ttl", "*/*", "text/turtle", "dcat#Dataset"),
        ("/static/site.css", "*/*", "text/css", "color"),
    ],
)
def test_site_pages_and_rdf_by_content_negotiation(
    site_server: BackgroundServer, path: str, accept: str, media: str, text: str
) -> None:
    response = httpx.get(site_server.url + path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert text in response.text
    assert "max-age" in response.headers["cache-control"]
    assert "etag" in response.headers and "last-modified" in response.headers
    if not path.endswith((".ttl", ".css")) and path != "/":
        assert "Accept" in response.headers["vary"]


def test_site_refuses_paths_outside_it_and_unknown_pages(site_server: BackgroundServer) -> None:
    assert httpx.get(site_server.url + "/dataset/nothing").status_code == 404
    assert httpx.get(site_server.url + "/%2e%2e/%2e%2e/etc/passwd").status_code == 404
    assert httpx.get(site_server.url + "/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


@pytest.mark.browser
def test_the_editor_page_waits_for_the_reader_in_a_real_browser(server: BackgroundServer) -> None:
    import shutil
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000", "--dump-dom",
         server.url + "/sparql"],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    # Without a reader, the page stays the plain form: YASGUI (tests/site/test_served_with_csp.py) is not loaded.
    assert "CodeMirror" not in dom and '<script src="/api/static/vendor/yasgui' not in dom
    assert '<textarea id="query" name="query"' in dom and "PREFIX csvw:" in dom  # with the prefixes filled in
