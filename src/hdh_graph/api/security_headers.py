"""The usual HTTP protections on every response: a Content-Security-Policy, ``nosniff``, no framing, a referrer
policy.

HTML pages (the site, the query editor, the landing page) and scripts get :data:`PAGE_POLICY`: scripts and
styles from the server itself only, no inline script (the site's inline ``<script type="application/ld+json">``
blocks are data, which a policy does not govern), no plugins, no framing. Other answers (results, RDF, JSON) get
:data:`DATA_POLICY`, which allows nothing to run.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
"""``style-src`` allows inline styles: the query editor (YASGUI, CodeMirror) sets element styles as it lays out
the editor and the result table; scripts, the real risk, stay limited to the server's own files."""
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
PAGE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "image/svg+xml", "text/javascript", "application/javascript"}
)
"""Answers that get the page policy: pages, and scripts, since a script started as a worker runs under the
policy of its own answer."""
COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON.items():
                    headers.setdefault(name, value)
                media = headers.get("content-type", "").split(";")[0].strip().lower()
                policy = PAGE_POLICY if media in PAGE_TYPES else DATA_POLICY
                headers.setdefault("content-security-policy", policy)
            await send(message)

        await self.app(scope, receive, with_headers)
