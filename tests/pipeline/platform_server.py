"""A mini partner platform on 127.0.0.1 whose pages a test changes between crawls.

Every route answers GET; static routes carry an ETag and a Last-Modified and answer
conditional requests with 304. The server logs each request (time, path, status,
headers) and the most connections it served at once, so tests can check politeness.
A request's time is when the kernel received its first bytes (``SO_TIMESTAMPNS``), not
when a thread of this server got round to it: on a busy machine the two differ by tenths
of a second, and a late thread made two requests look like one (CI logged gaps of 0.67
then 0.001 s for a fetcher keeping 0.3).
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, dict[str, str], bytes]

#: Linux's socket option for receive timestamps in nanoseconds (Python names only the
#: microsecond one, SO_TIMESTAMP); set on the listening socket, accepted ones inherit it.
SO_TIMESTAMPNS = 35


def _arrival(connection: socket.socket) -> float:
    """When the next request's first bytes reached the kernel (wall-clock seconds): read
    from the timestamp of a one-byte peek, which waits for them as reading would. The
    time now where the kernel gives none (the peer hung up, another system)."""
    try:
        _, ancillary, _, _ = connection.recvmsg(1, socket.CMSG_SPACE(16), socket.MSG_PEEK)
    except OSError:
        return time.time()
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            seconds, nanoseconds = struct.unpack("qq", data[:16])
            return seconds + nanoseconds / 1e9
    return time.time()


@dataclass
class Static:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    last_modified: str = "Mon, 01 Jan 2024 00:00:00 GMT"
    validators: bool = True
    headers: dict = field(default_factory=dict)     # more headers to send

    def __call__(self, headers) -> Answer:
        etag = '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'
        out = {"Content-Type": self.content_type, **self.headers}
        if self.validators:
            out.update({"ETag": etag, "Last-Modified": self.last_modified})
            if headers.get("If-None-Match") == etag or (
                    not headers.get("If-None-Match")
                    and headers.get("If-Modified-Since") == self.last_modified):
                return 304, out, b""
        return 200, out, self.body


@dataclass
class Status:
    code: int
    headers: dict = field(default_factory=dict)
    body: bytes = b"error"

    def __call__(self, headers) -> Answer:
        return self.code, dict(self.headers), self.body


def redirect(location: str, code: int = 301) -> Status:
    return Status(code, {"Location": location}, b"")


@dataclass
class Sequence:
    """Answers with each route in turn; the last one repeats."""

    routes: list

    def __call__(self, headers) -> Answer:
        route = self.routes.pop(0) if len(self.routes) > 1 else self.routes[0]
        return route(headers)


@dataclass
class Slow:
    seconds: float
    route: Callable

    def __call__(self, headers) -> Answer:
        time.sleep(self.seconds)
        return self.route(headers)


@dataclass
class Hit:
    at: float
    path: str
    status: int
    headers: dict


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self):
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        except OSError:
            pass    # not Linux: requests are timed when a thread reads them
        super().server_bind()

    def handle_error(self, request, client_address):
        pass        # a client that hangs up early (a response over its size limit)


class Platform:
    def __init__(self):
        self.routes: dict[str, Callable] = {}
        self.log: list[Hit] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_one_request(self):
                # A client such as requests sends its next request on a kept-alive
                # connection only after the answer, so nothing of it is buffered yet.
                self.arrived = _arrival(self.connection)
                super().handle_one_request()

            def do_GET(self):   # noqa: N802 - the name http.server calls
                arrived = self.arrived
                with platform._lock:
                    platform.active += 1
                    platform.max_active = max(platform.max_active, platform.active)
                try:
                    route = platform.routes.get(self.path)
                    status, headers, body = route(self.headers) if route else (
                        404, {"Content-Type": "text/plain"}, b"not found")
                    with platform._lock:
                        platform.log.append(Hit(arrived, self.path, status,
                                                dict(self.headers)))
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                finally:
                    with platform._lock:
                        platform.active -= 1

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Platform:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, title: str, body: str, links: list[str] = (), **kw) -> None:
        anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
        html = (f"<!doctype html><html lang='en'><head><title>{title}</title></head><body>"
                f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>"
                + "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
                + f"<ul>{anchors}</ul></article></body></html>")
        self.routes[path] = Static(html.encode("utf-8"), **kw)

    def hits(self, path: str | None = None, since: int = 0) -> list[Hit]:
        with self._lock:
            return [h for h in self.log[since:] if path is None or h.path == path]


def sitemap(base: str, entries: list[tuple[str, str]]) -> bytes:
    """A <urlset>: (path, lastmod or "") each."""
    urls = "".join(f"<url><loc>{base}{path}</loc>" + (f"<lastmod>{lastmod}</lastmod>"
                                                      if lastmod else "") + "</url>"
                   for path, lastmod in entries)
    return (b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + urls.encode() + b"</urlset>")


def sitemap_index(base: str, entries: list[tuple[str, str]]) -> bytes:
    maps = "".join(f"<sitemap><loc>{base}{path}</loc><lastmod>{lastmod}</lastmod></sitemap>"
                   for path, lastmod in entries)
    return (b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + maps.encode() + b"</sitemapindex>")


def xml(body: bytes) -> Static:
    return Static(body, "application/xml", validators=False)
