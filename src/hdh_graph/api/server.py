"""Running the application under uvicorn: in the foreground (``hdh serve``) or in a background thread.

The HTTP/1.1 parser is httptools (llhttp, in C) with uvloop's event loop where installed, or h11 (pure Python)
with asyncio's loop (setting ``http``); both get the same guards below. The server's own limits (from the
settings): the size of a request's line and headers while they arrive (``max_header_bytes``), open connections
(``max_connections``, past which uvicorn answers 503), idle keep-alive connections (closed after 5 s) and the time
a client may take to send a request's line and headers (``read_timeout``: a connection that drips its headers is
closed, so that slow clients cannot hold connections open). The body's own time limit is enforced where it is
read (:func:`hdh_graph.api.protocol.read_body`).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from types import TracebackType
from typing import Any

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from hdh_graph.settings import Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
KEEP_ALIVE_SECONDS = 5


def configure_logging(level: int = logging.INFO) -> None:
    """Access lines (with query time) and warnings to stderr."""
    logging.basicConfig(level=level, format=LOG_FORMAT)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with a deadline for each request's line and headers.

    uvicorn times out idle keep-alive connections, but not one that has sent part of a request: its timer stops
    at the first byte. Here a timer starts when the connection opens and after each response, and the
    connection is closed if a whole request head has not arrived when it fires.
    """

    head_timeout: float = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._cancel_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)


INVALID_REQUEST = (
    "The request is not valid HTTP/1.1 (RFC 9112): check its request line and headers "
    "(a header value may not hold control characters)"
)


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the guards of :class:`GuardedH11Protocol`: a deadline for each request's
    line and headers, and a size limit while they arrive (h11 has one of its own; llhttp would buffer them)."""

    head_timeout: float = 10.0
    max_head_bytes: int = 64 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._awaiting_head = True
        self._head_bytes = 0

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._awaiting_head and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        awaiting = self._awaiting_head
        super().data_received(data)
        if awaiting and self._awaiting_head and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > self.max_head_bytes:
                self._refuse_head()

    def _refuse_head(self) -> None:
        message = (
            f"The request's line and headers are larger than this endpoint's limit of {self.max_head_bytes} bytes\n"
        )
        body = message.encode("ascii")
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
            + b"content-length: "
            + str(len(body)).encode("ascii")
            + b"\r\nconnection: close\r\n\r\n"
            + body
        )
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        super().send_400_response(INVALID_REQUEST)

    def on_headers_complete(self) -> None:
        self._awaiting_head = False
        self._cancel_head_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._awaiting_head, self._head_bytes = True, 0
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)


def server_config(app: FastAPI, settings: Settings, host: str | None = None, port: int | None = None) -> uvicorn.Config:
    """uvicorn's configuration with the settings' limits (see the module's docstring)."""
    protocol: type[asyncio.Protocol]
    if settings.http == "httptools":
        limits = {"head_timeout": settings.read_timeout, "max_head_bytes": settings.max_header_bytes}
        protocol = type("HdhHttpToolsProtocol", (GuardedHttpToolsProtocol,), limits)
    else:
        protocol = type("HdhH11Protocol", (GuardedH11Protocol,), {"head_timeout": settings.read_timeout})
    return uvicorn.Config(
        app,
        host=host or settings.host,
        port=port or settings.port,
        http=protocol,
        loop="auto" if settings.http == "httptools" else "asyncio",
        h11_max_incomplete_event_size=settings.max_header_bytes,
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=5,
        access_log=False,
        log_config=None,
    )


def serve_forever(app: FastAPI, settings: Settings) -> None:
    """Serve until interrupted; uvicorn's own access log is replaced by ``hdh_graph.api.access``."""
    uvicorn.Server(server_config(app, settings)).run()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class BackgroundServer:
    """``with BackgroundServer(app) as server: httpx.get(server.url + "/health")``: a real server on loopback."""

    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        settings: Settings = getattr(app.state, "settings", None) or Settings()
        self.server = uvicorn.Server(server_config(app, settings, self.host, self.port))
        self.thread = threading.Thread(target=self.server.run, name="hdh-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 60.0) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the server stopped while starting (see the log above)")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the server did not start within {timeout} s")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()
