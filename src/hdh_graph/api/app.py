"""The FastAPI application: ``create_app(settings)``.

Routes: ``/sparql`` (SPARQL 1.1 Protocol, query editor, service description), ``/api/search``, ``/health``,
``/api/static/...``, and either the rendered site (when ``settings.site`` is a folder) or a landing page.
Around them (outermost first): the access log, the request head's size limit, ``HEAD`` answered as ``GET``,
compression, security headers, CORS, the live feed's page cache.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pyoxigraph import Store
from starlette.exceptions import HTTPException as StarletteHTTPException

from hdh_graph.api import protocol, remote, site_files, ui
from hdh_graph.api.access_log import AccessLog
from hdh_graph.api.compression import compressed
from hdh_graph.api.cost import Lane
from hdh_graph.api.dispatch import Dispatcher, Executor
from hdh_graph.api.execution import Outcome, QueryJob, QueryPool, QueryTimeout
from hdh_graph.api.fair_queue import Busy, FairQueue
from hdh_graph.api.feed_cache import FeedCache
from hdh_graph.api.head_requests import HeadAsGet
from hdh_graph.api.openapi_docs import declare_errors
from hdh_graph.api.request_limits import RequestHeadLimit
from hdh_graph.api.result_cache import ResultCache
from hdh_graph.api.safety import Limits
from hdh_graph.api.security_headers import SecurityHeaders
from hdh_graph.api.service_description import StatisticsCache
from hdh_graph.errors import HdhError
from hdh_graph.feed import routes as feed_routes
from hdh_graph.settings import Settings
from hdh_graph.sparql import keywords as search
from hdh_graph.store import database_path, open_store
from hdh_graph.vocab import PREFIXES

log = logging.getLogger("hdh_graph.api")
Kind = Literal["variable", "table", "dataset", "series", "codelist", "term", "project"]
"""What ``/api/search?kind=`` may name (the kinds of :data:`hdh_graph.sparql.keywords.KINDS`)."""
HEAVY_NICE = 10
"""CPU priority of the workers for heavy queries (``nice``): they yield the processor to the cheap ones."""


def _store_select(store: Store) -> Callable[[str], list[dict[str, str]]]:
    def select(query: str) -> list[dict[str, str]]:
        rows = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        return [{v.value: row[v].value for v in rows.variables if row[v] is not None} for row in rows]  # type: ignore[union-attr]

    return select


def _queue(settings: Settings, workers: int) -> tuple[FairQueue, int]:
    cheap = min(settings.cheap_workers, workers - 1)
    places = {Lane.CHEAP: cheap, Lane.HEAVY: workers - cheap}
    queue = FairQueue(places, settings.client_concurrency, settings.client_queue, settings.queue_timeout)
    return queue, cheap


def _cache(settings: Settings) -> ResultCache[Outcome] | None:
    return ResultCache(settings.cache_bytes) if settings.cache_bytes > 0 else None


async def _start_embedded(app: FastAPI, settings: Settings, workers: int) -> None:
    database = database_path(settings)
    store = open_store(settings, read_only=True)
    index_path = search.ensure_store_index(settings, store)
    queue, cheap = _queue(settings, workers)
    executors: dict[Lane, Executor] = {
        Lane.HEAVY: QueryPool(database, index_path, size=workers - cheap, nice=HEAVY_NICE)
    }
    executors[Lane.CHEAP] = QueryPool(database, index_path, size=cheap) if cheap else executors[Lane.HEAVY]
    for pool in {id(e): e for e in executors.values()}.values():
        await pool.start()  # type: ignore[attr-defined]
    app.state.backend = Dispatcher(executors, queue, _cache(settings), database.parent.name, settings.cheap_timeout)
    app.state.search = search.SearchIndex(index_path)
    app.state.statistics = StatisticsCache(_store_select(store))
    app.state.store = store
    app.state.store_version = database.parent.name


async def _start_remote(app: FastAPI, settings: Settings, workers: int) -> None:
    endpoint = settings.sparql_endpoint or ""
    select = remote.select_remote(endpoint)
    index: search.SearchIndex | None = None
    try:
        index = search.SearchIndex(search.ensure_store_index(settings))
    except (HdhError, OSError) as exc:
        log.warning("keyword search is off: the index could not be built from %s (%s)", endpoint, exc)
    backend = remote.RemoteBackend(endpoint, index, timeout=settings.query_timeout)
    queue, _cheap = _queue(settings, workers)
    # The remote server's data may change at any time: no cache, no ETag.
    app.state.backend = Dispatcher(
        {Lane.CHEAP: backend, Lane.HEAVY: backend}, queue, None, None, settings.cheap_timeout
    )
    app.state.search = index
    app.state.statistics = StatisticsCache(select)
    app.state.store_version = None


def create_app(settings: Settings, *, limits: Limits | None = None, workers: int | None = None) -> FastAPI:
    """The application serving ``settings``' store (or remote endpoint) and site."""
    count = workers or settings.workers

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.sparql_endpoint:
            await _start_remote(app, settings, count)
        else:
            await _start_embedded(app, settings, count)
        try:
            yield
        finally:
            await app.state.backend.close()

    app = FastAPI(
        title="hdh-graph", lifespan=lifespan, docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json"
    )
    app.state.settings = settings
    app.state.limits = limits or Limits(
        query_timeout=settings.query_timeout, max_body_bytes=settings.max_body_bytes, read_timeout=settings.read_timeout
    )
    app.state.search = None
    app.state.store_version = None
    app.add_middleware(FeedCache, version=lambda: app.state.store_version)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "HEAD"],
        allow_headers=["Accept", "Content-Type", "If-None-Match"],
        expose_headers=["ETag", "Retry-After", "X-Total-Count"],
        max_age=3600,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(compressed)
    app.add_middleware(HeadAsGet)
    app.add_middleware(RequestHeadLimit, max_bytes=settings.max_header_bytes)
    app.add_middleware(AccessLog)
    _errors(app)

    app.include_router(protocol.router)
    if not settings.sparql_endpoint:
        # The live, paged and filterable feed and the per-dataset downloads; the static site keeps the
        # whole catalogue at /catalog.ttl|jsonld|rdf.
        app.include_router(feed_routes.router, prefix="/api")
    app.mount("/api/static", site_files.CachedStaticFiles(directory=str(ui.STATIC_DIR)), name="static")

    @app.get("/health", summary="Whether the store answers (and the size of the keyword index)")
    async def health(request: Request) -> JSONResponse:
        body: dict[str, Any] = {"mode": "remote" if settings.sparql_endpoint else "embedded"}
        if settings.sparql_endpoint:
            body["endpoint"] = settings.sparql_endpoint
        else:  # the snapshot's name, not its path: answers never show the server's files
            body["store_version"] = request.app.state.store_version
        try:
            outcome = await request.app.state.backend.run(
                QueryJob("ASK {}", cacheable=False), min(5.0, settings.query_timeout), "health"
            )
            ok = outcome.status == 200
            if not ok:
                body["error"] = outcome.body.decode("utf-8", "replace")
        except QueryTimeout:
            ok, body["error"] = False, "the store did not answer ASK {} in time"
        except Busy as busy:
            ok, body["error"] = False, busy.message
        index = request.app.state.search
        body["search_index"] = index.count() if index is not None else None
        body["status"] = "ok" if ok else "unavailable"
        return JSONResponse(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})

    @app.get(
        "/api/search",
        summary="Keyword search over variables, tables, datasets, code lists, glossary terms and projects",
    )
    async def keyword_search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=500, description="Words (accents and case ignored)")],
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        kind: Annotated[list[Kind] | None, Query(description="Only resources of these kinds.")] = None,
    ) -> JSONResponse:
        index: search.SearchIndex | None = request.app.state.search
        if index is None:
            return JSONResponse({"error": "keyword search is not available"}, status_code=503)
        started = time.perf_counter()
        hits = index.search(q, limit, list(kind) if kind else None)
        took = (time.perf_counter() - started) * 1000
        return JSONResponse(
            {
                "query": q,
                "took_ms": round(took, 2),
                "hits": [
                    {
                        "iri": h.iri,
                        "kind": h.kind,
                        "label": h.label,
                        "name": h.name,
                        "score": h.score and round(h.score, 4),
                    }
                    for h in hits
                ],
            }
        )

    site: Path = settings.site

    @app.get("/", include_in_schema=False)
    async def home(request: Request) -> Response:
        if site.is_dir() and (site / "index.html").is_file():
            return site_files.serve(request, site, "")
        return ui.landing_page(request)

    @app.get("/{path:path}", include_in_schema=False)
    async def site_page(request: Request, path: str) -> Response:
        if not site.is_dir():
            return PlainTextResponse("Not found\n", status_code=404)
        return site_files.serve(request, site, path)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            app.openapi_schema = declare_errors(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _errors(app: FastAPI) -> None:
    """Error answers: plain messages, never a traceback or a file path."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            allowed = protocol.ALLOWED_METHODS if request.url.path.startswith("/sparql") else "GET, HEAD"
            headers["Allow"] = allowed
            return PlainTextResponse(
                f"{request.method} is not allowed on {request.url.path[:200]}: use {allowed}\n", 405, headers
            )
        return PlainTextResponse(f"{exc.detail}\n", exc.status_code, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")} for e in exc.errors()
        ]
        return JSONResponse({"error": "invalid parameters", "problems": problems}, status_code=422)
