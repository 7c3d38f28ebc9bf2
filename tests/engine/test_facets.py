"""Facet counts, disjunctive faceting and filters."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import ids, make_doc, search


@pytest.fixture
def engine(make_any_engine):
    return make_any_engine([
        make_doc("iom-health", "migrant health", agency="IOM", themes=["health"],
                 countries=["South Sudan"], gcm_objectives=[1, 23], type="Report",
                 date=dt.date(2019, 1, 1)),
        make_doc("iom-labour", "migrant workers", agency="IOM", themes=["labour"],
                 gcm_objectives=[6], type="Guide", date=dt.date(2020, 1, 1)),
        make_doc("unhcr-health", "refugee and migrant health", agency="UNHCR",
                 themes=["health"], countries=["Sudan"], type="Report",
                 date=dt.date(2020, 6, 1)),
        make_doc("ilo-labour", "migrant workers and recruitment", agency="ILO",
                 themes=["labour", "health"], gcm_objectives=[6, 23], type="Report",
                 date=dt.date(2021, 1, 1)),
        make_doc("ilo-other", "weather and climate", agency="ILO", themes=["climate"],
                 date=None),
    ])


def counts(result, facet: str) -> dict[str, int]:
    return {fv.value: fv.count for fv in result.facets[facet]}


def selected(result, facet: str) -> set[str]:
    return {fv.value for fv in result.facets[facet] if fv.selected}


def test_counts_over_the_matching_documents(engine):
    result = search(engine, "migrant")
    assert result.total == 4
    assert counts(result, "agency") == {"IOM": 2, "UNHCR": 1, "ILO": 1}
    assert counts(result, "theme") == {"health": 3, "labour": 2}
    assert counts(result, "type") == {"Report": 3, "Guide": 1}
    assert counts(result, "year") == {"2019": 1, "2020": 2, "2021": 1}
    assert [fv.value for fv in result.facets["year"]] == ["2021", "2020", "2019"]
    assert counts(result, "country") == {"South Sudan": 1, "Sudan": 1}


def test_counts_with_no_query_cover_every_document(engine):
    result = search(engine)
    assert result.total == 5
    assert counts(result, "agency") == {"IOM": 2, "UNHCR": 1, "ILO": 2}


def test_values_sorted_by_count(engine):
    agencies = [fv.value for fv in search(engine, "migrant").facets["agency"]]
    assert agencies[0] == "IOM"


def test_gcm_values_are_strings(engine):
    result = search(engine)
    assert counts(result, "gcm") == {"1": 1, "6": 2, "23": 2}
    assert all(isinstance(fv.value, str) for fv in result.facets["gcm"])
    assert set(ids(search(engine, filters={"gcm": ["23"]}))) == {"iom-health", "ilo-labour"}


def test_selected_facet_shows_other_values_as_if_unselected(engine):
    result = search(engine, "migrant", filters={"agency": ["IOM"]})
    assert set(ids(result)) == {"iom-health", "iom-labour"}
    # The agency facet ignores its own selection...
    assert counts(result, "agency") == {"IOM": 2, "UNHCR": 1, "ILO": 1}
    assert selected(result, "agency") == {"IOM"}
    # ...while the other facets honour it.
    assert counts(result, "theme") == {"health": 1, "labour": 1}
    assert counts(result, "type") == {"Report": 1, "Guide": 1}


def test_filter_value_is_case_insensitive(engine):
    result = search(engine, "migrant", filters={"agency": ["iom"]})
    assert result.total == 2
    assert selected(result, "agency") == {"IOM"}


def test_two_values_of_one_facet_are_or(engine):
    result = search(engine, "migrant", filters={"agency": ["IOM", "UNHCR"]})
    assert set(ids(result)) == {"iom-health", "iom-labour", "unhcr-health"}
    assert selected(result, "agency") == {"IOM", "UNHCR"}


def test_two_facets_are_and(engine):
    result = search(engine, "migrant", filters={"agency": ["IOM", "ILO"],
                                                "theme": ["health"]})
    assert set(ids(result)) == {"iom-health", "ilo-labour"}
    # Each facet honours the other's filter but not its own.
    assert counts(result, "agency") == {"IOM": 1, "UNHCR": 1, "ILO": 1}
    assert counts(result, "theme") == {"health": 2, "labour": 2}


def test_selected_value_with_no_match_shows_with_count_zero(engine):
    result = search(engine, "migrant", filters={"agency": ["IOM"], "theme": ["climate"]})
    assert result.total == 0
    theme = {fv.value: (fv.count, fv.selected) for fv in result.facets["theme"]}
    assert theme["climate"] == (0, True)
    # The theme facet still shows what IOM has, so the user can change it.
    assert theme["health"] == (1, False)


def test_unknown_facet_value_gives_no_results_and_shows_the_value(engine):
    result = search(engine, "migrant", filters={"agency": ["WHO"]})
    assert result.total == 0
    assert result.hits == []
    agency = {fv.value: (fv.count, fv.selected) for fv in result.facets["agency"]}
    assert agency["WHO"] == (0, True)
    assert agency["IOM"] == (2, False)
    assert counts(result, "theme") == {}


def test_facets_on_an_empty_index(make_any_engine):
    result = search(make_any_engine([]), "migrant", filters={"agency": ["IOM"]})
    assert result.total == 0
    assert [(fv.value, fv.count, fv.selected) for fv in result.facets["agency"]] == [
        ("IOM", 0, True)]


def test_a_value_typed_without_accents_selects_the_value(make_any_engine):
    engine = make_any_engine([make_doc("ci", "migrant workers", countries=["Côte d'Ivoire"]),
                          make_doc("sn", "migrant workers", countries=["Senegal"])])
    result = search(engine, "migrant", filters={"country": ["cote d'ivoire"]})
    assert ids(result) == ["ci"]
    assert selected(result, "country") == {"Côte d'Ivoire"}
    assert counts(result, "country") == {"Côte d'Ivoire": 1, "Senegal": 1}
