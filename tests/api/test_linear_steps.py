"""Every step a request goes through before its query runs takes time linear in the request's size.

In the server: the form body (decoded in a thread past 64 KiB), the cost estimate, the cache key, content
negotiation. In the worker (under the query's time limit, but a 1 MiB body must not take minutes there either):
the lexer, the safety checks, the nesting check and the keyword rewrite. Each is timed on generated inputs from
1 KiB up to the body limit, in shapes that make a careless lexer or regular expression quadratic; the cost per
byte at the largest size must stay within a generous factor of the smallest cost per byte seen (a quadratic step
is hundreds of times off). No absolute time is asserted. Then, through the real server, pages and /health answer
while such requests run.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, quote

import httpx
import pytest

from hdh_graph.api import negotiation, safety
from hdh_graph.api.cost import deterministic, fingerprint, static_lane
from hdh_graph.api.server import BackgroundServer
from hdh_graph.sparql import text as sparql_text
from hdh_graph.sparql.keywords import rewrite_search

SIZES = (1024, 32 * 1024, 1024 * 1024)
LIMIT = 1024 * 1024
"""The default body limit (settings.max_body_bytes)."""
RATIO = 10.0

SHAPES: dict[str, str] = {
    "name-runs": "a-",  # a prefixed-name pattern that failed and rescanned, once
    "unterminated-strings": "'a ",
    "long-strings": '"""a"',
    "iris": "<a",
    "brackets": "{(",
    "search-triples": '?r hdh:search "diag" . ',
    "from-clauses": "FROM <urn:g> ",
    "mixed": 'SELECT ?s WHERE { ?s a csvw:Column ; csvw:name "x" FILTER(REGEX(?s, "a")) } # c\n',
    "spaces-then-word": "a" + " " * 50,
}


def _text(shape: str, size: int) -> str:
    unit = SHAPES[shape]
    return (unit * (size // len(unit) + 1))[:size]


class _Index:
    """Three hits for any words: the rewrite's own cost, without a real full-text index."""

    def iris(self, text: str, limit: int = 1000, kinds: list[str] | None = None) -> list[str]:
        return ["urn:a", "urn:b", "urn:c"]


def _worker_checks(text: str) -> None:
    """What the worker does before evaluating: safety checks (lexing the text), nesting, keyword rewrite."""
    try:
        toks = safety.check_query(text, "https://example.org/")
    except safety.Refused:
        toks = sparql_text.tokens(text)
    sparql_text.deepest_nesting(toks)
    rewrite_search(text, toks, _Index())  # type: ignore[arg-type]


STEPS: dict[str, Callable[[str], object]] = {
    "form body": lambda text: parse_qsl("query=" + quote(text), keep_blank_values=True),
    "cost estimate": lambda text: (static_lane(text), static_lane(text[:8000]), deterministic(text)),
    "cache key": lambda text: fingerprint("v", text, None, None, "text/csv", ("json",), "https://example.org/"),
    "worker checks": _worker_checks,
}


def _seconds(step: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3 if len(text) < 100_000 else 1):
        started = time.perf_counter()
        step(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("step", sorted(STEPS))
def test_step_is_linear_in_the_request_size(step: str, shape: str) -> None:
    per_byte = {size: _seconds(STEPS[step], _text(shape, size)) / size for size in SIZES}
    assert per_byte[SIZES[-1]] <= RATIO * min(per_byte.values()), {
        s: f"{t * 1e9:.1f} ns/B" for s, t in per_byte.items()
    }


def test_negotiation_is_linear_in_the_header_size() -> None:
    def accept(size: int) -> str:
        return ", ".join(["text/x-unknown;q=0.5", "*/*;q=0"] * (size // 30))[:size]

    for kind in ("solutions", "graph"):
        per_byte = {}
        for size in (1024, 8192, 65536):
            header = accept(size)

            def choose(header: str = header, kind: str = kind) -> None:
                with pytest.raises(negotiation.NotAcceptable):
                    negotiation.choose(kind, header)  # type: ignore[arg-type]
                negotiation.prefers_html(header)

            per_byte[size] = _seconds(lambda _text, choose=choose: choose(), "") / size
        assert per_byte[65536] <= RATIO * min(per_byte.values()), per_byte


def test_pages_and_health_answer_while_large_requests_are_handled(server: BackgroundServer) -> None:
    bodies = [_text(shape, LIMIT - 64).encode() for shape in ("name-runs", "brackets", "unterminated-strings")]

    def post(body: bytes) -> int:
        response = httpx.post(server.url + "/sparql", content=body,
                              headers={"Content-Type": "application/sparql-query"}, timeout=120)  # fmt: skip
        return response.status_code

    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        pending = [pool.submit(post, body) for body in bodies]
        answers = []
        with httpx.Client(base_url=server.url, timeout=30) as client:
            while not all(p.done() for p in pending):
                answers.append(client.get("/health").status_code)
                answers.append(client.get("/", headers={"Accept": "text/html"}).status_code)
        statuses = [p.result() for p in pending]
    assert answers and set(answers) == {200}
    assert all(status in (400, 413, 503) for status in statuses), statuses
