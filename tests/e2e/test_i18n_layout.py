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
