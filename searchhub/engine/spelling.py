"""Did you mean: a query's words respelt from the index's own vocabulary, at a bounded cost.

A word is respelt only when it is between ``MIN_WORD_CHARS`` and ``MAX_WORD_CHARS``
long and the index does not hold it. Candidates share its first letter (most typos
keep it, as Lucene's spell checker assumes) and are within one edit (two for words
over five letters; a swap of neighbours is one edit). The nearest win; among them,
the one the typed letters stand in most of, in order (fewest letters to insert or
delete: "trafiking" is "trafficking" with two letters left out, not "training"), then
the one in most documents. A search tries the best ``MAX_RESPELLINGS`` of the nearest
("protecion": English "protection" and Spanish "proteccion"); "did you mean" names the
first. The words of one initial are read from the spelling field once
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
from rapidfuzz.distance import OSA, Indel

MIN_WORD_CHARS = 4
MAX_WORD_CHARS = 30
MAX_WORDS = 5
#: Respellings of one word a search tries at most (all at the nearest distance).
MAX_RESPELLINGS = 3
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
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
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
        found = self.respellings(word)
        return found[0] if found else None

    def respellings(self, word: str) -> tuple[str, ...]:
        """The words of the vocabulary nearest to ``word`` (folded, not in the index),
        the likeliest first, at most MAX_RESPELLINGS; none when ``word`` is too short
        or too long."""
        if not MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS:
            return ()
        with self._lock:
            if word in self._cache:
                self._cache.move_to_end(word)
                return self._cache[word]
        found = [(distance, candidate) for candidate, distance, _ in process.extract(
                     word, self._words(word[0]), scorer=OSA.distance,
                     score_cutoff=max_distance(word), limit=None) if candidate != word]
        nearest = min((distance for distance, _ in found), default=None)
        ranked = sorted((Indel.distance(word, candidate), -self._frequency(candidate),
                         candidate) for distance, candidate in found if distance == nearest)
        answer = tuple(candidate for _, _, candidate in ranked[:MAX_RESPELLINGS])
        with self._lock:
            self._cache[word] = answer
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return answer

    def suggest(self, words: Iterable[str], known: Callable[[str], bool],
                fold: Callable[[str], str]) -> dict[str, str]:
        """The likeliest respelling of each of the query's ``words`` that the index
        does not hold (``known``), as {word as typed: respelling}; bounded by
        MAX_WORDS and BUDGET."""
        return {word: found[0] for word, found in self.alternatives(words, known, fold).items()}

    def alternatives(self, words: Iterable[str], known: Callable[[str], bool],
                     fold: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
        """As ``suggest``, with every respelling a search tries: {word as typed:
        respellings, the likeliest first}."""
        deadline = time.perf_counter() + BUDGET
        out: dict[str, tuple[str, ...]] = {}
        tried = 0
        for word in words:
            if tried >= MAX_WORDS or time.perf_counter() > deadline:
                break
            folded = fold(word)
            if not MIN_WORD_CHARS <= len(folded) <= MAX_WORD_CHARS or known(word):
                continue
            tried += 1
            found = self.respellings(folded)
            if found:
                out[word] = found
        return out
