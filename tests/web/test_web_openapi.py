"""The JSON API against its own OpenAPI description: a schema-driven fuzzer
(schemathesis) sends what the description allows and much it does not; no answer may
be a 500, or differ from what the description promises."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from searchhub.models import FACET_NAMES


@pytest.mark.parametrize("path", ["/api/search", "/api/suggest", "/api/doc/{doc_id}", "/api/health",
                                  "/api/platforms", "/api/platforms/{platform_id}",
                                  "/api/platforms/links", "/api/overview",
                                  "/api/regions/{slug}", "/api/collections",
                                  "/api/collections/{slug}"])
def test_api_answers_as_described(app, path):
    operation = schemathesis.openapi.from_wsgi("/api/openapi.json", app)[path]["GET"]

    # (schemathesis's own pytest plugin does not run on pytest 9: its cases are drawn
    # here with Hypothesis directly.)
    @given(case=operation.as_strategy())
    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_as_described(case):
        case.call_and_validate(headers={"Accept-Encoding": "identity"})

    answers_as_described()


def test_description_names_every_facet_and_serves_a_page_for_people(client, get_page):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    params = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert set(FACET_NAMES) <= params and {"q", "sort", "page", "page_size"} <= params
    page = get_page("/api/docs")
    assert sorted(page.texts("//section/h2")) == sorted(f"GET {path}" for path in spec["paths"])
    assert "agency" in page.texts("//section[@id='search']//td/code")
