"""Whatever people type or craft, the answer is never a 500, and never injected markup."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from demo_corpus import last_page_hits, page_count

BAD_PARAMS = [
    "q=%22unbalanced+quote", "q=(migration+AND+(return", "q=migration)))", "q=AND",
    "q=OR+NOT", "q=NOT", "q=-", "q=*", "q=%3F", "q=title:", "q=:", "q=year:[2019+TO",
    "q=foo:bar+baz:qux", "q=agency:", "q=%5B%5D%7B%7D%5E~", "q=" + "migration+" * 1250,
    "q=" + "x" * 10_000, "q=a%00b", "agency=IOM%00", "q=%00", "agency=NOPE&region=Atlantis",
    "gcm=999&year=abc", "page=999999", "page=-1", "page=0", "page_size=100000",
    "page_size=0", "page_size=-5", "sort=sideways", "q=%E2%80%AE%F0%9F%98%80",
    "q=%ff%fe", "unknown=field&q=migration", "q=migration&page=2&page_size=100",
    "q=NOT+NOT+x", "q=NOT+AND", "q=NOT+OR", "q=x+NOT+NOT", "q=AND+NOT+OR+NOT",
    "gcm=%C2%B3", "gcm=%E2%91%A0", "gcm=" + "9" * 400, "year=%C2%B3",
    "year_from=abc", "year_to=20x9", "year_from=2020&year_to=2010", "year_from=-5",
    "year_to=" + "9" * 5000, "year_from=%C2%B3%C2%B3%C2%B3%C2%B3", "year_from=2019.5",
    "year_from=0&year_to=0", "year_from=%00", "year_from=2018&year_from=abc",
    "year_from=2999&year=abc", "year_to=1000&q=migration",
]


@pytest.mark.parametrize("params", BAD_PARAMS, ids=lambda p: p[:40])
def test_bad_search_inputs_never_fail(client, params):
    page = client.get(f"/search?{params}")
    assert page.status_code == 200, params
    assert page.mimetype == "text/html"
    api = client.get(f"/api/search?{params}")
    assert api.status_code == 200, params
    assert isinstance(api.get_json()["hits"], list)


@pytest.mark.parametrize("params, notice", [
    ("page=999999", "There is no page 999999"), ("page=-1", "Pages start at 1"),
    ("page_size=100000", "page_size must be between 1 and 100"),
    ("sort=sideways", "Unknown sort"), ("q=foo:bar", "Unknown field foo"),
    ("year_from=abc", "year_from must be a year such as 2018, not 'abc'"),
    ("year_to=99999", "year_to must be a year from 1000 to 2999"),
    ("year_from=" + "9" * 5000, "year_from must be a year from 1000 to 2999"),
    ("year_from=2020&year_to=2010", "given the wrong way round; showing 2010 to 2020"),
])
def test_adjusted_inputs_are_explained(client, api, params, notice):
    assert any(notice in n for n in api(f"/api/search?{params}")["notices"])
    assert notice in client.get(f"/search?{params}").get_data(as_text=True).replace(
        "&#39;", "'")


def test_years_the_wrong_way_round_are_swapped_and_bad_ones_ignored(api):
    swapped = api("/api/search?year_from=2020&year_to=2010")
    assert swapped["total"] == api("/api/search?year_from=2010&year_to=2020")["total"]
    assert (swapped["query"]["year_from"], swapped["query"]["year_to"]) == (2010, 2020)
    ignored = api("/api/search?year_from=abc&year_to=99999")
    assert ignored["total"] == api("/api/search")["total"]
    assert ignored["query"]["year_from"] is None and ignored["query"]["year_to"] is None


def test_page_past_the_end_shows_the_last_page(api):
    data = api("/api/search?page=999999")
    assert data["page"] == page_count(10) and len(data["hits"]) == last_page_hits(10)


def test_unreadable_page_number_is_a_400_page(client):
    response = client.get("/search?page=abc")
    assert response.status_code == 400
    assert "page must be a whole number" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/doc/%00", "/doc/a%00b", "/doc/" + "x" * 5000,
                                  "/doc/..%2F..%2Fetc%2Fpasswd", "/api/doc/%00"])
def test_odd_document_paths_are_404(client, path):
    assert client.get(path).status_code == 404


def test_query_text_is_escaped_where_it_is_shown(client):
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    body = client.get(f"/search?q={quote(evil)}&agency={quote(evil)}").get_data(as_text=True)
    # (the page's own scripts are /static/flag.js and search.js; no inline or injected script)
    assert "<script>" not in body and "<img" not in body
    assert body.count("<script") == sum(body.count(f'<script src="/static/{name}" defer></script>')
                                        for name in ("flag.js", "search.js"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.fixture
def markup_app(make_app, make_doc):
    return make_app([
        make_doc("tiny-script", "<script>alert('title')</script> Remittance corridors",
                 "Remittance costs in corridors. <script>alert('body')</script> "
                 "Costs fell in every corridor.", description="<b>bold</b> claims",
                 author="<i>someone</i>", url="https://example.org/x?a=1&b=<2>",
                 regions=["<em>Region</em>"], themes=["<u>Theme</u>"]),
        make_doc("tiny-mark", "A <mark>fake highlight</mark> in remittance titles",
                 "Remittance text with </mark> stray tags and <mark>marks</mark>."),
    ])


def test_markup_in_documents_is_shown_as_text(markup_app):
    client = markup_app.test_client()
    for url in ("/search?q=remittance", "/search?q=script", "/search", "/doc/tiny-script",
                "/doc/tiny-mark", "/search?region=%3Cem%3ERegion%3C%2Fem%3E"):
        body = client.get(url).get_data(as_text=True)
        for name in ("flag.js", "search.js"):          # the page's own scripts
            body = body.replace(f'<script src="/static/{name}" defer></script>', "")
        assert "<script" not in body, url
        for tag in ("<b>", "<i>", "<em>", "<u>", "<mark>fake", "</mark> stray"):
            assert tag not in body, (url, tag)
    results = client.get("/search?q=remittance").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Remittance corridors" in results
    assert "A &lt;mark&gt;fake highlight&lt;/mark&gt; in remittance titles" in results
    assert "<mark>Remittance</mark>" in results  # real highlights still work
    doc = client.get("/doc/tiny-script").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;" in doc
    assert "&lt;b&gt;bold&lt;/b&gt; claims" in doc
    api = client.get("/api/search?q=remittance").get_json()
    titles = {h["id"]: h["title"] for h in api["hits"]}
    assert titles["tiny-script"].startswith("<script>")  # JSON carries the raw text
    assert all("<script" not in h["snippet"] for h in api["hits"])


def test_security_headers_on_every_kind_of_response(client):
    for url in ("/", "/search?q=migration", "/api/search", "/doc/nope", "/api/doc/nope",
                "/static/style.css", "/search?page=abc"):
        response = client.get(url)
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, url
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        response.close()


def test_unsafe_or_missing_source_urls_are_not_links(make_app, make_doc):
    app = make_app([
        make_doc("tiny-js", "Remittance scheme one", "remittance", url="javascript:alert(1)"),
        make_doc("tiny-data", "Remittance scheme two", "remittance",
                 url="data:text/html,<script>alert(1)</script>"),
        make_doc("tiny-none", "Remittance scheme three", "remittance", url="", agency="",
                 language="und", type="", format="", date=None),
    ])
    client = app.test_client()
    results = client.get("/search?q=remittance").get_data(as_text=True)
    assert results.count('class="hit"') == 3
    assert "javascript:" not in results and 'href="data:' not in results
    assert 'href=""' not in results
    assert '<p class="meta"></p>' in results  # no stray separators, no "und"
    for doc_id in ("tiny-js", "tiny-data", "tiny-none"):
        page = client.get(f"/doc/{doc_id}").get_data(as_text=True)
        assert 'href="javascript:' not in page and 'href="data:' not in page
        assert 'href=""' not in page
    assert "?agency=" not in client.get("/doc/tiny-none").get_data(as_text=True)


def test_a_huge_query_is_shortened_where_it_is_shown(get_page):
    page = get_page("/search?q=" + "x" * 10_000)
    assert page.xpath("//input[@name='q']/@value") == ["x" * 10_000]
    shown = page.texts("//title") + page.texts("//div[@class='nothing']/h2")
    assert shown and all(len(text) < 300 for text in shown), [len(t) for t in shown]
