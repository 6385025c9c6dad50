"""A real HTTP server on 127.0.0.1 for collector tests, with routes the tests define.

Routes answer conditional GETs like a real server: a request whose If-None-Match equals the
route's ETag (or whose If-Modified-Since equals its Last-Modified) gets 304 and no body.
Tests may replace `site.routes[path]` while the server runs (a page that changes).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Sent in pieces with a pause between them (a slow site).
    chunk_delay: float = 0.0
    chunks: int = 1
    # Answer 503 to this many requests before answering normally (a flaky server).
    failures_before_success: int = 0
    # Seconds to wait before answering at all (a server that is slow to start talking).
    delay: float = 0.0
    # Sent as Retry-After with each of those 503 answers.
    retry_after: str | None = None

    def not_modified_for(self, request_headers: dict[str, str]) -> bool:
        etag = self.headers.get("ETag")
        modified = self.headers.get("Last-Modified")
        return bool(
            (etag and request_headers.get("If-None-Match") == etag)
            or (modified and request_headers.get("If-Modified-Since") == modified)
        )


@dataclass
class LocalSite:
    base_url: str
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]
    # (path, start, end) of each answered request, in time.monotonic() seconds.
    timeline: list[tuple[str, float, float]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits(self, path: str) -> int:
        return sum(1 for requested, _headers in self.requests if requested == path)


def _handler(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:
            started = time.monotonic()
            try:
                self._answer()
            finally:
                site.timeline.append((self.path, started, time.monotonic()))

        def _answer(self) -> None:
            headers = dict(self.headers)
            site.requests.append((self.path, headers))
            route = site.routes.get(self.path)
            if route is None:
                self._empty(404)
                return
            if route.delay:
                time.sleep(route.delay)
            if route.failures_before_success > 0:
                route.failures_before_success -= 1
                self._empty(503, route.retry_after)
                return
            if route.status == 200 and route.not_modified_for(headers):
                self._empty(304)
                return
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if "Content-Length" not in route.headers:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            size = max(1, len(route.body) // route.chunks)
            try:
                for start in range(0, len(route.body), size):
                    self.wfile.write(route.body[start : start + size])
                    self.wfile.flush()
                    if route.chunk_delay:
                        time.sleep(route.chunk_delay)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _empty(self, status: int, retry_after: str | None = None) -> None:
            self.send_response(status)
            if retry_after is not None:
                self.send_header("Retry-After", retry_after)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded HTTP server on 127.0.0.1 with `handler` until the block ends; its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def local_site(routes: dict[str, Route]) -> Iterator[LocalSite]:
    site = LocalSite(base_url="", routes=routes, requests=[])
    with serving(_handler(site)) as base_url:
        site.base_url = base_url
        yield site


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
