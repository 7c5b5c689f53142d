"""A real HTTP server on loopback that misbehaves on purpose: endless, huge, compressed, dripping or redirecting
answers, each generated as it is sent (nothing large is held in memory or on disk)."""

from __future__ import annotations

import itertools
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    """What one path answers. ``body`` is called for each request and yields the bytes to send (chunked when
    ``length`` is None); ``pause`` is slept before each piece, ``wait`` before the headers."""

    body: Callable[[], Iterator[bytes]]
    content_type: str = "text/turtle"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    length: int | None = None
    pause: float = 0.0
    wait: float = 0.0


def fixed(data: bytes, content_type: str = "text/turtle", **kw: object) -> Answer:
    return Answer(lambda: iter([data]), content_type, length=len(data), **kw)  # type: ignore[arg-type]


def redirect(location: str, status: int = 302) -> Answer:
    return Answer(lambda: iter([b""]), status=status, headers={"Location": location}, length=0)


def endless(piece: bytes = b"# and more\n") -> Iterator[bytes]:
    block = piece * (65536 // len(piece))
    return itertools.repeat(block)


def sized(total: int, piece: bytes = b"# filler line of a very large page\n") -> Iterator[bytes]:
    """``total`` bytes of Turtle comments, made as they are sent."""
    block = piece * (65536 // len(piece))
    sent = 0
    while sent < total:
        out = block[: total - sent]
        sent += len(out)
        yield out


def gzip_of_zeros(total: int) -> bytes:
    """A gzip stream that inflates to ``total`` spaces (a "gzip bomb": about 1,000 times smaller)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * (1 << 20)
    out = []
    for _ in range(total // len(block)):
        out.append(packer.compress(block))
    out.append(packer.flush())
    return b"".join(out)


def drip(data: bytes) -> Iterator[bytes]:
    for i in range(len(data)):
        yield data[i : i + 1]


class HostileServer:
    """``answers`` maps a path with its query to an :class:`Answer`; ``requests`` lists the paths asked for."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.requests: list[str] = []
        answers, requests = self.answers, self.requests

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                requests.append(self.path)
                answer = answers.get(self.path)
                if answer is None:
                    self.send_error(404)
                    return
                if answer.wait:
                    time.sleep(answer.wait)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                chunked = answer.length is None
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(answer.length))
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for piece in answer.body():
                        if answer.pause:
                            time.sleep(answer.pause)
                        if chunked:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                        else:
                            self.wfile.write(piece)
                        self.wfile.flush()
                    if chunked:
                        self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
