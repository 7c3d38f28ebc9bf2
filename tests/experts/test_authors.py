"""Authors in document metadata matched to experts: a curator confirms (or rejects) a
suggested match once, on the document page, and the decision is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from curation.conftest import PASSWORD, make_doc, write_index

from searchhub import accounts, database
from searchhub.experts import store
from searchhub.experts.model import Profile
from searchhub.web import create_app

from .conftest import FormBrowser


@pytest.fixture
def app(tmp_path):
    data = tmp_path / "data"
    write_index(data / "index", [
        make_doc("census-guide", "Census questions on migration",
                 "How censuses ask about migration and place of birth. " * 5,
                 author="Fatou Sów; Ann  Other", gcm_objectives=[1]),
        make_doc("other-guide", "Surveys of migrant households",
                 "Household surveys and migration statistics. " * 5, author="Someone Else"),
    ])
    conn = database.connect(data / "curation.sqlite")
    accounts.add(conn, "cora", PASSWORD, "curator")
    for key, name in (("fatou-sow", "Fatou Sow"), ("ann-other", "Ann Other")):
        store.save(conn, Profile(key, name, organisation="Statistics Office",
                                 visibility="public", consent_date=dt.date(2026, 1, 1)),
                   "test")
    conn.close()
    return create_app({"data_dir": data, "secret_key": "test-secret"})


def test_a_curator_confirms_an_author_once_and_the_document_names_its_expert(app, log_in):
    visitor = FormBrowser(app.test_client())
    visitor.get("/doc/census-guide")
    assert not visitor.xpath("//section[@class='author-matches']")     # curators only
    assert not visitor.xpath("//section[@class='document-experts']")  # nothing confirmed
    assert visitor.client.get("/api/search?q=census").get_json()["experts"] == []

    curator = FormBrowser(app.test_client())
    log_in(curator, "cora")
    curator.get("/doc/census-guide")
    assert sorted(curator.xpath("//section[@class='author-matches']//li/@data-id")) == [
        "ann-other", "fatou-sow"]
    curator.follow(curator.submit("//li[@data-id='fatou-sow']//form", same="yes"))
    assert curator.url.endswith("/doc/census-guide")
    curator.follow(curator.submit("//li[@data-id='ann-other']//form", same="no"))
    # both decided: nothing is suggested again
    assert not curator.xpath("//section[@class='author-matches']")

    visitor.get("/doc/census-guide")
    assert visitor.xpath("//section[@class='document-experts']//li/@data-id") == [
        "fatou-sow"]
    experts = visitor.client.get("/api/search?q=census").get_json()["experts"]
    assert [(e["id"], e["reason"]) for e in experts] == [
        ("fatou-sow", "author of this result")]
    visitor.get("/doc/other-guide")
    assert not visitor.xpath("//section[@class='document-experts']")


def test_the_decision_is_kept_when_the_profile_is_updated_and_goes_with_a_removal(app):
    data = app.extensions["searchhub"].settings.data_dir
    conn = database.connect(data / "curation.sqlite")
    try:
        store.decide_author(conn, "fatou sow", "fatou-sow", True, "cora")
        fatou = store.get(conn, "fatou-sow")
        store.save(conn, Profile("fatou-sow", "Fatou Sow", title="Demographer",
                                 visibility="public", consent_date=dt.date(2026, 1, 1)),
                   "cora")
        assert store.get(conn, "fatou-sow").author_keys == ["fatou sow"] == fatou.author_keys
        store.remove(conn, "fatou-sow", "cora")
        dump = "\n".join(conn.iterdump()).lower()
    finally:
        conn.close()
    assert "fatou" not in dump


def test_a_decision_needs_a_curator_and_its_token(app, log_in):
    client = app.test_client()
    response = client.post("/experts/fatou-sow/author", data={"author": "Fatou Sow",
                                                              "same": "yes"})
    assert response.status_code == 400         # no CSRF token
    curator = FormBrowser(app.test_client())
    log_in(curator, "cora")
    curator.get("/doc/census-guide")
    response = curator.submit("//li[@data-id='fatou-sow']//form", same="maybe")
    assert response.status_code == 400
