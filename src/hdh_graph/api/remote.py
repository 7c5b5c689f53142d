"""Remote-store mode: ``/sparql`` forwards to another SPARQL 1.1 server (``hdh publish`` fills it: see
:mod:`hdh_graph.remote_load`).

Set ``HDH_SPARQL_ENDPOINT`` (queries) and ``HDH_GRAPH_STORE_ENDPOINT`` (Graph Store Protocol, for
``hdh publish``). The remote server must answer queries over the union of its named graphs by default
(Oxigraph: ``oxigraph serve --union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``).
The same safety checks run before forwarding, and the catalogue's prefixes and base IRI are added to the
query so that the examples run unchanged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import urlencode

import httpx
from pyoxigraph import Store

from hdh_graph.api import negotiation, safety
from hdh_graph.api.execution import Outcome, QueryJob, QueryTimeout, scrub
from hdh_graph.errors import HdhError, QueryError, QuerySyntaxError
from hdh_graph.sparql import text as sparql_text
from hdh_graph.sparql.keywords import SearchIndex, rewrite_search
from hdh_graph.sparql.run import QueryRequest, evaluate
from hdh_graph.vocab import PREFIXES

_EMPTY = Store()
"""An empty store, to parse queries before they are forwarded."""


class RemoteError(HdhError):
    """The remote SPARQL or Graph Store server refused a request or could not be reached."""


def with_prologue(query: str, toks: list[sparql_text.Token], base_iri: str | None) -> str:
    """Prepend, on the first line, BASE and the catalogue prefixes the query uses but does not declare."""
    declared = sparql_text.prefixes(toks)
    used = {t.text.partition(":")[0] for t in toks if t.kind == "word" and ":" in t.text}
    missing = sorted(p for p in used if p in PREFIXES and p not in declared)
    prologue = " ".join(f"PREFIX {p}: <{PREFIXES[p]}>" for p in missing)
    if base_iri and not any(t.kind == "word" and t.upper == "BASE" for t in toks):
        prologue = f"BASE <{base_iri}> {prologue}"
    return f"{prologue} {query}" if prologue else query


class RemoteBackend:
    """Runs queries on a remote SPARQL 1.1 endpoint (the protocol's POST form)."""

    def __init__(self, endpoint: str, index: SearchIndex | None = None) -> None:
        self.endpoint = endpoint
        self.index = index
        self.client = httpx.AsyncClient()

    async def close(self) -> None:
        await self.client.aclose()

    def prepare(self, job: QueryJob) -> tuple[negotiation.ResultFormat, str, list[tuple[str, str]]] | Outcome:
        """Check, parse and rewrite a job as the embedded store would (same refusals and messages); the
        format to ask for and the form to send, or the error outcome."""
        try:
            safety.check_job(job)
        except safety.Refused as refused:
            return Outcome.error(refused.status, str(refused))
        toks = sparql_text.tokens(job.query)
        request = QueryRequest(job.query, job.default_graphs, job.named_graphs, job.base_iri)
        try:  # parsed here first, so that a malformed query gets the same message as on the embedded store
            parsed = evaluate(_EMPTY, request)
        except QuerySyntaxError as exc:
            return Outcome.error(400, str(exc))
        except QueryError as exc:
            return Outcome.error(400, scrub(exc.message))
        kind = negotiation.kind_of(parsed)
        try:
            fmt = negotiation.choose(kind, job.accept, job.formats)
        except negotiation.NotAcceptable as exc:
            return Outcome.error(406, str(exc))
        text = rewrite_search(job.query, toks, self.index)
        defaults, named = job.default_graphs, job.named_graphs
        if defaults is None and named is None:
            # The remote's union default graph would hide FROM / FROM NAMED: state them as the protocol does.
            from_defaults, from_named = sparql_text.dataset_clauses(toks, job.base_iri)
            if from_defaults or from_named:
                defaults, named = tuple(from_defaults), tuple(from_named)
        data = [("query", with_prologue(text, toks, job.base_iri))]
        data += [("default-graph-uri", g) for g in defaults or ()]
        data += [("named-graph-uri", g) for g in named or ()]
        return fmt, kind, data

    async def run(self, job: QueryJob, timeout: float) -> Outcome:
        # Checks, parsing and the keyword rewrite run in a thread, out of the server's event loop.
        try:
            prepared = await asyncio.wait_for(asyncio.to_thread(self.prepare, job), timeout)
        except TimeoutError as exc:
            raise QueryTimeout from exc
        if isinstance(prepared, Outcome):
            return prepared
        fmt, kind, data = prepared
        try:
            response = await self.client.post(
                self.endpoint,
                content=urlencode(data).encode("ascii"),
                headers={"Accept": fmt.media_type, "Content-Type": "application/x-www-form-urlencoded"},
                timeout=timeout,
            )
        except httpx.TimeoutException as exc:
            raise QueryTimeout from exc
        except httpx.HTTPError as exc:
            return Outcome.error(502, f"The SPARQL server {self.endpoint} could not be reached: {exc}")
        if response.status_code >= 500:
            return Outcome.error(502, f"The SPARQL server {self.endpoint} failed: {response.text.strip()}")
        if response.status_code == 400:
            return Outcome.error(
                400, f"The SPARQL server {self.endpoint} refused the query: {response.text.strip()[:500]}"
            )
        if response.status_code >= 400:
            return Outcome.error(response.status_code, response.text.strip())
        if len(response.content) > job.max_result_bytes:
            return Outcome.error(422, "The result is larger than this endpoint's limit: add LIMIT")
        media = response.headers.get("content-type", fmt.media_type)
        return Outcome(200, response.content, media, kind)


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
