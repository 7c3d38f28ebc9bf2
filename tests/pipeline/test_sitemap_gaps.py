"""A sitemap index whose child sitemaps fail one by one, as on real platforms (a 404, a
page that is not XML, a 503): the sitemaps that can be read are indexed, each one that
cannot is a failure of the run, and nothing listed only by it leaves the index until it
can be read again. Over HTTP on 127.0.0.1."""

from __future__ import annotations

from pipeline_helpers import found, web_sources
from platform_server import Platform, Static, Status, sitemap, sitemap_index, xml

from indexer.pipeline import run

TOPICS = {"/news/a.html": "Labour mobility schemes between Pacific islands and Australia",
          "/news/b.html": "Cholera vaccination in camps for displaced people in Yemen",
          "/reports/c.html": "Climate adaptation and planned relocation in Fiji villages",
          "/reports/d.html": "Consular assistance to migrant workers stranded in Lebanon"}


def _publish(p: Platform, *, reports) -> None:
    p.routes["/robots.txt"] = Static(b"User-agent: *\nCrawl-delay: 0.01\n", "text/plain",
                                     validators=False)
    for path, text in TOPICS.items():
        p.page(path, text, (text + ". ") * 8)
    p.routes["/sitemap.xml"] = xml(sitemap_index(p.base, [
        ("/sitemap-news.xml", "2024-01-01"), ("/sitemap-reports.xml", "2024-01-01"),
        ("/sitemap-gone.xml", "2024-01-01"), ("/sitemap-html.xml", "2024-01-01")]))
    p.routes["/sitemap-news.xml"] = xml(sitemap(p.base, [("/news/a.html", ""),
                                                         ("/news/b.html", "")]))
    p.routes["/sitemap-reports.xml"] = reports
    p.routes["/sitemap-html.xml"] = Static(b"<html><body>Maintenance</body></html>")
    # /sitemap-gone.xml is not served: a 404.


def _source(tmp_path, p: Platform, url: str):
    return web_sources(tmp_path, "sitemap", url=url, gone_after_runs=1)


def test_the_sitemaps_of_an_index_that_fail_are_gaps_not_the_end(tmp_path, engine,
                                                                 crawl_options, platform):
    p = platform
    reports = xml(sitemap(p.base, [("/reports/c.html", ""), ("/reports/d.html", "")]))
    _publish(p, reports=reports)
    sources = _source(tmp_path, p, f"{p.base}/sitemap.xml")
    events = []
    first = run(engine, sources, crawl_options, on_event=events.append)
    source = first.sources[0]
    assert source.error == ""
    assert source.counts["added"] == 4
    assert {(f.location.rsplit("/", 1)[1], f.reason) for f in source.failures} \
        == {("sitemap-gone.xml", "listing"), ("sitemap-html.xml", "listing")}
    assert "404" in next(f.message for f in source.failures if "gone" in f.location)
    assert first.failed == 2                     # the run says something went wrong
    assert any(e["event"] == "retire-skipped" for e in events)

    # The reports' sitemap now fails too (503 every time): its two documents stay, the
    # news are refreshed as usual.
    p.routes["/sitemap-reports.xml"] = Status(503, {"Retry-After": "0"})
    second = run(engine, sources, crawl_options)
    assert second.sources[0].counts["removed"] == 0
    assert found(engine, "planned relocation Fiji") == {"c.html"}
    assert found(engine, "consular assistance Lebanon") == {"d.html"}

    # Readable again, without d.html: once every sitemap is read, d.html leaves.
    p.routes["/sitemap-reports.xml"] = xml(sitemap(p.base, [("/reports/c.html", "")]))
    p.routes["/sitemap-gone.xml"] = xml(sitemap(p.base, []))
    p.routes["/sitemap-html.xml"] = xml(sitemap(p.base, []))
    third = run(engine, sources, crawl_options)
    assert third.sources[0].failures == []
    assert third.sources[0].counts["removed"] == 1
    assert found(engine, "consular assistance Lebanon") == set()
    assert found(engine, "planned relocation Fiji") == {"c.html"}


def test_the_sitemap_a_source_names_still_fails_the_source(tmp_path, engine, crawl_options,
                                                           platform):
    p = platform
    _publish(p, reports=Status(404))
    report = run(engine, _source(tmp_path, p, f"{p.base}/sitemap-gone.xml"), crawl_options)
    assert "sitemap-gone.xml" in report.sources[0].error
    assert report.sources[0].counts["added"] == 0


def test_robots_txt_naming_only_broken_sitemaps_fails_the_source(tmp_path, engine,
                                                                  crawl_options, platform):
    p = platform
    _publish(p, reports=Status(404))
    p.routes["/robots.txt"] = Static(
        f"User-agent: *\nSitemap: {p.base}/sitemap-gone.xml\n"
        f"Sitemap: {p.base}/sitemap-html.xml\n".encode(), "text/plain", validators=False)
    report = run(engine, _source(tmp_path, p, f"{p.base}/robots.txt"), crawl_options)
    source = report.sources[0]
    assert "sitemap-html.xml" in source.error       # the last one tried
    assert [f.location.rsplit("/", 1)[1] for f in source.failures] == ["sitemap-gone.xml"]
