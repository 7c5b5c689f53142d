"""A real HTTP server on loopback that serves harvest sources, including misbehaving ones."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/turtle"
    status: int = 200
    location: str | None = None
    delay_per_chunk: float = 0.0
    declared_length: bool = True


class HarvestServer:
    """``routes`` maps a path with its query (``/feed.ttl?page=2``) to what the server answers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        routes, requests = self.routes, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                route = routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                self.send_response(route.status)
                if route.location:
                    self.send_header("Location", route.location)
                self.send_header("Content-Type", route.content_type)
                if route.declared_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    for start in range(0, len(route.body), 1024):
                        if route.delay_per_chunk:
                            time.sleep(route.delay_per_chunk)
                        self.wfile.write(route.body[start : start + 1024])
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> HarvestServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
