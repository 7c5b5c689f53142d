"""A real server on loopback over a store built from the fixture catalogue, shared by the endpoint tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from endpoint_support import FIXTURES, TIMEOUT, build_fixture_store
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from hdh_graph.api.app import create_app
from hdh_graph.api.safety import Limits
from hdh_graph.api.server import BackgroundServer
from hdh_graph.settings import DEFAULT_BASE_IRI, Settings

# Property-based tests: a small derandomized run by default (CI), a long one with --hypothesis-profile=long.
hypothesis_settings.register_profile(
    "ci", max_examples=40, derandomize=True, deadline=None, database=None,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip
hypothesis_settings.register_profile(
    "long", max_examples=2000, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    store = tmp_path_factory.mktemp("api") / "store"
    return build_fixture_store(FIXTURES / "catalogue", store, DEFAULT_BASE_IRI)


@pytest.fixture(scope="session")
def server(settings: Settings) -> Iterator[BackgroundServer]:
    app = create_app(settings.with_(query_timeout=TIMEOUT), workers=2)
    with BackgroundServer(app) as running:
        yield running


@pytest.fixture()
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
def small_limits_server(settings: Settings) -> Iterator[BackgroundServer]:
    """A server with tiny result and body limits."""
    limits = Limits(query_timeout=5.0, max_result_bytes=2000, max_body_bytes=4000)
    with BackgroundServer(create_app(settings, limits=limits, workers=1)) as running:
        yield running
