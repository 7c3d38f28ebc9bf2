"""One page, one document: URL variants (a fragment, ``index.html``, tracking and
highlight parameters) are normalised before they are fetched, and a page's
``<link rel="canonical">`` on its own site names the document it is. Real HTTP on
127.0.0.1, real workers, a real index."""

from __future__ import annotations

import pytest
from pipeline_helpers import counts, registry
from platform_server import Static

from indexer.discover.urls import normalise
from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub.errors import ConfigError
from searchhub.models import Query


@pytest.fixture
def crawl_options(options, tmp_path):
    return type(options)(**{**options.__dict__, "data_dir": tmp_path / "data",
                            "http_timeout": 2.0})


def _html(title: str, text: str, head: str = "") -> Static:
    return Static((f"<!doctype html><html lang='en'><head><title>{title}</title>{head}"
                   f"</head><body><article><h1>{title}</h1><p>{text * 8}</p></article>"
                   "</body></html>").encode())


def test_variants_are_one_document_under_the_canonical_url(tmp_path, engine, crawl_options,
                                                           platform):
    p = platform
    p.page("/docs/", "Publications", "Our publications on mobility, newest first. " * 5, links=[
        "/docs/x/", "/docs/x/index.html", "/docs/x/?highlight=seasonal", "/docs/x/#part-2",
        "/docs/y.html?utm_source=news&utm_medium=mail", "/docs/list.html?page=2",
        "/docs/print/z.html", "/docs/z.html", "/docs/other.html",
        "/docs/tracked.html?ref=home"])
    p.routes["/docs/x/"] = _html("Seasonal workers", "Seasonal agricultural workers. ")
    p.routes["/docs/y.html"] = _html("Diaspora bonds", "Diaspora bonds finance schools. ")
    p.routes["/docs/list.html?page=2"] = _html("Older reports", "Older mobility reports. ")
    # The printable version names the article as its canonical page.
    p.routes["/docs/print/z.html"] = _html(
        "Remittances (print)", "Remittance costs fell in the Pacific corridor. ",
        '<link rel="canonical" href="/docs/z.html">')
    p.routes["/docs/z.html"] = _html("Remittances", "Remittance costs, an overview. ")
    # A canonical link to another site is not believed.
    p.routes["/docs/other.html"] = _html(
        "Border monitoring", "Border monitoring in the Sahel. ",
        '<link rel="canonical" href="https://elsewhere.example/border">')
    p.routes["/docs/tracked.html"] = _html("Labour corridors", "Labour corridors in Asia. ")
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "site"
name = "Partner site"
agency = "IOM"
kind = "crawl"
urls = ["{p.base}/docs/index.html#top"]
prefixes = ["{p.base}/docs/"]
drop_params = ["ref"]
allow_private = true
"""))
    first = run(engine, sources, crawl_options)
    assert counts(first) == {"added": 7}, first.sources[0].failures
    # Each page was asked once, under its normalised URL; no variant was requested.
    asked = [h.path for h in p.log if h.path != "/robots.txt"]
    assert sorted(asked) == sorted([
        "/docs/", "/docs/x/", "/docs/y.html", "/docs/list.html?page=2",
        "/docs/print/z.html", "/docs/z.html", "/docs/other.html", "/docs/tracked.html"])

    def urls(query: str) -> list[str]:
        return [h.document.url for h in engine.search(Query(query)).hits]

    assert urls("seasonal agricultural") == [p.url("/docs/x/")]
    assert urls("diaspora bonds") == [p.url("/docs/y.html")]
    assert urls("older mobility reports") == [p.url("/docs/list.html?page=2")]
    assert urls("labour corridors") == [p.url("/docs/tracked.html")]
    assert urls("border monitoring") == [p.url("/docs/other.html")]
    # The printable page and the article are one document, shown under the canonical URL.
    assert urls("remittance pacific corridor") == [p.url("/docs/z.html")]
    assert engine.count() == 7

    second = run(engine, sources, crawl_options)
    assert counts(second) == {"unchanged": 7}
    assert engine.count() == 7


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTP://Example.ORG:80/a/index.html#top", "http://example.org/a/"),
    ("https://example.org/a/INDEX.HTM?page=2", "https://example.org/a/?page=2"),
    ("https://example.org", "https://example.org/"),
    ("https://example.org/r?utm_source=x&id=7&fbclid=y&highlight=z", "https://example.org/r?id=7"),
    ("https://example.org/r?q=a%20b&lang=fr", "https://example.org/r?q=a%20b&lang=fr"),
    ("https://example.org/a;jsessionid=0A1B?x=1", "https://example.org/a?x=1"),
    ("https://example.org:8443/a/b.html", "https://example.org:8443/a/b.html"),
])
def test_normalise(url, expected):
    assert normalise(url) == expected


def test_drop_params_must_be_a_list_of_names(tmp_path):
    path = registry(tmp_path / "sources.toml", """
[[source]]
id = "site"
name = "Site"
agency = "IOM"
kind = "crawl"
urls = ["https://example.org/"]
drop_params = "ref"
""")
    with pytest.raises(ConfigError, match="drop_params must be a list"):
        load_sources(path)


def test_a_listed_page_with_a_canonical_url_is_that_document(tmp_path, engine, crawl_options,
                                                             platform):
    from platform_server import sitemap as make_sitemap
    from platform_server import xml

    p = platform
    canonical_a = '<link rel="canonical" href="/a.html">'
    p.routes["/a.html"] = _html("Return migration", "Return migration to Senegal. ")
    p.routes["/print/a.html"] = _html("Return migration (print)",
                                      "Return migration to Senegal, printable. ", canonical_a)
    p.routes["/print/b.html"] = _html("Climate mobility", "Climate mobility in Kiribati. ",
                                      f'<link rel="canonical" href="{p.base}/b.html">')
    # The printable pages send no validators: each run fetches them in full.
    p.routes["/print/a.html"].validators = p.routes["/print/b.html"].validators = False
    p.routes["/sitemap.xml"] = xml(make_sitemap(p.base, [
        ("/print/a.html", ""), ("/a.html", ""), ("/print/b.html", "")]))
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "maps"
name = "Partner sitemap"
agency = "IOM"
kind = "sitemap"
url = "{p.base}/sitemap.xml"
allow_private = true
"""))
    first = run(engine, sources, crawl_options)
    # The printable page of a listed article is that article; the printable page of an
    # unlisted one becomes the document of its canonical URL.
    assert counts(first) == {"added": 2, "merged": 1}
    assert engine.count() == 2
    assert [h.document.url for h in engine.search(Query("kiribati")).hits] == [
        p.url("/b.html")]
    assert [h.document.url for h in engine.search(Query("senegal")).hits] == [
        p.url("/a.html")]
    mark = len(p.log)
    second = run(engine, sources, crawl_options)
    assert counts(second) == {"unchanged": 3}
    assert second.failed == 0 and engine.count() == 2
    assert {h.path: h.status for h in p.hits(since=mark) if h.path.endswith("a.html")
            or h.path.endswith("b.html")} == {
        "/print/a.html": 200, "/a.html": 304, "/print/b.html": 200}
    # The printable page of a listed article leaves the listing: nothing leaves the index.
    p.routes["/sitemap.xml"] = xml(make_sitemap(p.base, [("/a.html", ""),
                                                         ("/print/b.html", "")]))
    for _ in range(3):
        report = run(engine, sources, crawl_options)
        assert counts(report) == {"unchanged": 2}
    assert engine.count() == 2
