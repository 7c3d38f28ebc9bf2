"""Experts on this topic: beside the search results and in the search API, matched
through the hits, each with its reason; and the experts of a document on its page."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest

from searchhub.experts.matching import experts_for, match
from searchhub.experts.model import Profile
from searchhub.models import Document


@pytest.fixture
def client(demo_app):
    return demo_app.test_client()


def search(client, q: str) -> dict:
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200
    return response.get_json()


def test_the_search_api_names_the_authors_of_the_hits_with_their_reason(client):
    answer = search(client, "recruitment fees")
    karim = answer["experts"][0]
    assert karim["id"] == "example-karim-haddad"
    assert karim["name"] == "Karim Haddad (example)"
    assert karim["organisation"] == "ILO Regional Office for Arab States"
    hits = {h["id"] for h in answer["hits"]}
    mine = {"demo-ilo-domestic-workers-lebanon-2021.html",
            "demo-ilo-recruitment-fees-nepal-qatar-2018.pdf",
            "demo-ilo-recruitment-fees-definition-2019.html"}
    assert karim["reason"] == f"author of {len(hits & mine)} of these results"
    assert len(hits & mine) >= 2
    assert 1 <= len(answer["experts"]) <= 3
    assert all(set(e) >= {"id", "name", "organisation", "reason"} for e in answer["experts"])


def test_the_search_page_shows_experts_on_this_topic_beside_the_results(client):
    tree = lxml.html.fromstring(client.get("/search?q=recruitment+fees").get_data(
        as_text=True))
    box = tree.xpath("//aside[contains(@class, 'experts-beside')]")
    assert len(box) == 1
    assert box[0].xpath("string(.//h2)") == "Experts on this topic"
    first = box[0].xpath(".//li")[0]
    assert first.get("data-id") == "example-karim-haddad"
    assert first.xpath("string(.//a/@href)") == "/experts/example-karim-haddad"
    assert "Author of" in first.xpath("string(.//span[@class='reason'])")
    empty = lxml.html.fromstring(client.get("/search?q=zzyzxqwv").get_data(as_text=True))
    assert not empty.xpath("//aside[contains(@class, 'experts-beside')]")


def test_members_only_experts_are_matched_only_for_logged_in_people(client, browser,
                                                                     log_in):
    q = "international migrant stock highlights"
    assert "example-jonas-berg" not in [e["id"] for e in search(client, q)["experts"]]
    log_in(browser, "mo")
    answer = browser.client.get("/api/search", query_string={"q": q}).get_json()
    assert "example-jonas-berg" in [e["id"] for e in answer["experts"]]


def test_a_document_page_names_its_experts(client):
    tree = lxml.html.fromstring(client.get(
        "/doc/demo-ilo-recruitment-fees-nepal-qatar-2018.pdf").get_data(as_text=True))
    assert tree.xpath("//section[@class='document-experts']//li/@data-id") == [
        "example-karim-haddad"]
    other = lxml.html.fromstring(client.get(
        "/doc/demo-unhcr-asylum-borders-greece-hungary-2016.html").get_data(as_text=True))
    assert not other.xpath("//section[@class='document-experts']")


def doc(doc_id: str, **fields) -> Document:
    return Document(id=doc_id, title=doc_id, url="", source_id="s", agency="IOM",
                    pages=["text"], date=dt.date(2020, 1, 1), **fields)


def test_the_reason_names_the_objective_and_region_the_hits_share_with_the_expert():
    awa = Profile("awa", "Awa", gcm_objectives=[21, 7], themes=["Return and reintegration"],
                  regions=["West and Central Africa"], countries=["Senegal"])
    other = Profile("zed", "Zed", themes=["Gender"], regions=["Global"])
    hits = [doc("a", gcm_objectives=[21], regions=["West and Central Africa"]),
            doc("b", gcm_objectives=[21, 7], regions=["West and Central Africa"],
                countries=["Senegal"]),
            doc("c", themes=["Health"], regions=["Global"])]
    found = experts_for(hits, [other, awa])
    assert [(m.profile.key, m.reason) for m in found] == [
        ("awa", "works on objective 21 in West and Central Africa")]
    # a place alone is no reason
    assert match(other, hits) is None
    themed = match(Profile("t", "T", themes=["Return and reintegration"]),
                   [doc("d", themes=["Return and reintegration"])])
    assert themed.reason == "works on return and reintegration"


def test_a_confirmed_author_in_the_metadata_outranks_expertise():
    author = Profile("fatou", "Fatou Sow", author_keys=["fatou sow"])
    expert = Profile("e", "E", gcm_objectives=[1, 2, 3])
    hits = [doc("x", author="Ann Other;  FATOU  Sów", gcm_objectives=[1, 2, 3]),
            doc("y", author="Someone Else")]
    found = experts_for(hits, [expert, author])
    assert [(m.profile.key, m.reason) for m in found] == [
        ("fatou", "author of 1 of these results"), ("e", "works on objective 1")]
    assert experts_for([], [author]) == []
    # an author who merely bears the name is not matched before a curator confirms it
    assert experts_for(hits[:1], [Profile("f", "Fatou Sow")]) == []
    assert len(experts_for(hits, [Profile(f"p{i}", f"P{i}", gcm_objectives=[1])
                                  for i in range(5)])) == 3
