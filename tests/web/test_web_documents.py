"""The document page: metadata, text preview, source link; unknown ids and odd ids."""

from __future__ import annotations

import dataclasses

import pytest
from demo_corpus import DEMO_BY_AGENCY
from flask import url_for
from lxml import html

AVRR = "demo-iom-avrr-west-africa-2019.pdf"


def test_document_page_shows_metadata_preview_and_source(get_page, api):
    doc = api(f"/api/doc/{AVRR}")
    page = get_page(f"/doc/{AVRR}")
    assert page.texts("//h1") == [doc["title"]]
    metadata = dict(zip(page.texts("//dl[@class='metadata']/dt"),
                        page.texts("//dl[@class='metadata']/dd"), strict=True))
    assert metadata["Agency"] == "IOM"
    assert metadata["Date"] == "June 12, 2019"      # in the interface's language
    assert page.xpath("//dl[@class='metadata']//time/@datetime") == ["2019-06-12"]
    assert metadata["Type"] == "Report"
    assert metadata["Language"] == "English"
    assert "West and Central Africa" in metadata["Regions"]
    assert "21. Return, readmission and reintegration" in metadata["GCM objectives"]
    # A demo folder has no public_url: no link to the server's file, and the API's
    # link is this page.
    assert page.xpath("//dd/a[@rel='noopener']/@href") == []
    assert metadata["Source"].startswith("not published online")
    assert doc["url"] == f"http://localhost/doc/{AVRR}"
    assert page.texts("//section[@class='preview']/h3")[0] == "Page 1"
    preview = page.texts("//div[@class='pagetext']")
    assert "return and reintegration are two different processes" in " ".join(preview)


def test_document_metadata_links_search_that_facet(get_page):
    page = get_page(f"/doc/{AVRR}")
    results = get_page(page.href("//dt[text()='Agency']/following-sibling::dd[1]/a"))
    assert all(i.startswith("demo-iom-") for i in results.hit_ids)
    assert len(results.hit_ids) == min(DEMO_BY_AGENCY["IOM"], 10)     # one page


def test_hit_title_links_to_its_document_page(get_page):
    page = get_page("/search?q=rohingya")
    doc = get_page(page.href("(//li[contains(@class, 'hit')])[1]//h3/a"))
    assert "Rohingya" in doc.texts("//h1")[0]


def test_unknown_document_is_a_404_page_with_a_message(client):
    response = client.get("/doc/demo-iom-no-such-report.pdf")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "There is no document" in body and "demo-iom-no-such-report.pdf" in body
    assert 'href="/search"' in body


@pytest.mark.parametrize("doc_id", ["tiny-annual report 2020.pdf", "tiny-100% done.html",
                                    "tiny-a%20b (draft),v2+final.txt"])
def test_ids_with_spaces_and_percent_signs_round_trip(make_app, make_doc, doc_id):
    app = make_app([make_doc(doc_id, "Odd identifiers", "remittances corridor study")])
    client = app.test_client()
    with app.test_request_context():
        page_url = url_for("documents.document", doc_id=doc_id)
        api_url = url_for("api.document", doc_id=doc_id)
    assert " " not in page_url
    response = client.get(page_url)
    assert response.status_code == 200
    assert "Odd identifiers" in response.get_data(as_text=True)
    assert client.get(api_url).get_json()["id"] == doc_id
    search = client.get("/search?q=remittances").get_data(as_text=True)
    assert f'href="{page_url}"' in search


def test_a_document_in_two_languages_names_both_and_links_each(make_app, make_doc):
    app = make_app([make_doc("tiny-both.html", "Rapport bilingue", "asile et asylum",
                             language="fr", languages=["fr", "en"]),
                    make_doc("tiny-en.html", "English note", "asylum")])
    client = app.test_client()
    page = html.fromstring(client.get("/doc/tiny-both.html?lang=fr").get_data(as_text=True))
    dd = page.xpath("//dt[text()='Langue']/following-sibling::dd[1]")[0]
    assert dd.text_content() == "français, anglais"
    english = dd.xpath("a")[1].get("href")
    found = html.fromstring(client.get(english).get_data(as_text=True))
    hit = found.xpath("//li[contains(@class, 'hit')][.//a[contains(@href, 'tiny-both')]]")[0]
    assert hit.xpath(".//span[@class='language']")[0].text == "français, anglais"
    ids = {href.rsplit("/", 1)[-1] for href in
           found.xpath("//li[contains(@class, 'hit')]//h3/a/@href")}
    assert ids == {"tiny-both.html", "tiny-en.html"}
    assert client.get("/api/doc/tiny-both.html").get_json()["languages"] == ["fr", "en"]


def test_each_piece_of_a_bilingual_document_carries_its_own_language(make_app, make_doc):
    french = ("Le rapport décrit l'accueil des demandeurs d'asile dans les villes et "
              "les besoins de ceux qui arrivent.")
    english = ("The report describes how asylum seekers are received in the cities and "
               "what those who arrive need.")
    doc = dataclasses.replace(
        make_doc("tiny-bi.pdf", "Accueil des demandeurs d'asile", "", language="fr",
                 languages=["fr", "en"], format="pdf"), pages=[french, english])
    client = make_app([doc]).test_client()
    page = html.fromstring(client.get("/doc/tiny-bi.pdf").get_data(as_text=True))
    assert page.xpath("//h1/@lang") == ["fr"]
    assert page.xpath("//div[@class='pagetext']/@lang") == ["fr", "en"]
    results = html.fromstring(client.get("/search?q=seekers+received").get_data(as_text=True))
    assert results.xpath("//p[@class='snippet']/@lang") == ["en"]
    results = html.fromstring(client.get("/search?q=accueil+villes").get_data(as_text=True))
    assert results.xpath("//p[@class='snippet']/@lang") == ["fr"]
