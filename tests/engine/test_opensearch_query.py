"""The OpenSearch translation keeps queries small: only the fields of the language groups
the index holds documents of, and body-only filters for the words a plain query
requires (Lucene refuses a query of more than 1024 clauses). Its analyzers keep the
words Whoosh's keep."""

from __future__ import annotations

import json
import math

import pytest

from searchhub.engine.analysis import terms
from searchhub.engine.opensearch_query import reweigh, translate
from searchhub.engine.schema import bm25_idf
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


SENTENCES = {
    "en": "What documents do I need to enter the United Kingdom before the deadline? "
          "Côte d'Ivoire and Cox’s Bazar: détention, réintégration, évaluation",
    "fr": "Quels documents faut-il pour entrer au Royaume-Uni avant la date limite ? "
          "L'OIM et l’évaluation jusqu'ici d'asile",
    "es": "¿Qué requisitos hay para obtener una visa mexicana antes del plazo?",
    "pt": "Quais documentos são necessários para entrar no Reino Unido?",
    "de": "Welche Dokumente brauche ich für die Einreise in das Vereinigte Königreich?",
    "it": "Quali documenti servono per entrare nel Regno Unito prima della scadenza?",
    "ru": "Какие документы нужны для въезда в Соединённое Королевство?",
}


def test_opensearch_analyzers_keep_the_words_whoosh_keeps(make_opensearch):
    # The same stop words, stems and folding, so that the engines count the same
    # lengths and match the same words.
    engine = make_opensearch()
    for group, text in SENTENCES.items():
        answer = engine.client.indices.analyze(index=engine.index, body={
            "field": f"body_{group}", "text": text})
        assert [t["token"] for t in answer["tokens"]] == terms(group, text), group


def test_reweigh_counts_rarity_over_every_document():
    def leaf():
        return {"match": {"body_fr": {"query": "camp", "boost": 2.0}}}

    vectors = {"body_fr": {"field_statistics": {"doc_count": 10},
                           "terms": {"camp": {"doc_freq": 5}}}}
    whole = leaf()
    reweigh(whole, vectors, 100)
    # Rarer among 100 documents than among the field's 10.
    assert whole["match"]["body_fr"]["boost"] > 2.0
    same = leaf()
    reweigh(same, vectors, 10)
    assert same["match"]["body_fr"]["boost"] == 2.0
    # Statistics a moment apart (a rebuild switched, deletions not merged): never a
    # negative weight, which OpenSearch refuses.
    stale = leaf()
    reweigh(stale, vectors, 3)
    assert stale["match"]["body_fr"]["boost"] == 2.0
    # A field of many documents keeps about its own rarity, as the Whoosh engine
    # (``schema.bm25_idf``): a quarter of 3,000 French documents among 12,000.
    big = leaf()
    reweigh(big, {"body_fr": {"field_statistics": {"doc_count": 3000},
                              "terms": {"camp": {"doc_freq": 750}}}}, 12000)
    own = math.log(1 + 2250.5 / 750.5)
    assert big["match"]["body_fr"]["boost"] == pytest.approx(
        2.0 * bm25_idf(750, 3000, 12000) / own)
    assert big["match"]["body_fr"]["boost"] < 2.0 * 1.1
