"""A general bilingual dictionary of English, French and Spanish: a word no lexicon term
holds, translated word for word.

The migration lexicon (``searchhub.lexicon``) names the domain's concepts with care, and
the regular cognates (``searchhub.cognates``) carry the Latin vocabulary the three
languages share; the everyday words of a report ("tent", "fire", "mud", "herders",
"training") are in neither, so a query holding them found no document in another
language. ``corpus/dictionary.tsv.gz`` is built from Apertium's bilingual dictionaries
(Debian's ``apertium-eng-spa`` and ``apertium-fr-es``) and FreeDict's English-French
pair (``dict-freedict-eng-fra``, ``-fra-eng``), all GPL, by
``scripts/build_dictionary.py``: a word's key (its form, folded) and the
translations its forms have most often, at most ``MAX_TRANSLATIONS`` per language. A word
for word translation is often not the word a report uses, so the lexicon weighs these
less than its own terms and only where the typed word is missing.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from searchhub.resources import bundled_dictionary_file
from searchhub.text import fold

#: Translations kept per word and target language.
MAX_TRANSLATIONS = 3


def word_key(word: str) -> str:
    """How a word is looked up: lowercased and folded (no accents), as typed otherwise:
    a stem would join words of other meanings ("vulnerabilidad" and "vulnerar", to
    violate, are both "vulner")."""
    return fold(word.lower())


#: Plural endings a word is looked up without by ``Dictionary.holds``.
_PLURALS = {"en": ("s", "es"), "fr": ("s", "x"), "es": ("s", "es")}


class Dictionary:
    """Translations of words by (source language, target language, key)."""

    def __init__(self, rows: dict[tuple[str, str, str], tuple[str, ...]]):
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def holds(self, word: str, language: str) -> bool:
        """Is ``word``, or its singular, a word of ``language`` here (translated into any
        language)? The singular, because the Spanish lists hold few plurals
        ("venezolanos", "refugiados") where the French ones hold many."""
        key = word_key(word)
        forms = {key, *(key[:-len(end)] for end in _PLURALS.get(language, ())
                        if key.endswith(end) and len(key) > len(end) + 2)}
        return any((language, target, form) in self._rows
                   for form in forms for target in ("en", "fr", "es"))

    def translations(self, word: str, language: str | None, target: str) -> tuple[str, ...]:
        """The translations of ``word`` (a word of ``language``) into ``target``; none
        for a language the dictionary does not hold."""
        return self._rows.get((language, target, word_key(word)), ())


def load_dictionary(path: Path) -> Dictionary:
    rows = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            source, target, key, words = line.rstrip("\n").split("\t")
            rows[(source, target, key)] = tuple(w for w in words.split("|") if w)
    return Dictionary(rows)


@lru_cache(maxsize=1)
def bundled_dictionary() -> Dictionary:
    path = bundled_dictionary_file()
    return load_dictionary(path) if path.is_file() else Dictionary({})
