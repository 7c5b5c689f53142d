"""Admitting queries: the cost estimate, the lanes and the fair queue between clients (no server: the queue
is driven directly, step by step)."""

from __future__ import annotations

import asyncio

import pytest

from hdh_graph.api.cost import CostHistory, Lane, deterministic, static_lane
from hdh_graph.api.examples import load_examples
from hdh_graph.api.fair_queue import Busy, FairQueue

CHEAP = [
    "ASK {}",
    "ASK { ?s ?p ?o }",
    "DESCRIBE <table/IR_BEN_R>",
    "SELECT ?c ?n WHERE { <table/IR_BEN_R> csvw:tableSchema/csvw:column ?c . ?c csvw:name ?n } ORDER BY ?n",
    'SELECT ?t WHERE { ?t dct:identifier "IR_BEN_R" }',
    "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    'SELECT ?r WHERE { ?r hdh:search "sexe" }',
]
HEAVY = [
    'SELECT ?s ?o WHERE { ?s ?p ?o FILTER(CONTAINS(LCASE(STR(?o)), "naissance")) }',
    'SELECT ?s WHERE { <table/X> ?p ?o FILTER(REGEX(?o, "a")) }',
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 10",
    "SELECT * WHERE { <a> rdfs:subClassOf+ ?o }",
    "SELECT * WHERE { VALUES ?x { " + "<urn:x> " * 2000 + "} }",
]


@pytest.mark.parametrize("query", CHEAP)
def test_bounded_lookups_are_cheap(query: str) -> None:
    assert static_lane(query) is Lane.CHEAP


@pytest.mark.parametrize("query", HEAVY)
def test_scans_are_heavy(query: str) -> None:
    assert static_lane(query) is Lane.HEAVY


def test_the_example_queries_on_one_resource_are_cheap() -> None:
    lanes = {e.name: static_lane(e.query) for e in load_examples()}
    assert lanes["02-table-variables-and-code-lists"] is Lane.CHEAP
    assert lanes["04-joinable-tables"] is Lane.CHEAP
    assert lanes["05-codes-of-a-code-list"] is Lane.CHEAP
    assert lanes["03-tables-using-icd10"] is Lane.HEAVY  # a REGEX over every code list's labels


def test_measured_time_wins_over_the_text() -> None:
    history = CostHistory()
    scan = HEAVY[0]
    history.record(scan, 0.01)
    assert history.lane(scan) is Lane.CHEAP  # fast on this store: cheap from now on
    lookup = CHEAP[3]
    history.record(lookup, 3.0)
    assert history.lane(lookup) is Lane.HEAVY


def test_queries_with_now_or_rand_are_not_cached() -> None:
    assert deterministic("SELECT * { ?s ?p ?o } LIMIT 1")
    assert not deterministic("SELECT (NOW() AS ?t) {}")
    assert not deterministic("SELECT (rand () AS ?t) {}")


def _run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_cheap_queries_keep_their_lane_while_heavy_ones_fill_theirs() -> None:
    async def scenario() -> None:
        queue = FairQueue({Lane.CHEAP: 1, Lane.HEAVY: 2}, client_concurrency=2, client_queue=8, queue_timeout=60)
        assert await queue.acquire("a", Lane.HEAVY) is Lane.HEAVY
        assert await queue.acquire("b", Lane.HEAVY) is Lane.HEAVY
        waiting = asyncio.create_task(queue.acquire("c", Lane.HEAVY))
        await asyncio.sleep(0)
        assert not waiting.done()  # a heavy query never takes the cheap worker
        assert await queue.acquire("d", Lane.CHEAP) is Lane.CHEAP
        queue.release("a", Lane.HEAVY)
        assert await waiting is Lane.HEAVY
        queue.release("d", Lane.CHEAP)
        queue.release("b", Lane.HEAVY)
        # With the heavy lane free and nobody waiting for it, a cheap query may use it.
        assert await queue.acquire("d", Lane.CHEAP) is Lane.CHEAP
        assert await queue.acquire("e", Lane.CHEAP) is Lane.HEAVY

    _run(scenario())


def test_a_freed_place_goes_to_the_clients_in_turn() -> None:
    async def scenario() -> list[str]:
        queue = FairQueue({Lane.CHEAP: 0, Lane.HEAVY: 1}, client_concurrency=1, client_queue=10, queue_timeout=60)
        await queue.acquire("first", Lane.HEAVY)
        order: list[str] = []

        async def one(client: str) -> None:
            lane = await queue.acquire(client, Lane.HEAVY)
            order.append(client)
            await asyncio.sleep(0)
            queue.release(client, lane)

        # A greedy client queues five queries before two others queue one each.
        tasks = [asyncio.create_task(one("greedy")) for _ in range(5)]
        await asyncio.sleep(0)
        tasks += [asyncio.create_task(one("polite-1")), asyncio.create_task(one("polite-2"))]
        await asyncio.sleep(0)
        queue.release("first", Lane.HEAVY)
        await asyncio.gather(*tasks)
        return order

    order = _run(scenario())
    assert order[:3] == ["greedy", "polite-1", "polite-2"]  # not five greedy ones first
    assert order.count("greedy") == 5


def test_a_client_past_its_queue_gets_429_with_retry_after() -> None:
    async def scenario() -> Busy:
        queue = FairQueue({Lane.CHEAP: 0, Lane.HEAVY: 1}, client_concurrency=1, client_queue=2, queue_timeout=60)
        await queue.acquire("a", Lane.HEAVY)
        waiting = [asyncio.create_task(queue.acquire("a", Lane.HEAVY)) for _ in range(2)]
        await asyncio.sleep(0)
        with pytest.raises(Busy) as refused:
            await queue.acquire("a", Lane.HEAVY)
        # Another client still gets in line.
        other = asyncio.create_task(queue.acquire("b", Lane.HEAVY))
        await asyncio.sleep(0)
        assert not other.done()
        for task in [*waiting, other]:
            task.cancel()
        return refused.value

    busy = _run(scenario())
    assert busy.status == 429 and busy.retry_after >= 1
    assert "Too many queries from a" in str(busy) and "Hint:" in str(busy)


def test_a_query_that_waits_too_long_gets_503_and_leaves_no_trace() -> None:
    async def scenario() -> tuple[Busy, FairQueue]:
        queue = FairQueue({Lane.CHEAP: 0, Lane.HEAVY: 1}, client_concurrency=2, client_queue=4, queue_timeout=0.05)
        await queue.acquire("a", Lane.HEAVY)
        with pytest.raises(Busy) as refused:
            await queue.acquire("b", Lane.HEAVY)
        queue.release("a", Lane.HEAVY)
        return refused.value, queue

    busy, queue = _run(scenario())
    assert busy.status == 503 and busy.retry_after >= 1 and "Retry-After" in busy.hint
    assert queue.free == {Lane.CHEAP: 0, Lane.HEAVY: 1}
    assert not queue.running and not queue.queued


def test_a_cancelled_wait_gives_its_place_back() -> None:
    async def scenario() -> FairQueue:
        queue = FairQueue({Lane.CHEAP: 0, Lane.HEAVY: 1}, client_concurrency=2, client_queue=4, queue_timeout=60)
        await queue.acquire("a", Lane.HEAVY)
        waiting = asyncio.create_task(queue.acquire("b", Lane.HEAVY))
        await asyncio.sleep(0)
        waiting.cancel()  # the client went away
        await asyncio.gather(waiting, return_exceptions=True)
        queue.release("a", Lane.HEAVY)
        return queue

    queue = _run(scenario())
    assert queue.free[Lane.HEAVY] == 1 and not queue.running and not queue.queued
