"""The search page as a person uses it: query box, hits, facets, chips, sorting, pages."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from demo_corpus import DEMO_BY_AGENCY, DEMO_COUNT, last_page_hits

from searchhub.models import FACET_NAMES
from searchhub.web import create_app


@pytest.mark.parametrize("url", ["/", "/search"])
def test_first_page_has_query_box_hits_and_every_facet_with_counts(get_page, api, url):
    page = get_page(url)
    assert page.xpath("//form[@role='search']//input[@name='q']")
    assert len(page.hit_ids) == 10
    assert f"{DEMO_COUNT}" in page.texts("//div[@class='summary']")[0]
    expected = api("/api/search")["facets"]
    for name in FACET_NAMES:
        counts = page.facet_counts(name)
        assert counts, f"facet {name} is missing from the sidebar"
        assert all(n > 0 for n in counts.values())
        assert counts == {fv["value"]: fv["count"] for fv in expected[name]}
    assert sum(page.facet_counts("agency").values()) == DEMO_COUNT
    assert page.facet_counts("agency") == DEMO_BY_AGENCY


def test_hit_shows_title_agency_date_snippet_and_source_link(get_page, api):
    page = get_page("/search?q=return+and+reintegration&agency=IOM")
    data = api("/api/search?q=return+and+reintegration&agency=IOM")
    assert page.hit_ids == [h["id"] for h in data["hits"]]
    first, hit = page.xpath("//li[contains(@class, 'hit')]")[0], data["hits"][0]
    assert hit["id"] == "demo-iom-avrr-west-africa-2019.pdf"
    assert " ".join(first.xpath("string(.//h3/a)").split()) == hit["title"]
    assert first.xpath(".//h3/a/@href") == [f"/doc/{hit['id']}"]
    assert first.xpath("string(.//span[@class='agency'])") == "IOM"
    assert first.xpath(".//time/@datetime") == ["2019-06-12"]
    marks = [m.text.lower() for m in first.xpath(".//p[@class='snippet']/mark")]
    assert "reintegration" in marks and "return" in marks
    # A demo folder has no public_url: the hit links only to its document page.
    assert first.xpath(".//a[@class='source']") == []
    assert hit["url"] == f"http://localhost/doc/{hit['id']}"


def test_pdf_hits_name_the_page_of_the_match(get_page, api):
    data = api("/api/search?q=smuggling&page_size=20")
    pdf_hits = [h for h in data["hits"] if h["page_number"]]
    assert any(h["page_number"] > 1 for h in pdf_hits), "want a match past page 1"
    page = get_page("/search?q=smuggling&page_size=20")
    for hit in pdf_hits:
        li = page.xpath(f"//li[@data-id='{hit['id']}']")[0]
        # No public source link for the demo's folders: the page number stands alone.
        source = li.xpath(".//*[@class='source']")[0]
        assert f"page {hit['page_number']}" in source.text_content().lower()
    html_hit = next(h for h in data["hits"] if h["page_number"] is None)
    li = page.xpath(f"//li[@data-id='{html_hit['id']}']")[0]
    assert "page" not in li.xpath("string(.//*[@class='source'])").lower()


def test_facet_link_narrows_and_chip_removes_it(get_page, api):
    start = get_page("/search?q=migrants")
    total = api("/api/search?q=migrants")["total"]
    narrowed = get_page(start.facet_link("agency", "UNHCR"))
    assert 0 < len(narrowed.hit_ids) < total
    assert all(i.startswith("demo-unhcr-") for i in narrowed.hit_ids)
    chips = narrowed.texts("//ul[@class='chips']/li/a[@title]")
    # a screen reader hears what activating the chip does
    assert chips == ["Remove filter: Agency: UNHCR ×"]
    assert narrowed.xpath("//input[@name='q']/@value") == ["migrants"]
    # the selected value stays in its facet, ticked; clicking it again also removes it
    assert narrowed.xpath("//li[@class='selected']/a/@data-value") == ["UNHCR"]
    back = get_page(narrowed.href("//ul[@class='chips']//a[@title='Remove this filter']"))
    assert not back.xpath("//ul[@class='chips']")
    assert back.hit_ids == start.hit_ids
    assert get_page(narrowed.facet_link("agency", "UNHCR")).hit_ids == start.hit_ids


def test_facet_links_keep_the_query_and_the_other_filters(get_page):
    page = get_page("/search?q=migrants&theme=Labour+migration")
    link = urlsplit(page.facet_link("language", "en"))
    assert parse_qs(link.query) == {"q": ["migrants"], "theme": ["Labour migration"],
                                    "language": ["en"]}


def test_two_values_of_one_facet_are_ored(get_page, api):
    counts = {fv["value"]: fv["count"] for fv in api("/api/search")["facets"]["agency"]}
    iom = get_page("/search?agency=IOM")
    both = get_page(iom.facet_link("agency", "ILO"))
    assert f"{DEMO_COUNT}" not in both.texts("//div[@class='summary']")[0]
    data = api("/api/search?agency=IOM&agency=ILO&page_size=50")
    assert data["total"] == counts["IOM"] + counts["ILO"]
    assert {h["agency"] for h in data["hits"]} == {"IOM", "ILO"}
    assert len(both.xpath("//ul[@class='chips']//a[@title]")) == 2
    assert set(both.xpath("//li[@class='selected']/a/@data-value")) == {"IOM", "ILO"}


def test_sort_newest_orders_by_date(get_page, api):
    page = get_page("/search?q=migrants")
    newest = get_page(page.href("//p[@class='sort']/a"))
    assert parse_qs(urlsplit(newest.url).query)["sort"] == ["newest"]
    dates = newest.xpath("//li[contains(@class, 'hit')]//time/@datetime")
    assert len(dates) >= 5 and dates == sorted(dates, reverse=True)
    data = api("/api/search?q=migrants&sort=newest&page_size=100")
    dated = [h["date"] for h in data["hits"] if h["date"]]
    assert dated == sorted(dated, reverse=True)
    assert newest.hit_ids == [h["id"] for h in data["hits"][:10]]


def test_pagination_links_walk_through_every_result(get_page):
    page = get_page("/search")
    seen = list(page.hit_ids)
    assert not page.xpath("//a[@rel='prev']")
    while page.xpath("//a[@rel='next']"):
        page = get_page(page.href("//a[@rel='next']"))
        assert page.xpath("//nav[@class='pager']//strong[@aria-current='page']")
        seen += page.hit_ids
    assert len(seen) == len(set(seen)) == DEMO_COUNT
    assert page.xpath("//a[@rel='prev']")
    assert page.xpath("//ol[@class='hits']/@start") == [str(DEMO_COUNT - last_page_hits(10)
                                                            + 1)]


def test_pagination_and_sort_links_keep_the_page_size(get_page):
    page = get_page("/search?q=migrants&page_size=3")
    assert len(page.hit_ids) == 3
    second = get_page(page.href("//a[@rel='next']"))
    assert len(second.hit_ids) == 3
    assert set(second.hit_ids).isdisjoint(page.hit_ids)
    newest = get_page(page.href("//p[@class='sort']/a"))
    assert len(newest.hit_ids) == 3
    narrowed = get_page(page.facet_link("language", "en"))
    assert len(narrowed.hit_ids) == 3


def test_did_you_mean_for_a_misspelled_word(get_page):
    page = get_page("/search?q=reintegraton")
    assert page.texts("//p[@class='suggestion']") == ["Did you mean reintegration?"]
    fixed = get_page(page.href("//p[@class='suggestion']/a"))
    assert fixed.xpath("//input[@name='q']/@value") == ["reintegration"]
    assert len(fixed.hit_ids) >= 3


def test_nothing_matched_is_a_helpful_page(client, get_page):
    page = get_page("/search?q=zzyzxqwv&agency=IOM&year=2019")
    assert page.hit_ids == []
    nothing = " ".join(page.texts("//div[@class='nothing']"))
    assert "No documents match" in nothing and "zzyzxqwv" in nothing
    assert "Remove a filter" in nothing
    unfiltered = get_page(page.href("//div[@class='nothing']//a[text()='search without filters']"))
    assert parse_qs(urlsplit(unfiltered.url).query) == {"q": ["zzyzxqwv"]}
    assert len(page.xpath("//ul[@class='chips']//a[@title]")) == 2


def test_empty_page_without_filters_still_says_so(get_page):
    page = get_page("/search?q=zzyzxqwv")
    assert "No documents match" in page.texts("//div[@class='nothing']/h2")[0]


def test_hit_meta_names_the_language(get_page):
    page = get_page("/search?q=trabajadores+temporales")
    meta = page.texts("//li[@data-id='demo-ilo-trabajadores-temporales-guatemala-canada-2023.pdf']"
                      "//p[@class='meta']")
    # The date as the interface's language writes it; the machine-readable one beside it.
    assert meta == ["ILO · Report · Jul 11, 2023 · Spanish · North America, "
                    "Latin America and the Caribbean"]
    assert page.xpath("//li[@data-id='demo-ilo-trabajadores-temporales-guatemala-canada-2023"
                      ".pdf']//p[@class='meta']/time/@datetime") == ["2023-07-11"]


def test_no_index_yet_is_a_503_page_saying_how_to_build_one(tmp_path):
    client = create_app({"data_dir": tmp_path}).test_client()
    page = client.get("/")
    assert page.status_code == 503
    assert "searchhub index" in page.get_data(as_text=True)
    api = client.get("/api/search?q=x")
    assert api.status_code == 503 and "searchhub index" in api.get_json()["error"]["message"]


def test_selected_facet_values_say_so_to_screen_readers(get_page):
    page = get_page("/search?q=migrants&agency=ILO")
    selected = page.texts("//section[@id='facet-agency']//li[@class='selected']/a")
    assert len(selected) == 1 and " ILO " in selected[0]
    assert selected[0].endswith("(selected; remove this filter)")
    others = page.texts("//section[@id='facet-agency']//li[not(@class='selected')]/a")
    assert others and not any("selected" in text for text in others)


def test_only_the_empty_home_page_takes_the_focus(get_page):
    assert get_page("/").xpath("//input[@name='q'][@autofocus]")
    for url in ("/search?q=migrants", "/search?agency=IOM", "/search?page=2"):
        assert not get_page(url).xpath("//input[@name='q'][@autofocus]"), url


def test_skip_link_comes_first_and_leads_to_the_results(get_page):
    page = get_page("/search?q=migrants")
    first = page.xpath("//body//a")[0]
    assert first.text_content() == "Skip to results" and first.get("href") == "#results"
    assert page.xpath("//*[@id='results']/@tabindex") == ["-1"]
    assert len(page.xpath("//h1")) == 1


def test_long_facets_show_more_and_link_every_value(get_page, api):
    everything = api("/api/search?page_size=1")["facets"]["country"]
    assert len(everything) == 50           # the engine's cap: the demo has more countries
    page = get_page("/search")
    facet = "//section[@id='facet-country']"
    assert len(page.xpath(facet + "/ul/li")) == 10
    assert len(page.xpath(facet + "/details[@class='more']/ul/li")) == 40
    assert "More…" in page.texts(facet + "/details/summary")[0]
    all_values = get_page(page.href(facet + "//p[@class='all-values']/a"))
    countries = all_values.xpath("//ul[@id='all-values']/li/a/@data-value")
    assert len(countries) == len(set(countries)) > 50
    assert set(countries) >= {fv["value"] for fv in everything}
    # every value can be chosen, and the counts are those of the search
    last = all_values.xpath("//ul[@id='all-values']/li/a")[-1]
    narrowed = api(f"/api/search?country={last.get('data-value')}")
    assert narrowed["total"] == int(last.xpath("string(.//span[@class='count'])")) > 0
    chosen = get_page(all_values.href(f"//a[@data-value=\"{last.get('data-value')}\"]"))
    assert sorted(chosen.hit_ids) == sorted(h["id"] for h in narrowed["hits"])
    assert chosen.xpath(facet + "//li[@class='selected']/a/@data-value") == [
        last.get("data-value")]


def test_facet_page_keeps_the_search_and_filters_without_javascript(get_page, api):
    page = get_page("/facet/country?q=migrants&agency=IOM&contains=ni")
    shown = page.xpath("//ul[@id='all-values']/li[not(@hidden)]/a/@data-value")
    assert shown and all("ni" in v.lower() for v in shown)
    hidden = page.xpath("//ul[@id='all-values']/li[@hidden]/a/@data-value")
    assert hidden and not any("ni" in v.lower() for v in hidden)
    expected = api("/api/search?q=migrants&agency=IOM")["facets"]["country"]
    counts = {a.get("data-value"): int(a.xpath("string(.//span[@class='count'])"))
              for a in page.xpath("//ul[@id='all-values']/li/a")}
    assert {fv["value"]: fv["count"] for fv in expected}.items() <= counts.items()
    link = urlsplit(page.href(f"//a[@data-value='{shown[0]}']"))
    assert link.path == "/search"
    assert parse_qs(link.query) == {"q": ["migrants"], "agency": ["IOM"], "country": [shown[0]]}
    form = page.xpath("//form[@class='value-filter']//input[@type='hidden']")
    assert sorted((i.get("name"), i.get("value")) for i in form) == [("agency", "IOM"),
                                                                      ("q", "migrants")]
    back = urlsplit(page.href("//a[text()='← Back to the results']"))
    assert parse_qs(back.query) == {"q": ["migrants"], "agency": ["IOM"]}


def test_unknown_facet_page_is_404(client):
    assert client.get("/facet/nope").status_code == 404
