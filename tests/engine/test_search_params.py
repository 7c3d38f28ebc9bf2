"""searchhub.search: request parameters in, JSON-ready results out."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from werkzeug.datastructures import MultiDict

from searchhub.errors import BadRequest
from searchhub.models import Query
from searchhub.search import params_for, query_from_params, result_to_dict

from .conftest import make_doc


def test_multi_valued_params_become_or_filters():
    query, notices = query_from_params(MultiDict([
        ("q", "migrants"), ("agency", "IOM"), ("agency", "UNHCR"), ("gcm", "23"),
        ("theme", " "), ("unknown", "x")]))
    assert query == Query("migrants", {"agency": ["IOM", "UNHCR"], "gcm": ["23"]},
                          "relevance", 1, 10)
    assert notices == []


def test_plain_dict_with_lists():
    query, _ = query_from_params({"q": "x", "agency": ["IOM", "ILO"], "year": "2020",
                                  "page": "2", "page_size": "5", "sort": "Newest"})
    assert query == Query("x", {"agency": ["IOM", "ILO"], "year": ["2020"]}, "newest", 2, 5)


def test_defaults():
    query, notices = query_from_params({}, default_page_size=20)
    assert query == Query("", {}, "relevance", 1, 20)
    assert notices == []


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "1.5"}, {"page_size": "ten"}])
def test_unreadable_numbers_are_a_bad_request(params):
    with pytest.raises(BadRequest) as info:
        query_from_params(params)
    assert info.value.status == 400
    assert next(iter(params)) in info.value.message


def test_page_size_over_the_maximum_is_clamped_with_a_notice():
    query, notices = query_from_params({"page_size": "1000"}, max_page_size=100)
    assert query.page_size == 100
    assert len(notices) == 1 and "page_size" in notices[0]
    query, notices = query_from_params({"page_size": "0"})
    assert query.page_size == 1
    assert notices


def test_page_below_one_is_page_one_with_a_notice():
    query, notices = query_from_params({"page": "-3"})
    assert query.page == 1
    assert notices


def test_unknown_sort_is_relevance_with_a_notice():
    query, notices = query_from_params({"sort": "oldest"})
    assert query.sort == "relevance"
    assert any("oldest" in notice for notice in notices)


def test_params_for_round_trips():
    query = Query("migrants", {"agency": ["IOM", "ILO"], "gcm": ["23"]}, "newest", 3, 10)
    params = params_for(query)
    assert query_from_params(MultiDict([(k, v) for k, vs in params.items()
                                        for v in (vs if isinstance(vs, list) else [vs])])
                             )[0] == query


HIT_KEYS = {"id", "title", "url", "agency", "regions", "countries", "themes",
            "gcm_objectives", "language", "type", "date", "snippet", "page_number"}


def test_result_to_dict_shape(make_engine):
    engine = make_engine([
        make_doc("p", pages=["intro", "about remittances"], format="pdf", agency="IOM",
                 regions=["Africa"], countries=["Kenya"], themes=["labour"],
                 gcm_objectives=[20], type="Report", date=dt.date(2021, 2, 3)),
        make_doc("q", "nothing", agency="ILO"),
    ])
    result = engine.search(Query("remittances", {"agency": ["IOM"]}))
    out = result_to_dict(result)
    json.dumps(out)   # JSON-ready
    assert out["total"] == 1
    assert out["page"] == 1
    [hit] = out["hits"]
    assert HIT_KEYS <= set(hit)
    assert hit["id"] == "p"
    assert hit["date"] == "2021-02-03"
    assert hit["gcm_objectives"] == [20]
    assert hit["page_number"] == 2
    assert "<mark>remittances</mark>" in hit["snippet"]
    assert "description" not in hit
    assert set(out["facets"]) >= {"agency", "gcm", "year"}
    for values in out["facets"].values():
        for fv in values:
            assert {"value", "count", "selected"} <= set(fv)
    agency = {fv["value"]: (fv["count"], fv["selected"]) for fv in out["facets"]["agency"]}
    assert agency == {"IOM": (1, True)}
    assert out["facets"]["gcm"] == [{"value": "20", "count": 1, "selected": False,
                                     "label": "20"}]
