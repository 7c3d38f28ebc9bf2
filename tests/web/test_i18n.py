"""The interface in six languages, through HTTP: the language each request gets, the
<html lang dir>, translated strings and facet labels, and the cookie rule that keeps
visitors' pages cacheable. Also: every catalogue translates every message, and the
committed .mo files are the compiled .po files."""

from __future__ import annotations

import gettext
from pathlib import Path

import lxml.html
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from searchhub import resources
from searchhub.web import create_app
from searchhub.web.i18n import LANGUAGES

REPO = Path(__file__).resolve().parents[2]
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]

#: lang -> (dir, the search button, the theme facet's heading, the theme "Gender",
#: the region "Global").
EXPECTED = {
    "en": ("ltr", "Search", "Theme", "Gender", "Global"),
    "fr": ("ltr", "Rechercher", "Thème", "Genre", "Mondial"),
    "es": ("ltr", "Buscar", "Tema", "Género", "Mundial"),
    "ar": ("rtl", "بحث", "الموضوع", "المنظور الجنساني", "عالمي"),
    "ru": ("ltr", "Поиск", "Тема", "Гендерная проблематика", "Глобальный уровень"),
    "zh": ("ltr", "搜索", "主题", "性别平等", "全球"),
}


class Parsed:
    def __init__(self, response):
        self.tree = lxml.html.fromstring(response.get_data(as_text=True))

    def xpath(self, expr: str) -> list:
        return self.tree.xpath(expr)

    def texts(self, expr: str) -> list[str]:
        return [" ".join(el.text_content().split()) for el in self.xpath(expr)]


def page(client, url: str, status: int = 200, **headers) -> tuple[Parsed, object]:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code)
    return Parsed(response), response


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_its_search_page(client, lang):
    direction, button, theme, gender, global_ = EXPECTED[lang]
    result, response = page(client, f"/search?q=migration&lang={lang}")
    html = result.xpath("/html")[0]
    assert (html.get("lang"), html.get("dir")) == (lang, direction)
    assert result.texts("//form[@id='search-form']//button") == [button]
    assert result.texts("//h2[@id='facet-theme-label']") == [theme]
    themes = result.xpath("//section[@id='facet-theme']//a[@data-value]")
    labels = {a.get("data-value"): a.xpath("string(.//span[@class='value'])") for a in themes}
    # The URL keeps the stable value; people read it in their language.
    assert labels.get("Gender", gender) == gender
    assert any(label != value for value, label in labels.items()) or lang == "en"
    regions = result.xpath("//section[@id='facet-region']//a[@data-value='Global']")
    if regions:
        assert regions[0].xpath("string(.//span[@class='value'])") == global_
    # The switch links this very search in each language, and marks the current one.
    switch = result.xpath("//nav[@class='languages']//a")
    assert [a.get("hreflang") for a in switch] == list(LANGUAGES)
    current = [a.get("hreflang") for a in switch if a.get("aria-current")]
    assert current == [lang]
    assert all("q=migration" in a.get("href") for a in switch)


def test_the_language_cookie_is_set_only_by_the_switch(client):
    response = client.get("/search?q=visa")
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public")
    assert {"Cookie", "Accept-Language"} <= set(response.vary)

    response = client.get("/search?q=visa&lang=fr")
    assert response.headers["Set-Cookie"].startswith("lang=fr;")
    assert response.headers["Cache-Control"] == "private, no-cache"

    # Remembered: the next page without ?lang is in French, and sets nothing new.
    result, response = page(client, "/search?q=visa")
    assert result.xpath("/html/@lang") == ["fr"]
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public")


def test_without_a_choice_the_browser_language_decides(client):
    result, response = page(client, "/search?q=visa", **{"Accept-Language": "ru-RU,ru;q=0.9"})
    assert result.xpath("/html/@lang") == ["ru"]
    assert "Set-Cookie" not in response.headers
    result, _ = page(client, "/search?q=visa", **{"Accept-Language": "de-DE,de"})
    assert result.xpath("/html/@lang") == ["en"]
    result, _ = page(client, "/search?q=visa&lang=xx", **{"Accept-Language": "es"})
    assert result.xpath("/html/@lang") == ["es"]


def test_chips_documents_and_numbers_follow_the_language(client):
    result, _ = page(client, "/search?theme=Gender&lang=es")
    chips = result.texts("//ul[@class='chips']/li[1]/a")
    assert chips and "Tema: Género" in chips[0]
    # The chip removes the filter by its stable value.
    assert "theme=" not in result.xpath("//ul[@class='chips']/li[1]/a/@href")[0]

    hits = result.xpath("//li[contains(@class, 'hit')]")
    assert hits
    for hit in hits:
        title = hit.xpath(".//h3/a")[0]
        doc_lang = title.get("lang")
        assert doc_lang and doc_lang != "und"
        assert title.get("dir") == ("rtl" if doc_lang == "ar" else "ltr")
        assert hit.xpath(".//p[@class='snippet']/@lang") == [doc_lang]


def test_the_document_page_speaks_the_interface_language(client, get_page):
    first = get_page("/search?q=migration").href("//li[contains(@class,'hit')][1]//h3/a")
    doc_url = first.replace("http://localhost", "")
    result, _ = page(client, f"{doc_url}?lang=zh")
    assert result.xpath("/html/@lang") == ["zh"]
    assert "语言" in result.texts("//dl[@class='metadata']/dt")
    assert result.xpath("//article/h1/@lang")
    assert result.texts("//a[@data-back-to-search]")[0].endswith("返回搜索")


def test_error_and_login_pages_are_translated(client):
    error, _ = page(client, "/doc/no-such-document?lang=ar", status=404)
    assert error.xpath("/html/@dir") == ["rtl"]
    assert error.texts("//h1")[0].startswith("غير موجود")

    result, _ = page(client, "/login?lang=ru")
    assert result.texts("//h1") == ["Войти"]
    assert result.texts("//label[@for='password']") == ["Пароль"]


def test_json_api_is_the_same_in_every_language(client):
    english = client.get("/api/search?q=migration").get_json()
    french = client.get("/api/search?q=migration", headers={"Cookie": "lang=fr"}).get_json()
    english.pop("elapsed_ms"), french.pop("elapsed_ms")
    assert english == french


def _messages_in_code() -> set[tuple[str | None, str]]:
    method_map = [("searchhub/**.py", "python"), ("web/templates/**.html", "jinja2")]
    ids = set()
    for _, _, message, _, context in extract_from_dir(
            str(REPO), method_map, keywords={"_": None, "gettext": None, "ngettext": (1, 2),
                                             "lazy_gettext": None, "notice": None,
                                             "plural_notice": (1, 2),
                                             "pgettext": ((1, "c"), 2)}):
        ids.add((context, message[0] if isinstance(message, tuple) else message))
    return ids


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_compiled(lang):
    folder = resources.translations_dir() / lang / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalog
                  if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple)
                                                  else [m.string])}
    missing = _messages_in_code() - set(translated)
    assert not missing, f"{lang}: untranslated (pybabel extract/update, see Makefile): {missing}"
    with (folder / "messages.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for (context, msgid), message in translated.items():
        if isinstance(message.id, tuple):
            assert compiled.ngettext(*message.id, 1) in message.string, (lang, msgid)
        else:
            found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert found == message.string, \
                f"{lang}: messages.mo is older than messages.po (make translations)"


def test_regions_platforms_and_collections_pages_are_translated(client):
    regions, _ = page(client, "/regions?lang=fr")
    assert regions.texts("//h1") == ["Régions"]
    assert "Afrique australe" in regions.texts("//ul[@class='regions']/li/a")
    region, _ = page(client, "/regions/latin-america-caribbean?lang=ar")
    assert region.texts("//h1") == ["أمريكا اللاتينية ومنطقة البحر الكاريبي"]
    # The search stays on the region's stable value.
    assert region.xpath("//form[@role='search']//input[@name='region']/@value") == [
        "Latin America and the Caribbean"]
    platforms, _ = page(client, "/platforms?lang=es")
    assert platforms.texts("//h1") == ["Plataformas asociadas"]
    assert "Cualquiera" in platforms.texts("//select[@id='filter-scope']/option")
    collections, _ = page(client, "/collections?lang=ru")
    assert collections.texts("//h1") == ["Подборки"]


def test_the_overview_is_translated(client):
    overview, _ = page(client, "/overview?lang=fr")
    assert overview.texts("//h1") == ["Vue d’ensemble du contenu"]
    assert "Documents par région et par thème" in overview.texts("//h2")
    headers = overview.texts("//table[@data-table='region-theme']/tbody/tr/th")
    assert "Afrique australe" in headers


def test_query_notices_are_shown_in_the_interface_language(client):
    result, _ = page(client, "/search?q=foo:bar&lang=fr")
    notices = result.texts("//p[@class='notice']")
    assert any(n.startswith("Champ inconnu foo : recherché comme des mots.") for n in notices)
    result, _ = page(client, "/search?q=migration&page=999&lang=ar")
    assert any("لا توجد صفحة 999؛" in n for n in result.texts("//p[@class='notice']"))
    # Counts in a notice are formatted for the locale and take the language's plural.
    result, _ = page(client, "/search?q=" + "x" * 1200 + "&lang=ru")
    assert "Запрос сокращен до первых 1 000 символов." in " ".join(
        result.texts("//p[@class='notice']")).replace("\u00a0", " ")
    # The JSON API keeps the English text, whatever the language asked for.
    data = client.get("/api/search?q=foo:bar&lang=fr", headers={"Cookie": "lang=fr"}).get_json()
    assert any(n.startswith("Unknown field foo: searched as words.") for n in data["notices"])


@pytest.mark.parametrize("lang, direction, crumbs, health, latest", [
    ("fr", "ltr", "Plateformes partenaires", "État", "Derniers documents"),
    ("ar", "rtl", None, None, "أحدث الوثائق"),
])
def test_a_platform_page_is_translated(client, lang, direction, crumbs, health, latest):
    result, _ = page(client, f"/platforms/ilo-labour-migration?lang={lang}")
    assert result.xpath("/html/@lang") == [lang] and result.xpath("/html/@dir") == [direction]
    assert latest in result.texts("//h2")
    search = result.texts("//a[@class='search-platform']")[0]
    assert search.startswith({"fr": "Rechercher dans ses", "ar": "البحث في"}[lang])
    if crumbs:
        assert result.texts("//nav[@class='crumbs']/a") == [crumbs]
        assert health in result.texts("//dl[@class='metadata']/dt")


@pytest.mark.parametrize("lang, direction, heading, table", [
    ("fr", "ltr", "Les liens entre les plateformes partenaires", "Liens et rapports en commun"),
    ("ar", "rtl", "كيف ترتبط المنصات الشريكة", "الروابط والتقارير المشتركة"),
])
def test_the_links_page_is_translated(client, lang, direction, heading, table):
    result, _ = page(client, f"/platforms/links?lang={lang}")
    assert (result.xpath("/html/@lang"), result.xpath("/html/@dir")) == ([lang], [direction])
    assert result.texts("//h1") == [heading]
    assert result.texts("//h2[@id='table-heading']") == [table]


@pytest.mark.parametrize("lang, direction, caption", [
    ("fr", "ltr", "Paramètres"), ("ar", "rtl", "المعلمات"),
])
def test_the_api_docs_page_is_translated_and_marks_its_english(client, lang, direction,
                                                               caption):
    result, _ = page(client, f"/api/docs?lang={lang}")
    assert (result.xpath("/html/@lang"), result.xpath("/html/@dir")) == ([lang], [direction])
    assert caption in result.texts("//table/caption")
    # The OpenAPI text is English, and says so to screen readers and the layout.
    summaries = result.xpath("//section/p[1]")
    assert summaries and all(p.get("lang") == "en" and p.get("dir") == "ltr"
                             for p in summaries)


def test_a_page_drawn_first_in_arabic_is_drawn_in_english_for_the_next_visitor(demo_data_dir):
    """Jinja folds a filter of constant arguments (``'theme'|facet_label``) into the
    template when it first compiles it: the suggestions' kinds on the search page were
    Arabic for every visitor after an Arabic one, in a fresh app (its own template
    cache) whose first page was Arabic."""
    fresh = create_app({"data_dir": demo_data_dir})
    for lang in ("ar", "en", "fr"):
        parsed, _ = page(fresh.test_client(), f"/?lang={lang}")
        kinds = parsed.xpath("//input[@id='q']")[0].attrib
        assert kinds["data-kind-theme"] == EXPECTED[lang][2], lang
    parsed, _ = page(fresh.test_client(), "/", **{"Accept-Language": "es"})
    assert parsed.xpath("//input[@id='q']/@data-kind-theme") == [EXPECTED["es"][2]]
