"""Region pages: what a region's documents are about, its platforms, a scoped search."""

from __future__ import annotations


def test_a_region_page_counts_as_the_search_filtered_by_it(api, get_page):
    data = api("/api/regions/latin-america-caribbean")
    search = api("/api/search?region=Latin+America+and+the+Caribbean&sort=newest")
    assert data["label"] == "Latin America and the Caribbean"
    assert data["documents"] == search["total"] > 0
    themes = {fv["value"]: fv["count"] for fv in search["facets"]["theme"]}
    assert {t["value"]: t["count"] for t in data["top_themes"]}.items() <= themes.items()
    assert sum(y["count"] for y in data["years"]) == data["documents"] - sum(
        1 for h in api("/api/search?region=Latin+America+and+the+Caribbean&page_size=100")
        ["hits"] if not h["date"])
    assert [d["id"] for d in data["newest"]] == [h["id"] for h in search["hits"]]
    assert "r4v-platform" in {p["id"] for p in data["platforms"]}

    page = get_page("/regions/latin-america-caribbean")
    assert page.xpath("//form[@role='search']//input[@name='region']/@value") == [
        "Latin America and the Caribbean"]
    bars = page.xpath("//svg//rect[@class='bar']")
    assert bars and page.xpath("//svg[@role='img']/title")
    assert page.href("//a[contains(@href, '/platforms/r4v-platform')]")


def test_every_region_of_the_taxonomy_has_a_page(get_page, client):
    index = get_page("/regions")
    links = index.xpath("//ul[@class='regions']//a/@href")
    assert len(links) >= 8
    for href in links:
        assert client.get(href).status_code == 200, href
    assert client.get("/regions/atlantis").status_code == 404


def test_the_document_page_links_its_regions(get_page):
    page = get_page("/doc/demo-unhcr-asylum-borders-greece-hungary-2016.html")
    assert page.xpath("//a[@href='/regions/europe-central-asia']")
