"""Under load, through a real server: cheap queries keep their worker while heavy ones run, a client past its
share is told so at once (429/503 with Retry-After), and identical queries come from the cache or as 304.

Clients are told apart by address: each client here connects from its own loopback address (127.0.0.N).
Speeds are measured in bench/bench_load.py; here only who is answered, with what, and in which order.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from hdh_graph.api.app import create_app
from hdh_graph.api.cost import Lane
from hdh_graph.api.server import BackgroundServer
from hdh_graph.settings import Settings

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
"""Heavy by its text (an aggregate over unbound patterns) and slow: it runs until the time limit."""
SLOW_BUT_LOOKS_CHEAP = (
    'ASK { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l FILTER(STR(?c) = CONCAT(STR(?f), STR(?i), STR(?l), "!")) }'
)
"""Cheap by its text (an ASK) but slow: it is moved to the heavy workers after cheap_timeout."""
CHEAP = "ASK { <dataset/dcir> ?p ?o }"


@pytest.fixture(scope="module")
def busy_server(settings: Settings) -> Iterator[BackgroundServer]:
    served = settings.with_(
        query_timeout=4.0, workers=3, cheap_workers=1, cheap_timeout=0.5, client_concurrency=1, client_queue=1,
        queue_timeout=1.0,
    )  # fmt: skip
    with BackgroundServer(create_app(served)) as running:
        yield running


def _from(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60)


def _get(server: BackgroundServer, address: str, query: str) -> httpx.Response:
    with _from(address) as client:
        return client.get(server.url + "/sparql", params={"query": query})


def test_cheap_queries_are_answered_while_heavy_ones_hold_their_workers(busy_server: BackgroundServer) -> None:
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        heavy = [pool.submit(_get, busy_server, f"127.0.0.{n}", SLOW) for n in (2, 3)]
        answered = []
        while not all(f.done() for f in heavy):
            response = _get(busy_server, "127.0.0.4", CHEAP)
            answered.append((response.status_code, response.json()["boolean"], any(not f.done() for f in heavy)))
        results = [f.result() for f in heavy]
    assert all(status == 200 and value is True for status, value, _ in answered)
    assert sum(1 for *_, during in answered if during) >= 3  # answered while both heavy workers were busy
    assert [r.status_code for r in results] == [503, 503]
    assert "time limit of 4 s" in results[0].text and "Hint:" in results[0].text
    assert results[0].headers["retry-after"] == "1"


def test_a_client_past_its_queue_is_answered_429_at_once(busy_server: BackgroundServer) -> None:
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        running = pool.submit(_get, busy_server, "127.0.0.5", SLOW)
        _until(lambda: _heavy_busy(busy_server, 1))
        queued = pool.submit(_get, busy_server, "127.0.0.5", SLOW + " # second")
        _until(lambda: _queued(busy_server, "127.0.0.5"))
        refused = _get(busy_server, "127.0.0.5", SLOW + " # third")
        assert not running.done()  # refused before the first one ended: no silent wait
        running.result(), queued.result()
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "Too many queries from 127.0.0.5" in refused.text and "Hint:" in refused.text


def test_a_query_that_cannot_get_a_worker_in_time_gets_503_with_retry_after(busy_server: BackgroundServer) -> None:
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        heavy = [pool.submit(_get, busy_server, f"127.0.0.{n}", SLOW + f" # {n}") for n in (6, 7)]
        _until(lambda: _heavy_busy(busy_server, 2))
        waited = _get(busy_server, "127.0.0.8", SLOW + " # 8")
        assert not any(f.done() for f in heavy)
        [f.result() for f in heavy]
    assert waited.status_code == 503
    assert "stayed busy for 1 s" in waited.text and int(waited.headers["retry-after"]) >= 1


def test_a_slow_query_that_looked_cheap_moves_to_the_heavy_workers(busy_server: BackgroundServer) -> None:
    backend = busy_server.server.config.app.state.backend  # type: ignore[attr-defined]
    assert backend.lane_of(SLOW_BUT_LOOKS_CHEAP) is Lane.CHEAP
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow = pool.submit(_get, busy_server, "127.0.0.9", SLOW_BUT_LOOKS_CHEAP)
        _until(lambda: backend.lane_of(SLOW_BUT_LOOKS_CHEAP) is Lane.HEAVY)
        # Now on a heavy worker: the cheap one is free again.
        during = _get(busy_server, "127.0.0.10", CHEAP)
        assert during.status_code == 200 and not slow.done()
        result = slow.result()
    assert result.status_code == 503  # it then ran to the time limit, on a heavy worker
    assert backend.lane_of(SLOW_BUT_LOOKS_CHEAP) is Lane.HEAVY


def _until(condition: Callable[[], bool]) -> None:
    """Wait for a state of the server (bounded, so that a broken server fails the test instead of hanging it)."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the server never reached the expected state"
        time.sleep(0.01)


def _heavy_busy(server: BackgroundServer, count: int) -> bool:
    queue = server.server.config.app.state.backend.queue  # type: ignore[attr-defined]
    return bool(queue.places[Lane.HEAVY] - queue.free[Lane.HEAVY] >= count)


def _queued(server: BackgroundServer, client: str) -> bool:
    queue = server.server.config.app.state.backend.queue  # type: ignore[attr-defined]
    return bool(queue.queued.get(client, 0) >= 1)


def test_identical_queries_come_from_the_cache_and_revalidate_with_304(client: httpx.Client) -> None:
    query = "SELECT ?d WHERE { ?d a dcat:Dataset } ORDER BY ?d"
    first = client.get("/sparql", params={"query": query})
    second = client.get("/sparql", params={"query": query})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and etag == second.headers["etag"]
    again = client.get("/sparql", params={"query": query}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/sparql", params={"query": query}, headers={"If-None-Match": 'W/"other"'}).status_code == 200
    head = client.head("/sparql", params={"query": query})
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag
    # An answer that changes from one call to the next is neither cached nor validated.
    now = client.get("/sparql", params={"query": "SELECT (NOW() AS ?t) {}"})
    assert now.status_code == 200 and "etag" not in now.headers
    # Nor is an error.
    bad = client.get("/sparql", params={"query": "SELECT ?x WHERE {"})
    assert bad.status_code == 400 and "etag" not in bad.headers


def test_the_cache_answers_without_a_worker(server: BackgroundServer) -> None:
    backend = server.server.config.app.state.backend  # type: ignore[attr-defined]
    query = "SELECT ?t WHERE { ?t a csvw:Table } ORDER BY ?t # cache"
    with httpx.Client(base_url=server.url) as http:
        http.get("/sparql", params={"query": query}).raise_for_status()
        hits = backend.cache.stats.hits
        http.get("/sparql", params={"query": query}).raise_for_status()
        http.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"}).raise_for_status()
    assert backend.cache.stats.hits == hits + 1  # the CSV answer is another entry
