"""Regular cognates: a French or Spanish word the lexicon does not know also finds
the English (and the other Romance language's) documents that spell it their way."""

from __future__ import annotations

from searchhub.cognates import cognates
from searchhub.engine import Engine
from searchhub.lexicon import COGNATE_BOOST, expand
from searchhub.models import Document, Query
from searchhub.query import AndNot, Or, Word
from searchhub.query_parser import parse


def test_endings_are_rewritten_as_the_other_language_spells_them():
    assert "information" in cognates("información", "es", "en")
    assert "vulnerability" in cognates("vulnerabilidad", "es", "en")
    assert "emergency" in cognates("emergencia", "es", "en")
    assert "humanitarian" in cognates("humanitaria", "es", "en")
    assert "immigration" in cognates("inmigración", "es", "en")
    assert "strategy" in cognates("estrategia", "es", "en")
    assert "security" in cognates("sécurité", "fr", "en")
    assert "economic" in cognates("économique", "fr", "en")
    assert "sector" in cognates("secteur", "fr", "en")
    assert "temporary" in cognates("temporaire", "fr", "en")
    assert "protection" in cognates("protección", "es", "fr")
    assert "cooperacion" in cognates("coopération", "fr", "es")
    # Both spellings of English: "localization" and "localisation".
    assert {"localization", "localisation"} <= set(cognates("localización", "es", "en"))
    assert "organizacion" in cognates("organisation", "fr", "es")


def test_no_rule_short_words_and_other_scripts_give_nothing():
    assert cognates("camp", "fr", "en") == ()            # too short
    assert cognates("frontera", "es", "en") == ()        # no regular ending
    assert cognates("безопасность", "ru", "en") == ()    # no rules for Russian
    assert cognates("información", "es", "ru") == ()
    assert cognates("information", "en", "fr") == ()     # English queries keep their words
    # False friends: the police is no policy, "actuel" is current.
    assert cognates("policía", "es", "en") == () and cognates("actuel", "fr", "en") == ()


def test_a_french_or_spanish_word_the_lexicon_does_not_know_searches_its_cognates():
    parsed = expand(parse("la vulnerabilidad de los migrantes"))
    assert parsed.language == "es"
    clause = parsed.clauses[0]
    assert isinstance(clause, Or) and clause.items[0] == Word("text", "vulnerabilidad")
    alternatives = clause.items[1]
    assert isinstance(alternatives, AndNot) and alternatives.negative == clause.items[0]
    assert Word("text", "vulnerability", COGNATE_BOOST, "en") in alternatives.positive.items
    assert "vulnerability" in parsed.related
    # An English query is searched as typed.
    english = expand(parse("the vulnerability of the migrants"))
    assert all(isinstance(c, Word) for c in english.clauses[:1])


def _doc(doc_id: str, text: str, language: str) -> Document:
    return Document(doc_id, f"Report {doc_id}", f"http://x/{doc_id}", "s", "IOM", [text],
                    language)


def test_a_spanish_query_finds_an_english_report_through_cognates_below_spanish_ones(tmp_path):
    filler = " The report was written with partners in the region over the year."
    engine = Engine(tmp_path / "index")
    with engine.writer() as writer:
        for doc in [
            _doc("en", "The vulnerability and the economic situation of families." + filler,
                 "en"),
            _doc("es", "La vulnerabilidad y la situación económica de las familias. El "
                 "informe fue escrito con socios de la región.", "es"),
            _doc("other", "Floods in the north destroyed the harvest." + filler, "en"),
        ]:
            writer.add(doc)
    page = engine.search(Query("vulnerabilidad económica"))
    assert [h.document.id for h in page.hits] == ["es", "en"]
    assert "<mark>" in page.hits[1].snippet
    engine.close()
