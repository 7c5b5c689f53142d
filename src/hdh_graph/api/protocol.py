"""The SPARQL 1.1 Protocol at ``/sparql``: query by GET, by POST form and by POST ``application/sparql-query``.

Reading a request (methods, media types, parameters, body size) and writing the answer belong here; the
query itself runs in :mod:`hdh_graph.api.execution` (embedded store) or :mod:`hdh_graph.api.remote`.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from hdh_graph.api import negotiation, safety, service_description, ui
from hdh_graph.api.execution import Outcome, QueryJob, QueryTimeout

router = APIRouter()
ALLOWED_METHODS = "GET, POST, HEAD, OPTIONS"


class Backend(Protocol):
    """Where queries run: the embedded store's worker pool or a remote SPARQL server."""

    def run(self, job: QueryJob, timeout: float) -> Awaitable[Outcome]: ...


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    size = 0
    chunks: list[bytes] = []
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
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


async def parameters(request: Request, limit: int) -> list[tuple[str, str]]:
    """The protocol parameters of a request: URL query string, plus the form body or the direct query."""
    params = list(request.query_params.multi_items())
    if request.method in ("GET", "HEAD"):
        return params
    media, charset = _media_type(request)
    if media == "application/sparql-update":
        raise safety.refuse_update()
    if media == "application/x-www-form-urlencoded":
        body = _decode(await read_body(request, limit), charset)
        return params + parse_qsl(body, keep_blank_values=True)
    if media == "application/sparql-query":
        body = _decode(await read_body(request, limit), charset)
        if any(name == "query" for name, _ in params):
            raise safety.Refused(400, "A direct POST carries its query in the body: remove query= from the URL")
        return [*params, ("query", body)]
    raise safety.Refused(
        415,
        f"POST with media type {media or '(none)'} is not a SPARQL query request",
        hint="send application/x-www-form-urlencoded with query=..., or application/sparql-query with the "
        "query as the body",
    )


@router.api_route("/sparql", methods=["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"])
@router.api_route("/sparql/", methods=["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"])
async def sparql(request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOWED_METHODS})
    if request.method not in ("GET", "POST", "HEAD"):
        return _error(
            405, f"{request.method} is not a SPARQL query method: use GET or POST", {"Allow": ALLOWED_METHODS}
        )
    state = request.app.state
    limits: safety.Limits = state.limits
    try:
        params = await parameters(request, limits.max_body_bytes)
        values: dict[str, list[str]] = {}
        for name, value in params:
            values.setdefault(name, []).append(value)
        if "update" in values or "using-graph-uri" in values or "using-named-graph-uri" in values:
            raise safety.refuse_update()
        queries = values.get("query", [])
        if len(queries) > 1:
            raise safety.Refused(400, "The request has more than one query parameter: send exactly one")
        format_param = (values.get("format") or [None])[0]
        if not queries:
            if request.method == "POST":
                raise safety.Refused(400, "The request has no query parameter")
            accept = request.headers.get("accept")
            if negotiation.prefers_html(accept) and not format_param:
                return ui.editor_page(request)
            return await service_description.respond(request, accept, format_param)
        defaults = values.get("default-graph-uri")
        named = values.get("named-graph-uri")
        for iri in defaults or []:
            safety.check_graph_iri(iri, "default-graph-uri")
        for iri in named or []:
            safety.check_graph_iri(iri, "named-graph-uri")
        safety.check_query(queries[0])
    except safety.Refused as refused:
        return _error(refused.status, str(refused))
    job = QueryJob(
        query=queries[0],
        default_graphs=tuple(defaults) if defaults is not None else None,
        named_graphs=tuple(named) if named is not None else None,
        accept=request.headers.get("accept"),
        format=format_param,
        base_iri=state.settings.base_iri,
        max_result_bytes=limits.max_result_bytes,
    )
    try:
        outcome = await state.backend.run(job, limits.query_timeout)
    except QueryTimeout:
        return _error(
            503,
            f"The query ran past this endpoint's time limit of {limits.query_timeout:g} s and was stopped",
            {"Retry-After": "1"},
        )
    headers = {"Vary": "Accept", **outcome.headers}
    if outcome.status != 200:
        return _error(outcome.status, outcome.body.decode("utf-8", "replace").rstrip("\n"), headers)
    body = b"" if request.method == "HEAD" else outcome.body
    return Response(body, status_code=200, media_type=outcome.media_type, headers=headers)
