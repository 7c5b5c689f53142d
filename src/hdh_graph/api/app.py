"""The FastAPI application: ``create_app(settings)``.

Routes: ``/sparql`` (SPARQL 1.1 Protocol, query editor, service description), ``/api/search``, ``/health``,
``/api/static/...``, and either the rendered site (when ``settings.site`` is a folder) or a landing page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pyoxigraph import Store

from hdh_graph.api import protocol, remote, site_files, ui
from hdh_graph.api.access_log import AccessLog
from hdh_graph.api.execution import QueryJob, QueryPool, QueryTimeout
from hdh_graph.api.safety import Limits
from hdh_graph.api.service_description import StatisticsCache
from hdh_graph.errors import HdhError
from hdh_graph.feed import routes as feed_routes
from hdh_graph.settings import Settings
from hdh_graph.sparql import keywords as search
from hdh_graph.store import database_path, open_store
from hdh_graph.vocab import PREFIXES

log = logging.getLogger("hdh_graph.api")


def _store_select(store: Store) -> Callable[[str], list[dict[str, str]]]:
    def select(query: str) -> list[dict[str, str]]:
        rows = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        return [{v.value: row[v].value for v in rows.variables if row[v] is not None} for row in rows]  # type: ignore[union-attr]

    return select


async def _start_embedded(app: FastAPI, settings: Settings, workers: int) -> None:
    database = database_path(settings)
    store = open_store(settings, read_only=True)
    index_path = search.ensure_store_index(settings, store)
    pool = QueryPool(database, index_path, size=workers)
    await pool.start()
    app.state.backend = pool
    app.state.search = search.SearchIndex(index_path)
    app.state.statistics = StatisticsCache(_store_select(store))
    app.state.store = store


async def _start_remote(app: FastAPI, settings: Settings) -> None:
    endpoint = settings.sparql_endpoint or ""
    select = remote.select_remote(endpoint)
    index: search.SearchIndex | None = None
    try:
        index = search.SearchIndex(search.ensure_store_index(settings))
    except (HdhError, OSError) as exc:
        log.warning("keyword search is off: the index could not be built from %s (%s)", endpoint, exc)
    app.state.backend = remote.RemoteBackend(endpoint, index)
    app.state.search = index
    app.state.statistics = StatisticsCache(select)


def create_app(settings: Settings, *, limits: Limits | None = None, workers: int = 3) -> FastAPI:
    """The application serving ``settings``' store (or remote endpoint) and site."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.sparql_endpoint:
            await _start_remote(app, settings)
        else:
            await _start_embedded(app, settings, workers)
        try:
            yield
        finally:
            await app.state.backend.close()

    app = FastAPI(
        title="hdh-graph", lifespan=lifespan, docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json"
    )
    app.state.settings = settings
    app.state.limits = limits or Limits(query_timeout=settings.query_timeout)
    app.state.search = None
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type"],
        max_age=3600,
    )

    app.add_middleware(AccessLog)

    app.include_router(protocol.router)
    if not settings.sparql_endpoint:
        # The live, paged and filterable feed and the per-dataset downloads; the static site keeps the
        # whole catalogue at /catalog.ttl|jsonld|rdf.
        app.include_router(feed_routes.router, prefix="/api")
    app.mount("/api/static", StaticFiles(directory=str(ui.STATIC_DIR)), name="static")

    @app.get("/health")
    async def health(request: Request) -> JSONResponse:
        body: dict[str, Any] = {"mode": "remote" if settings.sparql_endpoint else "embedded"}
        body["endpoint"] = settings.sparql_endpoint or str(settings.store)
        try:
            outcome = await request.app.state.backend.run(QueryJob("ASK {}"), min(5.0, settings.query_timeout))
            ok = outcome.status == 200
            if not ok:
                body["error"] = outcome.body.decode("utf-8", "replace")
        except QueryTimeout:
            ok, body["error"] = False, "the store did not answer ASK {} in time"
        index = request.app.state.search
        body["search_index"] = index.count() if index is not None else None
        body["status"] = "ok" if ok else "unavailable"
        return JSONResponse(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})

    @app.get("/api/search")
    async def keyword_search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=500, description="Words (accents and case ignored)")],
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        kind: Annotated[list[str] | None, Query(description="variable, table, dataset, series, codelist")] = None,
    ) -> JSONResponse:
        index: search.SearchIndex | None = request.app.state.search
        if index is None:
            return JSONResponse({"error": "keyword search is not available"}, status_code=503)
        started = time.perf_counter()
        hits = index.search(q, limit, kind)
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

    @app.get("/")
    async def home(request: Request) -> Response:
        if site.is_dir() and (site / "index.html").is_file():
            return site_files.serve(request, site, "")
        return ui.landing_page(request)

    @app.get("/{path:path}")
    async def site_page(request: Request, path: str) -> Response:
        if not site.is_dir():
            return Response("Not found\n", status_code=404, media_type="text/plain")
        return site_files.serve(request, site, path)

    return app
