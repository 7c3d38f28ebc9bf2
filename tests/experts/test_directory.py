"""/experts, /experts/<key> and /api/experts through HTTP on the demo corpus with the
example profiles: words, facets, visibility, documents."""

from __future__ import annotations

import lxml.html
import pytest


@pytest.fixture
def client(demo_app):
    return demo_app.test_client()


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return lxml.html.fromstring(response.get_data(as_text=True))


def ids(tree) -> list[str]:
    return [li.get("data-id") for li in tree.xpath("//li[contains(@class, 'expert')]")]


def api(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


def test_the_directory_lists_public_profiles_to_visitors(client):
    tree = page(client, "/experts")
    shown = ids(tree)
    assert "example-awa-ndiaye" in shown and len(shown) == 4
    assert "example-jonas-berg" not in shown          # members only
    assert tree.xpath("//li[@data-id='example-awa-ndiaye']//*[contains(@class, 'example')]")
    answer = api(client, "/api/experts")
    assert answer["total"] == 4
    awa = next(e for e in answer["experts"] if e["id"] == "example-awa-ndiaye")
    assert awa["name"] == "Awa Ndiaye (example)"
    assert awa["organisation"] == "IOM Regional Office for West and Central Africa"
    assert awa["themes"] == ["Return and reintegration", "Labour migration"]
    assert awa["regions"] == ["West and Central Africa"]
    assert "email" not in awa and "example.org" not in str(answer)


def test_words_and_facets_narrow_the_directory_like_the_search_page(client):
    # words match the start of words, accents and case ignored
    assert [e["id"] for e in api(client, "/api/experts?q=lucia")["experts"]] == [
        "example-lucia-herrera"]
    assert {e["id"] for e in api(client, "/api/experts?q=REINTEGRATION")["experts"]} == {
        "example-awa-ndiaye", "example-lucia-herrera"}
    answer = api(client, "/api/experts?theme=Labour+migration")
    assert {e["id"] for e in answer["experts"]} == {"example-awa-ndiaye",
                                                     "example-karim-haddad"}
    # a facet counts under the other facets' filters: its own values stay selectable
    themes = {f["value"]: f["count"] for f in answer["facets"]["theme"]}
    assert themes["Climate and environment"] == 1 and themes["Labour migration"] == 2
    regions = {f["value"]: f["count"] for f in answer["facets"]["region"]}
    assert regions == {"West and Central Africa": 1, "Middle East and North Africa": 1,
                       "Asia and the Pacific": 1}
    both = api(client, "/api/experts?theme=Labour+migration&region=Asia+and+the+Pacific")
    assert [e["id"] for e in both["experts"]] == ["example-karim-haddad"]
    for name, value, expected in (("gcm", "21", {"example-awa-ndiaye",
                                                  "example-lucia-herrera"}),
                                  ("country", "cote d'ivoire", set()),
                                  ("country", "nepal", {"example-karim-haddad"}),
                                  ("agency", "UNDP", {"example-mei-tanaka"}),
                                  ("language", "ar", {"example-karim-haddad"})):
        got = api(client, f"/api/experts?{name}={value}")
        assert {e["id"] for e in got["experts"]} == expected, (name, value)
    labels = {f["value"]: f["label"] for f in api(client, "/api/experts")["facets"]["language"]}
    assert labels["es"] == "Spanish"


def test_the_page_links_facets_and_chips_as_the_search_page_does(client):
    tree = page(client, "/experts")
    href = tree.xpath("//a[@data-facet='theme'][@data-value='Labour migration']/@href")[0]
    filtered = page(client, href)
    assert set(ids(filtered)) == {"example-awa-ndiaye", "example-karim-haddad"}
    chip = filtered.xpath("//ul[@class='chips']//a[contains(., 'Labour migration')]/@href")[0]
    assert len(ids(page(client, chip))) == 4
    nothing = page(client, "/experts?q=zzyzx")
    assert ids(nothing) == [] and nothing.xpath("//div[@class='nothing']")


def test_a_profile_shows_its_documents_searchable_and_never_an_address(client):
    response = client.get("/experts/example-awa-ndiaye")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "awa.ndiaye@example.org" not in text
    tree = lxml.html.fromstring(text)
    docs = tree.xpath("//section[contains(@class, 'expert-documents')]//li/@data-id")
    assert set(docs) == {"demo-iom-avrr-west-africa-2019.pdf",
                         "demo-iom-retour-reintegration-senegal-2021.pdf",
                         "demo-undp-reintegration-communautaire-mali-niger-2022.pdf"}
    assert "fictional" in tree.xpath("string(//p[@class='notice'])")
    for words, expected in (("tambacounda", ["demo-iom-retour-reintegration-senegal-2021.pdf"]),
                            ("Communautaire KAYES",
                             ["demo-undp-reintegration-communautaire-mali-niger-2022.pdf"]),
                            ("zzyzx", [])):
        narrowed = page(client, f"/experts/example-awa-ndiaye?q={words}")
        assert narrowed.xpath("//section[contains(@class, 'expert-documents')]//li/@data-id"
                              ) == expected, words
    answer = api(client, "/api/experts/example-awa-ndiaye")
    assert answer["contact"] is True and answer["bio"].startswith("A fictional profile")
    assert {d["id"] for d in answer["documents"]} == set(docs)
    assert "email" not in answer and "consent_by" not in answer


def test_members_only_profiles_need_a_login(client, demo_app, demo_experts_dir):
    assert client.get("/experts/example-jonas-berg").status_code == 404
    answer = api(client, "/api/experts/example-jonas-berg", status=404)
    assert "Jonas" not in str(answer)
    assert api(client, "/api/experts/nobody", status=404)["error"]["status"] == 404


def test_logged_in_people_see_members_only_profiles(browser, log_in):
    log_in(browser, "mo")
    browser.get("/experts")
    assert "example-jonas-berg" in [li.get("data-id") for li in browser.xpath(
        "//li[contains(@class, 'expert')]")]
    browser.get("/experts/example-jonas-berg")
    assert "shown only to people who are logged in" in " ".join(browser.texts("//p"))
    assert browser.get("/api/experts?language=de").get_json()["total"] == 1
