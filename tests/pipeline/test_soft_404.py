"""Soft 404s: a partner site that answers a missing page with HTTP 200 and a page
saying "Page not found" (in English, French, Spanish, Russian, Arabic or Chinese, as
Drupal, WordPress, ASP.NET and government CMSs do). The crawl takes it for a 404: not
indexed, a failure whose reason (``soft-404``) the run report shows, then a known dead
link; a document whose URL comes to answer one leaves the index as a 404'd one does.
Reports whose titles merely hold "404" or "not found" stay documents. Crawled over
HTTP on 127.0.0.1, run after run."""

from __future__ import annotations

import pytest
from pipeline_helpers import LOREM_EN, counts, found, web_sources
from platform_server import Platform, Static, Status

from indexer.pipeline import run
from indexer.state import CrawlState, crawl_db_path
from searchhub.models import Query


def cms_page(title: str, heading: str, text: str, lang: str = "en") -> bytes:
    """A page as a CMS serves it: the site's header and menu, a main region, a footer."""
    return (f"<!doctype html><html lang='{lang}'><head><title>{title}</title></head><body>"
            "<header><a href='/'>Ministry of Labour</a><nav><ul>"
            "<li><a href='/pages/'>Publications</a></li><li><a href='/about'>About</a></li>"
            f"</ul></nav></header><main><h1>{heading}</h1><p>{text}</p></main>"
            "<footer>Ministry of Labour, 2024. Contact. Privacy.</footer></body></html>"
            ).encode()


#: What CMSs answer, with a 200, for a page that is not there.
SOFT_404S = {
    # Drupal's stock page.
    "/pages/node-1234": cms_page("Page not found | Ministry of Labour", "Page not found",
                                 'The requested page "/pages/node-1234" could not be found.'),
    # WordPress: the heading says it, the title is the site's; widgets below.
    "/pages/2019/05/old-post/": (
        b"<!doctype html><html lang='en-US'><head><title>Migration Data Blog</title></head>"
        b"<body class='error404'><main id='main'><section class='error-404 not-found'>"
        b"<header class='page-header'><h1 class='page-title'>Oops! That page can&rsquo;t "
        b"be found.</h1></header><div class='page-content'><p>It looks like nothing was "
        b"found at this location. Maybe try one of the links below or a search?</p>"
        b"<h2>Recent Posts</h2><ul><li><a href='/pages/'>Remittances in 2023</a></li>"
        b"<li><a href='/pages/'>Climate mobility in the Sahel</a></li></ul>"
        b"<h2>Archives</h2><p>Try looking in the monthly archives.</p></div></section>"
        b"</main></body></html>"),
    "/pages/fr/rapport-2017": cms_page(
        "Erreur 404 : page introuvable - Ministère du Travail", "Page introuvable",
        "La page que vous recherchez n'existe pas ou a été déplacée. Retournez à "
        "l'accueil.", "fr"),
    "/pages/es/informe-2017": cms_page(
        "Página no encontrada | Ministerio de Trabajo", "¡Ups! Página no encontrada",
        "Lo sentimos, la página que busca no existe. Vuelva a la página de inicio.", "es"),
    "/pages/ru/doklad-2017": cms_page(
        "404 — Страница не найдена", "Страница не найдена",
        "Запрашиваемая страница не существует или была удалена. Перейдите на главную "
        "страницу сайта.", "ru"),
    "/pages/ar/report-2017": cms_page(
        "خطأ 404 - الصفحة غير موجودة", "عذراً، الصفحة غير موجودة",
        "الصفحة التي تبحث عنها غير موجودة أو تم نقلها. يرجى العودة إلى الصفحة الرئيسية.",
        "ar"),
    "/pages/zh/report-2017": cms_page(
        "页面不存在_劳动部", "抱歉，您访问的页面不存在！",
        "请检查您输入的网址是否正确，或返回首页。", "zh"),
}

#: Real (short) reports whose titles hold the words: documents, not soft 404s.
REPORTS = {
    "/pages/dead-at-sea.html": cms_page(
        "404 migrants found dead at sea | Ministry of Labour",
        "404 migrants found dead at sea",
        "The bodies of 404 migrants were recovered in the central Mediterranean this year, "
        "most of them off the coast of Libya, the coast guard reported on Monday."),
    "/pages/bodies.html": cms_page(
        "Missing Migrants: bodies not found", "Missing Migrants: bodies not found",
        "Families of migrants who disappeared on the Atlantic route say the bodies of "
        "their relatives were never recovered, and ask for DNA identification."),
}


def documents(p: Platform) -> set[str]:
    """The URLs of the documents the crawl must index: the listing and the reports."""
    return {p.url("/pages/")} | {p.url(path) for path in REPORTS}


def _publish(p: Platform, *, extra: dict[str, bytes] | None = None) -> None:
    pages = {**SOFT_404S, **REPORTS, **(extra or {})}
    p.routes["/robots.txt"] = Static(b"User-agent: *\n", "text/plain", validators=False)
    p.routes["/pages/"] = Static(cms_page("Publications", "Publications", LOREM_EN * 3)
                                 .replace(b"</main>", "".join(
                                     f'<a href="{path}">{path}</a> ' for path in pages)
                                 .encode() + b"</main>"))
    for path, body in pages.items():
        p.routes[path] = Static(body)


def _source(tmp_path, p: Platform):
    return web_sources(tmp_path, "crawl", id="ministry", name="Ministry of Labour",
                       agency="ILO", urls=[f"{p.base}/pages/"], prefixes=[f"{p.base}/pages/"],
                       max_depth=2)


def test_soft_404s_are_failures_not_documents_then_known_dead(tmp_path, engine,
                                                              crawl_options, platform):
    p = platform
    _publish(p)
    sources = _source(tmp_path, p)
    first = run(engine, sources, crawl_options)
    # The listing and the two reports are documents; the seven soft 404s are failures.
    assert counts(first) == {"added": 3, "failed": 7}
    failures = first.sources[0].failures
    assert sorted(f.location for f in failures) == sorted(p.url(u) for u in SOFT_404S)
    assert {f.reason for f in failures} == {"soft-404"}
    drupal = next(f for f in failures if f.location.endswith("node-1234"))
    assert '"Page not found"' in drupal.message and "soft 404" in drupal.message
    # The report the CLI prints and the runs database keep the reason.
    assert {f["reason"] for f in first.as_dict()["sources"][0]["failures"]} == {"soft-404"}
    assert first.failed == 7
    with CrawlState(crawl_db_path(crawl_options.data_dir)) as state:
        assert {f["reason"] for f in state.run_failures(first.run_id)} == {"soft-404"}
        row = state.get("ministry", p.url("/pages/node-1234"))
        assert (row.status, row.dead_reason, row.dead_checks) == ("gone", "soft-404", 1)

    # Searchers get the reports, never a "Page not found" hit.
    assert engine.count() == 3
    assert found(engine, "coast guard Libya") == {"dead-at-sea.html"}
    assert found(engine, "DNA identification") == {"bodies.html"}
    for words in ("page not found", "requested page", "introuvable", "encontrada",
                  "найдена", "غير موجودة", "页面不存在", "monthly archives"):
        hits = engine.search(Query(words)).hits
        assert all(h.document.url in documents(p) for h in hits), words

    # Run 2: nothing new. The soft 404s are asked again (the first rest is one run) and
    # counted as known dead links, not as failures again.
    mark = len(p.log)
    second = run(engine, sources, crawl_options)
    assert counts(second) == {"unchanged": 3, "known_dead": 7}
    assert second.failed == 0
    assert [h.status for h in p.hits("/pages/node-1234", since=mark)] == [200]

    # Run 3: they rest (two runs now): not asked, still counted.
    mark = len(p.log)
    third = run(engine, sources, crawl_options)
    assert counts(third) == {"unchanged": 3, "known_dead": 7}
    assert p.hits("/pages/node-1234", since=mark) == []

    # The page comes back with content: indexed once asked again.
    p.routes["/pages/node-1234"] = Static(cms_page(
        "Seasonal work permits | Ministry of Labour", "Seasonal work permits",
        "Seasonal agricultural workers from Guatemala in Canada. " * 10))
    fourth = run(engine, sources, crawl_options)
    assert fourth.failed == 0 and fourth.total("added") == 1
    assert found(engine, "seasonal Guatemala") == {"node-1234"}


@pytest.mark.parametrize("answer", ["http-404", "soft-404"])
def test_a_document_whose_url_answers_a_soft_404_leaves_as_for_a_404(
        tmp_path, engine, crawl_options, platform, answer):
    # The same story told with a real 404 and with a soft one: the counts of every run
    # and the crawl state's row must be the same (one policy for both).
    p = platform
    report = cms_page("Labour migration in the Gulf | Ministry of Labour",
                      "Labour migration in the Gulf",
                      "Domestic workers in the Gulf and the kafala sponsorship system. " * 10)
    _publish(p, extra={"/pages/gulf.html": report})
    sources = _source(tmp_path, p)
    first = run(engine, sources, crawl_options)
    assert first.total("added") == 4
    assert found(engine, "kafala sponsorship") == {"gulf.html"}

    # The report is taken down: the site answers its URL with its "not found" page.
    p.routes["/pages/gulf.html"] = (Status(404, {"Content-Type": "text/html"},
                                           SOFT_404S["/pages/node-1234"])
                                    if answer == "http-404" else
                                    Static(SOFT_404S["/pages/node-1234"]))
    second = run(engine, sources, crawl_options)
    # It leaves at once, and its removal is no failure; the other soft 404s are known.
    assert counts(second) == {"unchanged": 3, "removed": 1, "known_dead": 7}
    assert second.failed == 0
    assert found(engine, "kafala sponsorship") == set()
    with CrawlState(crawl_db_path(crawl_options.data_dir)) as state:
        row = state.get("ministry", p.url("/pages/gulf.html"))
        assert (row.status, row.dead_reason, row.dead_checks) == ("gone", answer, 1)
        assert row.last_error.startswith(f"{answer}: ")

    # Still not there next run: a known dead link, asked again after one run's rest.
    mark = len(p.log)
    third = run(engine, sources, crawl_options)
    assert counts(third) == {"unchanged": 3, "known_dead": 8}
    assert third.failed == 0
    assert len(p.hits("/pages/gulf.html", since=mark)) == 1
    with CrawlState(crawl_db_path(crawl_options.data_dir)) as state:
        row = state.get("ministry", p.url("/pages/gulf.html"))
        assert (row.status, row.dead_reason, row.dead_checks) == ("gone", answer, 2)
