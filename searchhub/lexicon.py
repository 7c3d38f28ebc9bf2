"""The migration lexicon: a plain query's terms also searched in other languages and
under their synonyms, with a lower weight than the words typed.

``corpus/lexicon.toml`` names concepts in en/fr/es/ar/ru/zh (acronyms, formal and
colloquial terms among them); ``taxonomy/countries.csv`` and Babel's CLDR data name
the countries. ``expand`` reads the clauses of a plain ``ParsedQuery`` (above the
engine seam, so every engine gets the same tree): a run of words that is a term of
the lexicon gains alternatives, the concept's other terms, each clause of the run
becoming ``Or(typed word, AndNot(Or(alternatives...), typed word))`` (``_node``
weighs them): they count only for documents lacking the typed word, and a document
holding several scores the best of them plus ``ALTERNATIVES_TIE`` of the others. Alternatives
weigh less than what was typed (same-language synonyms ``SYNONYM_BOOST``, other
languages ``TRANSLATION_BOOST``), so documents in the query's words rank first; their words
are never shown as typed words, only used to highlight the hits that matched them.
A concept's everyday wordings (``[[colloquial]]``: "leftover bombs") find it like its
terms but are never among its alternatives.
A French or Spanish word no term holds is searched in the other two of English, French
and Spanish as its regular cognates (``searchhub.cognates``: "vulnerabilidad",
"vulnerability"), weighing ``COGNATE_BOOST``, in the same way; and an English, French
or Spanish word no term holds is also searched in the other two as its translations by
a general dictionary (``searchhub.dictionary``: "tente", "tent"), weighing
``DICTIONARY_BOOST``.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import threading
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from searchhub.cognates import cognates
from searchhub.dictionary import Dictionary, bundled_dictionary
from searchhub.query import (
    PHRASE_WEIGHT,
    And,
    AndMaybe,
    AndNot,
    Or,
    ParsedQuery,
    Phrase,
    Word,
    surface_words,
    walk,
)
from searchhub.query_parser import MAX_PAIRS, ONLY_COMMON, acronyms, analyse
from searchhub.resources import bundled_lexicon_file, bundled_taxonomy_dir
from searchhub.stopwords import HAN_QUESTION_WORDS
from searchhub.text import (
    ARABIC,
    CYRILLIC,
    HAN,
    arabic_normalise,
    arabic_stem,
    fold,
    without_possessive,
)

LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
#: A document matching several alternatives of one term scores the best of them plus
#: this share of the others' (``Or.tie``), not their sum: a language with three names
#: for a thing outweighed one with a single name, and each alternative added was noise.
#: (Sum: blind 0.780, six languages 0.775, dev 0.915, extra 0.931; 0.3: 0.790, 0.784,
#: 0.917, 0.924, with MAX_ALTERNATIVES 10; 0.0 and 0.5 were no better.)
ALTERNATIVES_TIE = 0.3
#: Weight of a synonym in the query's own language (an acronym's expansion).
SYNONYM_BOOST = 0.5
#: Weight of the same concept in another language. (0.7, with OTHER_LANGUAGES_FACTOR
#: 0.6, raised the blind queries g01-g24 of eval/blind-qrels.jsonl 0.638 -> 0.652, which
#: it was tried on, but the later blind rounds only by 0.005 each (h 0.732 -> 0.737, i
#: 0.833 -> 0.838), dev unchanged; and a translation's rarity is its own language's, so
#: in a small language a translation outranked documents holding the typed word: the
#: demo corpus's English reports fell off the first page of "migrants" below Spanish ones
#: holding "migrantes". Left at 0.5 until a translation's rarity is its concept's.)
TRANSLATION_BOOST = 0.5
#: Weight of a regular cognate in another language (``searchhub.cognates``) of a typed
#: word the lexicon does not know.
COGNATE_BOOST = 0.5
#: The languages a query's cognates are searched in, by the query's language.
COGNATE_TARGETS = {"fr": ("en", "es"), "es": ("en", "fr")}
#: Weight of a word's translation by the general dictionary (``searchhub.dictionary``)
#: of a typed word the lexicon does not know, and the languages searched.
DICTIONARY_BOOST = 0.4
DICTIONARY_TARGETS = {"en": ("fr", "es"), "fr": ("en", "es"), "es": ("en", "fr")}
#: Weight of the respelling of a typed word the index does not hold: the typed word's
#: own, for it stands for that very word and the typed one matches nothing. (0.8 made a
#: document holding the meant word lose to ones holding only the query's other words:
#: "Kakumma refugee camp host community" 0.57 against 0.96 spelt right.)
RESPELLING_BOOST = 1.0
#: Share of RESPELLING_BOOST the other respellings as near as the likeliest weigh.
OTHER_RESPELLING_SHARE = 0.5
#: Han characters: a Chinese query is typed without spaces between its words.
_HAN_RUN = re.compile(f"(?:{HAN.pattern})+")
#: One-character Chinese function words ("and", "of", "in", ...) and question particles:
#: what is left of them alone beside the lexicon's terms of a run typed without spaces is
#: dropped, as a stop word would be.
HAN_FUNCTION_CHARS = frozenset("的与和及在对了是或等从向为于以之其将被把由给跟同也而并吗呢")
#: Alternatives added for one matched term, and for a whole query.
#: (8 until December 2026, when the alternatives began to count by the best of them,
#: ALTERNATIVES_TIE: 10 then raised the blind set's cross-language queries 0.658 ->
#: 0.695; without that, more alternatives summed into noise: 12 gave dev 0.915 -> 0.907.
#: 12 and 16 were no better, and 11 sent the largest eval queries over Lucene's 1,024
#: clauses in an index of every language, see ``opensearch_query.clause_count``.)
MAX_ALTERNATIVES = 10
#: (32 until December 2026: the first terms of a long query took it all, and its later
#: ones, often the most telling, went untranslated: "armed conflict" in "education and
#: job training for victims of Colombia's armed conflict". At 64, blind recall@10
#: 0.800 -> 0.801; the query time of the eval queries did not change measurably.)
MAX_EXPANDED = 64
#: The longest term matched, in words (the official names of UN missions run to ten
#: in Arabic: "بعثة منظمة الأمم المتحدة لتحقيق الاستقرار في جمهورية الكونغو الديمقراطية").
MAX_SPAN = 12
#: CLDR's two-letter codes that name no territory (unions, pseudo-locales, "unknown").
_NOT_TERRITORIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
#: Aliases of countries.csv that are also everyday words ("EAU", the French initials of
#: the United Arab Emirates, is "eau", water): never a query's country.
_WORD_ALIASES = frozenset({"EAU"})
#: Babel's locales for the languages countries.csv does not hold.
_BABEL_LOCALES = {"ar": "ar", "ru": "ru", "zh": "zh_Hans"}


@dataclass(frozen=True)
class Term:
    """One way to name a concept: its words as a query holds them."""

    concept: str
    language: str
    words: tuple[str, ...]
    #: As written in the lexicon.
    text: str = field(default="", compare=False)
    #: An everyday way to say it (corpus/lexicon.toml's [[colloquial]]): it finds the
    #: concept but is never searched for it.
    colloquial: bool = field(default=False, compare=False)

    @property
    def key(self) -> tuple[str, ...]:
        return match_key(self.words)


def match_key(words: Iterable[str]) -> tuple[str, ...]:
    """How words compare with a term: folded, lowercased, a possessive's "'s" and a
    final "s" ignored; Russian
    and Arabic words by their stems, for their endings and clitics change more than a
    plural's "s" does ("беженцев" names беженцы, "والهجرة" الهجرة)."""
    out = []
    for word in words:
        word = without_possessive(fold(word).lower())
        if CYRILLIC.search(word):
            word = _russian_stem(word)
        elif ARABIC.search(word):
            word = arabic_stem(word)
        elif len(word) > 3 and word.endswith("s") and word.isascii():
            word = word[:-1]
        out.append(word)
    return tuple(out)


def _stemmed_again(keys: tuple[str, ...], words: Iterable[str]) -> tuple[str, ...]:
    """``keys`` with each Russian stem stemmed once more, and each Latin key ending in
    "e" (a final "s" is already gone) without it, so that a word is looked up again
    under those:

    - Snowball cuts a Russian name's case ending but then, from the bare name, a letter
      or two more ("Йемене" -> "йемен", "Йемен" -> "йем"; "Пакистане" -> "пакистан",
      "Пакистан" -> "пакиста"), so an inflected name is looked up under its stem's stem;
    - a Spanish plural adds "es" to a consonant ("manglares", "manglar"), French and
      Spanish feminines an "e" or "es" ("déplacées", "déplacé"; "migrante", "migrant");
      a French plural ends in "x" ("feux de forêt", "feu de forêt"; ``_singular``);
    - Arabic writes the prepositions "for", "with" and "as" and the conjunction "then"
      (ل ب ك ف) as one with the next word when it has no article ("لدخول", for entering:
      دخول), which the light stemmer leaves; and "for the" before a word beginning with
      ل shares that letter ("للاجئين", for the refugees: لاجئين), which the stemmer
      takes with the article (``_arabic_again``).

    Terms keep their one key: "суда" (a court's) is not "суда" (Sudan's key) stemmed
    again."""
    return tuple(_russian_stem(k) if CYRILLIC.search(k)
                 else _arabic_again(k, w) if ARABIC.search(k) else _singular(k)
                 for k, w in zip(keys, words, strict=True))


#: Arabic one-letter prepositions and conjunction written as one with their word.
_ARABIC_PROCLITICS = ("\u0644", "\u0628", "\u0643", "\u0641")


def _arabic_again(key: str, word: str) -> str:
    """An Arabic ``word``'s other reading: "li" + "al" before a word beginning with ل
    as the preposition and that word, else its ``key`` without a leading one-letter
    preposition or "fa" while three letters remain."""
    word = arabic_normalise(fold(word).lower())
    if len(word) >= 5 and word.startswith("\u0644\u0644"):
        return arabic_stem(word[1:])
    return key[1:] if len(key) >= 4 and key.startswith(_ARABIC_PROCLITICS) else key


def _singular(key: str) -> str:
    """A Latin key without a feminine's "e", or a French plural in "x" as its singular
    ("feux", "feu"; "eaux", "eau"; "hôpitaux", "hôpital")."""
    if len(key) <= 3 or not key.isascii():
        return key
    if key.endswith(("eaux", "eux")):
        return key[:-1]
    if key.endswith("aux"):
        return key[:-3] + "al"
    return key[:-1] if len(key) > 4 and key.endswith("e") else key


#: A Snowball stemmer keeps its word in itself while it works: one thread at a time
#: (the web server's threads build and read the lexicon at once).
_STEMMING = threading.Lock()


@lru_cache(maxsize=20_000)
def _russian_stem(word: str) -> str:
    with _STEMMING:
        return _russian_stemmer().stemWord(word.replace("ё", "е"))


@lru_cache(maxsize=1)
def _russian_stemmer():
    return snowballstemmer.stemmer("russian")


class Lexicon:
    """Concepts and their terms, found in a query's words by ``find``."""

    def __init__(self, terms: Iterable[Term], places: Mapping[str, Iterable[str]] | None = None,
                 shared_names: Mapping[str, Iterable[str]] | None = None):
        """``places`` maps the concepts that name a place other than a country (a
        region, "the Sahel", a camp) onto the ISO 3166 alpha-3 codes of the countries it
        covers; ``shared_names`` maps a name that two countries share ("Congo") onto
        both."""
        self.concepts: dict[str, list[Term]] = {}
        self._by_key: dict[tuple[str, ...], list[Term]] = {}
        #: Country concepts and their English names, as the ``countries`` facet holds
        #: them (the taxonomy's first English name of each).
        self.place_names: dict[str, str] = {}
        for term in terms:
            if not term.words:
                continue
            if term.concept.startswith("country-") and term.language == "en":
                self.place_names.setdefault(term.concept, term.text)
            same = self.concepts.setdefault(term.concept, [])
            if term not in same:
                same.append(term)
                self._by_key.setdefault(term.key, []).append(term)
        self.longest = min(MAX_SPAN, max((len(k) for k in self._by_key), default=0))
        #: The countries (English names, as the ``countries`` facet holds them) a query
        #: naming each place concept is about: a country itself, or those a region or
        #: a smaller place covers.
        self.places: dict[str, tuple[str, ...]] = {c: (n,) for c, n in self.place_names.items()}
        for concept, codes in (places or {}).items():
            self.places[concept] = self._countries(codes)
        self._shared = {match_key(analyse(name, "en")): self._countries(codes)
                        for name, codes in (shared_names or {}).items()}
        self._longest_han = max((len(k[0]) for k in self._by_key
                                 if len(k) == 1 and _HAN_RUN.fullmatch(k[0])), default=0)

    def __len__(self) -> int:
        return len(self.concepts)

    def _countries(self, codes: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.place_names[f"country-{code}"] for code in codes
                     if f"country-{code}" in self.place_names)

    def place_of(self, term: Term) -> tuple[str, ...]:
        """The countries a query naming ``term`` is about (none if it names no place)."""
        return self._shared.get(term.key) or self.places.get(term.concept, ())

    def find(self, words: tuple[str, ...]) -> list[tuple[int, int, list[Term]]]:
        """Runs of ``words`` that are terms: (start, end, the terms), longest first,
        left to right, never overlapping."""
        keys = match_key(words)
        again = _stemmed_again(keys, words)
        out = []
        i = 0
        while i < len(keys):
            for n in range(min(self.longest, len(keys) - i), 0, -1):
                found = (self._by_key.get(keys[i:i + n])
                         or (again != keys and self._by_key.get(again[i:i + n])))
                if found:
                    out.append((i, i + n, found))
                    i += n
                    break
            else:
                i += 1
        return out

    def terms(self, words: tuple[str, ...]) -> list[Term]:
        """The terms ``words`` are, whole."""
        keys = match_key(words)
        return list(self._by_key.get(keys) or self._by_key.get(_stemmed_again(keys, words), ()))

    def segment(self, run: str) -> list[str]:
        """A run of Han characters typed without spaces, split at the lexicon's terms
        and the question words it holds (the longest first, left to right) and between
        them; question words, and what is left beside the terms only of function
        characters ("与", "的"), are dropped. The run whole when it holds none, or
        nothing else."""
        pieces: list[str] = []
        rest = ""
        i = 0
        while i < len(run):
            for n in range(min(self._longest_han, len(run) - i), 1, -1):
                if (run[i:i + n],) in self._by_key or run[i:i + n] in HAN_QUESTION_WORDS:
                    if rest:
                        pieces.append(rest)
                    pieces.append(run[i:i + n])
                    rest = ""
                    i += n
                    break
            else:
                rest += run[i]
                i += 1
        if rest:
            pieces.append(rest)
        kept = [p for p in pieces if p not in HAN_QUESTION_WORDS
                and not set(p) <= HAN_FUNCTION_CHARS]
        return kept if len(pieces) > 1 and kept else [run]

    def alternatives(self, matched: list[Term]) -> list[tuple[Term, float]]:
        """The other terms of the concepts ``matched`` names, each with its weight:
        synonyms in the matched terms' languages first, then each other language's
        preferred term, then the rest; at most MAX_ALTERNATIVES different spellings. A
        spelling two languages share ("migration" in English and French) is kept in
        each: an alternative is searched in its own language's documents only."""
        typed = {t.key for t in matched}
        languages = {t.language for t in matched}
        synonyms, preferred, rest = [], [], []
        for concept in dict.fromkeys(t.concept for t in matched):
            first_seen: set[str] = set()
            for term in self.concepts[concept]:
                if term.colloquial:
                    continue
                first = term.language not in first_seen
                first_seen.add(term.language)
                if term.key in typed:
                    continue
                if term.language in languages:
                    synonyms.append((term, SYNONYM_BOOST))
                elif first:
                    preferred.append((term, TRANSLATION_BOOST))
                else:
                    rest.append((term, TRANSLATION_BOOST))
        out: list[tuple[Term, float]] = []
        spellings: set[tuple[str, ...]] = set()
        seen: set[tuple[tuple[str, ...], str]] = set()
        for term, boost in synonyms + preferred + rest:
            if (term.key, term.language) in seen:
                continue
            if term.key not in spellings:
                if len(spellings) == MAX_ALTERNATIVES:
                    continue
                spellings.add(term.key)
            seen.add((term.key, term.language))
            out.append((term, boost))
        return out


def expand(parsed: ParsedQuery, lexicon: Lexicon | None = None,
           dictionary: Dictionary | None = None) -> ParsedQuery:
    """``parsed`` with each lexicon term among a plain query's clauses also searched
    as its concept's other terms (see the module's docstring), its hyphenated
    compounds bound (``bind_compounds``), and the acronyms it types in capitals that
    are stop words searched as what they stand for (``_with_acronyms``); queries with
    syntax come back unchanged."""
    lexicon = bundled_lexicon() if lexicon is None else lexicon
    if parsed.simple:
        parsed = bind_compounds(_with_alternatives(parsed, lexicon, dictionary))
    return _with_acronyms(parsed, lexicon)


def _with_acronyms(parsed: ParsedQuery, lexicon: Lexicon) -> ParsedQuery:
    """``parsed`` with the acronyms typed in capitals that the lexicon knows ("WHO",
    "US": stop words, which the index drops) searched as their expansions and
    translations: alone, the query; beside other words, a bonus on each clause
    (``AndMaybe``, its weight shared among them), never a word a document must
    hold, for the documents that write only the acronym cannot hold it."""
    alternatives = [alt for acronym in parsed.acronyms
                    for alt in lexicon.alternatives(lexicon.terms((acronym,)))]
    if not alternatives or not (parsed.simple or parsed.query is None):
        return parsed
    extra, words = _either(alternatives, share=len(parsed.clauses) or 1)
    if parsed.simple:
        clauses = tuple(AndMaybe(clause, extra) for clause in parsed.clauses)
        notices = parsed.notices
    else:
        clauses = (extra,)
        notices = tuple(n for n in parsed.notices if n != ONLY_COMMON)
    return dataclasses.replace(
        parsed, query=clauses[0] if len(clauses) == 1 else Or(clauses), clauses=clauses,
        notices=notices, related=tuple(dict.fromkeys((*parsed.related, *words))))


def _translated(word: str, language: str | None, dictionary: Dictionary) -> list:
    """``word``'s dictionary translations (``searchhub.dictionary``) into the other
    languages of DICTIONARY_TARGETS, each weighing DICTIONARY_BOOST."""
    return [_node(tuple(t.replace("-", " ").split()), DICTIONARY_BOOST, target)
            for target in DICTIONARY_TARGETS.get(language, ())
            for t in dictionary.translations(word, language, target)]


def _with_alternatives(parsed: ParsedQuery, lexicon: Lexicon,
                       dictionary: Dictionary | None = None) -> ParsedQuery:
    parsed = _distinct(_segmented(parsed, lexicon))
    typed = tuple(c.text for c in parsed.clauses if isinstance(c, Word))
    if len(typed) != len(parsed.clauses):
        return parsed
    clauses = list(parsed.clauses)
    related: list[str] = []
    budget = MAX_EXPANDED
    found = lexicon.find(typed)
    places = tuple(dict.fromkeys(country for _, _, matched in found for term in matched
                                 for country in lexicon.place_of(term)))
    if places:
        parsed = dataclasses.replace(parsed, places=places)
    if parsed.language is None:
        # A query without function words ("Kakuma refugee camp") is in the language
        # of its terms: the engines then weigh its matches in other languages less.
        parsed = dataclasses.replace(parsed, language=_terms_language(found))
    for start, end, matched in found:
        alternatives = lexicon.alternatives(matched)[:budget]
        if not alternatives:
            continue
        budget -= len(alternatives)
        others, words = _either(alternatives)
        related += words
        for k in range(start, end):
            # Only where the typed word is missing: a document holding it (through
            # any language's stemmer) scores on it alone, so the alternatives never
            # reorder documents that hold what was typed.
            clauses[k] = Or((clauses[k], AndNot(others, clauses[k])))
        if budget <= 0:
            break
    covered = {k for start, end, _ in found for k in range(start, end)}
    targets = COGNATE_TARGETS.get(parsed.language, ())
    words_of = bundled_dictionary() if dictionary is None else dictionary
    for k, word in enumerate(typed):
        if k in covered:
            continue
        forms = _translated(word, parsed.language, words_of)
        known = {(surface_words(form), form.language) for form in forms}
        forms += [Word("text", form, COGNATE_BOOST, target) for target in targets
                  for form in cognates(word, parsed.language, target)
                  if ((form,), target) not in known]
        if forms:
            others, _ = _either((), first=forms)
            related += [w for form in forms for w in surface_words(form)]
            clauses[k] = Or((clauses[k], AndNot(others, clauses[k])))
    if not related:
        return parsed
    query = clauses[0] if len(clauses) == 1 else Or(tuple(clauses))
    return dataclasses.replace(parsed, query=query, clauses=tuple(clauses),
                               related=tuple(dict.fromkeys(related)))


def _segmented(parsed: ParsedQuery, lexicon: Lexicon) -> ParsedQuery:
    """``parsed`` with each Chinese run typed without spaces ("气候变化与移民") split
    into the lexicon's terms it holds and what lies between them (``Lexicon.segment``),
    one clause each, as words typed apart are: each then finds its translations, and a
    Chinese document holding them apart matches."""
    pieces = [lexicon.segment(c.text) if isinstance(c, Word) and _HAN_RUN.fullmatch(c.text)
              else [c] for c in parsed.clauses]
    if all(p == [c] or p == [c.text] for p, c in zip(pieces, parsed.clauses, strict=True)):
        return parsed
    clauses = tuple(dict.fromkeys(Word("text", p) if isinstance(p, str) else p
                                  for piece in pieces for p in piece))
    words = tuple(c.text for c in clauses if isinstance(c, Word))
    pairs = tuple(zip(words, words[1:], strict=False))[:MAX_PAIRS]
    query = clauses[0] if len(clauses) == 1 else Or(clauses)
    return dataclasses.replace(parsed, query=query, clauses=clauses, pairs=pairs, words=words)


def _terms_language(found) -> str | None:
    """The one language the lexicon terms of a query are written in, when every term
    found that belongs to one language only ("refugee camp", not "migration") agrees."""
    languages = set()
    for _, _, matched in found:
        own = {t.language for t in matched}
        if len(own) == 1:
            languages |= own
    return languages.pop() if len(languages) == 1 else None


def _distinct(parsed: ParsedQuery) -> ParsedQuery:
    """``parsed`` with one clause per word, inflections aside: "évaluation des
    évaluations" is one word asked for, not two clauses counting the same stem twice
    (which ranked every document naming it above those holding the query's other words)."""
    seen: set[tuple[str, ...]] = set()
    clauses = []
    for clause in parsed.clauses:
        key = match_key((clause.text,)) if isinstance(clause, Word) else None
        if key is None or key not in seen:
            clauses.append(clause)
            if key is not None:
                seen.add(key)
    if len(clauses) == len(parsed.clauses):
        return parsed
    query = clauses[0] if len(clauses) == 1 else Or(tuple(clauses))
    return dataclasses.replace(parsed, query=query, clauses=tuple(clauses))


def with_respellings(parsed: ParsedQuery, respellings: dict[str, tuple[str, ...]],
                     lexicon: Lexicon | None = None) -> ParsedQuery:
    """``parsed`` (a plain query) with each typed word the index does not hold also
    searched as its respellings (``respellings``: {typed word: words of the index,
    the likeliest first; ``Speller.alternatives``}), the first weighing ``RESPELLING_BOOST``, the
    others less, and only where the typed word is missing: a misspelt rare word still
    finds its documents. A respelling that is a term of the lexicon brings its
    alternatives too ("Lybia" respelt "libia", Spanish, also searched as "Libya" and
    "Libye"). The words of a hyphenated compound are left as typed (their clauses
    are the compound's phrase)."""
    if not parsed.simple or not respellings:
        return parsed
    lexicon = bundled_lexicon() if lexicon is None else lexicon
    clauses = []
    related = [*parsed.related, *(w for found in respellings.values() for w in found)]
    for clause in parsed.clauses:
        typed, _ = _typed_and_alternatives(clause)
        better = respellings.get(typed.text, ()) if typed is not None else ()
        if better:
            terms = [term for word in better for term in lexicon.terms((word,))]
            first = tuple(Word("text", word, RESPELLING_BOOST * (1.0 if k == 0 else
                                                                 OTHER_RESPELLING_SHARE))
                          for k, word in enumerate(better))
            others, words = _either(lexicon.alternatives(terms), first=first)
            related += words
            clause = Or((clause, AndNot(others, typed)))
        clauses.append(clause)
    query = clauses[0] if len(clauses) == 1 else Or(tuple(clauses))
    related = tuple(dict.fromkeys(related))
    return dataclasses.replace(parsed, query=query, clauses=tuple(clauses), related=related)


def bind_compounds(parsed: ParsedQuery) -> ParsedQuery:
    """``parsed`` (a plain query, its lexicon alternatives added) with the words of
    each hyphenated compound it holds ("non-refoulement", "Royaume-Uni") found only
    side by side, or written as one word ("nonrefoulement"): "non" alone, or the
    "uni" of "Nations unies", is not what was asked for. Each word keeps its clause, and
    its alternatives when the compound is one lexicon term ("Royaume-Uni": United
    Kingdom); a compound of terms ("UE-Turquie") is found in other languages through
    an alternative of each. The phrase weighs what its words would, so the compound
    changes which documents match a clause, not how much the clause weighs."""
    if not parsed.simple or not parsed.compounds:
        return parsed
    clauses = list(parsed.clauses)
    joined = []
    for words in parsed.compounds:
        n = len(words)
        for i in range(len(clauses) - n + 1):
            run = [_typed_and_alternatives(c) for c in clauses[i:i + n]]
            if tuple(typed.text if typed else None for typed, _ in run) != words:
                continue
            # Each of the n clauses holds the phrase: together they score it once.
            bound = Or((Phrase("text", words, 1, 1.0 / (PHRASE_WEIGHT * n)),
                        Word("text", "".join(words))))
            if len({others for _, others in run}) > 1:
                # Each word is its own term ("UE-Turquie": the European Union and
                # Turkey): where the compound is missing, a document holding an
                # alternative of every word stands in, scored once (in the first
                # clause) as those words' alternatives would be. A word without
                # alternatives ("anti-") leaves the compound as typed.
                every = [others for _, others in run]
                joint = None if None in every else And(tuple(every))
                run = [(typed, joint if k == 0 else None) for k, (typed, _) in enumerate(run)]
            for k, (_, others) in enumerate(run):
                clauses[i + k] = bound if others is None else Or((bound, AndNot(others, bound)))
            joined.append("".join(words))
            break
    query = clauses[0] if len(clauses) == 1 else Or(tuple(clauses))
    # Only the words still searched: a hit is highlighted on them.
    searched = {w for clause in clauses for node in walk(clause) for w in surface_words(node)}
    related = tuple(dict.fromkeys(w for w in (*parsed.related, *joined) if w in searched))
    return dataclasses.replace(parsed, query=query, clauses=tuple(clauses), related=related)


def _typed_and_alternatives(clause) -> tuple[Word | None, object]:
    """A plain clause's typed word and what stands in for it where it is missing (the
    lexicon's alternatives), or (None, None) for another shape (a bound compound)."""
    if isinstance(clause, AndMaybe):         # an acronym's bonus (``_with_acronyms``)
        return _typed_and_alternatives(clause.required)
    if isinstance(clause, Word):
        return clause, None
    if isinstance(clause, Or) and len(clause.items) == 2:
        typed, others = clause.items
        if isinstance(typed, Word) and isinstance(others, AndNot) and others.negative == typed:
            return typed, others.positive
    return None, None


def _either(alternatives: list[tuple[Term, float]], share: int = 1, first=()):
    """The lexicon's ``alternatives`` as one node (an ``Or`` of several), each
    weighing its boost divided by ``share`` (the clauses it stands in), after the
    ``first`` nodes given; and their words, to highlight the hits that match them."""
    nodes = (*first, *(_node(term.words, boost / share, term.language)
                       for term, boost in alternatives))
    words = [w for term, _ in alternatives for w in term.words]
    return (nodes[0] if len(nodes) == 1 else Or(nodes, ALTERNATIVES_TIE)), words


def _node(words: tuple[str, ...], boost: float, language: str) -> Word | Phrase:
    """An alternative in every clause of the run it stands for: a phrase scores as
    the sum of its words, so each word weighs ``boost`` / their number, and the
    alternative about ``boost`` times what the typed run does. It is searched in the
    documents of its ``language`` only: "données" stemmed as French, in French
    documents, not through nine other stemmers (most of an expansion's cost)."""
    if len(words) == 1:
        return Word("text", words[0], boost, language)
    return Phrase("text", words, 1, boost / len(words), language)


# -- loading -------------------------------------------------------------------------

def load_lexicon(path: Path, countries: Path | None = None,
                 regions: Path | None = None) -> Lexicon:
    """The lexicon of ``path`` (TOML, see corpus/lexicon.toml) with its everyday
    wordings (found, never searched), plus the country names of ``countries``
    (taxonomy/countries.csv) and the demonyms of ``path`` (searched as their country),
    and the region labels of ``regions`` (taxonomy/regions.toml), when given."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    terms = [Term(entry["id"], language, _term_words(text, language), text)
             for entry in data.get("concept", [])
             for language in LANGUAGES for text in entry.get(language, [])]
    terms += [Term(entry["concept"], language, _term_words(text, language), text,
                   colloquial=True)
              for entry in data.get("colloquial", [])
              for language in LANGUAGES for text in entry.get(language, [])]
    if regions is not None:
        terms += region_terms(regions)
    if countries is not None:
        terms += country_terms(countries)
        # After the names: a country's first term in a language stays its name.
        terms += [Term(f"country-{entry['country']}", language, _term_words(text, language),
                       text)
                  for entry in data.get("demonym", [])
                  for language in LANGUAGES for text in entry.get(language, [])]
    places = {entry["id"]: entry["countries"] for entry in data.get("concept", [])
              if "countries" in entry}
    shared = {entry["name"]: entry["countries"] for entry in data.get("shared_name", [])}
    return Lexicon(terms, places, shared)


def _term_words(text: str, language: str) -> tuple[str, ...]:
    """A term's words as a query holds them; an acronym that is a stop word ("WHO",
    "US") as the query's ``acronyms`` hold it."""
    return tuple(analyse(text, language)) or acronyms(text, language)


def region_terms(path: Path) -> list[Term]:
    """Each region's label in six languages (taxonomy/regions.toml), "Global" aside:
    it names no place."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for region in data.get("region", []):
        if region["id"] == "global":
            continue
        for language in LANGUAGES:
            label = region.get("label" if language == "en" else f"label_{language}")
            if label:
                out.append(Term(f"region-{region['id']}", language,
                                tuple(analyse(label, language)), label))
    return out


def country_terms(path: Path) -> list[Term]:
    """Each country's names: English (and its aliases), French and Spanish from the
    taxonomy's table, Arabic, Russian and Chinese from Babel's CLDR data."""
    from babel import Locale
    from babel.core import get_global

    # CLDR maps each ISO 3166 alpha-3 code onto its alpha-2 code ("overlong" aliases).
    aliases = get_global("territory_aliases")
    locales = {lang: Locale.parse(name) for lang, name in _BABEL_LOCALES.items()}
    out = []
    listed: set[str | None] = set()
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            concept = f"country-{row['iso3']}"
            country_aliases = [a for a in re.split(r"\s*;\s*", row.get("aliases") or "")
                               if a not in _WORD_ALIASES]
            names = {"en": [row["name"], *country_aliases],
                     "fr": [row.get("name_fr", "")], "es": [row.get("name_es", "")]}
            alpha2 = next(iter(aliases.get(row["iso3"], ())), None)
            for lang, locale in locales.items():
                name = locale.territories.get(alpha2) if alpha2 else None
                names[lang] = [name] if name else []
            out += [Term(concept, lang, tuple(analyse(name, lang)), name)
                    for lang, values in names.items() for name in values if name]
            # The table's aliases are English, French or Spanish ("République du
            # Congo", "Federación de Rusia"): each is also a term of the language whose
            # stop words it holds, as a query in that language leaves it.
            out += [Term(concept, lang, words, alias) for alias in country_aliases
                    for lang in ("fr", "es")
                    if len(words := tuple(analyse(alias, lang))) < len(analyse(alias, "en"))]
            listed.add(alpha2)
    # The territories the table leaves out (the British Virgin Islands, Puerto Rico,
    # Réunion...), which reports name too: Babel's names in all six languages.
    locales |= {lang: Locale.parse(lang) for lang in ("en", "fr", "es")}
    for code in locales["en"].territories:
        if len(code) != 2 or not code.isalpha() or code in listed or code in _NOT_TERRITORIES:
            continue
        for lang, locale in locales.items():
            name = locale.territories.get(code)
            if name:
                out.append(Term(f"territory-{code}", lang, tuple(analyse(name, lang)), name))
    return out


@lru_cache(maxsize=1)
def bundled_lexicon() -> Lexicon:
    """The lexicon shipped with searchhub, with the bundled countries (read once)."""
    taxonomy = bundled_taxonomy_dir()
    return load_lexicon(bundled_lexicon_file(), taxonomy / "countries.csv",
                        taxonomy / "regions.toml")
