"""Both HTTP stacks (httptools with uvloop, h11 with asyncio: setting ``http``) keep the server's guards: a request
head that keeps growing past ``max_header_bytes`` is refused with 431 before it is whole, a head that drips is
cut after ``read_timeout``, and keep-alive requests after a first answer get the same guards."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from hdh_graph.api.app import create_app
from hdh_graph.api.server import BackgroundServer
from hdh_graph.errors import HdhError
from hdh_graph.settings import Settings


@pytest.fixture(scope="module", params=["httptools", "h11"])
def server(request: pytest.FixtureRequest, settings: Settings) -> Iterator[BackgroundServer]:
    served = settings.with_(http=request.param, read_timeout=1.0, max_header_bytes=8192)
    with BackgroundServer(create_app(served, workers=1)) as running:
        yield running


def _connect(server: BackgroundServer) -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=10)
    sock.settimeout(10)
    return sock


def _answer(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_a_normal_request_is_answered(server: BackgroundServer) -> None:
    assert httpx.get(server.url + "/health").status_code == 200


def _one_response(sock: socket.socket) -> bytes:
    """One whole response (head and Content-Length body) from a keep-alive connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def _refused(answer: bytes) -> bool:
    """httptools' guard answers 431; h11 refuses an incomplete event past its limit with 400."""
    return answer.startswith(b"HTTP/1.1 431") or answer.startswith(b"HTTP/1.1 400")


def test_a_head_growing_past_the_limit_is_refused_before_it_ends(server: BackgroundServer) -> None:
    """9.5 KB of headers with no empty line after them: refused at once (not left until the read timeout, when
    the connection would be closed without an answer)."""
    sock = _connect(server)
    try:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-Filler: " + b"y" * 9500 + b"\r\n")
        answer = _answer(sock)
    finally:
        sock.close()
    assert _refused(answer), answer[:200]


def test_a_dripping_head_is_cut_after_the_read_timeout(server: BackgroundServer) -> None:
    sock = _connect(server)
    started = time.monotonic()
    try:
        sock.sendall(b"GET /health HTTP/1.1\r\n")
        closed = False
        while time.monotonic() - started < 5:
            try:
                sock.sendall(b"X: 1\r\n")
            except OSError:
                closed = True
                break
            sock.settimeout(0.3)
            try:
                if sock.recv(1) == b"":
                    closed = True
                    break
            except TimeoutError:
                pass
    finally:
        sock.close()
    assert closed and time.monotonic() - started < 3


def test_the_guards_hold_again_after_a_first_answer_on_the_same_connection(server: BackgroundServer) -> None:
    sock = _connect(server)
    try:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        first = _one_response(sock)
        assert first.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-Filler: " + b"z" * 9000 + b"\r\n")
        rest = _answer(sock)
    finally:
        sock.close()
    assert _refused(rest), rest[:200]


def test_an_unknown_stack_is_a_clear_settings_error(settings: Settings) -> None:
    with pytest.raises(HdhError, match="HDH_HTTP='tornado' is not one of httptools, h11"):
        settings.with_(http="tornado")
