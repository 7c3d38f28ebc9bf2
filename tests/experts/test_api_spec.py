"""The experts' API against its OpenAPI description (schemathesis, as for the search
API): no 500, nothing the description does not promise."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings


@pytest.mark.parametrize("path", ["/api/experts", "/api/experts/{key}", "/api/search"])
def test_the_experts_api_answers_as_described(demo_app, path):
    operation = schemathesis.openapi.from_wsgi("/api/openapi.json", demo_app)[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_as_described(case):
        case.call_and_validate(headers={"Accept-Encoding": "identity"})

    answers_as_described()


def test_the_description_and_its_page_name_the_experts_api(demo_app):
    client = demo_app.test_client()
    spec = client.get("/api/openapi.json").get_json()
    assert {"/api/experts", "/api/experts/{key}"} <= set(spec["paths"])
    assert "experts" in spec["components"]["schemas"]["SearchResult"]["properties"]
    page = client.get("/api/docs").get_data(as_text=True)
    assert 'id="experts"' in page and 'id="expert"' in page
