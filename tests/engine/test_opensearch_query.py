"""The OpenSearch translation keeps queries small: only the fields of the language groups
the index holds documents of, and body-only filters for the words a plain query
requires (Lucene refuses a query of more than 1024 clauses)."""

from __future__ import annotations

import json

from searchhub.engine.opensearch_query import translate
from searchhub.lexicon import expand
from searchhub.query_parser import parse

from .conftest import make_doc, search


def _fields(dsl) -> set[str]:
    text = json.dumps(dsl)
    return {f for f in ("title_en", "body_en", "title_fr", "body_fr", "body_ru", "title_ru")
            if f'"{f}"' in text}


def test_only_the_groups_named_are_searched():
    parsed = expand(parse("refugee camp host community"))
    assert _fields(translate(parsed, ["en", "fr"]).query) == {
        "title_en", "body_en", "title_fr", "body_fr"}
    assert {"title_ru", "body_ru"} <= _fields(translate(parsed).query)


def test_filters_match_on_bodies_only_and_are_not_named():
    translation = translate(expand(parse("refugee camp host community")), ["en", "fr"])
    assert len(translation.filters) == len(translation.clauses)
    for clause, filtered in zip(translation.clauses, translation.filters, strict=True):
        assert "_name" in json.dumps(clause)
        assert "_name" not in json.dumps(filtered)
        assert _fields(filtered) == {"body_en", "body_fr"}


def test_a_language_added_later_is_searched(make_opensearch):
    engine = make_opensearch()
    with engine.writer() as writer:
        writer.add(make_doc("en", "refugees in the camp"))
    assert [h.document.id for h in search(engine, "réfugiés camp").hits] == ["en"]
    with engine.writer() as writer:
        writer.add(make_doc("fr", "les réfugiés du camp", language="fr"))
    assert {h.document.id for h in search(engine, "réfugiés camp").hits} == {"en", "fr"}
