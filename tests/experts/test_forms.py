"""Curators create, edit and remove experts through the forms; visitors suggest one,
and a curator approves or rejects the suggestion. Through HTTP, CSRF tokens read from
the pages as a browser would."""

from __future__ import annotations

import lxml.html

from searchhub import database
from searchhub.experts import store

from .conftest import FormBrowser


def profile_of(experts_dir, key):
    conn = database.connect(experts_dir / "curation.sqlite")
    try:
        return store.get(conn, key)
    finally:
        conn.close()


def test_visitors_and_members_cannot_reach_the_curators_forms(browser, log_in,
                                                              experts_dir):
    for url in ("/experts/new", "/experts/example-awa-ndiaye/edit", "/experts/pending"):
        response = browser.client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    log_in(browser, "mo")
    browser.get("/experts/example-awa-ndiaye")
    token = browser.xpath("//input[@name='csrf_token']/@value")[0]
    response = browser.client.post("/experts/example-awa-ndiaye/remove",
                                   data={"confirm": "yes", "csrf_token": token})
    assert response.status_code == 403
    assert profile_of(experts_dir, "example-awa-ndiaye") is not None


def test_a_form_without_its_csrf_token_is_refused(browser, log_in):
    log_in(browser, "cora")
    response = browser.client.post("/experts/new", data={"key": "x", "name": "X"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_every_invalid_field_is_reported_at_once_and_nothing_typed_is_lost(
        browser, log_in, experts_dir):
    log_in(browser, "cora")
    browser.get("/experts/new")
    response = browser.submit("//form[contains(@class, 'expert-form')]", status=400,
                              key="Not A Key", name="Fatou Sow", title="Demographer",
                              bio="Works on census data.\nSecond line.",
                              countries="Senegal; Narnia", languages="fr; Klingon",
                              themes=["Migration data", "Gender"], gcm_objectives=["1"],
                              consent_date="", contact="anyone", email="")
    browser.page = lxml.html.fromstring(response.get_data(as_text=True))
    problems = browser.texts("//div[@id='problems']//li")
    assert len(problems) == 5, problems
    for words in ("Key", "Countries: unknown country 'Narnia'", "Languages spoken: unknown",
                  "Consent given on: required", "E-mail address"):
        assert any(words in p for p in problems), (words, problems)
    # everything typed is there again, the invalid fields marked
    assert browser.xpath("//input[@name='name']/@value") == ["Fatou Sow"]
    assert browser.xpath("//input[@name='countries']/@value") == ["Senegal; Narnia"]
    assert browser.xpath("//textarea[@name='bio']/text()") == ["Works on census data.\n"
                                                                "Second line."]
    assert sorted(browser.xpath("//input[@name='themes'][@checked]/@value")) == [
        "Gender", "Migration data"]
    assert browser.xpath("//input[@name='contact'][@checked]/@value") == ["anyone"]
    assert browser.xpath("//input[@name='countries']/@aria-invalid") == ["true"]
    # corrected, it is saved and shown
    response = browser.submit("//form[contains(@class, 'expert-form')]", key="fatou-sow",
                              countries="Senegal", languages="fr; English",
                              consent_date="2026-02-01", email="fatou@example.org",
                              visibility="public")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    browser.follow(response)
    assert browser.texts("//h1") == ["Fatou Sow"]
    fatou = profile_of(experts_dir, "fatou-sow")
    assert fatou.themes == ["Migration data", "Gender"] and fatou.languages == ["fr", "en"]
    assert fatou.gcm_objectives == [1] and fatou.email == "fatou@example.org"


def test_a_curator_edits_a_profile_and_its_key_stays(browser, log_in, experts_dir):
    log_in(browser, "cora")
    browser.get("/experts/example-mei-tanaka/edit")
    response = browser.submit("//form[contains(@class, 'expert-form')]",
                              key="hijacked", title="Senior climate mobility analyst")
    browser.follow(response)
    mei = profile_of(experts_dir, "example-mei-tanaka")
    assert mei.title == "Senior climate mobility analyst"
    assert mei.regions == ["Asia and the Pacific", "West and Central Africa"]   # kept
    assert mei.documents == ["demo-iom-climate-mobility-pacific-2022.pdf",
                             "demo-undp-climate-displacement-lake-chad-2025.html"]
    assert profile_of(experts_dir, "hijacked") is None


def test_a_removal_from_the_web_needs_confirming_and_leaves_no_trace(browser, log_in,
                                                                      experts_dir):
    log_in(browser, "cora")
    browser.get("/experts/example-lucia-herrera/edit")
    browser.follow(browser.submit("//form[contains(@class, 'remove-expert')]"))
    assert profile_of(experts_dir, "example-lucia-herrera") is not None
    browser.get("/experts/example-lucia-herrera/edit")
    browser.follow(browser.submit("//form[contains(@class, 'remove-expert')]",
                                  confirm="yes"))
    assert profile_of(experts_dir, "example-lucia-herrera") is None
    browser.get("/experts/example-lucia-herrera", status=404)
    conn = database.connect(experts_dir / "curation.sqlite")
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert "Herrera" not in dump and "lucia" not in dump.lower()


def test_a_suggestion_waits_for_a_curator_who_approves_it_once_consent_is_recorded(
        app, experts_dir, log_in):
    visitor = FormBrowser(app.test_client())
    visitor.get("/experts")
    visitor.get("/experts/suggest")
    response = visitor.submit("//form[contains(@class, 'expert-form')]", name="Ngozi Eze",
                              organisation="University of Lagos", themes=["Gender"],
                              countries="Nigeria", bio="Studies women's labour migration.")
    assert response.status_code == 302
    visitor.follow(response)
    assert any("curator will review" in t for t in visitor.texts("//p[@class='notice']"))
    pending = profile_of(experts_dir, "ngozi-eze")
    assert pending.status == "pending" and pending.consent_date is None
    assert pending.visibility == "members" and pending.contact == "none"
    # not listed anywhere until approved
    assert "ngozi-eze" not in visitor.client.get("/api/experts").get_data(as_text=True)
    visitor.get("/experts/ngozi-eze", status=404)

    curator = FormBrowser(app.test_client())
    log_in(curator, "cora")
    curator.get("/experts/pending")
    assert curator.texts("//ul[contains(@class, 'pending')]/li/h2") == ["Ngozi Eze"]
    # approving before consent is recorded sends the curator to the form
    response = curator.submit("//li[@data-id='ngozi-eze']//form", decision="active")
    assert response.headers["Location"].endswith("/experts/ngozi-eze/edit")
    assert profile_of(experts_dir, "ngozi-eze").status == "pending"
    curator.follow(response)
    curator.follow(curator.submit("//form[contains(@class, 'expert-form')]",
                                  consent_date="2026-03-01", consent_by="cora",
                                  visibility="public"))
    curator.get("/experts/pending")
    curator.follow(curator.submit("//li[@data-id='ngozi-eze']//form", decision="active"))
    assert profile_of(experts_dir, "ngozi-eze").status == "active"
    assert "ngozi-eze" in visitor.client.get("/api/experts").get_data(as_text=True)


def test_a_rejected_suggestion_is_never_shown(app, experts_dir, log_in):
    visitor = FormBrowser(app.test_client())
    visitor.get("/experts/suggest")
    visitor.submit("//form[contains(@class, 'expert-form')]", name="Spam Person")
    curator = FormBrowser(app.test_client())
    log_in(curator, "cora")
    curator.get("/experts/pending")
    curator.follow(curator.submit("//li[@data-id='spam-person']//form", decision="rejected"))
    assert profile_of(experts_dir, "spam-person").status == "rejected"
    curator.get("/experts/pending")
    assert curator.texts("//ul[contains(@class, 'pending')]/li/h2") == []
    visitor.get("/experts/spam-person", status=404)


def test_suggestions_are_rate_limited_per_address(app):
    visitor = FormBrowser(app.test_client())
    limit = app.extensions["searchhub"].settings.report_limit
    for i in range(limit):
        visitor.get("/experts/suggest")
        assert visitor.submit("//form[contains(@class, 'expert-form')]",
                              name=f"Person {i}").status_code == 302
    visitor.get("/experts/suggest")
    refused = visitor.submit("//form[contains(@class, 'expert-form')]", name="One more")
    assert refused.status_code == 429
