"""The Arabic interface in Debian's chromium: right to left, the facets on the right of
the results, arrows pointing the way the page reads; the English one as it was."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def boxes(page) -> tuple[dict, dict]:
    return (page.locator("aside.facets").bounding_box(),
            page.locator("section.results").bounding_box())


def test_arabic_search_page_reads_right_to_left(page, demo_server):
    page.goto(demo_server + "/search?q=migrants&lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    facets, results = boxes(page)
    assert facets["x"] >= results["x"] + results["width"], (facets, results)
    assert page.locator("#facet-theme-label").inner_text() == "الموضوع"
    # The "next page" arrow is mirrored to point left, the way Arabic reads.
    transform = page.locator("a[rel=next] .arrow").evaluate(
        "el => getComputedStyle(el).transform")
    assert transform.startswith("matrix(-1"), transform
    # A hit in English keeps its own direction inside the Arabic page.
    english = page.locator("li.hit h3 a[lang=en]").first
    assert english.evaluate("el => getComputedStyle(el).direction") == "ltr"

    # The switch leads back to English, with the facets on the left again.
    page.locator("nav.languages a[hreflang=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "ltr"
    facets, results = boxes(page)
    assert facets["x"] + facets["width"] <= results["x"], (facets, results)
    assert "q=migrants" in page.url


def _reads_right_to_left(page, table: str) -> None:
    """The page is Arabic and right to left: ``table``'s first column is on the right of
    its last one, and the heading starts at the right edge of the main column."""
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    headers = page.locator(f"{table} thead th")
    first, last = headers.first.bounding_box(), headers.last.bounding_box()
    assert first["x"] > last["x"] + last["width"] - 1, (first, last)
    main, h1 = page.locator("main").bounding_box(), page.locator("h1").bounding_box()
    assert abs((main["x"] + main["width"]) - (h1["x"] + h1["width"])) < 40, (main, h1)


def test_arabic_curation_and_admin_pages_read_right_to_left(page, demo_server, log_in):
    log_in(page, "ada")                 # an admin reaches the curation pages too
    page.goto(demo_server + "/curate/report?lang=ar")
    _reads_right_to_left(page, "table.quality")
    assert page.locator("h1").inner_text() == "تقرير التنسيق"
    # The language is remembered: the queue and the admin pages stay in Arabic.
    page.goto(demo_server + "/curate")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text().startswith("البلاغات المفتوحة")
    filters = page.locator("form.queue-filters label")
    assert filters.first.bounding_box()["x"] > filters.last.bounding_box()["x"]
    page.goto(demo_server + "/admin/sources")
    _reads_right_to_left(page, "table.sources")
    assert page.locator("table.sources thead th").first.inner_text() == "المصدر"
