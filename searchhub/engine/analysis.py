"""Text analysis: one analyzer per language group, plus CJK bigrams.

Each document's text goes into the fields of its language group only, so it is
stemmed by the stemmer of its language; a query is analysed once per group, so
"migrantes" finds Spanish "migrante" and "migrants" finds English "migrant".
"""

from __future__ import annotations

import math
import re
from functools import cache

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.lang import has_stopwords

from searchhub.text import WORD, arabic_stem, fold_table, unelide

#: Language groups that get their own stemmed fields. Anything else goes to "xx"
#: (lowercased and accent-folded, not stemmed); Chinese, Japanese and Korean to "cjk".
STEMMED = ("en", "fr", "es", "pt", "de", "it", "ru", "ar")
GROUPS = STEMMED + ("cjk", "xx")
CJK_LANGUAGES = {"zh", "ja", "ko"}
#: Groups whose stemmer knows no accents: their words are folded before stemming. The
#: English stemmer reads "é" as a consonant, so a French "évaluation" or "détention"
#: searched among English documents stemmed apart from their "evaluation" ("evaluat"
#: against "evalu"); the other stemmers need their accents, and fold after.
FOLD_FIRST = frozenset({"en"})

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+|[^\\W{_CJK}]+(?:[.'’][^\\W{_CJK}]+)*")
_CJK_CHAR = re.compile(f"[{_CJK}]")


def group_for(language: str) -> str:
    """The analysis group of an ISO 639-1 language code."""
    lang = (language or "").lower()[:2]
    if lang in STEMMED:
        return lang
    if lang in CJK_LANGUAGES:
        return "cjk"
    return "xx"


#: Share of the bigrams of a word in Chinese, Japanese or Korean script typed without
#: spaces ("上海电子商务") a document must hold: a bigram where two words meet ("海电")
#: is often nowhere in the document that holds both words, and requiring every bigram
#: lost it (benchmarks/cjk_bench.py).
CJK_SHARE = 0.5


def cjk_required(bigrams: int) -> int:
    """How many of a CJK word's ``bigrams`` a document must hold (at least one)."""
    return max(1, math.ceil(CJK_SHARE * bigrams))


class CJKBigramTokenizer(Tokenizer):
    """Splits CJK runs into overlapping bigrams (a lone character stays a unigram);
    other scripts into words."""

    # Measured against jieba's word segmentation on 460 real Chinese documents and 160
    # known-item queries (benchmarks/cjk_bench.py, December 2026): jieba beats these
    # bigrams only where a query's words are typed run together and all its bigrams are
    # required (MRR@10 0.93 against 0.82), because the bigram across two words is often
    # absent from the document; matched as the words of a plain query, bigrams are as
    # good (0.954 against 0.950) and better on compounds. Bigrams are kept: no
    # dictionary, the same terms as OpenSearch's cjk_bigram, Japanese and Korean alike.
    # A query word now needs half its bigrams (CJK_SHARE): MRR@10 0.824 -> 0.947.

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for m in _CJK_RUN.finditer(value):
            run = m.group()
            if _CJK_CHAR.match(run):
                grams = [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
                offsets = range(len(grams))
            else:
                grams, offsets = [run], [0]
            for gram, off in zip(grams, offsets, strict=True):
                t.text = gram
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = gram
                if positions:
                    t.pos = pos
                    pos += 1
                if chars:
                    t.startchar = start_char + m.start() + off
                    t.endchar = t.startchar + len(gram)
                yield t


class ElisionFilter(Filter):
    """Drops a French elided article from each token ("l'oim" -> "oim"), after
    lowercasing, so "l'évaluation" is indexed and searched as "évaluation"."""

    def __call__(self, tokens):
        for t in tokens:
            word = unelide(t.text)
            if word != t.text:
                if t.chars:
                    t.startchar += len(t.text) - len(word)
                t.text = word
            yield t


def _fold():
    """``searchhub.text.fold`` as an analysis step (after lowercasing)."""
    return CharsetFilter(fold_table())


def _stem_filter(group: str) -> StemFilter:
    if group == "ar":
        return StemFilter(stemfn=arabic_stem, cachesize=200_000)
    return StemFilter(lang=group, cachesize=200_000)


@cache
def analyzer(group: str, *, fold: bool = True):
    """The Whoosh analyzer of a language group.

    With ``fold=False`` the accent folding step is left out: the highlighter uses
    those unfolded stems to find matches in the original text.
    """
    if group == "cjk":
        chain = CJKBigramTokenizer() | LowercaseFilter()
    else:
        chain = RegexTokenizer(WORD) | LowercaseFilter() | ElisionFilter()
        if fold and group in FOLD_FIRST:
            chain = chain | _fold()
        if group in STEMMED:
            if has_stopwords(group):   # Whoosh has no Arabic stop list
                chain = chain | StopFilter(lang=group)
            chain = chain | _stem_filter(group)
    if fold and group not in FOLD_FIRST:
        chain = chain | _fold()
    return chain


@cache
def plain_analyzer():
    """Lowercase, accent-folded words: for the spelling field and ids."""
    return RegexTokenizer(WORD) | LowercaseFilter() | ElisionFilter() | _fold()


def fold_words(text: str) -> str:
    """The words of ``text`` lowercased and accent-folded, as the spelling field holds them."""
    return " ".join(terms("xx", text))


# -- the indexing fast path ------------------------------------------------------------
#
# Whoosh analyses text token by token through a chain of generators; at 600 words a
# document that is most of the indexing time. ``terms`` gives the same terms (a test
# checks it against ``analyzer``) from one regex pass and a cache of raw token -> term.

_WORD_RE = re.compile(WORD)
_TERM_CACHE: dict[str, dict[str, str | None]] = {}
_TERM_CACHE_LIMIT = 1_000_000


@cache
def stop_words(group: str) -> frozenset[str] | None:
    """The stop words a stemmed group drops (None: none), as Whoosh's StopFilter(lang=...)
    does: its English list added to the language's own."""
    from whoosh.analysis.filters import STOP_WORDS
    from whoosh.lang import stopwords_for_language

    if group not in STEMMED or not has_stopwords(group):
        return None
    return frozenset(STOP_WORDS) | frozenset(stopwords_for_language(group))


@cache
def _pipeline(group: str):
    """(stop words or None, stem function or None, fold table) of a group."""
    from whoosh.lang import stemmer_for_language

    fold_map = fold_table()
    if group in STEMMED:
        stops = stop_words(group)
        stem = arabic_stem if group == "ar" else stemmer_for_language(group)
        return stops, stem, fold_map
    return None, None, fold_map


class Analysed(list):
    """The terms of a text in order, and the position of the first one as Whoosh
    numbers it: its StopFilter keeps the position of the first word kept, so stop
    words before it count ("The migrants": "migrant" at 1), then counts on by one."""

    first: int = 0


def analyse(group: str, text: str) -> Analysed:
    """``terms`` of ``text`` with the position of the first one."""
    out = Analysed(terms(group, text))
    out.first = first_position(group, text)
    return out


def first_position(group: str, text: str) -> int:
    """Whoosh's position of the first term of ``text`` (see ``Analysed``)."""
    stops = _pipeline(group)[0] if group != "cjk" else None
    if stops is None:
        return 0
    for n, match in enumerate(_WORD_RE.finditer(text)):
        word = unelide(match.group().lower())
        if len(word) >= 2 and word not in stops:
            return n
    return 0


def terms(group: str, text: str) -> list[str]:
    """The indexed terms of ``text`` in ``group``, in order (stop words removed)."""
    if group == "cjk":
        return [t.text for t in analyzer(group)(text)]
    cache = _TERM_CACHE.get(group)
    if cache is None or len(cache) > _TERM_CACHE_LIMIT:
        cache = _TERM_CACHE[group] = {}
    raws = _WORD_RE.findall(text)
    found = list(map(cache.get, raws))      # a stop word is cached as ""
    if None in found:
        for i, term in enumerate(found):
            if term is None:
                raw = raws[i]
                term = cache.get(raw)
                if term is None:
                    term = cache[raw] = _term(group, raw) or ""
                found[i] = term
    return [term for term in found if term]


def _term(group: str, raw: str) -> str | None:
    stops, stem, fold_map = _pipeline(group)
    word = unelide(raw.lower())
    if group in FOLD_FIRST:
        word = word.translate(fold_map)
    if stops is not None and (len(word) < 2 or word in stops):
        return None
    if stem is not None:
        word = stem(word)
    return word.translate(fold_map)
