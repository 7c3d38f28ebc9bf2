"""The search as a keyboard user and a phone user meet it, in Debian's chromium."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
FOCUSED = """() => { const el = document.activeElement;
    return {tag: el.tagName, id: el.id, cls: el.className, text: el.textContent.trim(),
            facet: el.dataset.facet || null, value: el.dataset.value || null}; }"""


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def tab_until(page, wanted, limit: int = 80) -> int:
    """Press Tab until ``wanted(focused)`` holds; returns the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if wanted(page.evaluate(FOCUSED)):
            return presses
    raise AssertionError(f"not reached in {limit} Tab presses: {page.evaluate(FOCUSED)}")


def is_first_hit(page):
    first = page.locator("ol.hits li.hit h3 a").first.inner_text()
    return lambda el: el["tag"] == "A" and el["text"] == first


def test_keyboard_walk_through(desktop, demo_server):
    page = desktop
    page.goto(demo_server + "/search?q=migrants")
    # The results page leaves the focus alone, so Tab starts at the skip link.
    assert page.evaluate(FOCUSED)["tag"] == "BODY"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Skip to results"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "results"
    assert tab_until(page, is_first_hit(page)) <= 2

    # Choose a facet value with the keyboard...
    page.goto(demo_server + "/search?q=migrants")
    tab_until(page, lambda el: el["facet"] == "agency" and el["value"] == "IOM")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["migrants"], "agency": ["IOM"]}
    assert page.locator("ol.hits li.hit").count() > 0
    # ...and the first result is a few Tab presses away (40 before the skip link).
    presses = tab_until(page, lambda el: el["text"] == "Skip to results")
    page.keyboard.press("Enter")
    presses += tab_until(page, is_first_hit(page))
    assert presses <= 5

    # Remove it with the keyboard, from its chip.
    page.goto(page.url)
    tab_until(page, lambda el: el["text"].startswith("Remove filter: Agency: IOM"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["migrants"]}
    assert page.locator("ul.chips").count() == 0


def test_only_the_empty_home_page_takes_the_focus(desktop, demo_server):
    desktop.goto(demo_server + "/")
    assert desktop.evaluate(FOCUSED)["id"] == "q"
    desktop.goto(demo_server + "/search?agency=IOM")
    assert desktop.evaluate(FOCUSED)["tag"] == "BODY"


def test_phone_shows_the_first_hit_on_the_first_screen(phone, demo_server):
    page = phone
    page.goto(demo_server + "/search?q=migrants&language=en")
    hit = page.locator("ol.hits li.hit").first.bounding_box()
    assert hit is not None and hit["y"] < PHONE["height"]
    agency = page.locator("#facet-agency")
    assert not agency.is_visible()
    filters = page.locator("details.filters > summary")
    assert filters.is_visible() and "1 selected" in filters.inner_text()
    filters.click()
    assert agency.is_visible()
    page.locator("#facet-agency a[data-value='IOM']").click()
    page.wait_for_url("**agency=IOM*")
    assert page.locator("ul.chips a", has_text="Agency: IOM").count() == 1


def test_phone_filters_open_from_the_keyboard(phone, demo_server):
    phone.goto(demo_server + "/search?q=migrants")
    tab_until(phone, lambda el: el["tag"] == "SUMMARY" and el["text"].startswith("Filters"))
    phone.keyboard.press("Enter")
    assert phone.locator("#facet-agency").is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_desktop_shows_the_facets_without_a_filters_control(browser, demo_server, javascript):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(demo_server + "/search?q=migrants")
    assert page.locator("#facet-agency a[data-value='IOM']").is_visible()
    assert not page.locator("details.filters > summary").is_visible()
    context.close()


def test_sidebar_filter_box_finds_a_value_behind_more(desktop, demo_server):
    page = desktop
    page.goto(demo_server + "/search")
    kenya = page.locator("#facet-country a[data-value='Kenya']")
    box = page.get_by_label("Filter Country values")
    box.fill("keny")
    assert kenya.is_visible()
    shown = page.locator("#facet-country li:visible a").evaluate_all(
        "links => links.map(a => a.dataset.value)")
    assert shown == ["Kenya"]
    assert "1 of 50 values shown" in page.locator("#facet-country .values-shown").inner_text()


def test_facet_page_filters_as_you_type(desktop, demo_server):
    page = desktop
    page.goto(demo_server + "/search")
    page.locator("#facet-country summary").click()
    page.locator("#facet-country .all-values a").click()
    page.wait_for_url("**/facet/country*")
    values = page.locator("#all-values li")
    total = values.count()
    assert total > 50
    page.get_by_label("Show country values containing").fill("cote")   # Côte d'Ivoire
    visible = page.locator("#all-values li:visible a").evaluate_all(
        "links => links.map(a => a.dataset.value)")
    assert visible and all("te d" in v for v in visible), visible
    assert f"of {total} values shown" in page.locator("#values-shown").inner_text()


def test_back_to_search_keeps_the_query_and_filters(desktop, demo_server):
    page = desktop
    page.goto(demo_server + "/search?q=migrants&agency=IOM&sort=newest")
    search_url = page.url
    page.locator("ol.hits li.hit h3 a").first.click()
    page.wait_for_url("**/doc/*")
    page.get_by_role("link", name="← Back to search").click()
    page.wait_for_url("**/search?*")
    assert page.url == search_url


def test_report_sent_moves_the_focus_to_its_message(desktop, demo_server):
    page = desktop
    page.goto(demo_server + "/search?q=migrants")
    hit = page.locator("ol.hits li.hit").first
    hit.locator("details.flag summary").click()
    hit.locator("textarea[name=comment]").fill("Broken link.")
    hit.locator("form.flag-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.classList.contains('flag-status')")
    assert page.evaluate(FOCUSED)["text"]


def test_search_box_border_and_page_links_are_big_and_clear_enough(desktop, demo_server):
    page = desktop
    page.goto(demo_server + "/search?q=migrants")
    border = page.locator("#q").evaluate("el => getComputedStyle(el).borderTopColor")
    rgb = [int(c) for c in border[border.index("(") + 1:-1].split(",")[:3]]

    def luminance(channels):
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                  for c in (x / 255 for x in channels)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    assert (1.05) / (luminance(rgb) + 0.05) >= 3       # against the white page
    for link in page.locator("nav.pager a").all():
        box = link.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, link.inner_text()
