"""Lucene refuses a query of more than ``indices.query.bool.max_clause_count`` clauses
(1024 by default), counting each term of each field. A query is translated over the
fields of every language group the index holds, and a lexicon translation only over
its own language's fields (as in Whoosh): before that, with all ten groups, the
expansions of the dev queries came far over it. ``clause_count`` measures it; the
translation stays under the limit, and the engine retries a refused query smaller."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchhub.engine.analysis import GROUPS
from searchhub.engine.opensearch_query import (
    MAX_CLAUSES,
    clause_count,
    plain_query,
    translate,
)
from searchhub.engine.schema import MIN_SHOULD_MATCH
from searchhub.lexicon import expand
from searchhub.query_parser import parse

from .conftest import make_doc, search

REPO = Path(__file__).resolve().parents[2]
DEV_QRELS = Path("/work/shared/eval/dev-qrels.jsonl")
EXTRA_QRELS = REPO / "eval" / "extra-qrels.jsonl"
#: A document per language group, each language's words for the same need.
TEXTS = {
    "en": "The Dublin III regulation decides which Member State is responsible",
    "fr": "Le règlement Dublin III désigne l'État membre responsable",
    "es": "El reglamento de Dublín determina el Estado miembro responsable",
    "pt": "O regulamento de Dublim determina o Estado-Membro responsável",
    "de": "Die Dublin-III-Verordnung bestimmt den zuständigen Mitgliedstaat",
    "it": "Il regolamento di Dublino stabilisce lo Stato membro competente",
    "ru": "Дублинский регламент определяет ответственное государство-член",
    "ar": "لائحة دبلن تحدد الدولة العضو المسؤولة",
    "zh": "都柏林规则确定负责的成员国",
    "sw": "Kanuni ya Dublin huamua nchi mwanachama inayohusika",
}


def _queries(path: Path) -> list[str]:
    return [json.loads(line)["query"] for line in path.read_text().splitlines() if line.strip()]


def _largest(text: str, limit: int | None = None) -> int:
    """Clauses of the largest query the engine sends for ``text`` with every language
    group present: a plain query with its required-words filter, else the query."""
    translation = translate(expand(parse(text)), GROUPS, limit=limit)
    if translation.query is None:
        return 0
    if not translation.simple:
        return clause_count(translation.query)
    n = len(translation.clauses)
    weights = [1.0] * n if n > 2 else None
    return clause_count(plain_query(translation.clauses, translation.filters, weights,
                                    MIN_SHOULD_MATCH if n > 2 else 1.0))


def test_clause_count_counts_each_term_of_each_field():
    assert clause_count({"match": {"body_en": {"query": "refugee camps"}}}) == 2
    # Stop words are no terms; a phrase counts its terms.
    assert clause_count({"match_phrase": {"body_en": {"query": "the camp of refugees"}}}) == 2
    assert clause_count({"bool": {
        "should": [{"match": {"title_fr": {"query": "réfugiés"}}}, {"prefix": {"x": "a"}}],
        "filter": [{"terms": {"language": ["en", "fr"]}}],
        "must_not": [{"constant_score": {"filter": {"match_all": {}}}}]}}) == 5
    # Lucene does not visit the filters of function_score's functions.
    assert clause_count({"function_score": {
        "query": {"match": {"body_en": {"query": "camp"}}},
        "functions": [{"filter": {"match": {"body_en": {"query": "a b c d"}}}, "weight": 1}]}}) == 1


@pytest.mark.parametrize("path", [DEV_QRELS, EXTRA_QRELS], ids=["dev", "extra"])
def test_eval_queries_stay_under_the_limit_with_every_language(path):
    if not path.exists():
        pytest.skip(f"{path} is absent")
    queries = _queries(path)
    # Even without reduction (3,090 clauses for the Dublin query when each translation
    # spread over every language's fields).
    unreduced = {text: _largest(text, limit=100_000) for text in queries}
    assert max(unreduced.values()) <= MAX_CLAUSES, sorted(unreduced.items(),
                                                          key=lambda i: -i[1])[:3]
    largest = {text: _largest(text) for text in queries}
    assert max(largest.values()) <= MAX_CLAUSES, sorted(largest.items(), key=lambda i: -i[1])[:3]


DUBLIN = "Dublin III regulation Member State responsible"


@pytest.fixture
def every_language(make_opensearch):
    """An index holding a document in each of the ten language groups."""
    engine = make_opensearch()
    with engine.writer() as writer:
        for group, text in TEXTS.items():
            writer.add(make_doc(group, text, language=group))
    assert set(engine._groups()[0]) == set(GROUPS)
    return engine


def test_an_index_of_every_language_answers_the_largest_queries(every_language):
    # Before the translation counted its clauses, the cluster refused these
    # (too_many_nested_clauses) and the search failed.
    queries = _queries(EXTRA_QRELS) + (_queries(DEV_QRELS) if DEV_QRELS.exists() else [])
    for text in sorted(queries, key=lambda t: _largest(t, 100_000), reverse=True)[:3]:
        search(every_language, text)
    assert {"en", "fr"} <= {h.document.id for h in search(every_language, DUBLIN).hits}


#: A long query with an acronym the index drops ("WHO"): its expansions are a bonus on
#: each of the nine clauses (``lexicon._with_acronyms``).
ACRONYM = ("WHO guidelines on migrant health care for refugees and asylum seekers in "
           "detention in the US and Mexico")


def test_an_acronyms_bonus_is_kept_out_of_filters_and_made_smaller_like_alternatives():
    # Repeated on nine clauses and in their filter, it came to 2,133 clauses.
    assert _largest(ACRONYM) <= MAX_CLAUSES
    translation = translate(expand(parse(ACRONYM)), GROUPS)
    assert "organization" not in json.dumps(translation.filters)
    assert "organization" in json.dumps(translation.clauses)
    # Made smaller: the bonus shrinks with the alternatives, down to none.
    smallest = translate(expand(parse(ACRONYM)), GROUPS, limit=1)
    assert "organization" not in json.dumps(smallest.clauses)


def test_an_index_of_every_language_answers_a_long_query_with_an_acronym(every_language):
    # Before the bonus was made smaller, the cluster refused this query and no smaller
    # translation could be made: the search failed.
    with every_language.writer() as writer:
        writer.add(make_doc("who", "World Health Organization guidelines on migrant "
                            "health care for refugees and asylum seekers in detention."))
    assert [h.document.id for h in search(every_language, ACRONYM).hits][:1] == ["who"]
