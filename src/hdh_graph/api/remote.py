"""Remote-store mode: ``/sparql`` forwards to another SPARQL 1.1 server (``hdh publish`` fills it: see
:mod:`hdh_graph.remote_load`).

Set ``HDH_SPARQL_ENDPOINT`` (queries) and ``HDH_GRAPH_STORE_ENDPOINT`` (Graph Store Protocol, for
``hdh publish``). The remote server must answer queries over the union of its named graphs by default
(Oxigraph: ``oxigraph serve --union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``).
Queries run through the embedded store's path (:class:`RemoteBackend`): the same safety checks, messages and
formats; the catalogue's prefixes and base IRI are added to the query so that the examples run unchanged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

from hdh_graph.api.execution import Outcome, QueryJob, QueryTimeout, run_query
from hdh_graph.errors import HdhError
from hdh_graph.remote_store import RemoteStoreError, RemoteTimeout, SparqlStore
from hdh_graph.sparql.keywords import SearchIndex


class RemoteError(HdhError):
    """The remote SPARQL or Graph Store server refused a request or could not be reached."""


class RemoteBackend:
    """Runs queries on a remote SPARQL 1.1 endpoint, through the same path as the embedded store's
    (:func:`~hdh_graph.api.execution.run_query` on a :class:`~hdh_graph.remote_store.SparqlStore`): the same
    checks, parsing, keyword rewrite, messages and result formats; the server is asked for SPARQL JSON or
    N-Triples, whatever the server's own ways of writing other formats."""

    def __init__(self, endpoint: str, index: SearchIndex | None = None, timeout: float = 30.0) -> None:
        self.endpoint = endpoint
        self.index = index
        self.store = SparqlStore(endpoint, timeout=timeout)

    async def close(self) -> None:
        await asyncio.to_thread(self.store.close)

    def _run(self, job: QueryJob) -> Outcome:
        try:
            return run_query(self.store, job, self.index)
        except RemoteTimeout:
            raise
        except RemoteStoreError as exc:
            return Outcome.error(exc.status, str(exc))

    async def run(self, job: QueryJob, timeout: float) -> Outcome:
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._run, job), timeout)
        except (TimeoutError, RemoteTimeout) as exc:
            raise QueryTimeout from exc


def select_remote(endpoint: str, timeout: float = 600.0) -> Callable[[str], list[dict[str, str]]]:
    """A function that runs a SELECT on the remote endpoint and returns rows of plain values."""

    def select(query: str) -> list[dict[str, str]]:
        try:
            response = httpx.post(
                endpoint,
                data={"query": query},
                headers={"Accept": "application/sparql-results+json"},
                timeout=timeout,
            )
        except httpx.HTTPError as exc:
            raise RemoteError(f"could not reach the SPARQL server {endpoint}: {exc}") from exc
        if response.status_code != 200:
            raise RemoteError(f"{endpoint} answered {response.status_code}: {response.text.strip()[:500]}")
        rows = response.json()["results"]["bindings"]
        return [{k: v["value"] for k, v in row.items()} for row in rows]

    return select
