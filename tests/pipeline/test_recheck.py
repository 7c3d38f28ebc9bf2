"""A stale sitemap (every lastmod unchanged) still has its pages asked again,
conditionally, at least every ``recheck_every`` runs, spread over the runs: a page
deleted from the platform leaves the index within that many runs, and no run asks
for every page. Real HTTP on 127.0.0.1, real workers, a real index."""

from __future__ import annotations

import pytest
from pipeline_helpers import counts, registry
from platform_server import Status, xml
from platform_server import sitemap as make_sitemap

from indexer.fetching import rechecks
from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub.errors import ConfigError
from searchhub.models import Query

PAGES = 16
EVERY = 4


@pytest.fixture
def crawl_options(options, tmp_path):
    return type(options)(**{**options.__dict__, "data_dir": tmp_path / "data",
                            "http_timeout": 2.0})


def test_a_stale_sitemap_is_rechecked_a_part_at_a_time(tmp_path, engine, crawl_options,
                                                       platform):
    p = platform
    for n in range(PAGES):
        p.page(f"/notes/{n}.html", f"Field note {n}",
               f"Counselling session with returnees in Ethiopia, case RX{n:03}. " * 6)
    p.routes["/sitemap.xml"] = xml(make_sitemap(
        p.base, [(f"/notes/{n}.html", "2024-01-01") for n in range(PAGES)]))
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "notes"
name = "Field notes"
agency = "IOM"
kind = "sitemap"
url = "{p.base}/sitemap.xml"
allow_private = true
recheck_every = {EVERY}
"""))
    assert counts(run(engine, sources, crawl_options)) == {"added": PAGES}
    # The platform deletes a page but its sitemap still lists it, lastmod unchanged.
    deleted = "/notes/7.html"
    p.routes[deleted] = Status(404)
    asked: list[set[str]] = []
    gone_at = None
    for number in range(2, 2 + EVERY):
        mark = len(p.log)
        report = run(engine, sources, crawl_options)
        # Once removed, the deleted page is a dead link: known, not a new failure.
        assert report.failed == 0
        hits = [h for h in p.hits(since=mark) if h.path.startswith("/notes/")
                and not (gone_at and h.path == deleted)]
        asked.append({h.path for h in hits})
        # Each recheck is conditional: an unchanged page costs a 304.
        assert all(h.status in (304, 404) for h in hits)
        assert all("If-None-Match" in h.headers for h in hits if h.path != deleted)
        if deleted in asked[-1]:
            gone_at = number
            assert counts(report) == {"unchanged": PAGES - 1, "removed": 1}
        elif gone_at is None:
            assert counts(report) == {"unchanged": PAGES}
    # Within EVERY runs every page was asked exactly once, and no run asked them all.
    assert sorted(len(a) for a in asked) != [0] * (EVERY - 1) + [PAGES]
    assert all(len(a) < PAGES for a in asked)
    assert sum(len(a) for a in asked) == PAGES
    assert set().union(*asked) == {f"/notes/{n}.html" for n in range(PAGES)}
    assert gone_at is not None
    assert engine.search(Query("rx007")).hits == []
    assert len(engine.search(Query("rx008")).hits) == 1
    assert engine.count() == PAGES - 1


def test_rechecks_spread_urls_over_the_cycle():
    urls = [f"https://example.org/notes/{n}.html" for n in range(1000)]
    per_run = [sum(rechecks(u, run_number, 10) for u in urls) for run_number in range(10)]
    assert sum(per_run) == 1000                  # each URL once in ten runs
    assert all(60 <= n <= 140 for n in per_run)  # about a tenth each run
    assert not any(rechecks(u, 3, 0) for u in urls)


def test_recheck_every_must_be_a_whole_number(tmp_path):
    path = registry(tmp_path / "sources.toml", """
[[source]]
id = "notes"
name = "Field notes"
agency = "IOM"
kind = "sitemap"
url = "https://example.org/sitemap.xml"
recheck_every = "often"
""")
    with pytest.raises(ConfigError, match="recheck_every must be a whole number"):
        load_sources(path)
