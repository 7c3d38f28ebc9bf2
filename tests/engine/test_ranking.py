"""Ranking behaviours a searcher relies on (not exact scores)."""

from __future__ import annotations

from searchhub.engine import Engine
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
