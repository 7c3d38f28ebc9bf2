"""Sorting, paging, snippets and "did you mean"."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from searchhub.models import Query

from .conftest import ids, make_doc, search


@pytest.fixture
def dated(make_engine):
    docs = [make_doc(f"d{i:02}", f"migration report number {i}",
                     date=dt.date(2000 + i, 1 + i % 12, 1)) for i in range(25)]
    docs.append(make_doc("undated", "migration report without a date", date=None))
    return make_engine(docs)


def test_sort_newest(dated):
    result = search(dated, "migration", sort="newest")
    dates = [hit.document.date for hit in result.hits]
    assert dates[0] == dt.date(2024, 1 + 24 % 12, 1)
    dated_only = [d for d in dates if d is not None]
    assert dated_only == sorted(dated_only, reverse=True)
    assert ids(result)[-1] == "undated"


def test_pages_are_disjoint_and_cover_everything(dated):
    seen = []
    for page in (1, 2, 3):
        result = dated.search(Query("migration", page=page, page_size=10))
        assert result.query.page == page
        assert result.total == 26
        assert result.pages == 3
        seen.extend(ids(result))
    assert len(seen) == 26
    assert len(set(seen)) == 26


def test_page_order_is_stable_for_newest(dated):
    first = dated.search(Query("migration", sort="newest", page=1, page_size=10))
    second = dated.search(Query("migration", sort="newest", page=2, page_size=10))
    assert not set(ids(first)) & set(ids(second))
    assert first.hits[-1].document.date > second.hits[0].document.date


def test_page_beyond_the_last_shows_the_last_with_a_notice(dated):
    result = dated.search(Query("migration", page=99, page_size=10))
    assert result.query.page == 3
    assert len(result.hits) == 6
    assert any("no page 99" in notice for notice in result.notices)


def test_page_size(dated):
    assert len(dated.search(Query("migration", page_size=3)).hits) == 3
    assert len(dated.search(Query("migration", page_size=100)).hits) == 26


def test_no_results_is_page_one(dated):
    result = dated.search(Query("nonexistentword", page=4))
    assert result.total == 0
    assert result.hits == []
    assert result.query.page == 1


# -- snippets ------------------------------------------------------------------------


def test_snippet_is_escaped_and_marks_only_query_words(make_engine):
    engine = make_engine([make_doc(
        "xss", "Before <script>alert(1)</script> the <mark>fake</mark> mark, "
               "a note on migration and migrants.")])
    snippet = search(engine, "migration").hits[0].snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet
    assert "<script" not in snippet
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in snippet
    marked = re.findall(r"<mark>(.*?)</mark>", snippet)
    assert marked
    assert all(word.lower().startswith("migra") for word in marked)
    # No other tag than our own <mark>.
    assert set(re.findall(r"</?(\w+)", snippet)) == {"mark"}


def test_snippet_marks_inflected_forms(make_engine):
    engine = make_engine([make_doc("en", "Support for every migrant on the way.")])
    assert "<mark>migrant</mark>" in search(engine, "migrants").hits[0].snippet


def test_each_hit_is_highlighted_on_what_it_matched(make_engine):
    # Both documents hold "health" and "care"; only one holds them as the phrase.
    engine = make_engine([
        make_doc("phrase", "Health care reaches migrants in the camps."),
        make_doc("remit", "Remittances pay for health, for schools and food, and for the "
                          "care of children."),
    ])
    hits = {hit.document.id: hit for hit in search(engine, '"health care" OR remittances').hits}
    assert set(hits) == {"phrase", "remit"}
    marked = {doc_id: {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", hit.snippet)}
              for doc_id, hit in hits.items()}
    assert marked == {"phrase": {"health", "care"}, "remit": {"remittances"}}


def test_page_number_is_the_pdf_page_with_the_words(make_engine):
    pages = ["Introduction and contents.", "Methodology of the survey.",
             "Findings on remittances sent home by workers.", "Annex and references."]
    engine = make_engine([
        make_doc("pdf", pages=pages, format="pdf"),
        make_doc("html", pages=pages, format="html"),
    ])
    hits = {hit.document.id: hit for hit in search(engine, "remittances").hits}
    assert hits["pdf"].page_number == 3
    assert "<mark>remittances</mark>" in hits["pdf"].snippet
    assert hits["html"].page_number is None


def test_no_page_number_without_words(make_engine):
    engine = make_engine([make_doc("pdf", pages=["a", "b"], format="pdf")])
    assert search(engine).hits[0].page_number is None


# -- did you mean --------------------------------------------------------------------


@pytest.fixture
def spelled(make_engine):
    return make_engine([
        make_doc("a", "Return and reintegration of migrants after detention."),
        make_doc("b", "Labour migrants and recruitment fees."),
        make_doc("es", "La migración laboral", language="es"),
        make_doc("ru", "Помощь каждому мигрант в пути", language="ru"),
    ])


@pytest.mark.parametrize(("query", "expected"), [
    ("migrnts", "migrants"),
    ("reintegraton", "reintegration"),
    ("reintegraton of migrnts", "reintegration of migrants"),
])
def test_misspelling_suggests_the_indexed_word(spelled, query, expected):
    result = search(spelled, query)
    assert result.suggestion == expected
    assert search(spelled, result.suggestion).total >= 1


@pytest.mark.parametrize("query", ["migrants", "reintegration", "migrant",
                                   "migración", "мигранты", "zzzzqqqq"])
def test_no_suggestion_for_known_or_hopeless_words(spelled, query):
    assert search(spelled, query).suggestion is None
