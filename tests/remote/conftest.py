"""A private Virtuoso server on loopback (its own virtuoso.ini, ports, database files and random passwords), filled
from the endpoint tests' fixture catalogue, and an `hdh serve` that forwards to it.

The endpoint tests of the embedded mode (tests/api) are imported by the test modules here and run again, their
`client` talking to an endpoint that forwards every query to Virtuoso.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))

from endpoint_support import FIXTURES, build_fixture_store
from virtuoso_support import start_virtuoso, virtuoso_settings

from hdh_graph.api.app import create_app
from hdh_graph.api.server import BackgroundServer
from hdh_graph.remote_load import publish
from hdh_graph.settings import DEFAULT_BASE_IRI, Settings
from hdh_graph.store import open_store
from hdh_graph.virtuoso import LocalVirtuoso, hide_other_graphs


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    store = tmp_path_factory.mktemp("remote") / "store"
    return build_fixture_store(FIXTURES / "catalogue", store, DEFAULT_BASE_IRI)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalVirtuoso]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def remote_settings(settings: Settings, virtuoso: LocalVirtuoso) -> Settings:
    remote = virtuoso_settings(settings, virtuoso, settings.store.parent / "remote-cache")
    report = publish(remote, open_store(settings, read_only=True))
    assert len(report.replaced) == 7 and report.method == "graph-store"
    hidden = hide_other_graphs(virtuoso.isql, settings.graph_iri(""))
    assert "http://www.openlinksw.com/schemas/virtrdf#" in hidden
    return remote


@pytest.fixture(scope="session")
def server(remote_settings: Settings) -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app(remote_settings.with_(query_timeout=5.0))) as running:
        yield running


@pytest.fixture()
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


VIRTUOSO_DIFFERS = {
    "test_table_variables_and_code_lists": (
        "Virtuoso evaluates BIND(EXISTS {...}) to the integer 1, not to the boolean true (example 02)"
    ),
    "test_describe_answers_turtle_by_default": (
        "Virtuoso's DESCRIBE also describes the resources that point to the one asked for (SPARQL leaves DESCRIBE's "
        "answer to the server)"
    ),
}
"""Endpoint tests that cannot pass through forwarding to Virtuoso, and why (docs/deployment.md lists them too)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name == "test_virtuoso_endpoint.py" and item.name in VIRTUOSO_DIFFERS:
            item.add_marker(pytest.mark.xfail(reason=VIRTUOSO_DIFFERS[item.name], strict=True))
