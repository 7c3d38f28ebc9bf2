"""Politeness and deadlines, read from the platform's own log of when requests arrived:
robots.txt's Crawl-delay is a floor no source's delay lowers, every kind keeps the
source's delay, the gap is a minimum between any two requests to a host, a crawl asks
for no more pages than ``max_documents``, and a server trickling its answer cannot hold
a fetch past its total deadline."""

from __future__ import annotations

import random
import socket
import threading

import pytest
from pipeline_helpers import LOREM_EN, registry
from platform_server import Static

from indexer.fetch import Fetcher, FetchError, HttpPolicy
from indexer.pipeline import run
from indexer.sources import load_sources

#: The server logs arrival times: allow for the scheduling of its threads and for
#: connecting (on a two-core machine running a three-node OpenSearch cluster beside the
#: tests, one arrival was logged 0.1 s late, its gap measured 0.20 of 0.3; under the
#: suite's three workers, one 0.17 s late: 0.52 then 0.13; another 0.21 s late: 0.67
#: then 0.09). A late arrival shortens one gap and lengthens the one before by as much,
#: so a gap short by more than JITTER must make two gaps with a neighbour, the run as a
#: whole keeps the pace less SPAN_JITTER, and no gap is short by LATE: two requests at
#: once, or every gap halved, still fail.
JITTER = 0.12
SPAN_JITTER = 0.06
LATE = 0.25


def _fetcher(**policy) -> Fetcher:
    return Fetcher(HttpPolicy(**{"user_agent": "searchhub-test", "host_delay": 0.0,
                                 "timeout": 2.0, "retries": 0, **policy}))


def _gaps(platform, prefix: str) -> list[float]:
    times = sorted(h.at for h in platform.log if h.path.startswith(prefix))
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def _spaced(gaps: list[float], gap: float, count: int) -> bool:
    """``count`` gaps of at least ``gap``, as the server's log can show them: each
    with its neighbour at least two of it, all together ``count`` of it, less the
    jitter of the log (see JITTER)."""
    def made_up(i: int) -> bool:       # a short gap beside the long one it lent to
        pairs = [gaps[j] + gaps[j + 1] for j in (i - 1, i) if 0 <= j < len(gaps) - 1]
        return any(pair >= 2 * gap - JITTER for pair in pairs)

    return (len(gaps) == count and min(gaps) >= gap - LATE
            and all(g >= gap - JITTER or made_up(i) for i, g in enumerate(gaps))
            and sum(gaps) >= count * gap - SPAN_JITTER)


def _fetch_all(fetcher, urls, **kwargs) -> None:
    threads = [threading.Thread(target=fetcher.get, args=(url,),
                                kwargs={"allow_private": True, **kwargs}) for url in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_a_source_delay_never_shortens_robots_crawl_delay(platform):
    p = platform
    p.routes["/robots.txt"] = Static(b"User-agent: *\nCrawl-delay: 0.4\n", "text/plain")
    for n in range(4):
        p.routes[f"/page{n}"] = Static(b"page")
    _fetch_all(_fetcher(max_per_host=4), [p.url(f"/page{n}") for n in range(4)], delay=0.05)
    assert _spaced(_gaps(p, "/page"), 0.4, 3)


def test_a_longer_source_delay_wins_over_crawl_delay(platform):
    p = platform
    p.routes["/robots.txt"] = Static(b"User-agent: *\nCrawl-delay: 0.05\n", "text/plain")
    for n in range(3):
        p.routes[f"/page{n}"] = Static(b"page")
    _fetch_all(_fetcher(max_per_host=3), [p.url(f"/page{n}") for n in range(3)], delay=0.35)
    assert _spaced(_gaps(p, "/page"), 0.35, 2)


def test_the_gap_is_a_minimum_between_any_two_requests_across_threads(platform):
    p = platform
    for n in range(8):
        p.routes[f"/page{n}"] = Static(b"page")
    _fetch_all(_fetcher(max_per_host=6, host_delay=0.3),
               [p.url(f"/page{n}") for n in range(8)])
    assert _spaced(_gaps(p, "/page"), 0.3, 7)


def _site(p, pages: int) -> None:
    p.routes["/robots.txt"] = Static(b"User-agent: *\nAllow: /\n", "text/plain")
    for n in range(pages):
        links = [f"/pages/{m}" for m in range(pages) if m != n]
        rng = random.Random(n)
        words = LOREM_EN.split()
        text = " ".join(rng.choice(words) for _ in range(120))   # no two alike
        p.page(f"/pages/{n}", f"Page {n}", f"Note {n}. {text}.", links)


def _crawl_source(tmp_path, p, extra: str):
    return load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "site"
name = "Partner site"
agency = "IOM"
kind = "crawl"
urls = ["{p.base}/pages/0"]
prefixes = ["{p.base}/pages/"]
allow_private = true
{extra}
"""))


def test_the_crawl_kind_keeps_the_source_delay(tmp_path, engine, options, platform):
    p = platform
    _site(p, 4)
    report = run(engine, _crawl_source(tmp_path, p, "delay = 0.3"), options)
    assert report.total("added") == 4
    assert _spaced(_gaps(p, "/pages/"), 0.3, 3)


def test_a_crawl_asks_for_no_more_pages_than_max_documents(tmp_path, engine, options,
                                                           platform):
    p = platform
    _site(p, 30)
    report = run(engine, _crawl_source(tmp_path, p, "max_documents = 5"), options)
    assert report.total("added") == 5
    assert len(p.hits()) - len(p.hits("/robots.txt")) == 5


class Trickle:
    """A raw HTTP server that sends its answer a byte at a time, each byte well within
    the read timeout: headers (``part="headers"``) or a body of declared length."""

    def __init__(self, part: str, pause: float = 0.05):
        self.part, self.pause = part, pause
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/slow"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                if b"/robots.txt" in conn.recv(65536).split(b"\r\n", 1)[0]:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                                 b"Connection: close\r\n\r\n")
                    continue
                body = b"x" * 400
                head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                        + b"X-Padding: " + b"p" * 300 + b"\r\n"
                        + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
                slow, fast = (head, b"") if self.part == "headers" else (body, head)
                try:
                    conn.sendall(fast)
                    for byte in (slow[i:i + 1] for i in range(len(slow))):
                        if self.stop.is_set():
                            return
                        conn.sendall(byte)
                        self.stop.wait(self.pause)
                    if self.part == "headers":
                        conn.sendall(body)
                except OSError:
                    pass

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_trickling_server_meets_the_total_deadline(part):
    server = Trickle(part)          # 300+ bytes at 0.05 s: 15 s or more in all
    try:
        fetcher = _fetcher(timeout=0.5)       # each byte comes well within 0.5 s
        with pytest.raises(FetchError) as info:
            fetcher.get(server.url, allow_private=True)
        assert info.value.reason == "timeout"
        assert "1.5 s" in info.value.message   # the whole answer's deadline: 3 x timeout
    finally:
        server.close()
