"""The experts' pages in French and Arabic: <html lang dir>, translated headings,
labels and facet values (the URLs keep the stable values), and a curator's message
after an action in the curator's language."""

from __future__ import annotations

import lxml.html
import pytest


def _page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return lxml.html.fromstring(response.get_data(as_text=True))


def _texts(tree, expr: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in tree.xpath(expr)]


@pytest.mark.parametrize("lang, direction, heading, theme_heading, summary", [
    ("fr", "ltr", "Experts des migrations", "Thème", "experts"),
    ("ar", "rtl", "خبراء في الهجرة", "الموضوع", "خبراء"),
])
def test_the_directory_speaks_the_chosen_language(demo_app, lang, direction, heading,
                                                  theme_heading, summary):
    tree = _page(demo_app.test_client(), f"/experts?lang={lang}")
    assert (tree.get("lang"), tree.get("dir")) == (lang, direction)
    assert _texts(tree, "//h1") == [heading]
    assert _texts(tree, "//h2[@id='facet-theme-label']") == [theme_heading]
    assert summary in _texts(tree, "//div[@class='summary']/p")[0]
    # Facet values read in the language; their links keep the stable English value.
    themes = tree.xpath("//section[@id='facet-theme']//a[@data-value]")
    assert themes
    labels = {a.get("data-value"): a.xpath("string(.//span[@class='value'])") for a in themes}
    assert any(label != value for value, label in labels.items())


@pytest.mark.parametrize("lang, direction, organisation, documents", [
    ("fr", "ltr", "Organisation", "Documents"),
    ("ar", "rtl", "المنظمة", "الوثائق"),
])
def test_a_profile_speaks_the_chosen_language(demo_app, lang, direction, organisation,
                                              documents):
    tree = _page(demo_app.test_client(), f"/experts/example-awa-ndiaye?lang={lang}")
    assert (tree.get("lang"), tree.get("dir")) == (lang, direction)
    assert organisation in _texts(tree, "//dl[@class='metadata']/dt")
    assert _texts(tree, "//h2[@id='documents-heading']") == [documents]
    back = _texts(tree, "//main//p[1]/a")[0]
    assert back.startswith("→" if direction == "rtl" else "←")


@pytest.mark.parametrize("lang, direction, heading, anyone", [
    ("fr", "ltr", "Ajouter un expert", "Tout le monde"),
    ("ar", "rtl", "إضافة خبير", "أي شخص"),
])
def test_the_curators_form_and_queue_speak_the_chosen_language(browser, log_in, lang,
                                                               direction, heading, anyone):
    log_in(browser, "cora")
    browser.get(f"/experts/new?lang={lang}")
    html = browser.xpath("/html")[0]
    assert (html.get("lang"), html.get("dir")) == (lang, direction)
    assert browser.texts("//h1") == [heading]
    assert anyone in browser.texts("//fieldset[@id='f-visibility']/label")
    browser.get("/experts/pending")
    assert browser.xpath("/html/@lang") == [lang]
    assert browser.texts("//h1") == [{"fr": "Experts suggérés", "ar": "الخبراء المقترحون"}[lang]]


def test_a_flash_message_is_in_the_curators_language(browser, log_in):
    log_in(browser, "cora")
    browser.get("/experts/example-awa-ndiaye/edit?lang=fr")
    page = browser.follow(browser.submit("//form[contains(@class,'remove-expert')]"))
    assert page.status_code == 200
    assert "Cochez la case pour confirmer la suppression." in " ".join(
        browser.page.text_content().split())


def test_the_reason_beside_the_results_is_in_the_chosen_language(demo_app):
    client = demo_app.test_client()
    tree = _page(client, "/search?q=recruitment+fees&lang=fr")
    first = tree.xpath("//aside[contains(@class, 'experts-beside')]//li")[0]
    assert first.xpath("string(.//span[@class='reason'])").startswith("Auteur de ")
    assert tree.xpath("string(//aside[contains(@class, 'experts-beside')]//h2)") == \
        "Experts de ce sujet"
    # The search API keeps the English reason.
    answer = client.get("/api/search?q=recruitment+fees&lang=fr").get_json()
    assert answer["experts"][0]["reason"].startswith("author of ")


def test_a_suggestion_form_reports_its_problems_in_spanish(app):
    from .conftest import FormBrowser
    visitor = FormBrowser(app.test_client())
    visitor.get("/experts/suggest?lang=es")
    response = visitor.submit("//form[contains(@class, 'expert-form')]", status=400,
                              name="", countries="Narnia", links="ftp://example.org",
                              bio="x" * 2001)
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    problems = _texts(tree, "//div[@id='problems']//li")
    assert any(p.endswith(": obligatorio") for p in problems), problems
    assert any(p.endswith("país desconocido: 'Narnia'") for p in problems), problems
    assert any(p.endswith("no es una dirección web (https://...): 'ftp://example.org'")
               for p in problems), problems
    assert any(p.endswith("como máximo 2000 caracteres") or
               p.endswith("como máximo 2 000 caracteres") or
               p.endswith("como máximo 2.000 caracteres") for p in problems), problems
    assert not any("unknown" in p or "required" in p for p in problems), problems


def test_profile_problems_stay_english_for_the_importer_and_the_api():
    from searchhub.experts.model import ProfileError, Vocabulary, check_profile
    profile, problems = check_profile({"name": "", "countries": "Narnia"},
                                      Vocabulary({}, {}, {}, {}, {}))
    assert profile is None
    assert ("countries", "unknown country 'Narnia'") in problems
    assert ("name", "required") in problems
    assert "countries: unknown country 'Narnia'" in ProfileError(problems).message
