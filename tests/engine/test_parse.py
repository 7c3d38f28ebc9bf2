"""Query syntax: phrases, operators, fields, ranges, prefixes, and malformed input."""

from __future__ import annotations

import datetime as dt

import pytest

from searchhub.models import ResultPage

from .conftest import ids, make_doc, search


@pytest.fixture
def engine(make_engine):
    return make_engine([
        make_doc("phrase", "Programmes for the return and reintegration of migrants.",
                 agency="IOM", countries=["South Sudan"], date=dt.date(2018, 3, 1)),
        make_doc("apart", "The return of staff was delayed. Years later, after much "
                          "discussion, reintegration of the team began.",
                 agency="UNHCR", countries=["Sudan"], date=dt.date(2020, 12, 31)),
        make_doc("staff", "Staff rules and staff regulations.", agency="ILO",
                 date=dt.date(2021, 1, 1)),
        make_doc("titled", "A guide with practical advice.", title="Visa requirements",
                 agency="iom", date=dt.date(2017, 6, 1)),
        make_doc("body", "Apply for a visa at the consulate.", title="Consular services",
                 agency="UNHCR", date=None),
        make_doc("uk", "Documents you need to enter the UK: passport and visa.",
                 title="Entering the United Kingdom", agency="UNHCR",
                 date=dt.date(2019, 5, 5)),
        make_doc("migration", "Migration statistics and migratory routes.", agency="ILO",
                 date=dt.date(2019, 1, 1)),
        make_doc("foobar", "Notes about foo and bar.", agency="ILO", date=dt.date(2016, 1, 1)),
    ])


def test_quoted_phrase_needs_the_words_together(engine):
    assert ids(search(engine, '"return and reintegration"')) == ["phrase"]
    assert set(ids(search(engine, "return reintegration"))) == {"phrase", "apart"}


def test_and_or_not(engine):
    assert set(ids(search(engine, "return AND reintegration"))) == {"phrase", "apart"}
    assert set(ids(search(engine, "reintegration OR consulate"))) == {"phrase", "apart", "body"}
    assert ids(search(engine, "reintegration NOT staff")) == ["phrase"]
    assert ids(search(engine, "reintegration ANDNOT staff")) == ["phrase"]


def test_minus_excludes_a_word(engine):
    assert ids(search(engine, "reintegration -staff")) == ["phrase"]


def test_dash_inside_a_word_is_not_an_exclusion(make_engine):
    # "re-integration" must not be read as "re NOT integration", which would drop the
    # very document that has the word and keep one that only has "re".
    engine = make_engine([
        make_doc("hyphen", "Support for the re-integration of returnees."),
        make_doc("re", "Re: minutes of the meeting on the return of staff."),
    ])
    assert ids(search(engine, "re-integration")) == ["hyphen"]
    assert "hyphen" in ids(search(engine, "return re-integration"))
    # A dash before a word, after a space, still excludes it.
    assert ids(search(engine, "re -integration")) == ["re"]


@pytest.mark.parametrize("query", ["agency:IOM", "agency:iom", "Agency:IOM", "AGENCY:iom",
                                   "organisation:IOM"])
def test_agency_field_is_case_insensitive(engine, query):
    result = search(engine, query)
    assert set(ids(result)) == {"phrase", "titled"}
    assert result.notices == []


def test_multi_word_facet_value_in_quotes(engine):
    assert ids(search(engine, 'country:"South Sudan"')) == ["phrase"]
    assert ids(search(engine, "country:Sudan")) == ["apart"]


def test_year_range_is_inclusive_and_skips_undated(engine):
    result = search(engine, "year:[2018 TO 2020]")
    assert set(ids(result)) == {"phrase", "apart", "uk", "migration"}


def test_field_clause_combines_with_words(engine):
    assert ids(search(engine, "reintegration agency:UNHCR")) == ["apart"]


def test_prefix(engine):
    assert set(ids(search(engine, "migra*"))) == {"phrase", "migration"}


@pytest.mark.parametrize("query", ["migration*", "Migration*"])
def test_prefix_longer_than_the_stem_still_matches(engine, query):
    # "migration" is indexed as the English stem "migrat".
    assert ids(search(engine, query)) == ["migration"]


def test_prefix_with_accents(make_engine):
    engine = make_engine([make_doc("es", "La migración laboral", language="es")])
    assert ids(search(engine, "migración*")) == ["es"]
    assert ids(search(engine, "migracio*")) == ["es"]


def test_title_field_only_searches_titles(engine):
    assert ids(search(engine, "title:visa")) == ["titled"]
    assert set(ids(search(engine, "visa"))) == {"titled", "body", "uk"}


def test_question_mark_at_the_end_is_punctuation(engine):
    result = search(engine, "What documents do I need to enter the UK?")
    assert ids(result)[0] == "uk"
    assert result.suggestion is None


def test_question_mark_inside_a_word_is_a_wildcard(engine):
    # Wildcards match indexed stems: "migrants" is indexed as "migrant".
    assert ids(search(engine, "migr?nt")) == ["phrase"]


LONG = "migration " * 1000


@pytest.mark.parametrize("query", [
    '"return and reintegration',
    'return and reintegration"',
    "(return OR staff",
    "return OR staff)",
    "((((",
    "AND",
    "OR NOT",
    "NOT",
    "-",
    "*",
    "agency:",
    'country:"South',
    "year:[2018 TO",
    "year:[abc TO def]",
    "title:",
    LONG,
    "foo:bar",
    "the of and",
    "🙂🌍",
    "migration 🙂",
    "migr\x00ation",
    "\x00",
    "?",
    "~2 ^3 {}[]",
    "a" * 300,
])
def test_malformed_queries_return_a_page(engine, query):
    result = search(engine, query)
    assert isinstance(result, ResultPage)
    assert 0 <= result.total <= engine.count()
    assert len(result.hits) == min(result.total, 50)


def test_unbalanced_quote_still_finds_the_words(engine):
    assert "phrase" in ids(search(engine, '"return and reintegration'))


def test_long_query_is_shortened_with_a_notice(engine):
    result = search(engine, LONG)
    assert any("shortened" in notice for notice in result.notices)
    assert "migration" in ids(result)


def test_unknown_field_is_searched_as_words_with_a_notice(engine):
    result = search(engine, "foo:bar")
    assert ids(result) == ["foobar"]
    assert any("Unknown field foo" in notice for notice in result.notices)


@pytest.mark.parametrize("query", ["the of and", "AND", "OR NOT"])
def test_query_without_words_shows_everything_with_a_notice(engine, query):
    result = search(engine, query)
    assert result.total == engine.count()
    assert result.notices


def test_emoji_and_nul_do_not_break_words(engine):
    assert ids(search(engine, "consulate 🙂")) == ["body"]
    assert ids(search(engine, "🙂consulate")) == ["body"]
    assert ids(search(engine, "consulate\x00")) == ["body"]
    assert ids(search(engine, "\x00consulate")) == ["body"]
