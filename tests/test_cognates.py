"""Regular cognates: a French or Spanish word the lexicon does not know also finds
the English (and the other Romance language's) documents that spell it their way."""

from __future__ import annotations

import pytest

from searchhub.cognates import cognates
from searchhub.dictionary import Dictionary
from searchhub.lexicon import COGNATE_BOOST, expand
from searchhub.query import AndNot, Or, Word
from searchhub.query_parser import parse


@pytest.mark.parametrize(("word", "language", "target", "cognate"), [
    ("información", "es", "en", "information"),
    ("vulnerabilidad", "es", "en", "vulnerability"),
    ("emergencia", "es", "en", "emergency"),
    ("humanitaria", "es", "en", "humanitarian"),
    ("inmigración", "es", "en", "immigration"),
    ("estrategia", "es", "en", "strategy"),
    ("sécurité", "fr", "en", "security"),
    ("économique", "fr", "en", "economic"),
    ("secteur", "fr", "en", "sector"),
    ("temporaire", "fr", "en", "temporary"),
    ("protección", "es", "fr", "protection"),
    ("coopération", "fr", "es", "cooperacion"),
    ("organisation", "fr", "es", "organizacion"),
    # Both spellings of English.
    ("localización", "es", "en", "localization"),
    ("localización", "es", "en", "localisation"),
])
def test_endings_are_rewritten_as_the_other_language_spells_them(word, language, target,
                                                                  cognate):
    assert cognate in cognates(word, language, target)


def test_no_rule_short_words_and_other_scripts_give_nothing():
    assert cognates("camp", "fr", "en") == ()            # too short
    assert cognates("frontera", "es", "en") == ()        # no regular ending
    assert cognates("безопасность", "ru", "en") == ()    # no rules for Russian
    assert cognates("información", "es", "ru") == ()
    assert cognates("information", "en", "fr") == ()     # English queries keep their words
    # False friends: the police is no policy, "actuel" is current.
    assert cognates("policía", "es", "en") == () and cognates("actuel", "fr", "en") == ()


def test_a_french_or_spanish_word_the_lexicon_does_not_know_searches_its_cognates():
    # Without the general dictionary, which also translates "vulnerabilidad".
    parsed = expand(parse("la vulnerabilidad de los migrantes"), dictionary=Dictionary({}))
    assert parsed.language == "es"
    clause = parsed.clauses[0]
    assert isinstance(clause, Or) and clause.items[0] == Word("text", "vulnerabilidad")
    alternatives = clause.items[1]
    assert isinstance(alternatives, AndNot) and alternatives.negative == clause.items[0]
    assert Word("text", "vulnerability", COGNATE_BOOST, "en") in alternatives.positive.items
    assert "vulnerability" in parsed.related
    # An English query is searched as typed.
    english = expand(parse("the vulnerability of the migrants"), dictionary=Dictionary({}))
    assert all(isinstance(c, Word) for c in english.clauses[:1])
