"""A real browser (Debian's chromium, driven by Playwright) against a real server."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from searchhub.engine import Engine
from searchhub.models import Document

pytestmark = pytest.mark.e2e
DOCS = [
    ("ret-1", "Return and reintegration in the Horn of Africa", "IOM", "East and Horn of Africa",
     "Return and reintegration support for migrants returning to Ethiopia and Somalia.", 2021),
    ("ret-2", "Reintegration of returnees in West Africa", "IOM", "West and Central Africa",
     "Economic reintegration of returnees in Guinea and Mali after assisted return.", 2019),
    ("lab-1", "Recruitment fees and labour migration", "ILO", "Middle East and North Africa",
     "Migrant workers pay recruitment fees; fair recruitment and labour migration in Qatar.",
     2022),
    ("ref-1", "Refugee protection in Kenya", "UNHCR", "East and Horn of Africa",
     "Refugee status determination and return of refugees in Kenya, Kakuma camp.", 2020),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, serve):
    data = tmp_path_factory.mktemp("browser")
    with Engine(data / "index") as engine, engine.writer() as writer:
        for doc_id, title, agency, region, text, year in DOCS:
            writer.add(Document(doc_id, title, f"https://example.org/{doc_id}.pdf", "demo",
                                agency, [text, "Annex. " + text], "en", [region],
                                themes=["Return and reintegration"] if "ret" in doc_id else [],
                                type="Report", date=dt.date(year, 5, 1), format="pdf"))
    env = {**os.environ, "SEARCHHUB_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "searchhub.cli", "users", "add", "cora", "--role",
                    "curator", "--password-stdin"], input=b"correct horse battery\n",
                   env=env, check=True, capture_output=True)
    with serve(env) as base:
        yield base


@pytest.fixture
def page(server, browser):
    page = browser.new_page()
    yield page
    page.close()


def test_search_facets_and_chips(page, server, tmp_path):
    page.goto(server + "/")
    page.fill("input[name=q]", "reintegration")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?*q=reintegration*")
    titles = page.locator("ol.hits li.hit h3").all_inner_texts()
    assert set(titles) == {"Return and reintegration in the Horn of Africa",
                           "Reintegration of returnees in West Africa"}
    assert page.locator("mark").count() >= 2          # highlighted snippets
    assert "page" in page.locator("a.source").first.inner_text()

    page.click("#facet-region a[data-value='West and Central Africa']")
    page.wait_for_url("**region=West*")
    assert page.locator("ol.hits li.hit").count() == 1
    chip = page.locator("ul.chips a", has_text="West and Central Africa")
    assert chip.count() == 1
    # Disjunctive counts: the region facet still offers the other region.
    assert page.locator("#facet-region a[data-value='East and Horn of Africa']").count() == 1
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    chip.click()
    page.wait_for_load_state()
    assert page.locator("ol.hits li.hit").count() == 2
    assert page.locator("ul.chips a", has_text="West and Central Africa").count() == 0


def test_curator_flags_a_hit_without_reloading(page, server):
    page.goto(server + "/login")
    page.fill("#name", "cora")
    page.fill("#password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(server + "/search?q=recruitment+fees")
    page.evaluate("window.__sameDocument = true")       # gone if the page reloads
    hit = page.locator("ol.hits li.hit").first
    hit.locator("details.flag summary").click()
    hit.locator("select[name=reason]").select_option("outdated")
    hit.locator("textarea[name=comment]").fill("Figures from 2022, superseded.")
    hit.locator("form.flag-form button[type=submit]").click()
    status = hit.locator(".flag-status")
    status.wait_for(state="visible")
    page.wait_for_function("document.querySelector('.flag-status').textContent.length > 0")
    assert page.evaluate("window.__sameDocument") is True

    page.goto(server + "/curate")
    queue = page.locator("main").inner_text()
    assert "Recruitment fees and labour migration" in queue
    assert "Figures from 2022, superseded." in queue


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_visitor_reports_a_problem_with_and_without_the_script(browser, server, javascript):
    """The page sets no cookie; the report form gets its CSRF token when opened (the
    script) or from the report page it links to (no script), and the report arrives."""
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    response = page.goto(server + "/search?q=recruitment+fees")
    assert "set-cookie" not in response.headers
    hit = page.locator("ol.hits li.hit").first
    hit.locator("details.flag summary").click()
    comment = f"Broken link ({'script' if javascript else 'no script'})."
    if not javascript:
        hit.get_by_role("link", name="Open the report form").click()
        page.wait_for_url(lambda url: "/flag/" in url)
        hit = page.locator("main")
    hit.locator("select[name=reason]").select_option("broken-link")
    hit.locator("textarea[name=comment]").fill(comment)
    hit.locator("form.flag-form button[type=submit]").click()
    if javascript:
        status = hit.locator(".flag-status")
        status.wait_for(state="visible")
        page.wait_for_function("() => document.querySelector('.flag-status').textContent")
        assert status.inner_text().startswith("Thank you")
    else:
        page.wait_for_url("**/search?q=recruitment*")
        assert page.locator(".flashes").inner_text().startswith("Thank you")
    context.close()

    curator = browser.new_context()
    page = curator.new_page()
    page.goto(server + "/login")
    page.fill("#name", "cora")
    page.fill("#password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(server + "/curate?origin=public")
    assert comment in page.locator("main").inner_text()
    curator.close()


def test_years_fields_and_results_per_page_keep_the_search(page, server):
    page.goto(server + "/search?q=return&agency=IOM")
    # The dates as machines read them (people read them in the interface's language).
    dates = "els => els.map(el => el.getAttribute('datetime'))"
    all_years = page.locator("ol.hits li.hit time").evaluate_all(dates)
    page.fill("#year_from", "2020")
    page.fill("#year_to", "2022")
    page.get_by_role("button", name="Apply years").click()
    page.wait_for_url("**year_to=2022*")
    assert "q=return" in page.url and "agency=IOM" in page.url
    shown = page.locator("ol.hits li.hit time").evaluate_all(dates)
    assert shown == [t for t in all_years if "2020" <= t[:4] <= "2022"] and len(shown) < len(
        all_years)
    assert page.locator("ul.chips a", has_text="Years: 2020–2022").count() == 1
    # A new search from the box keeps the years.
    page.fill("#q", "reintegration")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=reintegration*")
    assert "year_from=2020" in page.url and "year_to=2022" in page.url
    page.get_by_role("link", name="Show 20 results per page").click()
    page.wait_for_url("**page_size=20*")
    assert "year_from=2020" in page.url and "q=reintegration" in page.url
