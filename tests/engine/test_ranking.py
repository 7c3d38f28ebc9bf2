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



FRENCH_CLIMATE = ("Le changement climatique pousse à la migration dans la région ; le rapport "
                  "étudie comment les gens partent quand la terre s'assèche, avec des "
                  "partenaires.")


def _climate_index(tmp_path, english: int):
    """A French note, ``english`` English reports on climate and migration, and twenty
    documents on something else. The French note matches the English words through
    the French stemmer, and scores above the English reports on those alone."""
    docs = [_doc("fr", FRENCH_CLIMATE, title="Note fr", language="fr")]
    docs += [_doc(f"en{i}", f"Climate change drives migration in region {i}; the report "
                  "studies how migration grows as the climate changes.", title=f"Note en{i}")
             for i in range(english)]
    docs += [_doc(f"other{i}", f"Labour rights and recruitment fees in country {i}.")
             for i in range(20)]
    return _engine(tmp_path, docs)


def test_documents_in_the_querys_language_rank_first_when_they_answer_it(tmp_path):
    engine = _climate_index(tmp_path, english=5)
    ids = [h.document.id for h in engine.search(Query("climate change and migration")).hits]
    assert ids == ["en0", "en1", "en2", "en3", "en4", "fr"]
    engine.close()


def test_other_languages_keep_their_place_when_the_querys_does_not_answer_it(tmp_path):
    # Four English reports are fewer than "enough": the French note keeps its score.
    engine = _climate_index(tmp_path, english=4)
    ids = [h.document.id for h in engine.search(Query("climate change and migration")).hits]
    assert ids[0] == "fr" and len(ids) == 5
    engine.close()
