"""The public pages in French hold no English message of the catalogue (a message that
escaped translation: written without gettext, or translated before the language was
known). The members' and curators' pages: tests/uploads/test_french_pages.py."""

from __future__ import annotations

import pytest
from untranslated import untranslated

#: Data, not messages: the seeded collection's title as its curators wrote it (the
#: catalogue has it for the link on the search page).
DATA = {"Core documents of the Global Compact for Migration and the Network"}


def _french(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/search?q=migration&lang=fr",
    "/search?q=migration+gender&type=Report&lang=fr",
    "/search?q=migration&region=Latin+America+and+the+Caribbean&lang=fr",
    "/platforms?lang=fr",
    "/experts?lang=fr",
    "/collections?lang=fr",
    "/regions?lang=fr",
    "/overview?lang=fr",
])
def test_public_pages_in_french_keep_no_english_message(client, url):
    assert [found for found in untranslated(_french(client, url), "fr")
            if found[1] not in DATA] == []


def test_a_document_in_french_keeps_no_english_message(client, get_page):
    results = get_page("/search?q=migration&lang=fr")
    for doc_id in results.hit_ids[:3]:
        assert untranslated(_french(client, f"/doc/{doc_id}?lang=fr"), "fr") == [], doc_id


def test_the_selected_regions_links_read_in_french(get_page):
    page = get_page("/search?q=migration&region=Latin+America+and+the+Caribbean&lang=fr")
    assert page.xpath("//ul[@class='about-regions']/@aria-label") == [
        "À propos des régions choisies"]
    assert page.texts("//ul[@class='about-regions']/li/a") == [
        "À propos de cette région : Amérique latine et Caraïbes"]
