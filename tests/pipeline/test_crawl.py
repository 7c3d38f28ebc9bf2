"""Crawling a mini partner platform on 127.0.0.1, run after run, with changes between.

Each test checks exactly what a run added, updated, left unchanged, merged and
removed, and what the platform was asked (robots.txt, conditional requests).
"""

from __future__ import annotations

import json

import pytest
from pipeline_helpers import LOREM_EN, counts, make_pdf, registry
from platform_server import Platform, Sequence, Slow, Static, Status, redirect, xml
from platform_server import sitemap as make_sitemap
from platform_server import sitemap_index as make_index

from indexer.pipeline import run
from indexer.sources import load_sources
from indexer.state import CrawlState
from searchhub.models import Query

REPORT_TEXT = ("Return and reintegration of migrants in West Africa: counselling, "
               "vocational training and community projects in Senegal and Guinea. ")
COPY_TEXT = ("Remittance corridors from the Gulf to South Asia lower the cost of sending "
             "money home; digital transfers reach rural families in Nepal and Bangladesh. ")


@pytest.fixture
def crawl_options(crawl_options):
    # conftest's (its timeout leaves room for a busy CI machine; the slow page below
    # sleeps well past it), with a size limit the huge PDF below is over.
    return type(crawl_options)(**{**crawl_options.__dict__, "max_bytes": 200_000})


def _failures(report) -> dict:
    return {f.location.rsplit("/", 1)[1]: f.reason for f in report.sources[0].failures}


def _setup_platform(p: Platform, tmp_path) -> None:
    p.routes["/robots.txt"] = Static(
        f"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.01\n"
        f"Sitemap: {p.base}/sitemap-index.xml\n".encode(), "text/plain", validators=False)
    p.page("/pages/a.html", "Labour migration in the Gulf", LOREM_EN * 4)
    p.page("/pages/b.html", "Climate mobility in the Pacific",
           "Sea level rise and planned relocation of communities in Fiji and Kiribati. " * 8)
    p.page("/pages/moving.html", "Smuggling of migrants in the Sahel",
           "Smuggling networks across Niger and Libya and the protection of migrants. " * 8)
    p.page("/pages/vanishing.html", "Temporary protection for displaced families",
           "Temporary protection status for families displaced by conflict in Ukraine. " * 8)
    flaky_body = Static(b"<html><head><title>Skills partnerships</title></head><body><article>"
                        + (b"<p>Global skills partnerships between Morocco and Spain train "
                           b"nurses and technicians before they migrate.</p>" * 6)
                        + b"</article></body></html>", "text/html")
    p.routes["/pages/flaky.html"] = Sequence([Status(503, {"Retry-After": "0"}), flaky_body])
    p.page("/pages/copy-1.html", "Remittance corridors", COPY_TEXT * 6)
    # The same report under a second URL, in other markup, with a line of its own.
    p.routes["/news/copy-2.html"] = Static(
        ("<html><head><title>Remittance corridors</title></head><body><main><h1>Remittance "
         "corridors</h1><div><p>" + (COPY_TEXT * 6).upper() + "</p><p>Republished with "
         "permission.</p></div></main><footer><a href='/'>Home</a></footer></body></html>"
         ).encode())
    p.page("/private/secret.html", "Internal", "Not for crawlers. " * 20)
    p.routes["/docs/report.pdf"] = Static(
        make_pdf(tmp_path / "report.pdf", ["Cover", REPORT_TEXT * 12],
                 title="Reintegration in West Africa").read_bytes(), "application/pdf")
    p.routes["/docs/corrupt.pdf"] = Static(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage",
                                           "application/pdf")
    p.routes["/docs/huge.pdf"] = Static(b"%PDF-1.4\n" + b"0" * 300_000, "application/pdf")
    p.routes["/pages/slow.html"] = Slow(6.0, Static(b"<html><body>late</body></html>"))
    # A page that sends the crawler into the internal network (another loopback address).
    p.routes["/pages/internal.html"] = redirect(
        f"http://127.0.0.2:{p.server.server_address[1]}/admin", 302)


PAGES_1 = [("/pages/a.html", "2024-01-01"), ("/pages/b.html", "2024-01-01"),
           ("/pages/moving.html", "2024-01-01"), ("/pages/vanishing.html", ""),
           ("/pages/flaky.html", ""), ("/pages/copy-1.html", ""), ("/news/copy-2.html", ""),
           ("/private/secret.html", ""), ("/pages/internal.html", "")]
DOCS_1 = [("/docs/report.pdf", ""), ("/docs/corrupt.pdf", ""), ("/docs/huge.pdf", ""),
          ("/pages/slow.html", "")]


def _publish(p: Platform, pages, docs) -> None:
    p.routes["/sitemap-index.xml"] = xml(make_index(p.base, [
        ("/sitemap-pages.xml", "2024-01-01"), ("/sitemap-docs.xml", "2024-01-01")]))
    p.routes["/sitemap-pages.xml"] = xml(make_sitemap(p.base, pages))
    p.routes["/sitemap-docs.xml"] = xml(make_sitemap(p.base, docs))


def _sitemap_source(tmp_path, p: Platform, **extra):
    options = "".join(f"{k} = {json.dumps(v)}\n" for k, v in extra.items())
    return load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "partner"
name = "Partner platform"
agency = "IOM"
kind = "sitemap"
url = "{p.base}/robots.txt"
allow_private = ["127.0.0.1/32"]   # the platform's address, and no other private one
gone_after_runs = 2
{options}"""))


def test_sitemap_crawls_with_changes_between(tmp_path, engine, crawl_options, platform):
    p = platform
    _setup_platform(p, tmp_path)
    _publish(p, PAGES_1, DOCS_1)
    # No recheck of pages with an unchanged lastmod (test_recheck.py tests them).
    sources = _sitemap_source(tmp_path, p, recheck_every=0)

    # Run 1: everything new. The disallowed page is never requested; the flaky page
    # answers 503 with Retry-After, then 200; the two copies are one result.
    first = run(engine, sources, crawl_options)
    assert counts(first) == {"added": 7, "merged": 1, "failed": 4, "disallowed": 1}
    assert _failures(first) == {"corrupt.pdf": "corrupt", "huge.pdf": "too-large",
                                "slow.html": "timeout", "internal.html": "private-address"}
    assert p.hits("/private/secret.html") == []
    assert len(p.hits("/robots.txt")) == 1
    assert [h.status for h in p.hits("/pages/flaky.html")] == [503, 200]
    assert all("searchhub" in h.headers.get("User-Agent", "") for h in p.log)
    hits = engine.search(Query("remittance corridors")).hits
    assert len(hits) == 1
    survivor = hits[0].document
    other = ({p.url("/pages/copy-1.html"), p.url("/news/copy-2.html")} - {survivor.url}).pop()
    assert survivor.also_at == [{"source": "partner", "agency": "IOM", "url": other}]
    assert engine.count() == 7

    # Between runs: b changes; moving moves (301) and the sitemap lists its new URL;
    # vanishing answers 404; flaky fails for good; slow leaves the sitemap.
    p.page("/pages/b.html", "Climate mobility in the Pacific, revised",
           "Planned relocation and climate finance for communities in Tuvalu. " * 8)
    p.routes["/pages/moved.html"] = p.routes["/pages/moving.html"]
    p.routes["/pages/moving.html"] = redirect("/pages/moved.html")
    p.routes["/pages/vanishing.html"] = Status(404)
    p.routes["/pages/flaky.html"] = Status(503, {"Retry-After": "0"})
    pages_2 = [("/pages/a.html", "2024-01-01"), ("/pages/b.html", "2024-06-01"),
               ("/pages/moved.html", "2024-06-01"), ("/pages/vanishing.html", ""),
               ("/pages/flaky.html", ""), ("/pages/copy-1.html", ""),
               ("/news/copy-2.html", ""), ("/private/secret.html", ""),
               ("/pages/internal.html", "")]
    _publish(p, pages_2, DOCS_1[:3])
    mark = len(p.log)
    second = run(engine, sources, crawl_options)
    assert counts(second) == {"unchanged": 4, "updated": 1, "added": 1, "removed": 2,
                               "failed": 4, "disallowed": 1}
    assert _failures(second) == {"flaky.html": "http-503", "corrupt.pdf": "corrupt",
                                 "huge.pdf": "too-large", "internal.html": "private-address"}
    # a.html is skipped by its unchanged lastmod: not requested at all; the others
    # answer conditional requests with 304.
    assert p.hits("/pages/a.html", since=mark) == []
    assert {h.path: h.status for h in p.hits(since=mark)
            if h.path in ("/pages/copy-1.html", "/news/copy-2.html", "/docs/report.pdf")} == {
        "/pages/copy-1.html": 304, "/news/copy-2.html": 304, "/docs/report.pdf": 304}
    assert "If-None-Match" in p.hits("/docs/report.pdf", since=mark)[0].headers
    assert [h.document.url for h in engine.search(Query("smuggling networks Sahel")).hits] == [
        p.url("/pages/moved.html")]
    assert engine.search(Query('"temporary protection status"')).hits == []
    assert len(engine.search(Query("skills partnerships Morocco")).hits) == 1  # kept
    assert len(engine.search(Query("Tuvalu")).hits) == 1

    # Between runs: a leaves the sitemap (it stays for gone_after_runs = 2 runs);
    # vanishing answers 410; flaky is back.
    p.routes["/pages/vanishing.html"] = Status(410)
    p.routes["/pages/flaky.html"] = Static(b"<html><head><title>Skills partnerships</title>"
                                           b"</head><body><article>" + b"<p>Global skills "
                                           b"partnerships between Morocco and Spain train "
                                           b"nurses and technicians before they migrate.</p>"
                                           * 6 + b"</article></body></html>", "text/html")
    _publish(p, pages_2[1:], DOCS_1[:3])
    third = run(engine, sources, crawl_options)
    # vanishing, removed at its 404, is a known dead link now: not a new failure.
    assert counts(third) == {"unchanged": 6, "failed": 3, "known_dead": 1, "disallowed": 1}
    assert _failures(third) == {"corrupt.pdf": "corrupt", "huge.pdf": "too-large",
                                "internal.html": "private-address"}
    assert len(engine.search(Query("recruitment fees")).hits) == 1     # a is still there
    fourth = run(engine, sources, crawl_options)
    assert fourth.sources[0].counts["removed"] == 1
    assert engine.search(Query("recruitment fees")).hits == []

    with CrawlState(tmp_path / "data" / "crawl.sqlite") as state:
        runs = state.runs()
        assert [r["status"] for r in runs] == ["finished"] * 4
        assert runs[-1]["totals"]["added"] == 7 and runs[-1]["totals"]["merged"] == 1
        rows = state.urls("partner")
        assert rows[p.url("/pages/vanishing.html")].status == "gone"
        assert rows[p.url("/docs/corrupt.pdf")].error_count == 4
        assert {r.status for r in rows.values()} >= {"indexed", "duplicate", "gone", "failed"}
        third_failures = {f["location"]: f["reason"] for f in state.run_failures(runs[1]["id"])}
        assert p.url("/pages/vanishing.html") not in third_failures
        assert runs[1]["totals"]["known_dead"] == 1
        assert rows[p.url("/pages/vanishing.html")].dead_reason == "http-410"


def test_crawl_follows_links_and_rerun_asks_conditionally(tmp_path, engine, crawl_options,
                                                          platform):
    p = platform
    _setup_platform(p, tmp_path)
    p.page("/pages/", "Publications",
           "Our publications on migration governance and data, newest first. " * 6, links=[
        "/pages/a.html", "/pages/b.html#section", "/docs/report.pdf", "/private/secret.html",
        "https://elsewhere.example.org/out.html", "/pages/level1.html"])
    p.page("/pages/level1.html", "Level one",
           "Border management and integrated checkpoints on the Danube. " * 7,
           links=["/pages/level2.html"])
    p.page("/pages/level2.html", "Level two", "Deep page on seasonal agricultural work. " * 9,
           links=["/pages/level3.html"])
    p.page("/pages/level3.html", "Too deep", "Never reached. " * 30)
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "crawler"
name = "Partner site"
agency = "ILO"
kind = "crawl"
urls = ["{p.base}/pages/index.html"]
allow_private = true
max_depth = 2
prefixes = ["{p.base}/pages/", "{p.base}/docs/"]
"""))
    events = []
    first = run(engine, sources, crawl_options, on_event=events.append)
    assert _failures(first) == {}
    assert counts(first) == {"added": 6}       # index, a, b, report.pdf, level1, level2
    crawled = [e for e in events if e["event"] == "crawled"]
    assert len(crawled) == 5 and {e["status"] for e in crawled} == {"200"}   # pages only
    assert sum(e["event"] == "added" for e in events) == 6
    assert all(json.dumps(e) for e in events)            # each one a JSON log line
    assert p.hits("/pages/level3.html") == [] and p.hits("/private/secret.html") == []
    assert p.hits("/") == []                    # outside the prefixes
    assert engine.get(engine.search(Query("reintegration Senegal")).hits[0].document.id
                      ).format == "pdf"
    mark = len(p.log)
    second = run(engine, sources, crawl_options)
    assert counts(second) == {"unchanged": 6}
    statuses = {h.path: h.status for h in p.hits(since=mark) if h.path != "/robots.txt"}
    assert set(statuses.values()) == {304}      # nothing downloaded again
    assert len(statuses) == 6


def test_feed_entries_with_titles_and_dates(tmp_path, engine, crawl_options, platform):
    p = platform
    _setup_platform(p, tmp_path)
    p.routes["/feed.atom"] = Static(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Publications</title>
<entry><title>Reintegration in West Africa (PDF)</title>
  <link href="{p.base}/docs/report.pdf"/><updated>2023-04-05T10:00:00Z</updated></entry>
<entry><title>Climate mobility</title><link rel="alternate" href="{p.base}/pages/b.html"/>
  <published>2022-02-03T00:00:00Z</published><updated>2022-03-01T00:00:00Z</updated></entry>
</feed>""".encode(), "application/atom+xml", validators=False)
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "feed"
name = "Partner feed"
agency = "UNHCR"
kind = "feed"
url = "{p.base}/feed.atom"
allow_private = true
"""))
    report = run(engine, sources, crawl_options)
    assert counts(report) == {"added": 2}
    pdf = engine.search(Query("reintegration Senegal")).hits[0].document
    assert pdf.title == "Reintegration in West Africa (PDF)"
    assert pdf.date.isoformat() == "2023-04-05"
    again = run(engine, sources, crawl_options)
    assert counts(again) == {"unchanged": 2}


def test_remote_catalog_api_with_pages_and_file_links(tmp_path, engine, crawl_options,
                                                      platform):
    p = platform
    _setup_platform(p, tmp_path)
    p.routes["/api/records"] = Static(json.dumps({
        "results": [{"id": 1, "title": "Displacement update", "body": "Conflict displaced "
                     "families in South Sudan and Sudan. " * 10}],
        "links": {"next": "/api/records?page=2"}}).encode(), "application/json")
    p.routes["/api/records?page=2"] = Static(json.dumps({
        "results": [{"id": 2, "title": "Evaluation", "body": "",
                     "file": f"{p.base}/docs/report.pdf"}],
        "links": {"next": None}}).encode(), "application/json")
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "api"
name = "Partner API"
agency = "OCHA"
kind = "catalog"
url = "{p.base}/api/records"
format = "json"
records_field = "results"
next_field = "links.next"
id_field = "id"
title_field = "title"
text_field = "body"
url_field = "file"
allow_private = true
"""))
    report = run(engine, sources, crawl_options)
    assert counts(report) == {"added": 2}
    assert engine.get("api-2").format == "pdf"
    assert "South Sudan" in engine.get("api-1").countries


def test_private_addresses_are_refused_without_allow_private(tmp_path, engine, crawl_options,
                                                            platform):
    p = platform
    _setup_platform(p, tmp_path)
    _publish(p, PAGES_1, [])
    sources = _sitemap_source(tmp_path, p)
    sources[0].options.pop("allow_private")
    report = run(engine, sources, crawl_options)
    assert "private" in report.sources[0].error
    assert p.log == []                     # not even robots.txt was asked
    assert engine.count() == 0


def test_remote_csv_export_and_page_numbered_api(tmp_path, engine, crawl_options, platform):
    p = platform
    _setup_platform(p, tmp_path)
    p.routes["/export.csv"] = Static(
        ("id,title,text\n"
         f"c1,Border note,\"{'Integrated border management in the Sahel region. ' * 8}\"\n"
         f"c2,Health note,\"{'Health services for migrants in transit centres. ' * 8}\"\n"
         ).encode(), "text/csv")
    for n in (1, 2):
        p.routes[f"/api/list?page={n}"] = Static(json.dumps(
            [{"uid": f"p{n}", "name": f"Brief {n}",
              "summary": f"Labour migration brief number {n} on seasonal workers. " * 8}]
        ).encode(), "application/json")
    p.routes["/api/list?page=3"] = Static(b"[]", "application/json")
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "csv"
name = "CSV export"
agency = "IOM"
kind = "catalog"
url = "{p.base}/export.csv"
format = "csv"
id_field = "id"
title_field = "title"
text_field = "text"
allow_private = true

[[source]]
id = "paged"
name = "Paged API"
agency = "ILO"
kind = "catalog"
url = "{p.base}/api/list"
format = "json"
page_param = "page"
id_field = "uid"
title_field = "name"
text_field = "summary"
allow_private = true
"""))
    report = run(engine, sources, crawl_options)
    assert [dict(s.counts) for s in report.sources] == [{"added": 2}, {"added": 2}]
    assert engine.get("csv-c2").title == "Health note"
    assert engine.get("paged-p2").agency == "ILO"
    assert len(p.hits("/api/list?page=3")) == 1          # the empty page ends the list
    again = run(engine, sources, crawl_options)
    assert again.total("unchanged") == 4
