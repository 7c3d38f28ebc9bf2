"""The platform facet: set by the indexer from each source's platform, filtered in
the API, the page and the query syntax."""

from __future__ import annotations

from demo_corpus import DEMO_BY_AGENCY


def test_each_document_carries_its_sources_platform(api):
    counts = {fv["value"]: fv["count"] for fv in api("/api/search")["facets"]["platform"]}
    assert counts["iom-publications"] == DEMO_BY_AGENCY["IOM"]
    assert counts["unhcr-refworld"] == DEMO_BY_AGENCY["UNHCR"]
    assert "iom-migration-data-portal" not in counts        # mapped, not indexed
    data = api("/api/search?platform=iom-publications&page_size=50")
    assert data["total"] == DEMO_BY_AGENCY["IOM"]
    assert {h["platform"] for h in data["hits"]} == {"iom-publications"}
    assert {h["agency"] for h in data["hits"]} == {"IOM"}


def test_the_query_syntax_and_the_sidebar_narrow_by_platform(api, get_page):
    typed = api("/api/search?q=platform:unhcr-refworld&page_size=50")
    assert typed["total"] == DEMO_BY_AGENCY["UNHCR"]
    assert {h["platform"] for h in typed["hits"]} == {"unhcr-refworld"}
    page = get_page("/search?q=migrants")
    counts = page.facet_counts("platform")
    assert counts and sum(counts.values()) == sum(page.facet_counts("agency").values())
    narrowed = get_page(page.facet_link("platform", "ilo-labour-migration"))
    assert narrowed.hit_ids and all(i.startswith("demo-ilo-") for i in narrowed.hit_ids)
