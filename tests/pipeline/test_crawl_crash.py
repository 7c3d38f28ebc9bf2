"""A crawl killed with SIGKILL leaves the index searchable and the crawl state
consistent; the next run finishes without downloading again what was indexed."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from platform_server import Platform
from platform_server import sitemap as make_sitemap

from indexer.fetching import rechecks
from indexer.options import RunOptions
from indexer.state import CrawlState
from searchhub.engine import Engine
from searchhub.models import Query

pytestmark = pytest.mark.e2e
TOTAL = 150
#: The runs' default (no recheck_every in the source).
RECHECK_EVERY = next(f.default for f in dataclasses.fields(RunOptions)
                     if f.name == "recheck_every")


def _index(tmp_path: Path) -> subprocess.Popen:
    env = {**os.environ, "SEARCHHUB_COMMIT_EVERY": "10", "SEARCHHUB_WORKERS": "1",
           "SEARCHHUB_HOST_DELAY": "0"}
    cmd = [sys.executable, "-m", "searchhub.cli", "--data-dir", str(tmp_path / "data"),
           "--sources", str(tmp_path / "sources.toml"), "index", "--quiet", "--json"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def test_crawl_killed_midway_then_resumed(tmp_path, process_groups):
    with Platform() as p:
        for n in range(TOTAL):
            p.page(f"/notes/{n}.html", f"Field note {n}",
                   f"Return and reintegration counselling session {n} with returnees in "
                   f"Ethiopia, psychosocial support and labour market access. Code RX{n:03}. "
                   * 4 + f"Session {n} took place in district {n * 7 % 31}.")
        p.routes["/sitemap.xml"] = type(p.routes["/notes/0.html"])(
            make_sitemap(p.base, [(f"/notes/{n}.html", "2024-01-01") for n in range(TOTAL)]),
            "application/xml", validators=False)
        (tmp_path / "sources.toml").write_text(f"""
[[source]]
id = "notes"
name = "Field notes"
agency = "IOM"
kind = "sitemap"
url = "{p.base}/sitemap.xml"
allow_private = true
""", encoding="utf-8")
        index_dir = _kill_after_commits(tmp_path, process_groups(_index(tmp_path)))

        engine = Engine(index_dir, create=False)
        at_kill = engine.count()
        assert 0 < at_kill < TOTAL
        hits = engine.search(Query("reintegration counselling")).hits
        assert hits and all("Field note" in h.document.title for h in hits)
        with CrawlState(tmp_path / "data" / "crawl.sqlite") as state:
            # Every URL the state calls indexed is in the index, with the same hash.
            known = engine.known("notes")
            indexed = {url: r for url, r in state.urls("notes").items()
                       if r.status == "indexed"}
            rows = list(indexed.values())
            assert all(known.get(r.doc_id) == r.content_hash for r in rows)
            assert state.runs()[0]["status"] == "running"
        # The next run (the second) asks about 1 in 10 of them again all the same.
        rechecked = sum(rechecks(url, 2, RECHECK_EVERY) for url in indexed)

        mark = len(p.log)
        finish = process_groups(_index(tmp_path))
        out, err = finish.communicate(timeout=240)
        assert finish.returncode == 0, err.decode()[-2000:]
        report = json.loads(out)
        assert report["totals"]["added"] + report["totals"]["unchanged"] == TOTAL
        assert report["totals"]["unchanged"] >= at_kill
        downloaded = [h for h in p.hits(since=mark)
                      if h.path.startswith("/notes/") and h.status == 200]
        # What was indexed and recorded is skipped by lastmod: never downloaded again
        # but for those rechecked (recheck_every; the more the later the kill). One
        # committed just before the kill may not be recorded yet, and is read again.
        assert len(downloaded) <= TOTAL - len(indexed) + rechecked
        engine.refresh()
        assert engine.count() == TOTAL
        assert len(engine.search(Query("RX149")).hits) == 1
        with CrawlState(tmp_path / "data" / "crawl.sqlite") as state:
            assert [r["status"] for r in state.runs()] == ["finished", "interrupted"]
        engine.close()


def _kill_after_commits(tmp_path, proc, documents: int = 30):
    """SIGKILL the run once ``documents`` are committed; returns the index folder."""
    index_dir = tmp_path / "data" / "index"
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and committed < documents:
        if index_dir.is_dir() and any(index_dir.glob("_documents_*.toc")):
            with Engine(index_dir, create=False) as watcher:
                committed = watcher.count()
        time.sleep(0.05)
    assert committed >= documents, "the run never committed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)
    return index_dir


def test_streaming_crawl_killed_midway_then_resumed(tmp_path, process_groups):
    """A crawl writes documents while it goes on; killed then, the next run asks for the
    indexed pages conditionally (304) and downloads only the others."""
    with Platform() as p:
        p.page("/notes/", "Field notes", "Our field notes, newest first. " * 8,
               links=[f"/notes/{n}.html" for n in range(TOTAL)])
        for n in range(TOTAL):
            p.page(f"/notes/{n}.html", f"Field note {n}",
                   f"Return and reintegration counselling session {n} with returnees in "
                   f"Ethiopia, psychosocial support and labour market access. Code RX{n:03}. "
                   * 4 + f"Session {n} took place in district {n * 7 % 31}.")
        (tmp_path / "sources.toml").write_text(f"""
[[source]]
id = "notes"
name = "Field notes"
agency = "IOM"
kind = "crawl"
urls = ["{p.base}/notes/index.html"]
prefixes = ["{p.base}/notes/"]
allow_private = true
""", encoding="utf-8")
        index_dir = _kill_after_commits(tmp_path, process_groups(_index(tmp_path)))

        with Engine(index_dir, create=False) as engine:
            at_kill = engine.count()
            assert 0 < at_kill < TOTAL + 1
            with CrawlState(tmp_path / "data" / "crawl.sqlite") as state:
                known = engine.known("notes")
                rows = [r for r in state.urls("notes").values() if r.status == "indexed"]
                assert rows and all(known.get(r.doc_id) == r.content_hash for r in rows)

        mark = len(p.log)
        finish = process_groups(_index(tmp_path))
        out, err = finish.communicate(timeout=240)
        assert finish.returncode == 0, err.decode()[-2000:]
        report = json.loads(out)
        assert report["totals"]["added"] + report["totals"]["unchanged"] == TOTAL + 1
        assert report["totals"]["unchanged"] >= at_kill
        downloaded = [h for h in p.hits(since=mark)
                      if h.path.startswith("/notes/") and h.status == 200]
        # The documents the state recorded are asked conditionally (304); one committed
        # just before the kill may not be recorded yet, and is read again.
        assert len(downloaded) <= TOTAL + 1 - len(rows) + 10
        with Engine(index_dir, create=False) as engine:
            assert engine.count() == TOTAL + 1
            assert len(engine.search(Query("RX149")).hits) == 1
        with CrawlState(tmp_path / "data" / "crawl.sqlite") as state:
            assert [r["status"] for r in state.runs()] == ["finished", "interrupted"]
