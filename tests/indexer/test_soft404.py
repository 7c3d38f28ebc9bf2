"""The soft-404 detector (``indexer.extract.soft404``): strict on what a title or
heading says and on the length of the text; the HTML extractor's ``not_found``; the
worker raising it as a ``soft-404`` fetch error; the decide stage taking that as a 404."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.actions import Delete
from indexer.decide import Decider
from indexer.discover.base import Item, Source
from indexer.enrich.taxonomy import load_taxonomy
from indexer.extract.html import extract_html
from indexer.extract.soft404 import MAX_WORDS, not_found_message, word_count
from indexer.fetch import Fetched, FetchError, FetchOptions
from indexer.options import RunOptions
from indexer.report import SourceReport
from indexer.state import CrawlState, UrlState
from indexer.worker import Task, process
from searchhub.models import Document

SHORT = "The page you requested could not be found. Go back to the home page."

# -- what a title or heading says ------------------------------------------------------

SOFT_404_TITLES = [
    # en
    "Page not found", "Page Not Found – Migration Data Blog", "404 Not Found", "Error 404",
    "404", "404 | Ministry of Labour", "Error 404: Page not found", "File not found",
    "Oops! That page can’t be found.", "The resource cannot be found.",
    "Sorry, the page you requested does not exist", "Page not found | IOM | UN Migration",
    "We couldn't find that Web page (Error 404) / Nous ne pouvons trouver cette page Web "
    "(Erreur 404)",
    # fr
    "Page introuvable", "Page non trouvée | Ministère de l'Intérieur",
    "Erreur 404 : page introuvable", "La page demandée n'existe pas",
    "Cette page n’existe plus", "Oups ! Page introuvable",
    # es
    "Página no encontrada", "¡Ups! Página no encontrada", "La página que busca no existe",
    "No se pudo encontrar la página", "Error 404 - Página no encontrada",
    # ru
    "Страница не найдена", "404 — страница не найдена", "Ошибка 404. Страница не найдена",
    "Запрашиваемая страница не найдена", "Такой страницы не существует",
    "Страница, которую вы ищете, не существует",
    # ar
    "الصفحة غير موجودة", "خطأ 404 - الصفحة غير موجودة", "عذراً، الصفحة غير موجودة",
    "لم يتم العثور على الصفحة", "الصفحة المطلوبة غير موجودة", "صفحة غير موجودة | وزارة العمل",
    # zh
    "页面不存在", "页面不存在_国家移民管理局", "404 页面不存在", "404页面不存在",
    "抱歉，您访问的页面不存在！", "找不到页面", "您要访问的页面不存在或已被删除", "頁面不存在",
    "错误404",
]


@pytest.mark.parametrize("title", SOFT_404_TITLES)
def test_a_title_that_says_not_found_over_a_short_text_is_a_soft_404(title):
    assert not_found_message(title, [], SHORT) == title


@pytest.mark.parametrize("heading", [
    "Page not found", "Oops! That page can’t be found.", "404 Not Found", "Error 404",
    "Not found", "Sorry, we can't find that page", "Page introuvable",
    "Página no encontrada", "Страница не найдена", "عذراً، الصفحة غير موجودة",
    "抱歉，您访问的页面不存在！"])
def test_a_first_heading_says_it_when_the_title_is_the_sites(heading):
    assert not_found_message("Ministry of Labour", ["Ministry of Labour", heading], SHORT) \
        == heading


@pytest.mark.parametrize("title", [
    # Real reports: the words are in a longer title, not the whole of one of its parts.
    "404 migrants found dead at sea", "Missing Migrants: bodies not found",
    "404 migrants rescued off Libya - IOM", "Missing Migrants | Bodies not found",
    "Page not found: the hidden story of web archives", "Migrants not found in census",
    "Not found in translation: language access for asylum seekers",
    "The missing: 404 bodies found", "Flight 404 lands in Tunis", "Errors in migration data",
    "Страница истории: 404 мигранта", "页面设计指南", "الصفحة الرئيسية", "Página principal",
])
def test_a_title_that_merely_holds_the_words_is_no_soft_404(title):
    text = ("The bodies of 404 migrants were recovered in the central Mediterranean this "
            "year, the coast guard reported; families ask for identification.")
    assert not_found_message(title, [title], text) == ""


def test_a_heading_that_is_a_bare_404_may_be_a_figure():
    # A statistics page: "404" in big type, "migrants rescued" below it.
    assert not_found_message("Rescue at sea in 2023", ["404", "migrants rescued"],
                             "404 migrants rescued. 1,200 assisted on arrival.") == ""


def test_a_long_text_is_no_soft_404_whatever_its_title():
    text = " ".join(["word"] * MAX_WORDS)
    assert not_found_message("Page not found", [], text) == "Page not found"
    assert not_found_message("Page not found", [], text + " more") == ""
    # A report on broken links, titled as a not-found page.
    report = "Broken links in migration research repositories, a survey. " * 30
    assert not_found_message("Page not found", ["Page not found"], report) == ""


def test_chinese_text_counts_two_characters_a_word():
    assert word_count("页面不存在") == 2.5
    assert word_count("Error 404: 页面不存在") == 4.5
    text = "移" * (2 * MAX_WORDS)
    assert not_found_message("页面不存在", [], text) == "页面不存在"
    assert not_found_message("页面不存在", [], text + "民民") == ""


# -- the HTML extractor ------------------------------------------------------------------

def _page(title: str, body: str, lang: str = "en") -> bytes:
    return (f"<!doctype html><html lang='{lang}'><head><title>{title}</title></head><body>"
            "<header><h1 class='logo'>Ministry of Labour</h1><nav><a href='/'>Home</a> "
            f"<a href='/news'>News</a></nav></header><main>{body}</main>"
            "<footer>Contact. Privacy.</footer></body></html>").encode()


@pytest.mark.parametrize(("data", "said"), [
    # Drupal.
    (_page("Page not found | Ministry of Labour",
           "<h1>Page not found</h1><p>The requested page \"/node/12\" could not be found.</p>"),
     "Page not found"),
    # WordPress: the site's name as title; the heading after the logo's; widgets kept.
    (_page("Migration Data Blog",
           "<h1>Oops! That page can&rsquo;t be found.</h1><p>It looks like nothing was found"
           " at this location. Maybe try one of the links below or a search?</p>"
           "<h2>Recent Posts</h2><ul><li>Remittances in 2023: what the data say</li>"
           "<li>Climate mobility in the Sahel</li></ul><h2>Archives</h2>"
           "<p>Try looking in the monthly archives.</p>"),
     "Oops! That page can’t be found."),
    (_page("页面不存在_国家移民管理局", "<div><h2>抱歉，您访问的页面不存在！</h2>"
           "<p>请检查您输入的网址是否正确，或返回首页。</p></div>", "zh"), "页面不存在"),
    (_page("وزارة العمل", "<h2>عذراً، الصفحة غير موجودة</h2><p>الصفحة التي تبحث عنها غير "
           "موجودة أو تم نقلها.</p>", "ar"), "عذراً، الصفحة غير موجودة"),
])
def test_the_html_extractor_says_a_page_is_a_soft_404(data, said):
    extracted = extract_html(data)
    assert said in extracted.not_found
    assert extracted.text                  # still extracted: the worker decides


def test_the_html_extractor_keeps_a_short_report_titled_with_the_words():
    data = _page("404 migrants found dead at sea | Ministry of Labour",
                 "<h1>404 migrants found dead at sea</h1><p>The bodies of 404 migrants were "
                 "recovered in the central Mediterranean this year.</p>")
    assert extract_html(data).not_found == ""


# -- the worker and the decide stage -----------------------------------------------------

SOFT_404 = _page("Page not found | Ministry of Labour",
                 "<h1>Page not found</h1><p>The requested page could not be found.</p>")
URL = "https://ministry.example/pages/report.html"


def _task(fetched: Fetched | None, location: str = URL) -> Task:
    item = Item(source_id="src", doc_id="d1", location=location, url=URL)
    return Task(item, "Source", "ILO", {}, "", FetchOptions(10_000_000, 5, "test"),
                fetched=fetched)


def test_the_worker_raises_a_soft_404_read_over_http_as_a_gone_fetch_error():
    with pytest.raises(FetchError) as raised:
        process(_task(Fetched(SOFT_404, "text/html; charset=utf-8", URL)))
    assert raised.value.reason == "soft-404" and raised.value.gone
    assert '"Page not found"' in raised.value.message


def test_a_local_file_saying_not_found_is_still_a_document(tmp_path, repo_root,
                                                          monkeypatch):
    import indexer.worker as worker

    monkeypatch.setattr(worker, "_TAXONOMY", load_taxonomy(repo_root / "corpus" / "taxonomy"))
    path = tmp_path / "page.html"
    path.write_bytes(SOFT_404)
    outcome = process(_task(None, str(path)))
    assert outcome.document.title == "Page not found"


def _row(status: str = "indexed", **extra) -> UrlState:
    values = dict(url=URL, source_id="src", status=status, etag="", last_modified="",
                  lastmod="", content_hash="h", fingerprint="", simhash=0, band0=0,
                  band1=0, band2=0, band3=0, doc_id="d1", links="", first_seen="",
                  last_seen="", last_error="", error_count=0, missing_runs=0)
    return UrlState(**{**values, **extra})


class _Index:
    def __init__(self, *ids: str):
        self.ids = set(ids)

    def exists(self, doc_id: str) -> bool:
        return doc_id in self.ids

    def get(self, doc_id: str) -> Document | None:
        return None


def _decider(state, index: _Index, rows: dict) -> Decider:
    source = Source(id="src", name="Source", agency="ILO", kind="crawl", options={},
                    over_http=True)
    return Decider(source, SourceReport("src"), index=index, state=state,
                   known={i: "h" for i in index.ids}, rows=rows,
                   options=RunOptions(taxonomy_dir=Path(".")), force=False,
                   emit=lambda event: None, run_number=5)


@pytest.fixture
def state(tmp_path):
    with CrawlState(tmp_path / "crawl.sqlite") as crawl:
        yield crawl


def _item() -> Item:
    return Item(source_id="src", doc_id="d1", location=URL, url=URL)


def test_an_indexed_page_that_now_says_not_found_leaves_as_on_a_404(state):
    soft = _decider(state, _Index("d1"), {URL: _row()})
    soft_actions = soft.worker_result(
        _item(), False, FetchError("the page says \"Page not found\"", "soft-404"))
    hard = _decider(state, _Index("d1"), {URL: _row()})
    hard_actions = hard.arrived(_item(), FetchError("Not Found", "http-404")).actions

    assert Delete("d1") in soft_actions
    assert [type(a) for a in soft_actions] == [type(a) for a in hard_actions]
    assert soft.report.counts == hard.report.counts == {"removed": 1}


def test_a_new_url_that_says_not_found_is_a_failure_then_known_dead(state):
    decide = _decider(state, _Index(), {})
    decide.worker_result(_item(), False, FetchError("says \"Page not found\"", "soft-404"))
    assert [(f.reason, f.location) for f in decide.report.failures] == [("soft-404", URL)]
    assert decide.report.counts["failed"] == 1

    dead = _row(status="gone", dead_reason="soft-404", dead_checks=1)
    later = _decider(state, _Index(), {URL: dead})
    later.worker_result(_item(), False, FetchError("says \"Page not found\"", "soft-404"))
    assert later.report.failures == []
    assert later.report.counts == {"known_dead": 1}
