"""Suggestions as one types, in Debian's chromium: the search box is a WAI-ARIA
combobox over /api/suggest (keyboard, mouse, right to left, axe)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.e2e
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LISTBOX = "#q-suggestions"
OPTIONS = "#q-suggestions [role=option]"


@pytest.fixture
def page(browser):
    # bypass_csp: only so that the axe test may add its script; the app's own script
    # runs under the policy either way.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    yield context.new_page()
    context.close()


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _active(page) -> str | None:
    return page.get_attribute("#q", "aria-activedescendant")


def test_arrows_move_and_enter_applies_the_theme_picked(page, demo_server):
    page.goto(demo_server + "/")
    box = page.locator("#q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    box.click()
    page.keyboard.type("retur")
    page.wait_for_selector(LISTBOX, state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == "q-suggestions"
    assert page.get_attribute(LISTBOX, "role") == "listbox"
    options = page.locator(OPTIONS)
    assert options.count() >= 2
    assert options.first.locator(".text").inner_text() == "Return and reintegration"
    assert options.first.locator(".kind").inner_text() == "Theme"
    assert _active(page) is None

    page.keyboard.press("ArrowDown")
    first, second = options.nth(0).get_attribute("id"), options.nth(1).get_attribute("id")
    assert _active(page) == first
    assert options.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowDown")
    assert _active(page) == second
    assert options.first.get_attribute("aria-selected") == "false"
    page.keyboard.press("ArrowUp")
    assert _active(page) == first
    assert page.evaluate("document.activeElement.id") == "q"     # the focus stays

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path.endswith("/search")
    assert _params(page.url)["theme"] == ["Return and reintegration"]
    assert "q" not in _params(page.url)
    assert page.locator("ul.chips").get_by_text("Return and reintegration").count() == 1
    assert page.locator("ol.hits li.hit").count() >= 1


def test_a_click_on_a_term_or_title_searches_for_it(page, demo_server):
    page.goto(demo_server + "/search?q=visa&agency=IOM")
    page.fill("#q", "")
    page.locator("#q").press_sequentially("asylum")
    page.wait_for_selector(LISTBOX, state="visible")
    plain = page.locator(OPTIONS).filter(has_not=page.locator(".kind")).first
    text = plain.locator(".text").inner_text()
    assert text.lower().startswith("asylum") or " asylum" in text.lower()
    with page.expect_navigation():
        plain.click()
    assert _params(page.url)["q"] == [text]
    assert _params(page.url)["agency"] == ["IOM"]     # the filters already chosen stay
    assert page.input_value("#q") == text


def test_escape_closes_and_one_letter_asks_nothing(page, demo_server):
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/api/suggest" in r.url else None)
    page.goto(demo_server + "/")
    page.locator("#q").press_sequentially("mi")
    page.wait_for_selector(LISTBOX, state="visible")
    assert asked and all("lang=en" in url for url in asked)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert page.locator(LISTBOX).is_hidden()
    assert page.get_attribute("#q", "aria-expanded") == "false"
    assert _active(page) is None
    assert page.input_value("#q") == "mi"          # Escape keeps what was typed

    page.keyboard.press("Backspace")
    asked.clear()
    page.wait_for_timeout(500)      # longer than the typing pause before asking
    assert page.locator(LISTBOX).is_hidden()
    assert asked == []
    # Enter with no option chosen searches for what was typed
    page.keyboard.type("igrants")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _params(page.url)["q"] == ["migrants"]


def test_arabic_suggestions_right_to_left(page, demo_server):
    page.goto(demo_server + "/?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    page.locator("#q").press_sequentially("هجرة")
    page.wait_for_selector(LISTBOX, state="visible")
    texts = page.locator(f"{OPTIONS} .text").all_inner_texts()
    assert "هجرة اليد العاملة" in texts
    # the listbox hangs under the box, from its right edge
    box = page.locator("#q").bounding_box()
    listbox = page.locator(LISTBOX).bounding_box()
    assert abs((box["x"] + box["width"]) - (listbox["x"] + listbox["width"])) <= 2
    assert listbox["y"] >= box["y"] + box["height"] - 1
    theme = page.locator(OPTIONS).filter(has_text="هجرة اليد العاملة").first
    assert theme.locator(".kind").inner_text() == page.evaluate(
        "document.getElementById('q').dataset.kindTheme")
    with page.expect_navigation():
        theme.click()
    assert _params(page.url)["theme"] == ["Labour migration"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_open_listbox_has_no_serious_axe_finding(page, demo_server, lang):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm ci` at the repository root")
    page.goto(f"{demo_server}/?lang={lang}")
    page.locator("#q").press_sequentially("هجرة" if lang == "ar" else "mi")
    page.wait_for_selector(LISTBOX, state="visible")
    page.keyboard.press("ArrowDown")
    page.add_script_tag(path=str(AXE))
    findings = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations'],
                                           rules: {'target-size': {enabled: true}}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    assert page.locator(LISTBOX).is_visible()
    assert not [f for f in findings if f["impact"] in ("serious", "critical")], findings


def test_a_late_answer_to_an_earlier_keystroke_is_ignored(page, demo_server):
    from playwright.sync_api import Error

    held = []

    def hold_the_first(route):
        if not held:
            held.append(route)          # answered only after the second one
        else:
            route.continue_()

    def typed(q):
        return lambda r: "/api/suggest" in r.url and _params(r.url).get("q") == [q]

    page.route(lambda url: "/api/suggest" in url, hold_the_first)
    page.goto(demo_server + "/")
    with page.expect_request(typed("re")):
        page.locator("#q").press_sequentially("re")
    with page.expect_response(typed("retu")):
        page.locator("#q").press_sequentially("tu")
    page.wait_for_selector(LISTBOX, state="visible")
    shown = page.locator(f"{OPTIONS} .text").all_inner_texts()
    assert shown and all("retu" in text.lower() for text in shown)
    try:
        held[0].continue_()             # the answer for "re" arrives late, if still awaited
    except Error:
        pass                            # the page had given up on it already
    page.wait_for_timeout(500)
    assert page.locator(f"{OPTIONS} .text").all_inner_texts() == shown
