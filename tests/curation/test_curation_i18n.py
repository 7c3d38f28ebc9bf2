"""The curators' and admins' pages in French and Arabic: <html lang dir>, translated
headings and labels, and the messages that follow an action in the person's language."""

from __future__ import annotations

import pytest

from searchhub import accounts

from .conftest import PASSWORD


@pytest.fixture
def curating(browser, curator, db):
    """A curator logged in, with one open flag on asylum-guide."""
    browser.login()
    browser.get("/doc/asylum-guide")
    browser.submit("//form[contains(@class,'flag-form')]", reason="outdated",
                   comment="old figures", status=302)
    return browser


def _html(browser) -> tuple[str, str]:
    html = browser.xpath("/html")[0]
    return html.get("lang"), html.get("dir")


@pytest.mark.parametrize("lang, expected", [
    ("fr", {"dir": "ltr", "queue": "Signalements ouverts", "nav": "File d’attente",
            "origin": "curateur", "flags": "1 signalement",
            "doc": "Historique", "decisions": "Décisions en vigueur",
            "audit": "Journal d’audit", "report": "Rapport de curation",
            "hide": "Masquer dans les résultats"}),
    ("ar", {"dir": "rtl", "queue": "البلاغات المفتوحة", "nav": "قائمة الانتظار",
            "origin": "منسق", "flags": "1 بلاغ",
            "doc": "السجل التاريخي", "decisions": "القرارات السارية",
            "audit": "سجل التدقيق", "report": "تقرير التنسيق",
            "hide": "إخفاء من النتائج"}),
])
def test_curation_pages_speak_the_chosen_language(curating, lang, expected):
    browser = curating
    browser.get(f"/curate?lang={lang}")
    assert _html(browser) == (lang, expected["dir"])
    assert browser.texts("//h1")[0].startswith(expected["queue"])
    assert browser.texts("//nav[@class='curate-nav']/strong") == [expected["nav"]]
    row = browser.xpath("//li[@data-reason='outdated']")[0]
    assert row.xpath("string(./strong)").strip() == _reason(lang)
    assert row.xpath("string(.//span[@class='origin'])") == expected["origin"]
    assert browser.texts("//li[@data-id='asylum-guide']//h2/small") == [expected["flags"]]

    # The remembered language carries to the other curation pages.
    browser.get("/curate/doc/asylum-guide")
    assert _html(browser) == (lang, expected["dir"])
    assert expected["doc"] in browser.texts("//h2")
    assert expected["hide"] in browser.texts("//section[@class='actions']//button")
    for url, heading in (("/curate/decisions", expected["decisions"]),
                         ("/curate/audit", expected["audit"]),
                         ("/curate/report", expected["report"])):
        browser.get(url)
        assert _html(browser) == (lang, expected["dir"]), url
        assert browser.texts("//h1")[0].startswith(heading), url


def _reason(lang: str) -> str:
    return {"fr": "Obsolète", "ar": "قديم"}[lang]


def test_an_action_is_confirmed_in_the_curators_language(curating):
    browser = curating
    browser.get("/curate/doc/asylum-guide?lang=fr")
    page = browser.follow(browser.submit("//form[@class='action-hide']", why="spam"))
    assert page.status_code == 200
    shown = " ".join(browser.page.text_content().split())
    assert "Masquer dans les résultats : « Asylum procedures guide »." in shown
    # The decision reads in French in the list of decisions in force, too.
    browser.get("/curate/decisions")
    assert browser.texts("//tr[@data-doc='asylum-guide']/td[2]") == [
        "Masquer dans les résultats"]


@pytest.mark.parametrize("lang, direction, heading, sources, last_run, never", [
    ("fr", "ltr", "Exécutions d’indexation", "Sources", "Dernière exécution", "jamais"),
    ("ar", "rtl", "عمليات الفهرسة", "المصادر", "آخر تشغيل", "لم يُشغَّل قط"),
])
def test_admin_pages_speak_the_chosen_language(browser, db, lang, direction, heading,
                                               sources, last_run, never):
    accounts.add(db, "ada", PASSWORD, "admin")
    browser.login("ada")
    browser.get(f"/admin/runs?lang={lang}")
    assert _html(browser) == (lang, direction)
    assert browser.texts("//h1") == [heading]
    browser.get("/admin/sources")
    assert _html(browser) == (lang, direction)
    assert browser.texts("//h1") == [sources]
    assert browser.texts("//table[contains(@class,'sources')]/thead//th[4]") == [last_run]
    cells = browser.texts("//table[contains(@class,'sources')]/tbody/tr/td[4]")
    assert cells and all(cell == never for cell in cells)


def test_a_refused_action_says_why_in_the_curators_language(curating):
    browser = curating
    browser.get("/curate/doc/asylum-guide?lang=ru")
    browser.follow(browser.submit("//form[@class='action-weight']", value="heavy"))
    shown = browser.texts("//div[@class='flashes']/p")
    assert shown == ["вес — это число, например 0.2, чтобы понизить, или 5, чтобы повысить"]
    # a script gets the app's JSON error, in English whatever the page's language
    token = browser.xpath("//form[@class='action-weight']//input[@name='csrf_token']/@value")
    answer = browser.client.post("/curate/action", headers={"X-Requested-With": "fetch"},
                                 data={"csrf_token": token[0], "action": "weight",
                                       "doc_id": "asylum-guide", "value": "heavy"})
    assert answer.status_code == 400
    assert answer.get_json()["error"]["message"] == (
        "a weight is a number, e.g. 0.2 to demote or 5 to boost")


def test_a_collection_is_confirmed_in_the_curators_language(curating):
    browser = curating
    browser.get("/collections?lang=fr")
    browser.follow(browser.submit(
        "//form[contains(@action, '/collections')][.//input[@name='title']]",
        title="Lectures de base", status=302))
    assert browser.texts("//div[@class='flashes']/p") == [
        "Collection « Lectures de base » créée."]
    browser.get("/collections")
    browser.follow(browser.submit(
        "//form[contains(@action, '/collections')][.//input[@name='title']]",
        title="Lectures de base", slug="lectures-de-base"))
    assert browser.texts("//div[@class='flashes']/p") == [
        "il existe déjà une collection 'lectures-de-base'"]
