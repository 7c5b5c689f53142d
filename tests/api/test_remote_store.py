"""Remote-store mode: a real Oxigraph server on loopback, filled by `publish`, queried through /sparql.

The endpoint tests of the embedded mode are imported here and run again, their `client` now talking to an
endpoint that forwards every query to the Oxigraph server.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from endpoint_support import count_triples
from test_examples import *  # noqa: F403  (the same tests, run through forwarding)
from test_protocol import *  # noqa: F403
from test_safety import (  # noqa: F401
    test_every_update_form_is_refused_through_every_route,
    test_local_files_cannot_be_read_with_from,
    test_service_is_refused_but_the_word_in_a_string_or_iri_is_not,
)
from test_search_index import (  # noqa: F401
    test_hdh_search_magic_property_in_sparql,
    test_search_by_kind_and_by_name,
    test_search_ignores_case_and_accents_and_matches_word_starts,
)

from hdh_graph.api.app import create_app
from hdh_graph.api.server import BackgroundServer, free_port
from hdh_graph.remote_load import RemoteLoadError, publish
from hdh_graph.settings import Settings
from hdh_graph.store import open_store

pytestmark = pytest.mark.server


def _oxigraph() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is missing: pip install oxigraph (a test dependency)")
    return found


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    log = location.parent / "oxigraph.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph did not start: {log.read_text()}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def remote_settings(settings: Settings, oxigraph_server: str) -> Settings:
    remote = settings.with_(
        sparql_endpoint=oxigraph_server + "/query",
        graph_store_endpoint=oxigraph_server + "/store",
        store=settings.store.parent / "remote-cache",
    )
    published = publish(remote, open_store(settings, read_only=True))
    assert len(published.replaced) == 7 and published.method == "graph-store"
    return remote


@pytest.fixture(scope="module")
def server(remote_settings: Settings) -> Iterator[BackgroundServer]:  # replaces the embedded server
    with BackgroundServer(create_app(remote_settings.with_(query_timeout=5.0))) as running:
        yield running


def test_publish_copies_every_named_graph(settings: Settings, client: httpx.Client, oxigraph_server: str) -> None:
    direct = httpx.get(
        oxigraph_server + "/query",
        params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    local = len(open_store(settings, read_only=True))
    assert int(direct.json()["results"]["bindings"][0]["n"]["value"]) == local
    assert count_triples(client) == local


def test_publishing_again_replaces_the_graphs(
    remote_settings: Settings, settings: Settings, client: httpx.Client
) -> None:
    before = count_triples(client)
    report = publish(remote_settings, open_store(settings, read_only=True))
    assert len(report.replaced) == 7 and report.removed == []
    assert count_triples(client) == before


def test_health_reports_the_remote_mode(client: httpx.Client, oxigraph_server: str) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["mode"] == "remote"
    assert body["endpoint"] == oxigraph_server + "/query"
    assert body["search_index"] == 19


def test_an_unreachable_remote_answers_502_and_health_says_unavailable(settings: Settings) -> None:
    dead = settings.with_(sparql_endpoint=f"http://127.0.0.1:{free_port()}/query", store=settings.store.parent / "dead")
    with BackgroundServer(create_app(dead)) as running:
        response = httpx.get(running.url + "/sparql", params={"query": "ASK {}"})
        assert response.status_code == 502 and "could not be reached" in response.text
        description = httpx.get(running.url + "/sparql", headers={"Accept": "text/turtle"})
        assert description.status_code == 502 and "could not reach" in description.text
        assert httpx.get(running.url + "/health").status_code == 503


def test_publish_names_the_problem_when_the_graph_store_is_missing(settings: Settings) -> None:
    with pytest.raises(RemoteLoadError, match="no Graph Store Protocol endpoint"):
        publish(settings.with_(graph_store_endpoint=None), open_store(settings, read_only=True))
    with pytest.raises(RemoteLoadError, match="could not reach"):
        unreachable = settings.with_(graph_store_endpoint=f"http://127.0.0.1:{free_port()}/store")
        publish(unreachable, open_store(settings, read_only=True))


def test_publish_command_fills_the_remote_store(settings: Settings, oxigraph_server: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from hdh_graph.cli.serve_cmds import publish as publish_command

    result = CliRunner().invoke(
        publish_command,
        ["--store", str(settings.store), "--catalogue", str(settings.catalogue),
         "--graph-store-endpoint", oxigraph_server + "/store"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    triples = len(open_store(settings, read_only=True))
    assert f"Published 7 named graphs ({triples} triples) to {oxigraph_server}/store by graph-store" in result.output


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_site_and_the_feed_read_from_the_remote_store_are_those_of_the_embedded_store(
    settings: Settings, remote_settings: Settings, tmp_path: Path
) -> None:
    from hdh_graph.graph_store import open_graph_store
    from hdh_graph.remote_store import SparqlStore
    from hdh_graph.site.build import build_site
    from hdh_graph.site.publish.feed import feed_documents
    from hdh_graph.site.state import STATE

    remote = open_graph_store(remote_settings)
    assert isinstance(remote, SparqlStore)
    local = open_store(settings, read_only=True)
    assert feed_documents(remote, settings) == feed_documents(local, settings)
    for name, store in (("embedded", local), ("remote", remote)):
        build_site(store, settings, tmp_path / name, search=False, workers=1)
    embedded, served = _tree(tmp_path / "embedded"), _tree(tmp_path / "remote")
    embedded.pop(STATE), served.pop(STATE)  # the state records timings
    assert len(embedded) > 50
    assert sorted(embedded) == sorted(served)
    assert [f for f in embedded if embedded[f] != served[f]] == []
