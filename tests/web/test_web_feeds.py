"""A search as an Atom feed, as CSV, RIS and BibTeX files, and the OpenSearch
description, each read back by a reader of its standard."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import bibtexparser
import feedparser
import rispy


def test_atom_feed_of_a_search_holds_its_hits_newest_first(client, api):
    expected = api("/api/search?q=migrants&agency=IOM&sort=newest&page_size=50")
    response = client.get("/search.atom?q=migrants&agency=IOM")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert "migrants" in feed.feed.title
    ids = [entry.id.rsplit("/doc/", 1)[1] for entry in feed.entries]
    assert ids == [hit["id"] for hit in expected["hits"]]
    first, hit = feed.entries[0], expected["hits"][0]
    assert first.link.endswith("/doc/" + ids[0])
    assert first.title == hit["title"] and first.summary
    # A link to the source only where it is on the web (the demo's folders have no
    # public_url: their link is the document page).
    related = [link.href for link in first.links if link.rel == "related"]
    assert related == ([] if hit["url"].endswith("/doc/" + ids[0]) else [hit["url"]])


def test_feed_keeps_filters_and_escapes_what_it_holds(make_app):
    from searchhub.models import Document

    hostile = Document(id="x1", title="<script>alert(1)</script> & \x07 Co", pages=[
        "Irregular migration across the Sahel " * 20], url="https://example.org/x1",
        source_id="t", agency="IOM", language="en", format="html", type="Report",
        date=dt.date(2022, 3, 1), content_hash="h", description="A & B <b>bold</b>")
    client = make_app([hostile]).test_client()
    feed = feedparser.parse(client.get("/search.atom?q=Sahel").get_data())
    assert not feed.bozo
    assert [link.href for link in feed.entries[0].links if link.rel == "related"] == [
        "https://example.org/x1"]
    assert feed.entries[0].title == "<script>alert(1)</script> &  Co"
    assert feed.entries[0].published.startswith("2022-03-01")


def test_csv_export_lists_every_hit_with_its_metadata(client, api):
    expected = api("/api/search?agency=UNHCR&page_size=100")
    response = client.get("/search.csv?agency=UNHCR")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["id"] for r in rows] == [h["id"] for h in expected["hits"]]
    assert {r["agency"] for r in rows} == {"UNHCR"}
    assert all(r["page"].endswith("/doc/" + r["id"]) for r in rows)


def test_csv_cells_are_never_formulas(make_app, make_doc):
    client = make_app([make_doc("f1", "=HYPERLINK(\"http://evil\")", "Labour migration " * 30,
                                author="@attacker")]).test_client()
    row = next(csv.DictReader(io.StringIO(client.get("/search.csv").get_data(as_text=True))))
    assert row["title"].startswith("'=") and row["author"] == "'@attacker"


def test_ris_export_is_read_by_a_ris_reader(client, api):
    expected = api("/api/search?q=trafficking&page_size=100")
    records = rispy.loads(client.get("/search.ris?q=trafficking").get_data(as_text=True))
    assert [r["id"] for r in records] == [h["id"] for h in expected["hits"]]
    by_id = {h["id"]: h for h in expected["hits"]}
    for record in records:
        hit = by_id[record["id"]]
        assert record["title"] == hit["title"]
        assert record["publisher"] == hit["agency"]
        if hit["date"]:
            assert record["year"] == hit["date"][:4]
        assert record["keywords"] == hit["themes"] or not hit["themes"]


def test_bibtex_export_is_read_by_a_bibtex_reader(client, api):
    expected = api("/api/search?q=climate&page_size=100")
    library = bibtexparser.parse_string(client.get("/search.bib?q=climate").get_data(
        as_text=True))
    assert not library.failed_blocks
    assert len(library.entries) == len(expected["hits"])
    assert len({e.key for e in library.entries}) == len(library.entries)
    titles = {e.fields_dict["title"].value for e in library.entries}
    assert titles == {h["title"].replace("&", r"\&").replace("%", r"\%")
                      for h in expected["hits"]}


def test_bibtex_escapes_special_characters(make_app, make_doc):
    client = make_app([make_doc("b1", "Fees {100%} & costs_of #migration $",
                                "Recruitment fees " * 30)]).test_client()
    library = bibtexparser.parse_string(client.get("/search.bib").get_data(as_text=True))
    assert not library.failed_blocks
    assert library.entries[0].fields_dict["title"].value == (
        r"Fees \{100\%\} \& costs\_of \#migration \$")


def test_opensearch_description_is_linked_from_every_page(client, get_page):
    page = get_page("/")
    href = page.href("//link[@rel='search']")
    assert page.xpath("//link[@rel='search']/@type") == ["application/opensearchdescription+xml"]
    body = client.get(href.replace("http://localhost", ""))
    root = ET.fromstring(body.get_data())
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    templates = {u.get("type"): u.get("template") for u in root.findall("os:Url", ns)}
    assert templates["text/html"].endswith("/search?q={searchTerms}")
    assert templates["application/atom+xml"].endswith("/search.atom?q={searchTerms}")
    assert root.find("os:ShortName", ns).text == "searchhub"


def test_search_page_links_its_feed_and_exports(get_page):
    page = get_page("/search?q=migrants&agency=IOM&page=2&page_size=3")
    links = dict(zip(page.texts("//p[@class='exports']/a"),
                     page.xpath("//p[@class='exports']/a/@href"), strict=True))
    assert set(links) == {"Atom feed", "CSV", "RIS", "BibTeX"}
    assert all("q=migrants" in href and "agency=IOM" in href and "page=" not in href
               for href in links.values())
    assert page.xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href") == [
        links["Atom feed"]]
