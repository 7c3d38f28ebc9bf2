"""What real platforms do that a crawl must follow. Their own say over their pages,
beyond robots.txt: robots meta tags and the X-Robots-Tag header (noindex: not a
document; nofollow: its links are not followed). A page's ``<base href>`` for its
relative links, and a meta refresh as a link to follow. A site that links to itself
over http and https, with and without ``www.``, and a start page that moved to another
host. Crawled over HTTP on 127.0.0.1, run after run."""

from __future__ import annotations

import pytest
from pipeline_helpers import LOREM_EN, counts, found, make_pdf, web_sources
from platform_server import Platform, Static, Status

from indexer.discover.base import Source
from indexer.discover.crawl import _Scope, extract_links
from indexer.discover.urls import NOFOLLOW, NOINDEX, robots_directives
from indexer.extract.links import outlinks
from indexer.pipeline import run
from searchhub.models import Query

HTML = "text/html; charset=utf-8"


def page(title: str, text: str, head: str = "", links=()) -> bytes:
    anchors = "".join(f'<a href="{href}">{href}</a> ' for href in links)
    return (f"<!doctype html><html lang='en'><head><title>{title}</title>{head}</head>"
            f"<body><article><h1>{title}</h1><p>{text}</p><p>{anchors}</p></article>"
            "</body></html>").encode()


# -- what a page says --------------------------------------------------------------

@pytest.mark.parametrize(("head", "header", "expected"), [
    ('<meta name="robots" content="noindex, follow">', "", {NOINDEX}),
    ("<META NAME=ROBOTS CONTENT='NOFOLLOW'>", "", {NOFOLLOW}),
    ('<meta name="robots" content="none">', "", {NOINDEX, NOFOLLOW}),
    ('<meta name="searchhub" content="noindex">', "", {NOINDEX}),      # named after us
    ('<meta name="googlebot" content="noindex">', "", set()),          # another crawler
    ('<meta name="robots" content="index, follow, max-snippet:50">', "", set()),
    ("", "noindex", {NOINDEX}),
    ("", "unavailable_after: 25 Jun 2030 15:00:00 GMT, nofollow", {NOFOLLOW}),
    ("", "googlebot: noindex\nnofollow", {NOFOLLOW}),
    ("", "searchhub: noindex, otherbot: nofollow", {NOINDEX}),
    ('<meta name="description" content="noindex">', "", set()),        # not a robots tag
])
def test_robots_directives_of_a_page(head, header, expected):
    data = page("A page", "Some text.", head)
    assert robots_directives(data, HTML, header, "searchhub/0.1 (+https://example.org)") \
        == expected


def test_a_meta_tag_named_after_the_crawler_the_operator_named():
    data = page("A page", "Text.", '<meta name="unnetbot" content="noindex">')
    assert robots_directives(data, HTML, "", "UNNetBot/2.0 (+https://example.org)") \
        == {NOINDEX}
    assert robots_directives(data, HTML, "", "searchhub") == frozenset()


def test_a_pdf_says_it_through_its_header_only():
    assert robots_directives(b"%PDF-1.4 <meta name=robots content=noindex>",
                             "application/pdf", "") == frozenset()
    assert robots_directives(b"%PDF-1.4", "application/pdf", "noindex") == {NOINDEX}


def test_links_are_read_against_the_base_href_and_a_refresh_is_a_link():
    data = page("Moved", "This page has moved.",
                '<base href="/library/2024/">'
                '<meta http-equiv="refresh" content="0; URL=\'/new/home.html\'">'
                '<link rel="canonical" href="moved.html">',
                links=["report.html", "../2023/old.html", "/top.html", "https://x.org/y"])
    links, canonical = extract_links(data, "https://p.org/pages/moved.html")
    assert links == ["https://p.org/library/2024/report.html",
                     "https://p.org/library/2023/old.html", "https://p.org/top.html",
                     "https://x.org/y", "https://p.org/new/home.html"]
    assert canonical == "https://p.org/library/2024/moved.html"
    # The outgoing links stored with a document (the platforms' interlinkages) too.
    assert outlinks(data, "html", "https://p.org/pages/moved.html")[0] \
        == "https://p.org/library/2024/report.html"


def test_a_pages_other_languages_and_next_page_named_in_its_head_are_followed():
    data = page("Publications", "Page 1 of the list.",
                '<link rel="alternate" hreflang="fr" href="/fr/publications/">'
                '<link rel="next" href="?page=2">'
                '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
                '<link rel="stylesheet" href="/site.css">')
    assert extract_links(data, "https://p.org/en/publications/")[0] == [
        "https://p.org/fr/publications/", "https://p.org/en/publications/?page=2"]


def test_a_base_href_of_another_scheme_is_ignored():
    data = page("P", "Text.", '<base href="javascript:alert(1)//">', links=["a.html"])
    assert extract_links(data, "https://p.org/pages/p.html")[0] == ["https://p.org/pages/a.html"]


# -- a crawl ---------------------------------------------------------------------

def _publish(p: Platform, tmp_path, *, hidden_says="noindex", a_says="") -> None:
    p.routes["/robots.txt"] = Static(b"User-agent: *\nCrawl-delay: 0.01\n", "text/plain",
                                     validators=False)
    p.routes["/pages/"] = Static(page("Publications", LOREM_EN * 2, links=[
        "a.html", "hidden.html", "closed.html", "base.html", "moved.html",
        "/docs/header.pdf"]))
    a_head = f'<meta name="robots" content="{a_says}">' if a_says else ""
    p.routes["/pages/a.html"] = Static(page(
        "Seasonal workers", "Seasonal agricultural workers from Guatemala in Canada. " * 8,
        a_head))
    # Not a document, but its links lead on.
    p.routes["/pages/hidden.html"] = Static(page(
        "Search results", "Results of a search on this site. " * 8,
        f'<meta name="robots" content="{hidden_says}">', links=["deep.html"]))
    p.routes["/pages/deep.html"] = Static(page(
        "Diaspora bonds", "Diaspora bonds finance infrastructure in Ethiopia. " * 8))
    # A document whose links are not followed.
    p.routes["/pages/closed.html"] = Static(page(
        "Calendar", "The events calendar of migration dialogues in Asia. " * 8,
        '<meta name="robots" content="index, nofollow">', links=["unreached.html"]))
    p.routes["/pages/unreached.html"] = Static(page("Unreached", "Never asked. " * 20))
    # Relative links read against the base href: /docs/guide.html, not /pages/guide.html.
    p.routes["/pages/base.html"] = Static(page(
        "Guides", "Guides for consular staff on assistance to nationals abroad. " * 8,
        '<base href="/docs/">', links=["guide.html"]))
    p.routes["/docs/guide.html"] = Static(page(
        "Consular guide", "Consular protection of migrant workers in distress. " * 8))
    p.routes["/pages/moved.html"] = Static(page(
        "Moved", "This page has moved to its new address. " * 6,
        '<meta http-equiv="refresh" content="0;url=/pages/new.html">'))
    p.routes["/pages/new.html"] = Static(page(
        "Remittances", "Remittance costs in the Pacific fell by a third. " * 8))
    pdf = tmp_path / "header.pdf"          # made once: the same bytes run after run
    if not pdf.exists():
        make_pdf(pdf, ["Draft for internal review. " * 20], title="Internal draft")
    p.routes["/docs/header.pdf"] = Static(pdf.read_bytes(), "application/pdf",
                                          headers={"X-Robots-Tag": "noindex"})


def _source(tmp_path, p: Platform):
    return web_sources(tmp_path, "crawl", id="crawler", name="Partner site", agency="ILO",
                       urls=[f"{p.base}/pages/"], max_depth=3,
                       prefixes=[f"{p.base}/pages/", f"{p.base}/docs/"])


def test_a_crawl_follows_the_platforms_robots_directives(tmp_path, engine, crawl_options,
                                                         platform):
    p = platform
    _publish(p, tmp_path)
    sources = _source(tmp_path, p)
    events = []
    first = run(engine, sources, crawl_options, on_event=events.append)
    assert first.sources[0].failures == []
    # Added: the index, a, closed, base, guide, moved, new and deep; not hidden.html
    # nor header.pdf, counted apart (not failures).
    assert counts(first) == {"added": 8, "noindex": 2}
    assert {e["url"].rsplit("/", 1)[1] for e in events if e["event"] == "noindex"} \
        == {"hidden.html", "header.pdf"}
    assert p.hits("/pages/unreached.html") == []           # behind a nofollow page
    assert p.hits("/pages/guide.html") == []               # the base href was read
    assert len(p.hits("/pages/deep.html")) == 1            # behind a noindex page
    assert "hidden.html" not in found(engine, "results search site")
    assert found(engine, "internal draft review") == set()
    assert found(engine, "diaspora bonds Ethiopia") == {"deep.html"}
    assert found(engine, "consular protection") == {"guide.html"}
    assert found(engine, "remittance costs Pacific") == {"new.html"}
    assert "a.html" in found(engine, "seasonal Guatemala")

    # The platform changes its mind: the search page may be indexed now, and a.html
    # may not (it leaves the index at once; it is not a failure).
    _publish(p, tmp_path, hidden_says="index, follow", a_says="noindex, nofollow")
    second = run(engine, sources, crawl_options)
    assert second.sources[0].failures == []
    assert counts(second) == {"added": 1, "removed": 1, "noindex": 1, "unchanged": 7}
    assert "hidden.html" in found(engine, "results search site")
    assert "a.html" not in found(engine, "seasonal Guatemala")
    # Still a noindex PDF: asked conditionally (its validators were kept), left out.
    assert [h.status for h in p.hits("/docs/header.pdf")] == [200, 304]


# -- the scope of a crawl ------------------------------------------------------------

def test_a_crawl_goes_on_where_its_start_page_moved(tmp_path, engine, crawl_options,
                                                   platform):
    # The source names the platform's old address (another host name for it here:
    # "localhost"); the start page redirects to its new one (127.0.0.1), whose pages link
    # to each other there. Without the scope following the move, the crawl would stop at
    # the first page.
    p = platform
    _publish(p, tmp_path)
    port = p.server.server_address[1]
    p.routes["/old/"] = Status(301, {"Location": f"{p.base}/pages/"}, b"")
    other = f"http://localhost:{port}"
    sources = web_sources(tmp_path, "crawl", id="crawler", name="Partner site", agency="ILO",
                          urls=[f"{other}/old/"], max_depth=3,
                          prefixes=[f"{other}/old/", f"{other}/pages/", f"{other}/docs/"])
    report = run(engine, sources, crawl_options)
    assert report.sources[0].failures == []
    assert counts(report) == {"added": 8, "noindex": 2}
    assert found(engine, "consular protection") == {"guide.html"}


def test_the_scope_ignores_the_scheme_and_www():
    source = Source("s", "S", "IOM", "crawl", {
        "urls": ["https://www.iom.int/en/"], "prefixes": ["https://www.iom.int/en/"]})
    scope = _Scope(source)
    assert scope.follows("http://iom.int/en/news")
    assert scope.follows("https://www.iom.int/en/")
    assert not scope.follows("https://www.iom.int/fr/")
    assert not scope.follows("https://publications.iom.int/en/")
    scope.moved("https://www.iom.int/en/", "https://publications.iom.int/en/home")
    assert scope.follows("https://publications.iom.int/en/books")
    assert not scope.follows("https://publications.iom.int/fr/")


def test_pages_in_legacy_charsets_are_indexed_as_written(tmp_path, engine, crawl_options,
                                                         platform):
    # The charset in the HTTP header only (Windows-1251), in the page only (GBK).
    p = platform
    p.routes["/robots.txt"] = Static(b"User-agent: *\n", "text/plain", validators=False)
    russian = "Беженцы из приграничных районов получают временное жильё и питание. " * 8
    chinese = "国际移民组织为境内流离失所者提供住房和医疗援助。" * 8
    p.routes["/pages/"] = Static(page("Index", LOREM_EN, links=["ru.html", "zh.html"]))
    p.routes["/pages/ru.html"] = Static(page("Беженцы", russian).decode().encode("cp1251"),
                                        "text/html; charset=windows-1251")
    p.routes["/pages/zh.html"] = Static(
        page("援助", chinese, '<meta charset="gbk">').decode().encode("gbk"), "text/html")
    sources = _source(tmp_path, p)
    report = run(engine, sources, crawl_options)
    assert counts(report) == {"added": 3}
    assert found(engine, "беженцы жильё") == {"ru.html"}
    assert found(engine, "流离失所者") == {"zh.html"}
    assert engine.get(next(iter(engine.search(Query("беженцы")).hits)).document.id).language \
        == "ru"


def test_links_with_spaces_and_letters_beyond_ascii_are_one_address_each(tmp_path, engine,
                                                                       crawl_options,
                                                                       platform):
    # Pages link to a PDF by its name with spaces, raw in one place and percent-encoded in
    # another, and to an Arabic page by its Arabic address, from a page whose charset
    # only the HTTP header gives: each is fetched once, and indexed once.
    p = platform
    p.routes["/robots.txt"] = Static(b"User-agent: *\n", "text/plain", validators=False)
    pdf = make_pdf(tmp_path / "annual.pdf", ["Annual report on labour migration. " * 30],
                   title="Annual report 2023")
    p.routes["/docs/Annual%20Report%202023.pdf"] = Static(pdf.read_bytes(), "application/pdf")
    arabic = "/pages/%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9"          # /pages/الهجرة
    p.routes[arabic] = Static(page(
        "الهجرة", "تقدم المنظمة الدولية للهجرة المساعدة للمهاجرين في المناطق الحدودية. " * 8
    ).decode().encode("cp1256"), "text/html; charset=windows-1256")
    p.routes["/pages/"] = Static(page("Index", LOREM_EN, links=[
        "/docs/Annual Report 2023.pdf", "الهجرة", "other.html"]).decode().encode("cp1256"),
        "text/html; charset=windows-1256")
    p.routes["/pages/other.html"] = Static(page("Other", LOREM_EN * 2, links=[
        "/docs/Annual%20Report%202023.pdf"]))
    report = run(engine, _source(tmp_path, p), crawl_options)
    assert report.sources[0].failures == []
    assert counts(report) == {"added": 4}
    assert len(p.hits("/docs/Annual%20Report%202023.pdf")) == 1
    assert len(p.hits(arabic)) == 1
    hit = next(h.document for h in engine.search(Query("للمهاجرين")).hits
               if h.document.url.endswith(arabic))
    assert "للمهاجرين" in engine.get(hit.id).text and hit.language == "ar"
    assert "Annual%20Report%202023.pdf" in found(engine, "annual report labour migration")
