"""The search page names platforms as the registry does (sidebar, chips, a facet's
page, the API's labels) and links a selected region to its page."""

from __future__ import annotations

from urllib.parse import quote_plus


def test_the_platform_facet_shows_the_registrys_names(get_page, api):
    page = get_page("/search?q=migrants")
    labels = dict(zip(page.xpath("//section[@id='facet-platform']//a/@data-value"),
                      page.texts("//section[@id='facet-platform']//a/span[@class='value']"),
                      strict=True))
    assert labels["iom-publications"] == "IOM Publications Platform"
    assert labels["ilo-labour-migration"] == "ILO Labour Migration pages"

    narrowed = get_page(page.facet_link("platform", "iom-publications"))
    chips = narrowed.texts("//ul[@class='chips']/li/a[@title='Remove this filter']")
    assert any("Platform: IOM Publications Platform" in chip for chip in chips)
    assert not any("iom-publications" in chip for chip in chips)

    values = get_page("/facet/platform?q=migrants")
    shown = values.texts("//ul[@id='all-values']//span[@class='value']")
    assert "IOM Publications Platform" in shown

    facets = {fv["value"]: fv["label"]
              for fv in api("/api/search?q=migrants")["facets"]["platform"]}
    assert facets["iom-publications"] == "IOM Publications Platform"


def test_a_selected_region_links_to_its_page_beside_its_chip(get_page):
    region = "Latin America and the Caribbean"
    page = get_page(f"/search?region={quote_plus(region)}")
    assert page.xpath("//ul[@class='about-regions']//a/@href") == [
        "/regions/latin-america-caribbean"]
    # the chip still removes the filter
    chip = page.href("//ul[@class='chips']/li/a[@title='Remove this filter']")
    assert "region=" not in chip

    assert not get_page("/search?q=migrants").xpath("//ul[@class='about-regions']")
