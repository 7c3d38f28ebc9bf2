"""Visibility in the Whoosh engine: which documents of a generation a viewer may see
(``searchhub.visibility``), and the spelling vocabulary as if the index held only those.

Both are cached on the ``Snapshot`` per viewer key, so they cost once a generation.
"""

from __future__ import annotations

import json
import zlib

import numpy as np
from whoosh.util.text import utf8encode

from searchhub import visibility

from .analysis import GROUPS, analyzer, terms
from .schema import body_field, title_field

#: Characters of the text in the spelling field (as ``whoosh_engine`` writes it).
SPELL_CHARS = 1000


def visible_mask(snap, viewer) -> np.ndarray:
    """The live documents of ``snap`` that ``viewer`` may see (read-only, shared)."""
    cache = _cache(snap)
    key = ("mask", visibility.key(viewer))
    mask = cache.get(key)
    if mask is None:
        mask = snap.live.copy()
        if visibility.restricts(viewer):
            for docnum, meta in enumerate(snap.meta):
                audience = meta.get("v")
                if audience and not visibility.may_see(audience, viewer):
                    mask[docnum] = False
        mask.flags.writeable = False
        cache[key] = mask
    return mask


def vocabulary(snap, base, viewer):
    """``base`` (the whole generation's vocabulary) if ``viewer`` sees every live
    document, else one that counts only the documents it may see."""
    mask = visible_mask(snap, viewer)
    if int(mask.sum()) == snap.live_count:
        return base
    cache = _cache(snap)
    key = ("vocabulary", visibility.key(viewer))
    found = cache.get(key)
    if found is None:
        found = cache[key] = VisibleVocabulary(snap, base, mask)
    return found


def _cache(snap) -> dict:
    cache = getattr(snap, "visibility_cache", None)
    if cache is None:
        cache = snap.visibility_cache = {}
    return cache


class VisibleVocabulary:
    """The spelling vocabulary of the documents of ``mask`` (``base.Vocabulary``): a
    word that only hidden documents hold is not there, and frequencies count visible
    documents. Only the words of hidden documents are counted again."""

    def __init__(self, snap, base, mask: np.ndarray):
        self._snap = snap
        self._base = base
        self._mask = mask
        self._hidden_words: set[str] = set()
        for docnum in np.flatnonzero(snap.live & ~mask):
            record = json.loads(zlib.decompress(snap.stored(int(docnum))["doc"]))
            text = "\n\n".join(record.get("pages") or [])
            spelling = "\n".join((record.get("title", ""), record.get("description", ""),
                                  text[:SPELL_CHARS]))
            self._hidden_words.update(terms("xx", spelling))
        self._counts: dict[tuple[str, str], int] = {}

    def _count(self, fieldname: str, word: str) -> int:
        found = self._counts.get((fieldname, word))
        if found is None:
            ids, _ = self._snap.postings(fieldname, utf8encode(word)[0])
            found = self._counts[(fieldname, word)] = int(self._mask[ids].sum())
        return found

    def words_from(self, initial: str):
        for word in self._base.words_from(initial):
            if word not in self._hidden_words or self._count("spell", word):
                yield word

    def frequency(self, word: str) -> int:
        if word not in self._hidden_words:
            return self._base.frequency(word)
        return self._count("spell", word)

    def holds(self, word: str) -> bool:
        folded = terms("xx", word)
        if folded and all(self._count("spell", t) for t in folded):
            return True
        for group in GROUPS:
            stems = [t.text for t in analyzer(group)(word)]
            if stems and any(all(self._count(fname, t) for t in stems)
                             for fname in (title_field(group), body_field(group))):
                return True
        return False
