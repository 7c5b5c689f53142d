"""The usual HTTP protections through a real server: security headers, compression, cache validators and
lifetimes, HEAD wherever GET is, limits on headers, bodies and slow clients, and error answers."""

from __future__ import annotations

import gzip
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import httpx
import pytest

from hdh_graph.api.app import create_app
from hdh_graph.api.server import BackgroundServer
from hdh_graph.settings import Settings

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 600


@pytest.fixture(scope="module")
def site_server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    site = tmp_path_factory.mktemp("site")
    files: dict[str, str | bytes] = {
        "index.html": "<h1>Catalogue</h1>" + "<p>texte</p>" * 200,
        "dataset/dcir/index.html": "<h1>DCIR</h1>" + "<p>texte</p>" * 200,
        "dataset/dcir.ttl": "<https://catalogue.health-data-hub.fr/dataset/dcir> a <http://www.w3.org/ns/dcat#Dataset>.",
        "static/site.css": "body { color: black; }",
        "static/yasgui-4.6.2.min.js": "console.log(1);",
        "static/app_3f9a1c2.js": "x",
        "static/logo.png": PNG,
        "robots.txt": "User-agent: *\n",
        "sitemap.xml": "<urlset/>",
    }
    for name, content in files.items():
        path = Path(site, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    served = settings.with_(site=site, read_timeout=1.0, max_header_bytes=8192, max_body_bytes=4096)
    with BackgroundServer(create_app(served, workers=1)) as running:
        yield running


HTML_PAGES = ["/", "/dataset/dcir", "/sparql"]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_pages_carry_a_content_security_policy_and_the_usual_headers(site_server: BackgroundServer, path: str) -> None:
    response = httpx.get(site_server.url + path, headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_data_answers_allow_nothing_to_run(site_server: BackgroundServer) -> None:
    response = httpx.get(site_server.url + "/sparql", params={"query": "ASK {}"})
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "params", "accept"),
    [
        ("/", {}, "text/html"),
        ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"}, "application/sparql-results+json"),
        ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"}, "application/sparql-results+xml"),
        ("/sparql", {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 50"}, "text/turtle"),
        ("/sparql", {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 50"}, "application/rdf+xml"),
        ("/api/search", {"q": "a", "limit": 50}, "application/json"),
    ],
)
@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_answers_are_compressed_as_the_client_asks(
    site_server: BackgroundServer, path: str, params: dict[str, object], accept: str, encoding: str
) -> None:
    plain = httpx.get(site_server.url + path, params=params, headers={"Accept": accept, "Accept-Encoding": "identity"})
    with httpx.Client() as client:
        request = client.build_request(
            "GET", site_server.url + path, params=params, headers={"Accept": accept, "Accept-Encoding": encoding}
        )
        response = client.send(request, stream=True)
        raw = b"".join(response.iter_raw())
    assert plain.status_code == response.status_code == 200
    assert response.headers["content-encoding"] == encoding
    assert "Accept-Encoding" in response.headers["vary"]
    decoded = brotli.decompress(raw) if encoding == "br" else gzip.decompress(raw)
    if path == "/api/search":  # the answer says how long the search took: compare the rest
        assert json.loads(decoded)["hits"] == plain.json()["hits"]
    else:
        assert decoded == plain.content
    assert len(raw) < len(plain.content)


def test_already_compressed_files_are_sent_as_they_are(site_server: BackgroundServer) -> None:
    response = httpx.get(site_server.url + "/static/logo.png", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200 and "content-encoding" not in response.headers
    assert response.content == PNG


def test_a_page_revalidates_with_its_etag_and_fingerprinted_files_are_immutable(site_server: BackgroundServer) -> None:
    page = httpx.get(site_server.url + "/dataset/dcir", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "public, max-age=60, must-revalidate"
    again = httpx.get(
        site_server.url + "/dataset/dcir", headers={"Accept": "text/html", "If-None-Match": page.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == page.headers["etag"]
    since = httpx.get(site_server.url + "/dataset/dcir", headers={"If-Modified-Since": page.headers["last-modified"]})
    assert since.status_code == 304
    for path in ("/static/yasgui-4.6.2.min.js", "/static/app_3f9a1c2.js",
                 "/api/static/vendor/yasgui-4.6.2.min.js"):  # fmt: skip
        assert httpx.get(site_server.url + path).headers["cache-control"] == "public, max-age=31536000, immutable"
    assert httpx.get(site_server.url + "/static/site.css").headers["cache-control"].startswith("public, max-age=60")
    assert httpx.get(site_server.url + "/api/static/api.css").headers["cache-control"].startswith("public, max-age=60")


@pytest.mark.parametrize(
    "path",
    ["/", "/dataset/dcir", "/robots.txt", "/sitemap.xml", "/static/site.css", "/health", "/api/search?q=sexe",
     "/api/catalog.ttl", "/sparql?query=ASK%20%7B%7D", "/api/static/api.css", "/api/openapi.json"],
)  # fmt: skip
def test_head_wherever_get(site_server: BackgroundServer, path: str) -> None:
    get = httpx.get(site_server.url + path)
    head = httpx.head(site_server.url + path)
    assert get.status_code == 200 and head.status_code == 200, (get.status_code, head.status_code)
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    if "content-length" in head.headers and "content-encoding" not in head.headers:
        if path.startswith("/api/search"):
            # The answer says how long the search took ("took_ms": 0.31 or 0.311): the two bodies differ there only.
            assert abs(int(head.headers["content-length"]) - len(get.content)) <= 8
        else:
            assert int(head.headers["content-length"]) == len(get.content)


def test_methods_other_than_get_and_post_say_what_is_allowed(site_server: BackgroundServer) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        response = httpx.request(method, site_server.url + "/sparql", params={"query": "ASK {}"})
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, POST, HEAD, OPTIONS"
        assert f"{method} is not allowed on /sparql" in response.text
    assert httpx.delete(site_server.url + "/dataset/dcir").status_code == 405
    operations = httpx.get(site_server.url + "/api/openapi.json").json()["paths"]["/sparql"]
    assert set(operations) == {"get", "post"}


def test_too_large_headers_and_bodies_are_refused(site_server: BackgroundServer) -> None:
    long_query = "ASK {}" + " " * 9000
    too_long = httpx.get(site_server.url + "/sparql", params={"query": long_query})
    assert too_long.status_code == 414 and "POST" in too_long.text
    assert httpx.get(site_server.url + "/health", headers={"X-Big": "x" * 9000}).status_code == 431
    body = httpx.post(site_server.url + "/sparql", content=long_query.encode(),
                      headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    assert body.status_code == 413 and "4096 bytes" in body.text
    assert httpx.get(site_server.url + "/health").status_code == 200


def _connect(server: BackgroundServer) -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=30)
    sock.settimeout(30)
    return sock


def test_slow_clients_are_disconnected_and_do_not_stop_others(site_server: BackgroundServer) -> None:
    """100 connections send a request head byte by byte (slowloris): each is closed after the read timeout
    (1 s here), and a normal client is served meanwhile."""
    dripping = [_connect(site_server) for _ in range(100)]
    try:
        for sock in dripping:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        normal = httpx.get(site_server.url + "/health", timeout=30)
        assert normal.status_code == 200
        closed = 0
        for sock in dripping:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                closed += sock.recv(1) == b""  # the server closed the connection without answering
            except OSError:
                closed += 1
        assert closed == 100
    finally:
        for sock in dripping:
            sock.close()


def test_a_body_that_does_not_arrive_in_time_is_refused_with_408(site_server: BackgroundServer) -> None:
    sock = _connect(site_server)
    try:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK"
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 408")


def test_idle_keep_alive_connections_are_closed(site_server: BackgroundServer) -> None:
    sock = _connect(site_server)
    try:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        while sock.recv(65536):
            pass
        assert time.monotonic() - started < 25  # closed by the server (after its keep-alive time), not by us
    finally:
        sock.close()


def test_errors_show_no_traceback_nor_path(site_server: BackgroundServer, settings: Settings) -> None:
    answers = [
        httpx.get(site_server.url + "/sparql", params={"query": "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"}),
        httpx.get(site_server.url + "/sparql", params={"query": "SELECT (<urn:nofn>(1) AS ?x) {}"}),
        httpx.get(site_server.url + "/%2e%2e/%2e%2e/etc/passwd"),
        httpx.get(site_server.url + "/api/catalog.ttl", params={"page": "x"}),
        httpx.get(site_server.url + "/health"),
    ]
    for response in answers:
        assert response.status_code < 500
        assert "Traceback" not in response.text
        assert str(settings.store) not in response.text and "/tmp/" not in response.text
