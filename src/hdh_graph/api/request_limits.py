"""The size limit of a request's line and headers, whole.

h11 (uvicorn's HTTP/1.1 parser) refuses a request head that grows past ``max_header_bytes`` while it is still
incomplete, but takes a larger one that arrives at once; this middleware refuses those too, before anything
reads them: 414 when the URL alone is too long (a long query belongs in a POST body), 431 for the headers.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send


class RequestHeadLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            headers = sum(len(name) + len(value) + 4 for name, value in scope.get("headers", ()))
            if target > self.max_bytes:
                response = PlainTextResponse(
                    f"The URL is longer than this endpoint's limit of {self.max_bytes} bytes\n"
                    "Hint: send a long query by POST, as application/sparql-query or a form\n",
                    status_code=414,
                )
                await response(scope, receive, send)
                return
            if target + headers > self.max_bytes:
                response = PlainTextResponse(
                    f"The request's headers are larger than this endpoint's limit of {self.max_bytes} bytes\n",
                    status_code=431,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
