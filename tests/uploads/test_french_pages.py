"""The members' and curators' pages in French hold no English message of the catalogue
(see tests/untranslated.py): members' home, the upload forms, their uploads, the review
queue, the curation queue and the curators' forms."""

from __future__ import annotations

import pytest
from untranslated import untranslated

from searchhub import database
from searchhub.collections import store as collections_store

from .conftest import make_pdf

PDF_TEXT = ("Return and reintegration of migrants: counselling, housing and work after "
            "coming home. ") * 12


def _french(person, url: str) -> list[tuple[str, str]]:
    response = person.get(url)
    assert response.mimetype == "text/html"
    return untranslated(response.get_data(as_text=True), "fr")


@pytest.mark.parametrize("url", ["/members", "/members/upload", "/members/upload/ws-knowledge",
                                 "/members/uploads", "/members/groups/ws-knowledge",
                                 "/search?q=return"])
def test_a_members_pages_in_french(browser, url):
    mia = browser().login("mia")
    assert _french(mia, url + ("&" if "?" in url else "?") + "lang=fr") == []


def test_the_upload_details_and_review_in_french(browser):
    mia = browser().login("mia")
    mia.get("/members/upload/ws-knowledge?lang=fr")
    response = mia.submit("//form[contains(@class, 'upload-file')]", status=200,
                          file=(make_pdf(PDF_TEXT, title="Coming home"), "home.pdf"))
    assert untranslated(response.get_data(as_text=True), "fr") == []
    response = mia.submit("//form[contains(@class, 'upload-details')]", status=400,
                          title="", date="soon")
    assert untranslated(response.get_data(as_text=True), "fr") == []
    mia.follow(mia.submit("//form[contains(@class, 'upload-details')]", status=303,
                          title="Coming home", date="2024"))
    assert untranslated(mia.client.get("/members/uploads?lang=fr").get_data(as_text=True),
                        "fr") == []
    lena = browser().login("lena")
    assert _french(lena, "/members/review?lang=fr") == []


@pytest.fixture
def a_collection(site) -> str:
    """A collection holding the site's one document (its curators' forms show)."""
    conn = database.connect(site["data_dir"] / "curation.sqlite")
    try:
        found = collections_store.create(conn, "cora", "Return", "Documents on return.")
        collections_store.add(conn, "cora", found.slug, "tiny-public", "The first one.")
    finally:
        conn.close()
    return found.slug


@pytest.mark.parametrize("url", ["/curate", "/curate/audit", "/curate/decisions",
                                 "/curate/report", "/members/review", "/collections",
                                 "/collections/{slug}", "/search?q=return", "/platforms",
                                 "/experts/new", "/experts/pending", "/doc/tiny-public",
                                 "/curate/doc/tiny-public"])
def test_a_curators_pages_in_french(browser, a_collection, url):
    cora = browser().login("cora")
    url = url.format(slug=a_collection)
    assert _french(cora, url + ("&" if "?" in url else "?") + "lang=fr") == []


def test_the_collection_forms_read_in_french(browser, a_collection):
    cora = browser().login("cora")
    cora.get("/collections?lang=fr")
    assert cora.texts("//h2[@id='new-heading']") == ["Nouvelle collection"]
    cora.get(f"/collections/{a_collection}?lang=fr")
    assert cora.texts("//ol[@class='collection-items']//button") == [
        "Enregistrer la note", "Monter", "Descendre", "Retirer"]
    assert cora.texts("//h2[@id='add-heading']") == ["Ajouter un document"]
    cora.get("/search?q=return&lang=fr")
    assert cora.texts("//details[contains(@class, 'add-to-collection')]/summary") == [
        "Ajouter à une collection: Public report on return"]
