"""A feed lists a platform's latest publications, not all of them: what falls out of it
stays in the index, and leaves only when the platform says it is gone. Entry links as
real feeds write them (relative, under an Atom xml:base, an RSS permalink guid). Over
HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime

from pipeline_helpers import counts, found, web_sources
from platform_server import Platform, Static

from indexer.discover.feed import parse_feed
from indexer.pipeline import run
from searchhub.models import Query

ENTRIES = {"a": "Labour mobility schemes between Pacific islands and Australia",
           "b": "Cholera vaccination in camps for displaced people in Yemen",
           "c": "Climate adaptation and planned relocation in Fiji villages"}


def test_entry_links_are_read_against_the_feed_and_its_xml_base():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"
      xml:base="https://p.org/news/">
      <entry><title>One</title><link rel="enclosure" href="/files/one.pdf"/>
        <link rel="alternate" href="one.html"/></entry>
      <entry xml:base="https://p.org/reports/"><title>Two</title><link href="two.html"/></entry>
      <entry><title>Three</title><link rel="enclosure" href="three.pdf"/></entry>
    </feed>"""
    assert [e["url"] for e in parse_feed(atom, "https://p.org/feed.atom")] == [
        "https://p.org/news/one.html", "https://p.org/reports/two.html",
        "https://p.org/news/three.pdf"]
    rss = b"""<rss version="2.0"><channel><title>T</title>
      <item><title>Relative</title><link>/stories/1.html</link></item>
      <item><title>Permalink</title><guid>https://p.org/stories/2.html</guid></item>
      <item><title>Not a link</title><guid isPermaLink="false">https://p.org/x</guid></item>
      <item><title>Tag</title><guid>tag:p.org,2024:3</guid></item>
    </channel></rss>"""
    assert [e["url"] for e in parse_feed(rss, "https://p.org/feeds/rss.xml")] == [
        "https://p.org/stories/1.html", "https://p.org/stories/2.html", "", ""]


def _publish(p: Platform, names: list[str]) -> None:
    p.routes["/robots.txt"] = Static(b"User-agent: *\nCrawl-delay: 0.01\n", "text/plain",
                                     validators=False)
    for name, text in ENTRIES.items():
        p.page(f"/news/{name}.html", text, (text + ". ") * 8)
    items = "".join(f"<item><title>{ENTRIES[n]}</title><link>/news/{n}.html</link></item>"
                    for n in names)
    p.routes["/feed.xml"] = Static(
        f'<rss version="2.0"><channel><title>News</title>{items}</channel></rss>'.encode(),
        "application/rss+xml", validators=False)


def _source(tmp_path, p: Platform, recheck_every: int):
    return web_sources(tmp_path, "feed", id="news", name="Partner news",
                       url=f"{p.base}/feed.xml", gone_after_runs=1, recheck_every=recheck_every)


def test_what_falls_out_of_a_feed_stays_until_it_is_gone(tmp_path, engine, crawl_options,
                                                         platform):
    p = platform
    _publish(p, ["a", "b"])
    assert counts(run(engine, _source(tmp_path, p, 0), crawl_options)) == {"added": 2}

    # a and b fall out of the feed as c comes in: they stay. Their entries gave no date,
    # so this first run without them asks each once, conditionally; later runs do not.
    _publish(p, ["c"])
    mark = len(p.log)
    second = run(engine, _source(tmp_path, p, 0), crawl_options)
    assert counts(second) == {"added": 1, "unchanged": 2}
    assert {h.status for h in p.hits("/news/a.html", since=mark)} == {304}
    mark = len(p.log)
    third = run(engine, _source(tmp_path, p, 0), crawl_options)
    assert counts(third) == {"unchanged": 3}
    assert {h.path for h in p.hits(since=mark)} == {"/robots.txt", "/feed.xml",
                                                    "/news/c.html"}
    assert found(engine, "Pacific Australia mobility") == {"a.html"}
    assert found(engine, "cholera Yemen") == {"b.html"}

    # The platform deletes a. A run that rechecks asks a and b again, conditionally;
    # a leaves (404), b stays; c is in the feed, unchanged.
    del p.routes["/news/a.html"]
    mark = len(p.log)
    fourth = run(engine, _source(tmp_path, p, 1), crawl_options)
    assert counts(fourth) == {"removed": 1, "unchanged": 2}
    conditional = [h for h in p.hits("/news/b.html", since=mark)]
    assert conditional and conditional[-1].status == 304
    assert found(engine, "Pacific Australia mobility") == set()
    assert found(engine, "cholera Yemen") == {"b.html"}


def test_an_entry_out_of_the_feed_keeps_the_feeds_title_and_date(tmp_path, engine,
                                                                 crawl_options, platform):
    """The feed names its entry and dates it; the page (served without validators, so
    each check reads it whole) says neither. When the page changes after its entry has
    left the feed, it is read again with the title and date the feed gave."""
    p = platform
    p.routes["/robots.txt"] = Static(b"User-agent: *\nCrawl-delay: 0.01\n", "text/plain",
                                     validators=False)

    def feed(items: str) -> None:
        p.routes["/feed.xml"] = Static(
            f'<rss version="2.0"><channel><title>News</title>{items}</channel></rss>'
            .encode(), "application/rss+xml", validators=False)

    p.routes["/news/a.html"] = Static(b"<html><body><p>" + b"Shelter kits reach families"
                                      b" displaced by floods in Somalia. " * 8
                                      + b"</p></body></html>", validators=False)
    feed("<item><title>Somalia: shelter after the floods</title><link>/news/a.html</link>"
         "<pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate></item>")
    assert counts(run(engine, _source(tmp_path, p, 1), crawl_options)) == {"added": 1}
    feed("")                                                     # a leaves the feed
    p.routes["/news/a.html"] = Static(b"<html><body><p>" + b"Shelter kits and water reach"
                                      b" families displaced by floods in Somalia. " * 8
                                      + b"</p></body></html>", validators=False)
    assert counts(run(engine, _source(tmp_path, p, 1), crawl_options)) == {"updated": 1}
    hits = engine.search(Query("shelter water Somalia")).hits
    assert [h.document.title for h in hits] == ["Somalia: shelter after the floods"]
    assert hits[0].document.date == datetime.date(2024, 3, 5)
