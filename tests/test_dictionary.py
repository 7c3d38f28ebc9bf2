"""The general bilingual dictionary (searchhub.dictionary): a word no lexicon term holds
is also searched as its translations in English, French and Spanish, below the typed
word and only where it is missing."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import searchhub.dictionary as dictionary_module
from searchhub.dictionary import Dictionary, bundled_dictionary, load_dictionary
from searchhub.engine import Engine
from searchhub.lexicon import (
    COGNATE_BOOST,
    DICTIONARY_BOOST,
    TRANSLATION_BOOST,
    bundled_lexicon,
    expand,
)
from searchhub.models import Document, Query
from searchhub.query import AndNot, Or, Word
from searchhub.query_parser import parse
from searchhub.resources import bundled_dictionary_file

REPO = Path(__file__).resolve().parent.parent


def _alternatives(clause):
    assert isinstance(clause, Or), clause
    typed, others = clause.items
    assert isinstance(others, AndNot) and others.negative == typed
    items = others.positive.items if isinstance(others.positive, Or) else (others.positive,)
    return typed, items


def test_the_bundled_dictionary_translates_everyday_words_both_ways():
    words = bundled_dictionary()
    assert len(words) > 50_000
    assert "fuego" in words.translations("fire", "en", "es")
    assert "feu" in words.translations("fire", "en", "fr")
    # Plurals, feminines and accents as typed or not.
    assert words.translations("pluies", "fr", "en") == ("rain",)
    assert words.translations("Frontera", "es", "fr") == ("frontière",)
    assert "border" in words.translations("frontera", "es", "en")
    assert words.translations("fire", "en", "en") == ()
    assert words.translations("fire", "en", "ru") == ()
    assert words.translations("qwertyuiop", "en", "fr") == ()


def test_a_word_no_term_holds_is_searched_as_its_translations_below_the_typed_word():
    table = Dictionary({("en", "fr", "mud"): ("boue",), ("en", "es", "mud"): ("barro", "lodo")})
    parsed = expand(parse("the mud of the camps"), bundled_lexicon(), table)
    assert parsed.language == "en"
    typed, items = _alternatives(parsed.clauses[0])
    assert typed == Word("text", "mud")
    assert items == (Word("text", "boue", DICTIONARY_BOOST, "fr"),
                     Word("text", "barro", DICTIONARY_BOOST, "es"),
                     Word("text", "lodo", DICTIONARY_BOOST, "es"))
    # Searched, never typed: highlighted, not spell-checked or shown as the query.
    assert parsed.words[0] == "mud" and {"boue", "barro"} <= set(parsed.related)
    assert DICTIONARY_BOOST < TRANSLATION_BOOST


def test_a_term_of_the_lexicon_keeps_its_own_translations_only():
    # "asylum" is a term: the dictionary's words for it are never added.
    table = Dictionary({("en", "fr", "asylum"): ("hospice",)})
    parsed = expand(parse("asylum"), bundled_lexicon(), table)
    _, items = _alternatives(parsed.clauses[0])
    assert "hospice" not in parsed.related
    assert all(getattr(i, "text", None) != "hospice" for i in items)


def test_a_cognate_the_dictionary_also_gives_is_searched_once():
    table = Dictionary({("es", "en", "vulnerabilidad"): ("vulnerability",)})
    parsed = expand(parse("la vulnerabilidad"), bundled_lexicon(), table)
    _, items = _alternatives(parsed.clauses[0])
    english = [i for i in items if i.language == "en"]
    assert english == [Word("text", "vulnerability", DICTIONARY_BOOST, "en")]
    assert Word("text", "vulnerabilite", COGNATE_BOOST, "fr") in items


def test_a_query_of_unknown_language_or_with_syntax_gains_no_translations():
    table = Dictionary({("en", "fr", "mud"): ("boue",)})
    assert expand(parse("mud"), bundled_lexicon(), table).language is None
    assert "boue" not in expand(parse("mud"), bundled_lexicon(), table).related
    assert "boue" not in expand(parse('"the mud" OR rain'), bundled_lexicon(), table).related


def _doc(doc_id, text, language):
    return Document(doc_id, f"Report {doc_id}", f"http://x/{doc_id}", "s", "IOM", [text],
                    language)


def test_an_english_query_finds_a_spanish_report_through_the_dictionary(tmp_path):
    filler = " The report was written with partners in the region over the year."
    engine = Engine(tmp_path / "index")
    with engine.writer() as writer:
        for doc in [
            _doc("es", "Las casas de barro se derrumbaron tras las lluvias en el valle. El "
                 "informe fue escrito con socios de la región.", "es"),
            _doc("en", "Houses of mud collapsed after the rains in the valley." + filler, "en"),
            _doc("other", "Schools reopened in the capital after the holidays." + filler,
                 "en"),
        ]:
            writer.add(doc)
    page = engine.search(Query("houses of mud"))
    assert [h.document.id for h in page.hits][:2] == ["en", "es"]
    # The Spanish hit is highlighted on the word it matched.
    assert "<mark>barro</mark>" in page.hits[1].snippet.lower()
    # "mud" alone tells no language: it is searched as typed, in no other language.
    assert [h.document.id for h in engine.search(Query("mud")).hits] == ["en"]
    engine.close()


@pytest.mark.parametrize("query, language", [
    ("brote de difteria en Yemen", "es"),          # "de" and "en": French or Spanish
    ("avalancha de lodo en el sur de Chile", "es"),   # "el" Spanish, "sur" French
    ("mécanisme de réponse rapide", "fr"),
    ("cadre harmonisé", None),                      # no function word: any language's
    ("IDP rapatriement volontaire", None),
    ("Rio de Janeiro floods", None),                # "de" in a name of an English query
])
def test_a_tie_of_function_words_is_settled_by_the_dictionarys_words(query, language):
    assert parse(query).language == language


def test_a_query_whose_function_words_tie_finds_the_english_answer(tmp_path):
    """"brote de difteria en Yemen": its "de" and "en" are French and Spanish; the
    dictionary holds "brote" and "difteria" as Spanish, so the query is Spanish, and
    its words are searched as their English translations too."""
    engine = Engine(tmp_path / "index")
    with engine.writer() as writer:
        for doc in [
            _doc("en", "A diphtheria outbreak spreads in Yemen, where vaccines are short.",
                 "en"),
            _doc("es", "Un brote de cólera en Yemen: los casos aumentan en Adén.", "es"),
            _doc("other", "Schools in Yemen reopened after the holidays.", "en"),
        ]:
            writer.add(doc)
    # The Spanish report holds the typed words; the English answer comes next.
    hits = engine.search(Query("brote de difteria en Yemen")).hits
    assert [h.document.id for h in hits] == ["es", "en"]
    engine.close()


def test_the_dictionary_file_loads_and_a_missing_one_is_empty(tmp_path, monkeypatch):
    path = tmp_path / "d.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("# header\nen\tfr\tmud\tboue|fange\n\nfr\ten\tboue\tmud\n")
    table = load_dictionary(path)
    assert len(table) == 2
    assert table.translations("MUD", "en", "fr") == ("boue", "fange")
    monkeypatch.setattr(dictionary_module, "bundled_dictionary_file",
                        lambda: tmp_path / "absent.tsv.gz")
    dictionary_module.bundled_dictionary.cache_clear()
    try:
        assert len(dictionary_module.bundled_dictionary()) == 0
    finally:
        dictionary_module.bundled_dictionary.cache_clear()


@pytest.mark.e2e
@pytest.mark.skipif(not (shutil.which("lt-proc")
                         and Path("/usr/share/apertium/apertium-fr-es").is_dir()
                         and Path("/usr/share/apertium/apertium-eng-spa").is_dir()
                         and Path("/usr/share/dict/french").is_file()
                         and Path("/usr/share/dictd/freedict-eng-fra.index").is_file()
                         and Path("/usr/share/dictd/freedict-fra-eng.index").is_file()),
                    reason="Apertium's pairs, FreeDict's or the word lists are not installed")
def test_the_bundled_dictionary_is_what_the_build_script_makes(tmp_path):
    out = tmp_path / "dictionary.tsv.gz"
    subprocess.run([sys.executable, str(REPO / "scripts/build_dictionary.py"), str(out)],
                   check=True, capture_output=True)
    with gzip.open(out, "rt") as built, gzip.open(bundled_dictionary_file(), "rt") as shipped:
        assert built.read() == shipped.read()

