"""The live feed's pages (``/api/catalog.ttl|jsonld|rdf?page=...``) kept in memory per store version.

A page of the feed is built from the store on each request (seconds on the SNDS catalogue, RDF/XML the
slowest); it changes only with the store. This middleware keeps the answers (status 200) by path, query
string and store version, bounded in bytes, and gives them an ``ETag`` so that a client revalidating an
unchanged page gets ``304`` without it being built.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hdh_graph.api.cost import fingerprint
from hdh_graph.api.result_cache import ResultCache

CACHED_PATHS = frozenset({"/api/catalog.ttl", "/api/catalog.jsonld", "/api/catalog.rdf"})
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class FeedCache:
    def __init__(self, app: ASGIApp, version: Callable[[], str | None], max_bytes: int = 32 * 1024 * 1024) -> None:
        self.app = app
        self.version = version
        self.cache: ResultCache[Answer] = ResultCache(max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        version = self.version() if scope["type"] == "http" else None
        if version is None or scope["method"] != "GET" or scope["path"] not in CACHED_PATHS:
            await self.app(scope, receive, send)
            return
        key = fingerprint(version, scope["path"], scope.get("query_string", b""))
        etag = f'W/"{version}-{key[:12]}"'
        if etag in [t.strip() for t in Headers(scope=scope).get("if-none-match", "").split(",")]:
            await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag.encode())]})
            await send({"type": "http.response.body", "body": b""})
            return
        cached = self.cache.get(key)
        if cached is None:
            cached = await self._answer(scope, receive, send, etag)
            if cached is not None:
                self.cache.put(key, cached, len(cached[2]) + 512)
            return
        status, headers, body = cached
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, scope: Scope, receive: Receive, send: Send, etag: str) -> Answer | None:
        """Run the route, pass its answer on with the ETag, and return it when it can be kept."""
        start: Message = {}
        parts: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] == 200:
                    MutableHeaders(scope=message)["etag"] = etag
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        if start.get("status") != 200:
            return None
        return 200, list(start["headers"]), b"".join(parts)
