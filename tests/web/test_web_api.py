"""The JSON API answers what the pages answer, with the same parameters."""

from __future__ import annotations

import pytest
from demo_corpus import DEMO_BY_AGENCY, DEMO_COUNT, last_page_hits, page_count

from searchhub.models import FACET_NAMES

HIT_FIELDS = {"id", "title", "url", "agency", "regions", "countries", "themes",
              "gcm_objectives", "language", "type", "date", "snippet", "page_number"}


def test_search_json_shape(api):
    data = api("/api/search?q=migration")
    assert data["page"] == 1 and data["total"] > 10
    assert len(data["hits"]) == 10
    for hit in data["hits"]:
        assert HIT_FIELDS <= hit.keys()
        assert isinstance(hit["regions"], list) and isinstance(hit["gcm_objectives"], list)
    assert set(data["facets"]) == set(FACET_NAMES)
    for values in data["facets"].values():
        for fv in values:
            assert {"value", "count", "selected"} <= fv.keys()
            assert fv["selected"] is False and fv["count"] > 0


def test_api_and_page_take_the_same_parameters(api, get_page):
    params = ("q=migrants&agency=IOM&agency=UNHCR&region=West+and+Central+Africa"
              "&language=en&sort=newest&page_size=4")
    data = api(f"/api/search?{params}")
    assert data["page_size"] == 4
    assert data["query"]["filters"] == {"agency": ["IOM", "UNHCR"],
                                        "region": ["West and Central Africa"],
                                        "language": ["en"]}
    assert get_page(f"/search?{params}").hit_ids == [h["id"] for h in data["hits"]]
    for hit in data["hits"]:
        assert hit["agency"] in ("IOM", "UNHCR") and hit["language"] == "en"
        assert "West and Central Africa" in hit["regions"]


@pytest.mark.parametrize("name, value, field", [
    ("country", "Mexico", "countries"), ("theme", "Labour migration", "themes"),
    ("gcm", "21", "gcm_objectives"), ("type", "Report", "type"), ("year", "2019", "date"),
])
def test_each_facet_filters(api, name, value, field):
    expected = {fv["value"]: fv["count"] for fv in api("/api/search")["facets"][name]}[value]
    data = api(f"/api/search?{name}={value}&page_size=50")
    assert data["total"] == expected
    for hit in data["hits"]:
        got = hit[field]
        if name == "gcm":
            assert int(value) in got
        elif name == "year":
            assert got.startswith(value)
        else:
            assert value in got if isinstance(got, list) else got == value


def test_facet_counts_are_disjunctive(api):
    everything = api("/api/search")["facets"]
    iom = api("/api/search?agency=IOM")
    # the selected facet still counts its other values as if it were not selected ...
    agency = {fv["value"]: (fv["count"], fv["selected"]) for fv in iom["facets"]["agency"]}
    assert agency == {fv["value"]: (fv["count"], fv["value"] == "IOM")
                      for fv in everything["agency"]}
    # ... while the other facets count only what the selection leaves
    assert sum(fv["count"] for fv in iom["facets"]["language"]) == iom["total"] \
        == DEMO_BY_AGENCY["IOM"]
    both = api("/api/search?agency=IOM&language=fr")
    assert {fv["value"] for fv in both["facets"]["language"]} >= {"en", "fr"}
    assert {fv["value"]: fv["count"] for fv in both["facets"]["agency"]}["IOM"] == both["total"]


def test_pages_of_the_api(api):
    pages = page_count(20)
    assert pages >= 2, "the demo corpus fills more than one page of 20"
    first = api("/api/search?page_size=20")
    last = api(f"/api/search?page_size=20&page={pages}")
    assert first["pages"] == last["pages"] == pages
    assert len(last["hits"]) == last_page_hits(20) and last["page"] == pages
    assert {h["id"] for h in first["hits"]}.isdisjoint(h["id"] for h in last["hits"])


def test_did_you_mean_in_the_api(api):
    assert api("/api/search?q=reintegraton")["suggestion"] == "reintegration"


def test_api_document(api):
    doc = api("/api/doc/demo-unhcr-rohingya-coxs-bazar-2017.html")
    assert doc["agency"] == "UNHCR" and doc["date"] == "2017-12-01"
    assert "Rohingya" in doc["text"] and doc["text_truncated"] is False


def test_errors_are_json_with_a_message(api):
    bad_page = api("/api/search?page=abc", status=400)
    assert "page must be a whole number" in bad_page["error"]["message"]
    missing = api("/api/doc/demo-nope", status=404)
    assert "demo-nope" in missing["error"]["message"]
    assert api("/api/no-such-endpoint", status=404)["error"]["status"] == 404
    assert "whole number" in api("/api/search?page_size=ten", status=400)["error"]["message"]


def test_health(api):
    assert api("/api/health") == {"status": "ok", "documents": DEMO_COUNT}


def test_a_spanish_query_finds_english_reports_through_cognates(api, get_page):
    # The demo corpus is in English and no lexicon term names "vulnerabilidad": the
    # reports are found as holding "vulnerability" (one word ending in "-idad" tells
    # Spanish), and marked on the English word they hold.
    data = api("/api/search?q=vulnerabilidad")
    assert data["total"] >= 1 and all(h["language"] == "en" for h in data["hits"])
    assert all("<mark>vulnerab" in h["snippet"].lower() for h in data["hits"])
    page = get_page("/search?q=vulnerabilidad")
    assert page.hit_ids == [h["id"] for h in data["hits"]]
