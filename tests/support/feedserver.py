"""A real HTTP server on 127.0.0.1 that serves feeds the way a test tells it to.

    with FeedServer() as server:
        server.route("/bbc.xml", file=FIXTURES / "rss2.xml", etag='"v1"')
        server.route("/page", body=b"<html>…", content_type="text/html")
        server.route("/slow.xml", file=..., delay=2.0)           # answer after 2 s
        server.route("/big.xml", body=..., gzip=True)             # gzip if the client accepts it
        server.redirect("/old.xml", "/bbc.xml", status=301)       # Location: /bbc.xml
        server.route("/boom", body=bomb, content_encoding="gzip")  # bytes sent as they are
        feed_url = server.url("/bbc.xml")
        ...                                                       # fetch it
        server.update("/bbc.xml", file=FIXTURES / "rss2-v2.xml", etag='"v2"')  # swap the body
        server.requests_for("/bbc.xml")[-1].headers["if-none-match"]        # what was sent

What it does, per route (``Route``):

- ``status``, ``content_type``, extra ``headers``; ``body`` bytes or ``file`` read at each
  request (so swapping a fixture file on disk also works).
- ``etag`` / ``last_modified``: sent with 2xx answers; a request whose If-None-Match matches
  the ETag (or, without If-None-Match, whose If-Modified-Since is not older than
  Last-Modified) gets a real ``304 Not Modified`` with no body.
- ``gzip=True``: the body is gzip-compressed when the request's Accept-Encoding allows it.
  ``content_encoding``: the body is sent as given, under that Content-Encoding (for bombs
  and broken encodings).
- ``delay``: seconds to wait before answering (each connection has its own thread, so
  delayed requests overlap).
- ``send_length=False``: no Content-Length; the body ends when the connection closes (a
  server that does not say how big the body is).
- Unknown paths get 404.

Every request is recorded (``requests``, ``requests_for(path)``; header names lower-case),
``in_flight_max`` is the highest number of requests being answered at once, and
``hits(path)`` counts requests for a path. The server handles hundreds of concurrent
connections (listen backlog 1024, one daemon thread per connection).
"""

from __future__ import annotations

import dataclasses
import email.utils
import gzip as gzip_module
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Route:
    body: bytes = b""
    file: Path | None = None
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    content_encoding: str | None = None
    delay: float = 0.0
    send_length: bool = True

    def payload(self) -> bytes:
        return self.file.read_bytes() if self.file is not None else self.body


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    at: float = 0.0


def _http_date(value: str) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.timestamp()


def _etag_matches(header: str, etag: str) -> bool:
    tags = [t.strip() for t in header.split(",")]
    bare = etag.removeprefix("W/")
    return "*" in tags or any(t.removeprefix("W/") == bare for t in tags)


def not_modified(route: Route, headers: dict[str, str]) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since."""
    if "if-none-match" in headers:
        return route.etag is not None and _etag_matches(headers["if-none-match"], route.etag)
    since = headers.get("if-modified-since")
    if since is None or route.last_modified is None:
        return False
    modified, client = _http_date(route.last_modified), _http_date(since)
    return modified is not None and client is not None and modified <= client


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections end after this

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        route = owner._record(Request("GET", self.path, headers, time.time()), path)
        try:
            if route is None:
                self._send(404, b"not found", [("Content-Type", "text/plain")])
            else:
                if route.delay:
                    time.sleep(route.delay)
                self._answer(route, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            owner._done()

    def _answer(self, route: Route, headers: dict[str, str]) -> None:
        extra = list(route.headers)
        if route.etag:
            extra.append(("ETag", route.etag))
        if route.last_modified:
            extra.append(("Last-Modified", route.last_modified))
        if 200 <= route.status < 300 and not_modified(route, headers):
            self._send(304, b"", extra)
            return
        body = route.payload()
        if route.content_encoding:
            extra.append(("Content-Encoding", route.content_encoding))
        elif route.gzip and "gzip" in headers.get("accept-encoding", ""):
            body = gzip_module.compress(body)
            extra.append(("Content-Encoding", "gzip"))
        extra.append(("Content-Type", route.content_type))
        self._send(route.status, body, extra, send_length=route.send_length)

    def _send(
        self, status: int, body: bytes, headers: list[tuple[str, str]], *, send_length: bool = True
    ) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status == 304:
            self.end_headers()
            return
        if send_length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    owner: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up early is normal here (caps, timeouts): no traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class FeedServer:
    """A loopback HTTP server with per-test routes. Use as a context manager."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self.in_flight = 0
        self.in_flight_max = 0
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle
    def start(self) -> FeedServer:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "the server is not running"
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        """The absolute URL of a path on this server, e.g. url("/feed.xml")."""
        return f"http://127.0.0.1:{self.port}{path}"

    # -- routes
    def route(self, path: str, **options: Any) -> Route:
        """Set (or replace) what ``path`` answers; options are ``Route`` fields."""
        if isinstance(options.get("headers"), dict):
            options["headers"] = tuple(options["headers"].items())
        if options.get("file") is not None:
            options["file"] = Path(options["file"])
        route = Route(**options)
        with self._lock:
            self._routes[path] = route
        return route

    def update(self, path: str, **changes: Any) -> Route:
        """Change some of a route's options, e.g. a new body and ETag between fetches."""
        with self._lock:
            current = self._routes[path]
        if "file" in changes and "body" not in changes:
            changes["body"] = b""
        if "body" in changes and "file" not in changes:
            changes["file"] = None
        if isinstance(changes.get("headers"), dict):
            changes["headers"] = tuple(changes["headers"].items())
        route = dataclasses.replace(current, **changes)
        with self._lock:
            self._routes[path] = route
        return route

    def redirect(self, path: str, to: str, status: int = 302) -> Route:
        """``path`` answers ``status`` with Location ``to`` (a path or an absolute URL)."""
        return self.route(path, status=status, headers={"Location": to}, content_type="text/plain")

    # -- what happened
    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    def hits(self, path: str) -> int:
        return len(self.requests_for(path))

    def _record(self, request: Request, path: str) -> Route | None:
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.in_flight_max = max(self.in_flight_max, self.in_flight)
            return self._routes.get(path)

    def _done(self) -> None:
        with self._lock:
            self.in_flight -= 1


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (for "connection refused")."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def iter_gzip_bomb(size: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    """Pieces of a gzip stream that expands to ``size`` zero bytes (about 1000:1)."""
    import zlib

    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(chunk)
    for _ in range(size // chunk):
        yield z.compress(zeros)
    yield z.compress(bytes(size % chunk)) + z.flush()


def gzip_bomb(size: int) -> bytes:
    """A gzip body that expands to ``size`` zero bytes, built without holding them."""
    return b"".join(iter_gzip_bomb(size))
