"""Ranking behaviours a searcher relies on (not exact scores)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from searchhub.engine import Engine
from searchhub.engine.schema import bm25_idf
from searchhub.models import Document, Query


def _engine(tmp_path, docs):
    engine = Engine(tmp_path / "index")
    with engine.writer() as writer:
        for doc in docs:
            writer.add(doc)
    return engine


def _doc(doc_id, text, title="Report", language="en"):
    return Document(doc_id, title, f"http://x/{doc_id}", "s", "IOM", [text], language)


def test_neighbouring_words_rank_first(tmp_path):
    engine = _engine(tmp_path, [
        _doc("apart", "Health services exist, and child care is offered in the camp."),
        _doc("together", "Health care is offered in the camp, and child services exist."),
    ])
    ids = [h.document.id for h in engine.search(Query("health care")).hits]
    assert ids == ["together", "apart"]
    engine.close()


def test_rare_word_alone_can_qualify_but_ranks_below_full_matches(tmp_path):
    filler = "The report covers community programmes in the region. " * 3
    engine = _engine(tmp_path, [
        _doc("kakuma", "Kakuma " + filler),
        _doc("all", "Kakuma refugee camp and its host community. " + filler),
        _doc("common", "Refugee camp host community. " + filler),
    ] + [_doc(f"other{i}", f"Refugee camp number {i} and its host community. " + filler)
         for i in range(8)])
    ids = [h.document.id for h in engine.search(Query("Kakuma refugee camp host community"),
                                                ).hits]
    assert ids[0] == "all"
    assert "kakuma" in ids
    engine.close()


def test_title_words_count_as_text(tmp_path):
    engine = _engine(tmp_path, [
        _doc("titled", "An overview of programmes.", title="Remittances in Central America"),
        _doc("plain", "An overview of programmes in Central America."),
    ])
    assert [h.document.id for h in engine.search(Query("remittances")).hits] == ["titled"]
    engine.close()


def test_a_words_rarity_is_counted_among_its_languages_documents():
    # Standard BM25 where the field is the whole index.
    assert bm25_idf(10, 1000, 1000) == pytest.approx(math.log(1 + 990.5 / 10.5))
    # The same share of a big language's and of a smaller one's documents weighs about
    # the same: a quarter of 3,000 French and of 9,000 English documents.
    french, english = bm25_idf(750, 3000, 12000), bm25_idf(2250, 9000, 12000)
    assert french == pytest.approx(english, rel=0.05)
    # Among all documents only, the French word weighed twice the English one.
    whole = [bm25_idf(df, 12000, 12000) for df in (750, 2250)]
    assert whole[0] > 1.6 * whole[1]
    # A name on one of six German pages stays rare: the field is too small to say.
    assert bm25_idf(1, 6, 1400) > 0.9 * bm25_idf(1, 1400, 1400)


def test_the_documents_holding_each_field_are_counted_live(tmp_path):
    engine = _engine(tmp_path, [_doc(f"en{i}", "Migration report.") for i in range(3)]
                     + [_doc(f"fr{i}", "Rapport sur la migration.", language="fr")
                        for i in range(2)])
    with engine.writer() as writer:
        writer.delete("en0")
    counts = engine.snapshot().field_docs
    assert (counts["body_en"], counts["body_fr"]) == (2, 2)
    assert "body_de" not in counts or counts["body_de"] == 0
    engine.close()


def test_equal_subqueries_are_evaluated_once_and_each_gets_its_own_copy(tmp_path):
    from whoosh import query as wq

    from searchhub.engine.evaluate import Evaluator

    engine = _engine(tmp_path, [_doc("camp", "Refugee camp in the north."),
                                _doc("other", "Harvest report.")])
    ev = Evaluator(engine.snapshot())

    def alternatives():   # equal, not the same object, as in two clauses of one query
        return wq.Or([wq.Term("body_en", "camp"), wq.Term("body_en", "refuge")])

    first = ev.shared(alternatives())
    expected = (first.mask.copy(), first.score.copy())
    first.mask[:] = False          # a combining node changes its operand in place
    first.score[:] = 0.0
    second = ev.shared(alternatives())
    assert second.mask.any() and np.array_equal(second.mask, expected[0])
    assert np.array_equal(second.score, expected[1])
    assert len(ev._shared) == 1
    engine.close()
