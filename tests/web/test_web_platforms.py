"""The platform directory and pages of the demo registry, through HTTP."""

from __future__ import annotations

from demo_corpus import DEMO_BY_AGENCY


def test_the_directory_lists_every_platform_with_its_documents(api, get_page):
    data = api("/api/platforms")
    by_id = {p["id"]: p for p in data}
    assert {"id", "name", "agency", "documents", "health"} <= data[0].keys()
    iom = by_id["iom-publications"]
    assert iom["documents"] == DEMO_BY_AGENCY["IOM"]
    assert sum(v["count"] for v in iom["by_language"]) == iom["documents"]
    assert sum(v["count"] for v in iom["by_type"]) == iom["documents"]
    assert iom["top_themes"] and len(iom["top_themes"]) <= 5
    assert iom["health"] in ("ok", "degraded", "failing", "never run")
    mapped = by_id["r4v-platform"]
    assert mapped["mapped_only"] and mapped["documents"] == 0 and "search_url" not in mapped
    assert mapped["health"] == "never run"
    # the link that searches only its documents finds exactly them
    search = api("/api/search?" + iom["search_url"].split("?", 1)[1])
    assert search["total"] == iom["documents"]

    page = get_page("/platforms")
    entries = page.xpath("//li[@class='platform']")
    assert [li.get("data-id") for li in entries] == [p["id"] for p in data]
    link = page.href("//li[@data-id='unhcr-refworld']//a[@class='search-platform']")
    assert get_page(link).hit_ids and all(
        i.startswith("demo-unhcr-") for i in get_page(link).hit_ids)


def test_the_directory_filters_by_agency_scope_region_theme_and_language(api, get_page):
    everything = api("/api/platforms")
    iom = api("/api/platforms?agency=IOM")
    assert {p["agency"] for p in iom} == {"IOM"} and len(iom) == sum(
        p["agency"] == "IOM" for p in everything)
    regional = api("/api/platforms?scope=regional&region=Latin+America+and+the+Caribbean")
    assert [p["id"] for p in regional] == ["r4v-platform"]
    thematic = api("/api/platforms?theme=Migration+data&scope=thematic")
    assert "iom-migration-data-portal" in {p["id"] for p in thematic}
    assert api("/api/platforms?language=pt") and all(
        "pt" in p["languages"] or any(v["value"] == "pt" for v in p["by_language"])
        for p in api("/api/platforms?language=pt"))
    page = get_page("/platforms?agency=UNHCR")
    assert {li.get("data-id") for li in page.xpath("//li[@class='platform']")} == {
        p["id"] for p in everything if p["agency"] == "UNHCR"}
    assert page.xpath("//select[@name='agency']/option[@selected]/@value") == ["UNHCR"]


def test_a_platform_page_shows_its_sources_and_newest_documents(api, get_page):
    data = api("/api/platforms/ilo-labour-migration")
    assert data["sources"] == ["demo-ilo"] and data["documents"] == DEMO_BY_AGENCY["ILO"]
    dates = [d["date"] for d in data["newest"] if d["date"]]
    assert dates == sorted(dates, reverse=True) and len(data["newest"]) <= 10
    page = get_page("/platforms/ilo-labour-migration")
    assert page.texts("//h1") == [data["name"]]
    assert "ILO publications (demo)" in page.text
    newest = [a.get("href") for a in page.xpath("//ol[@class='newest']//a")]
    assert newest == [f"/doc/{d['id']}" for d in data["newest"]]
    assert get_page("/platforms/iom-migration-data-portal").texts("//h1") == [
        "Migration Data Portal"]


def test_an_unknown_platform_is_a_404_in_html_and_json(client, api):
    assert client.get("/platforms/nowhere").status_code == 404
    assert "nowhere" in api("/api/platforms/nowhere", status=404)["error"]["message"]


def test_documents_curators_hid_are_not_counted(make_app, make_doc):
    from searchhub import database
    from searchhub.curation.store import act

    docs = [make_doc(f"d{n}", f"Report {n}", "Labour migration text " * 5,
                     platform="ilo-labour-migration", source_id="demo-ilo", agency="ILO")
            for n in range(3)]
    app = make_app(docs)
    client = app.test_client()
    assert client.get("/api/platforms/ilo-labour-migration").get_json()["documents"] == 3
    conn = database.connect(app.extensions["searchhub"].settings.curation_db)
    act(conn, "cora", "hide", "d1", why="a test")
    conn.close()
    data = client.get("/api/platforms/ilo-labour-migration").get_json()
    assert data["documents"] == 2 and "d1" not in {d["id"] for d in data["newest"]}
    assert {p["id"]: p["documents"] for p in client.get("/api/platforms").get_json()}[
        "ilo-labour-migration"] == 2


def test_the_home_page_shows_the_ways_in_after_the_search_box(get_page):
    page = get_page("/")
    ways = page.xpath("//nav[@aria-label='Ways in']")
    assert len(ways) == 1
    assert page.xpath("//form[@role='search']/following::nav[@aria-label='Ways in']")
    hrefs = set(ways[0].xpath(".//a/@href"))
    assert {"/platforms", "/regions", "/overview", "/regions/mena"} <= hrefs
    assert not get_page("/search?q=migrants").xpath("//nav[@aria-label='Ways in']")


def test_the_demo_platforms_link_to_each_other(api, get_page, client):
    graph = api("/api/platforms/links")
    rows = {(r["from"], r["to"]): r["links"] for r in graph["links"]}
    assert rows[("iom-publications", "unhcr-refworld")] >= 1
    assert rows[("unhcr-refworld", "ilo-labour-migration")] >= 1
    assert any(to == "iom-migration-data-portal" for _, to in rows)     # a mapped platform
    assert "www.migration-network.example.net" in {h["host"] for h in graph["unknown_hosts"]}
    page = get_page("/platforms/links")
    assert len(page.xpath("//*[local-name()='svg'][@role='img']//*[local-name()='circle']")) \
        >= 8
    table = {(tr.get("data-from"), tr.get("data-to")): int(tr.xpath("string(td[2])"))
             for tr in page.xpath("//table[contains(@class, 'links-table')]/tbody/tr")}
    assert table == rows
    iom = api("/api/platforms/iom-publications")
    assert {r["to"] for r in iom["links_to"]} >= {"unhcr-refworld", "ilo-labour-migration"}
    # The table's From and To are a link's ends, not the search form's "from year".
    russian = get_page("/platforms/links?lang=ru")
    assert russian.texts("//table[contains(@class, 'links-table')]//th")[:2] == [
        "Откуда", "Куда"]
    assert get_page("/search?lang=ru").texts("//label[@for='year_from']") == ["С"]


def test_the_document_page_names_its_platform(get_page):
    page = get_page("/doc/demo-unhcr-asylum-borders-greece-hungary-2016.html")
    assert page.texts("//a[@href='/platforms/unhcr-refworld']") == ["UNHCR Refworld"]
