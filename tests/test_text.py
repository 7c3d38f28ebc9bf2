"""One accent folding and one table of language names, shared by indexing and search."""

from __future__ import annotations

import pytest

from indexer.enrich.taxonomy import name_key
from searchhub.engine.analysis import analyzer, fold_words, terms
from searchhub.engine.translate import translate
from searchhub.query_parser import parse
from searchhub.stopwords import piece_language
from searchhub.text import fold, language_code, language_name


@pytest.mark.parametrize(("text", "folded"), [
    ("Côte d’Ivoire", "Cote d’Ivoire"), ("Straße", "Strasse"), ("Ærø", "AEro"),
    ("œuvre", "oeuvre"), ("Łódź", "Lodz"), ("São Tomé", "Sao Tome"), ("ﬁnance", "finance"),
    ("Ｍｉｇｒａｎｔ", "Migrant"), ("e\u0301", "e"),
    # Other scripts are left alone: Korean syllables stay syllables, Cyrillic й stays й.
    ("이주", "이주"), ("мигрантый", "мигрантый"), ("plain ascii", "plain ascii"),
])
def test_fold(text, folded):
    assert fold(text) == folded


def test_every_user_of_folding_agrees():
    """Enrichment (name_key), indexing (terms, the analyzer chain), spelling and the
    query parser fold ß, ø and æ the same way."""
    assert name_key("Straße Ærø") == "strasse aero"
    for group in ("xx", "fr", "de"):
        indexed = terms(group, "Ærø")
        assert indexed == [t.text for t in analyzer(group)("Ærø")]
        assert all("æ" not in t and "ø" not in t for t in indexed)
    assert terms("xx", "Straße Ærø Ørsted") == ["strasse", "aero", "orsted"]
    assert fold_words("Straße") == "strasse"
    assert "strasse" in repr(translate(parse("straße*")).query)
    assert "ß" not in repr(translate(parse("straße*")).query)


def test_language_names():
    assert language_name("fr") == "French"
    assert language_name("und") == "Unknown"
    assert language_name("xx") == "xx"
    assert language_code("Français") == language_code("frances") == "fr"
    assert language_code("Español") == "es"
    assert language_code("Klingon") is None


def test_a_piece_of_text_is_in_the_one_of_its_documents_languages_it_reads_as():
    both = ["en", "fr"]
    assert piece_language("Les migrants qui rentrent chez eux ont besoin d'aide", both) == "fr"
    assert piece_language("The migrants who return home need help", both) == "en"
    # No stop word tells: the main language; Chinese by its script.
    assert piece_language("Rapport 2019", ["fr", "en"]) == "fr"
    assert piece_language("今年回国的移民人数大幅增加 (report)", ["en", "zh"]) == "zh"
    # A document in one language: that one, whatever the piece says.
    assert piece_language("The migrants who return home", ["fr"]) == "fr"
    assert piece_language("anything", []) == "und"
