"""A dead link (404, 410, a host that cannot be reached) is a new failure of the run
that first finds it; later runs count it as ``known_dead``, not as a failure, and ask
it again only after a rest that doubles. ``searchhub index`` exits 1 only for this
run's new problems. Real HTTP on 127.0.0.1, the real CLI, a real index."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner
from pipeline_helpers import LOREM_EN, registry

from indexer.state import CrawlState, crawl_db_path
from searchhub.cli import main

INDEX_TEXT = "Our publications on displacement, asylum and statelessness, newest first. " * 4


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCHHUB_WORKERS", "1")
    monkeypatch.setenv("SEARCHHUB_HOST_DELAY", "0")
    monkeypatch.setenv("SEARCHHUB_HTTP_RETRIES", "0")
    monkeypatch.setenv("SEARCHHUB_HTTP_TIMEOUT", "3")
    base = ["--data-dir", str(tmp_path / "data"), "--sources", str(tmp_path / "sources.toml")]
    runner = CliRunner()

    def index():
        result = runner.invoke(main, [*base, "index", "--json"])
        assert result.exit_code in (0, 1), result.output
        report = json.loads(result.stdout)
        return result.exit_code, {k: v for k, v in report["totals"].items() if v}, report

    index.runs = lambda *args: runner.invoke(main, [*base, "runs", *args])
    return index


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_dead_link_fails_once_then_is_known(tmp_path, platform, cli):
    p = platform
    p.page("/pages/", "Publications", INDEX_TEXT, links=["/pages/a.html", "/pages/dead.html"])
    p.page("/pages/a.html", "Labour migration", LOREM_EN * 4)
    nowhere = f"http://127.0.0.1:{_closed_port()}/report.html"
    registry(tmp_path / "sources.toml", f"""
[[source]]
id = "site"
name = "Partner site"
agency = "IOM"
kind = "crawl"
urls = ["{p.base}/pages/"]
prefixes = ["{p.base}/pages/"]
allow_private = true

[[source]]
id = "gone-host"
name = "A platform that closed"
agency = "UNHCR"
kind = "web"
urls = ["{nowhere}"]
allow_private = true
""")
    # Run 1: two new dead links, a page that is not there and a host nobody answers.
    code, totals, report = cli()
    assert (code, totals) == (1, {"added": 2, "failed": 2})
    reasons = sorted(f["reason"] for s in report["sources"] for f in s["failures"])
    assert reasons == ["connection", "http-404"]

    # Run 2: nothing new. Both are asked again once (the first rest is one run) and
    # counted as known dead; the run exits 0.
    mark = len(p.log)
    code, totals, report = cli()
    assert (code, totals) == (0, {"unchanged": 2, "known_dead": 2})
    assert [h.status for h in p.hits("/pages/dead.html", since=mark)] == [404]
    assert all(s["failures"] == [] for s in report["sources"])

    # Run 3: a page links a newly missing page: a new failure, exit 1. The known dead
    # links rest (two runs now): not asked, still counted.
    p.page("/pages/", "Publications", INDEX_TEXT,
           links=["/pages/a.html", "/pages/dead.html", "/pages/missing.html"])
    mark = len(p.log)
    code, totals, report = cli()
    assert (code, totals) == (1, {"updated": 1, "unchanged": 1, "failed": 1,
                                  "known_dead": 2})
    assert [f["location"] for s in report["sources"] for f in s["failures"]] == [
        p.url("/pages/missing.html")]
    assert p.hits("/pages/dead.html", since=mark) == []

    # Run 4: the dead page is back: asked after its rest, indexed again; nothing new.
    p.page("/pages/dead.html", "Back again", "Circular migration and return. " * 20)
    mark = len(p.log)
    code, totals, _ = cli()
    assert (code, totals) == (0, {"added": 1, "unchanged": 2, "known_dead": 2})
    assert [h.status for h in p.hits("/pages/dead.html", since=mark)] == [200]
    with CrawlState(crawl_db_path(tmp_path / "data")) as state:
        row = state.get("site", p.url("/pages/dead.html"))
        assert (row.status, row.dead_reason, row.dead_checks) == ("indexed", "", 0)
        assert state.get("site", p.url("/pages/missing.html")).dead_reason == "http-404"

    # `searchhub runs` shows both counts.
    listing = cli.runs()
    assert "known_dead" in listing.output.splitlines()[0]
    detail = json.loads(cli.runs("--run", "3", "--json").output)
    assert detail[0]["totals"]["failed"] == 1 and detail[0]["totals"]["known_dead"] == 2


def test_a_document_that_disappears_is_removed_then_known_dead(tmp_path, engine, platform,
                                                              options):
    from platform_server import Status

    from indexer.pipeline import run
    from indexer.sources import load_sources

    options = type(options)(**{**options.__dict__, "data_dir": tmp_path / "data"})
    p = platform
    p.page("/pages/a.html", "Labour migration", LOREM_EN * 4)
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "pages"
name = "Pages"
agency = "ILO"
kind = "web"
urls = ["{p.base}/pages/a.html"]
allow_private = true
"""))
    assert run(engine, sources, options).total("added") == 1
    p.routes["/pages/a.html"] = Status(410)
    second = run(engine, sources, options)
    assert (second.total("removed"), second.failed) == (1, 0)
    third = run(engine, sources, options)          # still listed, still gone
    assert (third.total("known_dead"), third.failed) == (1, 0)
    assert engine.count() == 0
