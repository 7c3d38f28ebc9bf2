"""The from/to year filter (year_from, year_to) and the choice of results per page, on
the search page, in the API and in the feeds. Expected counts come from the demo
corpus's own year facet, never from numbers written here."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import feedparser
import lxml.html  # a dependency of trafilatura
import pytest
from demo_corpus import DEMO_COUNT

from searchhub.web import create_app


@pytest.fixture
def year_counts(api) -> dict[int, int]:
    """The demo corpus's documents per year, from the unfiltered year facet."""
    return {int(fv["value"]): fv["count"] for fv in api("/api/search")["facets"]["year"]}


def _inner_range(year_counts) -> tuple[int, int]:
    years = sorted(year_counts)
    assert len(years) >= 4, "the demo corpus should span several years"
    return years[1], years[-2]


def _expected(year_counts, lo=None, hi=None) -> dict[int, int]:
    return {y: n for y, n in year_counts.items()
            if (lo is None or y >= lo) and (hi is None or y <= hi)}


def test_from_to_years_narrow_exactly(api, year_counts):
    lo, hi = _inner_range(year_counts)
    expected = _expected(year_counts, lo, hi)
    assert 0 < sum(expected.values()) < DEMO_COUNT
    data = api(f"/api/search?year_from={lo}&year_to={hi}&page_size=100")
    assert data["total"] == sum(expected.values())
    assert data["query"]["year_from"] == lo and data["query"]["year_to"] == hi
    assert all(lo <= int(hit["date"][:4]) <= hi for hit in data["hits"])
    # The year facet counts only the years within the range; the others sum to the total.
    assert {int(fv["value"]): fv["count"] for fv in data["facets"]["year"]} == expected
    assert sum(fv["count"] for fv in data["facets"]["agency"]) == data["total"]


@pytest.mark.parametrize("side", ["year_from", "year_to"])
def test_an_open_end_keeps_every_year_beyond(api, year_counts, side):
    lo, hi = _inner_range(year_counts)
    expected = (_expected(year_counts, lo=lo) if side == "year_from"
                else _expected(year_counts, hi=hi))
    data = api(f"/api/search?{side}={lo if side == 'year_from' else hi}")
    assert data["total"] == sum(expected.values())


def test_years_combine_with_facets_and_chosen_years(api, year_counts):
    lo, hi = _inner_range(year_counts)
    iom = {int(fv["value"]): fv["count"]
           for fv in api("/api/search?agency=IOM")["facets"]["year"]}
    data = api(f"/api/search?agency=IOM&year_from={lo}&year_to={hi}")
    assert data["total"] == sum(_expected(iom, lo, hi).values())
    # The agency facet counts under the years too (still disjunctive for agency).
    agencies = {fv["value"]: fv["count"] for fv in data["facets"]["agency"]}
    assert agencies["IOM"] == data["total"]
    # A year chosen as a facet value within the range: that year alone.
    data = api(f"/api/search?year={lo}&year_from={lo}&year_to={hi}")
    assert data["total"] == year_counts[lo]
    # One outside the range: nothing matches, and the chosen year still shows, with 0.
    outside = min(year_counts)
    data = api(f"/api/search?year={outside}&year_from={lo}&year_to={hi}")
    assert data["total"] == 0
    chosen = [fv for fv in data["facets"]["year"] if fv["selected"]]
    assert [(fv["value"], fv["count"]) for fv in chosen] == [(str(outside), 0)]


def test_the_page_shows_the_years_as_a_removable_chip(get_page, year_counts):
    lo, hi = _inner_range(year_counts)
    page = get_page(f"/search?q=migration&agency=IOM&year_from={lo}&year_to={hi}")
    chips = page.texts("//ul[@class='chips']/li/a[not(@class='clear')]")
    assert f"Remove filter: Years: {lo}–{hi} ×" in chips
    # The sidebar's year facet lists only the years within the range.
    assert {int(y) for y in page.facet_counts("year")} <= set(range(lo, hi + 1))
    # Facet links, the search box and the years form keep the years.
    query = parse_qs(urlsplit(page.facet_link("language", "en")).query)
    assert (query["year_from"], query["year_to"]) == ([str(lo)], [str(hi)])
    # The years fields belong to the search form (so a new search keeps them, and
    # "Apply" keeps the search and its filters).
    box = page.xpath("//form[@role='search']")[0]
    fields = {(i.get("name"), i.get("value")) for i in box.xpath(".//input")
              + page.xpath(f"//input[@form='{box.get('id')}']") if i.get("name")}
    assert fields == {("q", "migration"), ("agency", "IOM"), ("year_from", str(lo)),
                      ("year_to", str(hi))}
    assert page.xpath(f"//section[@id='facet-years']//button[@form='{box.get('id')}']")
    # The chip removes the years and nothing else.
    removed = get_page(page.href("//ul[@class='chips']//a[contains(., 'Years')]"))
    assert parse_qs(urlsplit(removed.url).query) == {"q": ["migration"], "agency": ["IOM"]}


def test_years_form_and_chip_wording_for_one_open_end(get_page, year_counts):
    lo, _ = _inner_range(year_counts)
    page = get_page(f"/search?year_from={lo}")
    assert f"Remove filter: Years: from {lo} ×" in page.texts("//ul[@class='chips']/li/a")
    total = int(page.xpath("string(//div[@class='summary']//strong)").replace(",", ""))
    assert total == sum(_expected(year_counts, lo=lo).values())


def test_the_year_facet_page_honours_the_years(get_page, year_counts):
    lo, hi = _inner_range(year_counts)
    page = get_page(f"/facet/year?year_from={lo}&year_to={hi}")
    values = {int(a.get("data-value")) for a in page.xpath("//a[@data-value]")}
    assert values == set(_expected(year_counts, lo, hi))


def test_feeds_take_the_years(client, api, year_counts):
    lo, hi = _inner_range(year_counts)
    expected = api(f"/api/search?year_from={lo}&year_to={hi}&page_size=100")
    rows = list(csv.DictReader(io.StringIO(client.get(
        f"/search.csv?year_from={lo}&year_to={hi}").get_data(as_text=True))))
    assert len(rows) == expected["total"]
    assert sorted(r["id"] for r in rows) == sorted(h["id"] for h in expected["hits"])
    assert expected["total"] <= 100           # every hit in the range is in ``expected``
    feed = feedparser.parse(client.get(f"/search.atom?year_from={lo}&year_to={hi}").get_data())
    ids = [entry.id.rsplit("/doc/", 1)[1] for entry in feed.entries]
    assert len(ids) == min(50, expected["total"])
    assert set(ids) <= {h["id"] for h in expected["hits"]}


def test_openapi_describes_the_year_parameters(client):
    spec = client.get("/api/openapi.json").get_json()
    params = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params["year_from"]["schema"]["type"] == "integer"
    assert params["year_to"]["schema"]["minimum"] <= 1951 <= params["year_to"]["schema"][
        "maximum"]


# -- results per page -------------------------------------------------------------

def test_results_per_page_choices_keep_the_search_and_go_to_page_one(app, get_page):
    settings = app.extensions["searchhub"].settings
    page = get_page("/search?q=migration&agency=IOM&year_from=2000&sort=newest&page=2")
    choices = page.xpath("//p[@class='per-page']/*[self::a or self::strong]")
    sizes = [int(el.text_content().split()[-4] if el.tag == "a" else el.text_content())
             for el in choices]
    assert sizes == sorted({10, 20, 50, 100, settings.page_size})
    assert all(n <= settings.max_page_size for n in sizes)
    assert page.xpath("//p[@class='per-page']/strong[@aria-current]/text()") == [
        str(settings.page_size)]
    link = page.href("//p[@class='per-page']/a[contains(., ' 20 ')]")
    query = parse_qs(urlsplit(link).query)
    assert query == {"q": ["migration"], "agency": ["IOM"], "year_from": ["2000"],
                     "sort": ["newest"], "page_size": ["20"]}
    twenty = get_page(link)
    assert len(twenty.hit_ids) == min(20, int(twenty.xpath(
        "string(//div[@class='summary']//strong)").replace(",", "")))
    assert twenty.xpath("//p[@class='per-page']/strong/text()") == ["20"]
    # Back to the default size: the parameter leaves the URL.
    default = twenty.href(f"//p[@class='per-page']/a[contains(., ' {settings.page_size} ')]")
    assert "page_size" not in parse_qs(urlsplit(default).query)


def test_results_per_page_choices_stop_at_the_largest_allowed(demo_data_dir):
    app = create_app({"data_dir": demo_data_dir, "page_size": 25, "max_page_size": 50})
    page = lxml.html.fromstring(app.test_client().get("/search?q=migration").get_data())
    sizes = [int(t) for t in page.xpath("//p[@class='per-page']//text()") if t.strip().isdigit()]
    assert sizes == [10, 20, 25, 50]
    assert page.xpath("//p[@class='per-page']/strong/text()") == ["25"]
