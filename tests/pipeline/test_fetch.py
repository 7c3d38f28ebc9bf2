"""The polite fetcher and the private-address guard, against a platform on 127.0.0.1;
the run lock and the crawl-state schema."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from platform_server import Sequence, Slow, Static, Status, redirect

from indexer.extract.base import TooLarge
from indexer.fetch import Fetcher, FetchError, HttpPolicy, is_private
from indexer.lock import RunLock
from indexer.state import SCHEMA_VERSION, CrawlState
from searchhub.errors import IndexBusy

LOOPBACK = ["127.0.0.1/32"]      # only the test platform's address, nothing else private


def _fetcher(**policy) -> Fetcher:
    return Fetcher(HttpPolicy(**{"user_agent": "searchhub-test (+https://example.org/about)",
                                 "host_delay": 0.0, "timeout": 2.0, "retries": 2,
                                 "backoff": 0.05, **policy}))


def test_guard_refuses_private_addresses_by_literal_name_and_after_redirects(platform):
    p = platform
    p.routes["/ok"] = Static(b"fine", "text/plain")
    p.routes["/to-internal"] = redirect("http://127.0.0.2:9/admin", 302)
    p.routes["/to-metadata"] = redirect("http://169.254.169.254/latest/meta-data/", 302)
    p.routes["/to-file"] = redirect("file:///etc/passwd", 302)
    fetcher = _fetcher()
    with pytest.raises(FetchError) as info:
        fetcher.get(p.url("/ok"))                         # loopback, not allowed
    assert info.value.reason == "private-address"
    assert p.log == []
    assert fetcher.get(p.url("/ok"), allow_private=LOOPBACK).data == b"fine"
    for path in ("/to-internal", "/to-metadata"):
        with pytest.raises(FetchError) as info:
            fetcher.get(p.url(path), allow_private=LOOPBACK)
        assert info.value.reason == "private-address", path
    with pytest.raises(FetchError) as info:
        fetcher.get(p.url("/to-file"), allow_private=True)
    assert info.value.reason == "unsupported-scheme"


def test_guard_checks_the_address_a_name_resolves_to(platform):
    name = socket.gethostname()
    try:
        addresses = {a[4][0] for a in socket.getaddrinfo(name, None)}
    except socket.gaierror:
        pytest.skip("this machine's name does not resolve")
    if not all(is_private(a) for a in addresses) or "127.0.0.1" not in addresses:
        pytest.skip("this machine's name does not resolve to loopback")
    port = platform.server.server_address[1]
    platform.routes["/ok"] = Static(b"fine", "text/plain")
    with pytest.raises(FetchError) as info:
        _fetcher().get(f"http://{name}:{port}/ok")
    assert info.value.reason == "private-address" and "resolves to" in info.value.message
    assert platform.hits("/ok") == []


def test_retries_honour_retry_after_then_give_up(platform):
    p = platform
    p.routes["/busy"] = Sequence([Status(429, {"Retry-After": "1"}), Static(b"done")])
    p.routes["/down"] = Status(503)
    p.routes["/too-long"] = Status(503, {"Retry-After": "3600"})
    fetcher = _fetcher()
    assert fetcher.get(p.url("/busy"), allow_private=True).data == b"done"
    refused, served = p.hits("/busy")
    assert (refused.status, served.status) == (429, 200)
    # The retry came the asked-for second later (a lower bound, as the platform saw
    # it), not after the 0.05 s backoff.
    assert served.at - refused.at >= 1.0
    with pytest.raises(FetchError) as info:
        fetcher.get(p.url("/down"), allow_private=True)
    assert info.value.reason == "http-503" and len(p.hits("/down")) == 3   # 1 + 2 retries
    with pytest.raises(FetchError):
        fetcher.get(p.url("/too-long"), allow_private=True)
    assert len(p.hits("/too-long")) == 1        # does not sleep for an hour


def test_size_limit_timeout_and_conditional_requests(platform):
    p = platform
    p.routes["/big"] = Static(b"x" * 5000, "text/plain")
    p.routes["/slow"] = Slow(1.5, Static(b"late"))
    p.routes["/doc"] = Static(b"content", "text/plain")
    fetcher = _fetcher(max_bytes=1000, timeout=0.5)
    with pytest.raises(TooLarge):
        fetcher.get(p.url("/big"), allow_private=True)
    with pytest.raises(FetchError) as info:
        fetcher.get(p.url("/slow"), allow_private=True)
    assert info.value.reason == "timeout"
    first = fetcher.get(p.url("/doc"), allow_private=True)
    assert first.status == 200 and first.etag and first.last_modified
    again = fetcher.get(p.url("/doc"), allow_private=True, etag=first.etag)
    assert again.not_modified and again.data == b""
    by_date = fetcher.get(p.url("/doc"), allow_private=True,
                          last_modified=first.last_modified)
    assert by_date.not_modified


def test_robots_crawl_delay_and_connections_per_host(platform):
    p = platform
    p.routes["/robots.txt"] = Static(b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.3\n",
                                     "text/plain", validators=False)
    for n in range(4):
        p.routes[f"/page{n}"] = Slow(0.2, Static(b"page"))
    fetcher = _fetcher()
    assert not fetcher.allowed(p.url("/private/x"), allow_private=True)
    with pytest.raises(FetchError) as info:
        fetcher.get(p.url("/private/x"), allow_private=True)
    assert info.value.reason == "robots"
    threads = [threading.Thread(target=fetcher.get, args=(p.url(f"/page{n}"),),
                                kwargs={"allow_private": True}) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = sorted(h.at for h in p.log if h.path.startswith("/page"))
    assert len(times) == 4
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.25
    assert len(p.hits("/robots.txt")) == 1

    fast = _fetcher(max_per_host=2)
    for n in range(6):
        p.routes[f"/par{n}"] = Slow(0.3, Static(b"page"))
    p.max_active = 0
    threads = [threading.Thread(target=fast.get, args=(p.url(f"/par{n}"),),
                                kwargs={"allow_private": True}) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert p.max_active == 2


def test_run_lock_names_its_holder_and_waits(tmp_path):
    first = RunLock(tmp_path)
    first.acquire(what="searchhub index (schedule)")
    with pytest.raises(IndexBusy) as info:
        RunLock(tmp_path).acquire()
    assert "pid" in info.value.message and "schedule" in info.value.message
    threading.Timer(0.3, first.release).start()
    second = RunLock(tmp_path)
    second.acquire(wait=5)                      # waits until the first lets go
    second.release()


def test_crawl_state_schema_is_versioned_and_kept(tmp_path):
    path = tmp_path / "crawl.sqlite"
    with CrawlState(path) as state:
        state.record("s", "http://example.org/a", status="indexed", doc_id="s-a")
    with CrawlState(path) as state:              # reopening migrates nothing, drops nothing
        assert state.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert state.get("s", "http://example.org/a").doc_id == "s-a"
    state = CrawlState(path)
    state.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    state.close()
    with pytest.raises(RuntimeError, match="newer"):
        CrawlState(path)


def test_a_host_whose_robots_txt_fails_is_left_alone(platform):
    p = platform
    p.routes["/robots.txt"] = Status(503)
    p.routes["/page"] = Static(b"page")
    fetcher = _fetcher(retries=1)
    with pytest.raises(FetchError) as info:
        fetcher.get(p.url("/page"), allow_private=True)
    assert info.value.reason == "robots-unavailable"
    with pytest.raises(FetchError):
        fetcher.get(p.url("/page"), allow_private=True)
    assert p.hits("/page") == [] and len(p.hits("/robots.txt")) == 2   # 1 + 1 retry, once


def test_robots_txt_redirect_is_followed(platform):
    p = platform
    p.routes["/robots.txt"] = redirect("/real-robots.txt")
    p.routes["/real-robots.txt"] = Static(b"User-agent: *\nDisallow: /no/\n", "text/plain")
    fetcher = _fetcher()
    assert not fetcher.allowed(p.url("/no/page"), allow_private=True)
    assert fetcher.allowed(p.url("/yes/page"), allow_private=True)


def test_run_writer_commits_at_least_every_interval(tmp_path):
    import datetime as dt

    from indexer.write import RunWriter
    from searchhub.engine import Engine
    from searchhub.models import Document

    def doc(n: int) -> Document:
        return Document(id=f"d{n}", title=f"Doc {n}", url=f"https://example.org/{n}",
                        source_id="s", agency="IOM", pages=["Migration text."],
                        date=dt.date(2020, 1, 1))

    with Engine(tmp_path / "index") as engine, CrawlState(tmp_path / "c.sqlite") as state:
        patient = RunWriter(engine, state, commit_every=1000, commit_interval=3600)
        patient.add(doc(1))
        patient.add(doc(2))
        assert engine.count() == 0                  # not yet: neither 1000 nor an hour
        patient.commit()
        assert engine.count() == 2
        writer = RunWriter(engine, state, commit_every=1000, commit_interval=1.0)
        writer.add(doc(3))
        time.sleep(1.05)                            # (a lower bound: sleep never ends early)
        writer.add(doc(4))                          # the interval has passed: committed
        assert engine.count() == 4
        writer.add(doc(5))
        writer.commit()
        assert engine.count() == 5


def test_retries_are_logged(platform, caplog):
    p = platform
    p.routes["/busy"] = Sequence([Status(503, {"Retry-After": "0"}), Static(b"done")])
    with caplog.at_level("INFO", logger="indexer.fetch"):
        assert _fetcher().get(p.url("/busy"), allow_private=True).data == b"done"
    [record] = [r for r in caplog.records if r.name == "indexer.fetch"]
    assert record.fields == {"event": "retry", "url": p.url("/busy"), "attempt": 1,
                             "wait": 0.0, "status": 503}


def test_crawl_state_of_schema_1_migrates_forward_keeping_its_runs(tmp_path):
    import sqlite3

    from indexer.state import MIGRATIONS

    path = tmp_path / "crawl.sqlite"
    db = sqlite3.connect(path)
    # Version 1 is what MIGRATIONS[0] makes.
    db.executescript(MIGRATIONS[0] + """
        PRAGMA user_version = 1;
        INSERT INTO runs VALUES (1, '2024-01-01', '2024-01-01', 'finished', 1, 'h', 'manual');
        INSERT INTO run_sources VALUES (1, 'docs', 3, 0, 0, 0, 0, 1, '');
        INSERT INTO failures VALUES (1, 'docs', 'docs-a', '/a.pdf', 'corrupt', 'bad');
    """)
    db.close()
    with CrawlState(path) as state:
        [run] = state.runs()
        assert run["totals"] == {"added": 3, "updated": 0, "unchanged": 0, "merged": 0,
                                 "removed": 0, "failed": 1, "unsupported": 0,
                                 "known_dead": 0}
        [failure] = state.run_failures(1)
        assert (failure["reason"], failure["error_type"], failure["traceback"]) == (
            "corrupt", "", "")
