"""Curators add a hit to a collection straight from the results list (CSRF and all);
visitors see no such form."""

from __future__ import annotations

from searchhub.collections import store


def test_a_curator_adds_a_hit_to_a_collection_from_the_results(browser, db, curator):
    store.create(db, "cora", "Asylum", slug="asylum")
    store.create(db, "cora", "Labour", slug="labour")
    browser.login()
    browser.get("/search?q=asylum")
    hits = [li.get("data-id") for li in browser.xpath("//li[contains(@class, 'hit')]")]
    assert len(hits) >= 2
    forms = browser.xpath("//li[contains(@class, 'hit')]//details[contains(@class, "
                          "'add-to-collection')]//form")
    assert len(forms) == len(hits)
    # each hit's form has fields of its own (labels point at one hit's fields only)
    ids = browser.xpath("//li[contains(@class, 'hit')]//form//select/@id")
    assert len(set(ids)) == len(ids)

    second = hits[1]
    done = browser.submit(f"//li[@data-id='{second}']//details[contains(@class, "
                          "'add-to-collection')]//form", slug="labour", note="From the list.",
                          status=302)
    browser.follow(done)
    assert "/search?q=asylum" in browser.url           # back to the results
    assert [(i.doc_id, i.note) for i in store.get(db, "labour").items] == [
        (second, "From the list.")]
    assert store.get(db, "asylum").items == []

    # without its CSRF token the same post is refused
    refused = browser.client.post("/collections/add", data={"slug": "asylum",
                                                            "doc_id": hits[0]})
    assert refused.status_code == 400
    assert store.get(db, "asylum").items == []


def test_visitors_see_no_collection_form_on_the_results(browser, db, curator):
    store.create(db, "cora", "Asylum", slug="asylum")
    browser.get("/search?q=asylum")
    assert browser.xpath("//li[contains(@class, 'hit')]")
    assert not browser.xpath("//details[contains(@class, 'add-to-collection')]")
