"""The SPARQL 1.1 Protocol at ``/sparql``: query by GET, by POST form and by POST ``application/sparql-query``.

Reading a request (methods, media types, parameters, body size) and writing the answer belong here; the
query itself runs in :mod:`hdh_graph.api.execution` (embedded store) or :mod:`hdh_graph.api.remote`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, Protocol
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from hdh_graph.api import negotiation, safety, service_description, ui
from hdh_graph.api.execution import Outcome, QueryJob, QueryTimeout
from hdh_graph.api.fair_queue import Busy
from hdh_graph.api.openapi_docs import SPARQL_GET, SPARQL_POST

router = APIRouter()
ALLOWED_METHODS = "GET, POST, HEAD, OPTIONS"


class Backend(Protocol):
    """Where queries run: the embedded store's workers or a remote SPARQL server, through the dispatcher."""

    def run(self, job: QueryJob, timeout: float, client: str = "-") -> Awaitable[Outcome]: ...


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


async def read_body(request: Request, limit: int, timeout: float = 10.0) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes, and with 408 when it has not
    all arrived within ``timeout`` seconds."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    size = 0
    chunks: list[bytes] = []
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                chunks.append(chunk)
    except TimeoutError as exc:
        raise safety.Refused(
            408,
            f"The request body did not arrive within {timeout:g} s",
            hint="send the whole request at once (a slow connection may send a long query by POST in one go)",
        ) from exc
    return b"".join(chunks)


def _too_large(limit: int) -> safety.Refused:
    return safety.Refused(413, f"The request body is larger than this endpoint's limit of {limit} bytes")


def _media_type(request: Request) -> tuple[str, str | None]:
    header = request.headers.get("content-type", "")
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for param in parts[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _decode(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise safety.Refused(415, f"charset={charset} is not supported: send the request in UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise safety.Refused(400, f"The request body is not valid UTF-8 (byte {exc.start})") from exc


IN_LOOP_BYTES = 64 * 1024
"""Bodies up to this size are decoded in the event loop; larger ones in a thread, so that others are not kept
waiting."""


def _form(raw: bytes, charset: str | None) -> list[tuple[str, str]]:
    return parse_qsl(_decode(raw, charset), keep_blank_values=True)


async def parameters(request: Request, limits: safety.Limits) -> list[tuple[str, str]]:
    """The protocol parameters of a request: URL query string, plus the form body or the direct query."""
    params = list(request.query_params.multi_items())
    if request.method in ("GET", "HEAD"):
        return params
    media, charset = _media_type(request)
    if media == "application/sparql-update":
        raise safety.refuse_update()
    if media == "application/x-www-form-urlencoded":
        raw = await read_body(request, limits.max_body_bytes, limits.read_timeout)
        if len(raw) > IN_LOOP_BYTES:  # a large form is decoded out of the event loop
            return params + await asyncio.to_thread(_form, raw, charset)
        return params + _form(raw, charset)
    if media == "application/sparql-query":
        raw = await read_body(request, limits.max_body_bytes, limits.read_timeout)
        body = await asyncio.to_thread(_decode, raw, charset) if len(raw) > IN_LOOP_BYTES else _decode(raw, charset)
        if any(name == "query" for name, _ in params):
            raise safety.Refused(400, "A direct POST carries its query in the body: remove query= from the URL")
        return [*params, ("query", body)]
    raise safety.Refused(
        415,
        f"POST with media type {media or '(none)'} is not a SPARQL query request",
        hint="send application/x-www-form-urlencoded with query=..., or application/sparql-query with the "
        "query as the body",
    )


@router.api_route("/sparql", methods=["OPTIONS"], include_in_schema=False)
@router.api_route("/sparql/", methods=["OPTIONS"], include_in_schema=False)
async def sparql_options() -> Response:
    return Response(status_code=204, headers={"Allow": ALLOWED_METHODS})


@router.api_route("/sparql/", methods=["GET", "POST"], include_in_schema=False)
@router.get(
    "/sparql",
    summary="SPARQL 1.1 query by GET (or the editor, or the service description)",
    operation_id="sparql_get",
    openapi_extra=SPARQL_GET,
    response_class=Response,
)
@router.post(
    "/sparql",
    summary="SPARQL 1.1 query by POST (form, or application/sparql-query)",
    operation_id="sparql_post",
    openapi_extra=SPARQL_POST,
    response_class=Response,
)
async def sparql(request: Request) -> Response:
    state = request.app.state
    limits: safety.Limits = state.limits
    try:
        params = await parameters(request, limits)
        values: dict[str, list[str]] = {}
        for name, value in params:
            values.setdefault(name, []).append(value)
        if "update" in values or "using-graph-uri" in values or "using-named-graph-uri" in values:
            raise safety.refuse_update()
        queries = values.get("query", [])
        if len(queries) > 1:
            raise safety.Refused(400, "The request has more than one query parameter: send exactly one")
        formats = tuple(v for v in values.get("format", []) + values.get("output", []) if v.strip())
        if not queries:
            if request.method == "POST":
                raise safety.Refused(400, "The request has no query parameter")
            accept = request.headers.get("accept")
            if negotiation.prefers_html(accept) and not formats:
                return ui.editor_page(request)
            return await service_description.respond(request, accept, formats)
        if not queries[0].strip():
            raise safety.Refused(400, "The query parameter is empty", hint="send a SPARQL query as query=...")
    except safety.Refused as refused:
        return _error(refused.status, str(refused))
    defaults = values.get("default-graph-uri")
    named = values.get("named-graph-uri")
    job = QueryJob(
        query=queries[0],
        default_graphs=tuple(defaults) if defaults is not None else None,
        named_graphs=tuple(named) if named is not None else None,
        accept=request.headers.get("accept"),
        formats=formats,
        base_iri=state.settings.base_iri,
        max_result_bytes=limits.max_result_bytes,
    )
    return await answer(request, job)


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


async def answer(request: Request, job: QueryJob) -> Response:
    """Run a job (or answer 304 from the store version) and write the response."""
    state = request.app.state
    limits: safety.Limits = state.limits
    etag = query_etag(state, job) if request.method == "GET" else None
    headers: dict[str, str] = {"Vary": "Accept"}
    if etag is not None:
        headers.update({"ETag": etag, "Cache-Control": "public, no-cache"})
        if etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
    try:
        outcome = await state.backend.run(job, limits.query_timeout, _client(request))
    except Busy as busy:
        return _error(busy.status, str(busy), {"Retry-After": str(busy.retry_after)})
    except QueryTimeout:
        return _error(
            503,
            f"The query ran past this endpoint's time limit of {limits.query_timeout:g} s and was stopped\n"
            "Hint: add LIMIT, bind a resource (an IRI) or drop string filters (REGEX, CONTAINS) over every value; "
            '?r hdh:search "words" finds resources by keyword quickly',
            {"Retry-After": "1"},
        )
    headers.update(outcome.headers)
    if outcome.status != 200:
        for name in ("ETag", "Cache-Control"):
            headers.pop(name, None)
        return _error(outcome.status, outcome.body.decode("utf-8", "replace").rstrip("\n"), headers)
    return Response(outcome.body, status_code=200, media_type=outcome.media_type, headers=headers)


def query_etag(state: Any, job: QueryJob) -> str | None:
    """The validator of a query's answer: the store version, when the answer depends on nothing else."""
    backend = state.backend
    if getattr(backend, "cache_key", None) is None or backend.cache_key(job) is None:
        return None
    return f'W/"{backend.store_version}"'


def etag_matches(header: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names the entity tag (weak comparison, as for GET)."""
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    return any(t.strip() == "*" or t.strip().removeprefix("W/") == wanted for t in header.split(","))
