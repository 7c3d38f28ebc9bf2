"""Did you mean: a query's words respelt from the index's own vocabulary, at a bounded cost.

A word is respelt only when it is between ``MIN_WORD_CHARS`` and ``MAX_WORD_CHARS``
long and the index does not hold it. Candidates share its first letter (most typos
keep it, as Lucene's spell checker assumes) and are within one edit (two for words
over five letters; a swap of neighbours is one edit); the nearest wins, then the one
in most documents. The words of one initial are read from the spelling field once
per index generation and compared in C (rapidfuzz), so a suggestion costs a few
milliseconds and never grows with the length of what was typed: at most
``MAX_WORDS`` words of a query are respelt, each against at most ``MAX_CANDIDATES``
words, within ``BUDGET`` seconds in all.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_WORD_CHARS = 4
MAX_WORD_CHARS = 30
MAX_WORDS = 5
#: Words of one initial compared at most (the most a huge vocabulary can cost).
MAX_CANDIDATES = 400_000
#: Seconds all the suggestions of one query may take.
BUDGET = 0.25
#: Respellings remembered per index generation.
CACHE_SIZE = 4096


def max_distance(word: str) -> int:
    return 2 if len(word) > 5 else 1


class Speller:
    """Respellings from one index generation's vocabulary.

    ``words_from(initial)`` yields the (accent-folded) words of the spelling field
    that begin with ``initial``; ``frequency(word)`` is the number of documents
    holding one. Safe to share between threads."""

    def __init__(self, words_from: Callable[[str], Iterable[str]],
                 frequency: Callable[[str], int]):
        self._words_from = words_from
        self._frequency = frequency
        self._by_initial: dict[str, list[str]] = {}
        self._cache: OrderedDict[str, str | None] = OrderedDict()
        self._lock = threading.Lock()

    def _words(self, initial: str) -> list[str]:
        words = self._by_initial.get(initial)
        if words is None:
            words = []
            for word in self._words_from(initial):
                if len(words) >= MAX_CANDIDATES:
                    break
                if len(word) <= MAX_WORD_CHARS + 2:
                    words.append(word)
            with self._lock:
                self._by_initial[initial] = words
        return words

    def respell(self, word: str) -> str | None:
        """The nearest word of the vocabulary to ``word`` (folded, not in the
        index), or None when there is none or ``word`` is too short or too long."""
        if not MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS:
            return None
        with self._lock:
            if word in self._cache:
                self._cache.move_to_end(word)
                return self._cache[word]
        limit = max_distance(word)
        found = process.extract(word, self._words(word[0]), scorer=OSA.distance,
                                score_cutoff=limit, limit=None)
        best = min(((distance, -self._frequency(candidate), candidate)
                    for candidate, distance, _ in found if candidate != word), default=None)
        answer = best[2] if best else None
        with self._lock:
            self._cache[word] = answer
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return answer

    def suggest(self, words: Iterable[str], known: Callable[[str], bool],
                fold: Callable[[str], str]) -> dict[str, str]:
        """Respellings of the query's ``words`` that the index does not hold
        (``known``), as {word as typed: respelling}; bounded by MAX_WORDS and BUDGET."""
        deadline = time.perf_counter() + BUDGET
        out: dict[str, str] = {}
        tried = 0
        for word in words:
            if tried >= MAX_WORDS or time.perf_counter() > deadline:
                break
            folded = fold(word)
            if not MIN_WORD_CHARS <= len(folded) <= MAX_WORD_CHARS or known(word):
                continue
            tried += 1
            better = self.respell(folded)
            if better:
                out[word] = better
        return out
