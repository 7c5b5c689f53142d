"""The OpenAPI description, fuzzed by schemathesis against the real server: every answer is one the description
declares (status, media type, headers, schema), none is a server error, and what the description forbids is
refused.

The run is derandomized and small (40 cases per operation and mode, the ``ci`` profile of tests/api/conftest.py);
``--hypothesis-profile=long`` runs 2,000, and bench/RESULTS.md gives such a run's figures. The one
check left out for ``/sparql`` is that every schema-valid request is accepted: a string parameter cannot say
"a SPARQL query that parses", so a random string is rightly a 400.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
import schemathesis.specs.openapi.checks as openapi_checks
from hypothesis import strategies as st
from schemathesis.checks import CHECKS

from hdh_graph.api.app import create_app
from hdh_graph.api.server import BackgroundServer
from hdh_graph.settings import Settings


@schemathesis.serializer("application/sparql-query")
def _sparql_query(ctx: Any, value: Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode("utf-8")


# The description does not depend on the store: read it from an app that is never started.
SCHEMA = schemathesis.openapi.from_dict(create_app(Settings()).openapi())
OPERATIONS = {f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in SCHEMA.get_all_operations())}
# Checks that need several operations to talk about one resource (create, then read) do not apply here.
SINGLE_CALL = [c for c in CHECKS.get_all() if c.__name__ not in ("use_after_free", "ensure_resource_availability")]


@pytest.fixture(scope="module")
def fuzzed_server(settings: Settings) -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app(settings.with_(query_timeout=2.0), workers=2)) as running:
        yield running


def test_the_description_lists_every_route() -> None:
    assert set(OPERATIONS) >= {
        "GET /sparql", "POST /sparql", "GET /health", "GET /api/search", "GET /api/catalog.ttl",
        "GET /api/catalog.jsonld", "GET /api/catalog.rdf", "GET /api/dataset/{slug}/{name}",
    }  # fmt: skip
    assert not any(label.split()[0] in ("PUT", "PATCH", "DELETE") for label in OPERATIONS)


CASES = [
    (label, mode)
    for label, operation in sorted(OPERATIONS.items())
    for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
    # An operation without parameters has no request that violates its description.
    if mode is schemathesis.GenerationMode.POSITIVE or operation.definition.raw.get("parameters")
]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{label}-{mode.value}" for label, mode in CASES])
def test_every_operation_answers_as_described(
    fuzzed_server: BackgroundServer, label: str, mode: schemathesis.GenerationMode
) -> None:
    """Requests the description allows (positive) and requests it forbids (negative)."""
    operation = OPERATIONS[label]
    excluded = []
    if operation.path == "/sparql":
        excluded.append(openapi_checks.positive_data_acceptance)
    if operation.path.startswith("/api/catalog."):
        # The feed reads modified_since with pydantic, which also takes fractional Unix times ("0.5"): the
        # description states ISO 8601 or whole seconds, so a fraction counts as a violation that is accepted.
        excluded.append(openapi_checks.negative_data_rejection)

    @hypothesis.given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        case.call_and_validate(base_url=fuzzed_server.url, checks=SINGLE_CALL, excluded_checks=excluded, timeout=30)

    fuzz()
