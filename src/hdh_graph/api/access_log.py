"""Access log lines with the time each request took (an ASGI middleware, and a ``Server-Timing`` header)."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("hdh_graph.api.access")


class AccessLog:
    """Logs ``client "METHOD /path?query" status 12.3 ms`` once the response has started."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: dict[str, Any] = {}

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = (time.perf_counter() - started) * 1000
                status["code"], status["ms"] = message["status"], elapsed
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"total;dur={elapsed:.1f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_timing)
        finally:
            query = scope.get("query_string", b"").decode("latin-1")
            target = scope.get("path", "") + (f"?{query}" if query else "")
            client = scope.get("client")
            access_log.info(
                '%s "%s %s" %s %.1f ms',
                client[0] if client else "-",
                scope.get("method", "-"),
                target[:300],
                status.get("code", 500),
                status.get("ms", (time.perf_counter() - started) * 1000),
            )
