"""W3C SPARQL 1.1 Protocol tests (tests/conformance/sparql11/protocol), run against a real server.

Tests that expect an update to succeed are skipped: the endpoint is read-only by design. The negative update
tests (expecting 4xx) run and pass because every update is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conformance_support import ProtocolTest, boolean_result, check_format, protocol_tests, serve_graphs

from hdh_graph.api.server import BackgroundServer

TESTS = protocol_tests()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    graphs: dict[str, Path] = {}
    for test in TESTS:
        graphs.update(test.graph_data)
    with serve_graphs(tmp_path_factory.mktemp("protocol"), graphs) as running:
        yield running


def test_the_manifest_has_every_test() -> None:
    assert len(TESTS) == 34
    assert sum(1 for t in TESTS if t.needs_update) == 7


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol(server: BackgroundServer, test: ProtocolTest) -> None:
    if test.needs_update:
        pytest.skip(test.needs_update)
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=30) as client:
        for request in test.requests:
            response = client.request(request.method, request.path, headers=request.headers, content=request.body)
            assert response.status_code in request.expected_status, (test.title, response.status_code, response.text)
            media = response.headers.get("content-type", "").split(";")[0].strip()
            if request.expected_format:
                check_format(request.expected_format, media, response.content)
            if request.expected_boolean is not None:
                assert boolean_result(media, response.content) is request.expected_boolean
