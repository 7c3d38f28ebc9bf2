"""Evaluate a parsed Whoosh query over a Snapshot with numpy.

Every node becomes a pair (mask, score): a boolean array saying which documents
match and a float array of BM25 scores. Terms read their posting blocks in bulk;
AND, OR and NOT become array operations. Nodes we do not vectorise (phrases,
spans) fall back to Whoosh's own matchers, restricted to the documents they can
match.
"""

from __future__ import annotations

from itertools import islice

import numpy as np
from whoosh import query as wq

from searchhub.query import PHRASE_WEIGHT
from searchhub.text import facet_key

from .schema import FACET_FIELDS, K1, B, bm25_idf
from .snapshot import Snapshot

#: Cap on the terms a prefix or wildcard expands to.
MAX_EXPANSION = 128


class Result:
    __slots__ = ("mask", "score")

    def __init__(self, mask: np.ndarray, score: np.ndarray):
        self.mask = mask
        self.score = score


class Evaluator:
    """Evaluates Whoosh queries over ``snap``. The nodes in ``watch`` (compared by
    identity) leave a copy of their match mask in ``matched`` (by ``id``), from
    which the engine tells which words each hit matched."""

    def __init__(self, snap: Snapshot, watch=()):
        self.snap = snap
        self.n = snap.n
        self._watch = {id(node) for node in watch}
        self.matched: dict[int, np.ndarray] = {}
        self._shared: dict[wq.Query, Result] = {}

    def empty(self) -> Result:
        return Result(np.zeros(self.n, dtype=bool), np.zeros(self.n, dtype=np.float32))

    def everything(self) -> Result:
        return Result(self.snap.live.copy(), np.zeros(self.n, dtype=np.float32))

    def run(self, q: wq.Query) -> Result:
        result = self._run(q)
        if id(q) in self._watch:
            # Copied: combining nodes change their operands' arrays in place.
            self.matched[id(q)] = result.mask.copy()
        return result

    def shared(self, q: wq.Query) -> Result:
        """``run(q)``, evaluated once for all the equal subqueries of one query: the
        lexicon's alternatives of a term of several words stand in each of its words'
        clauses, an acronym's bonus in every clause. A copy each time (combining nodes
        change their operands' arrays); the watched leaves inside were recorded the
        first time, and equal leaves match the same documents."""
        done = self._shared.get(q)
        if done is None:
            result = self.run(q)
            self._shared[q] = Result(result.mask.copy(), result.score.copy())
            return result
        return Result(done.mask.copy(), done.score.copy())

    def _run(self, q: wq.Query) -> Result:
        if isinstance(q, wq.Term):
            return self.term(q)
        if isinstance(q, wq.And):
            return self.conjunction(q.subqueries)
        if isinstance(q, wq.Or) and q.minmatch > 1:
            return self.at_least(q.subqueries, q.minmatch)
        if isinstance(q, wq.DisjunctionMax):
            return self.best(q.subqueries, q.tiebreak)
        if isinstance(q, wq.Or):
            return self.disjunction(q.subqueries)
        if isinstance(q, wq.AndNot):
            pos, neg = self.shared(q.a), self.run(q.b)
            pos.mask &= ~neg.mask
            pos.score *= pos.mask
            return pos
        if isinstance(q, wq.AndMaybe):
            req, opt = self.run(q.a), self.shared(q.b)
            req.score += opt.score * req.mask
            return req
        if isinstance(q, wq.Require):
            req, scoring = self.run(q.a), self.run(q.b)
            req.score = scoring.score * req.mask
            return req
        if isinstance(q, wq.Not):
            inner = self.run(q.query)
            return Result(self.snap.live & ~inner.mask, np.zeros(self.n, dtype=np.float32))
        if isinstance(q, wq.Every):
            return self.everything()
        if isinstance(q, type(wq.NullQuery)):
            return self.empty()
        if isinstance(q, wq.TermRange) and q.fieldname == "year":
            return self.year_range(q)
        if isinstance(q, wq.Prefix | wq.Wildcard | wq.FuzzyTerm | wq.Regex | wq.TermRange):
            return self.expansion(q)
        if isinstance(q, wq.Phrase):
            return self.phrase(q)
        return self.fallback(q)

    # -- leaves ----------------------------------------------------------------

    def term(self, q: wq.Term) -> Result:
        fieldname = q.fieldname
        if fieldname in FACET_FIELDS:
            return self.facet_term(fieldname, str(q.text))
        result = self.empty()
        self._add_term(result, fieldname, q.text, q.boost)
        return result

    def _add_term(self, result: Result, fieldname: str, text, boost: float) -> None:
        """Add the documents of one word and their BM25 scores to ``result`` in place,
        touching only the word's postings (a word's ids are distinct)."""
        snap = self.snap
        if fieldname not in snap.lengths:
            return
        btext = snap.reader.schema[fieldname].to_bytes(text)
        ids, tfs = snap.postings(fieldname, btext)
        if not ids.size:
            return
        df = ids.size
        idf = bm25_idf(df, snap.field_docs.get(fieldname, snap.live_count), snap.live_count)
        lengths = snap.lengths[fieldname][ids]
        norm = K1 * (1.0 - B + B * lengths / snap.avg_length[fieldname])
        result.score[ids] += (boost * idf) * tfs * (K1 + 1.0) / (tfs + norm)
        result.mask[ids] = True

    def facet_term(self, fieldname: str, value: str) -> Result:
        column = self.snap.facets.get(fieldname)
        ids = column.by_folded.get(facet_key(value), []) if column else []
        mask = column.mask_for(ids, self.n) if column else np.zeros(self.n, dtype=bool)
        return Result(mask & self.snap.live, np.zeros(self.n, dtype=np.float32))

    def year_range(self, q: wq.TermRange) -> Result:
        years = self.snap.year
        mask = self.snap.live & (years > 0)
        try:
            if q.start is not None:
                lo = int(q.start)
                mask &= (years >= lo) if q.startexcl is False else (years > lo)
            if q.end is not None:
                hi = int(q.end)
                mask &= (years <= hi) if q.endexcl is False else (years < hi)
        except ValueError:
            return self.empty()
        return Result(mask, np.zeros(self.n, dtype=np.float32))

    def expansion(self, q: wq.Query) -> Result:
        """A prefix or wildcard: the sum of its words' scores, added into one pair of
        arrays (not one pair per word: ``*a*`` may expand to hundreds of words in each
        of twenty fields, and a full-size array per word made it the slowest query)."""
        if q.fieldname in FACET_FIELDS:
            terms = [wq.Term(q.fieldname, text, boost=q.boost)
                     for _, text in islice(q.expanded_terms(self.snap.reader), MAX_EXPANSION)]
            return self.disjunction(terms) if terms else self.empty()
        result = self.empty()
        for _, text in islice(q.expanded_terms(self.snap.reader), MAX_EXPANSION):
            self._add_term(result, q.fieldname, text, q.boost)
        return result

    def phrase(self, q: wq.Phrase) -> Result:
        """Only documents holding every word can hold the phrase: Whoosh checks word
        positions (per segment, cached: segments never change), and the phrase
        scores as the sum of its words times PHRASE_WEIGHT."""
        words = self.conjunction([wq.Term(q.fieldname, w, boost=q.boost) for w in q.words])
        if not words.mask.any() or len(q.words) < 2:
            return words
        matched = self.snap.phrase_ids(q, words.mask)
        mask = np.zeros(self.n, dtype=bool)
        if matched.size:
            mask[matched] = True
        mask &= words.mask
        return Result(mask, words.score * mask * PHRASE_WEIGHT)

    def fallback(self, q: wq.Query) -> Result:
        ids = self._whoosh_ids(q)
        mask = np.zeros(self.n, dtype=bool)
        if ids.size:
            mask[ids] = True
        mask &= self.snap.live
        return Result(mask, mask.astype(np.float32))

    def _whoosh_ids(self, q: wq.Query) -> np.ndarray:
        searcher = self.snap.searcher
        ids = []
        for sub, offset in searcher.leaf_searchers():
            matcher = q.matcher(sub)
            while matcher.is_active():
                ids.append(matcher.id() + offset)
                matcher.next()
        return np.array(ids, dtype=np.int64)

    # -- combinations ----------------------------------------------------------

    def conjunction(self, subqueries) -> Result:
        result = None
        for sub in subqueries:
            if isinstance(sub, wq.Not):
                # x AND NOT y: subtract rather than materialise "everything but y"
                negative = self.run(sub.query).mask
                if result is None:
                    result = self.everything()
                result.mask &= ~negative
                continue
            part = self.run(sub)
            if result is None:
                result = part
            else:
                result.mask &= part.mask
                result.score += part.score
        if result is None:
            return self.empty()
        result.score *= result.mask
        return result

    def at_least(self, subqueries, minmatch: int) -> Result:
        """Documents matching ``minmatch`` of ``subqueries`` or more, scored as their sum."""
        result = self.empty()
        count = np.zeros(self.n, dtype=np.int16)
        for sub in subqueries:
            part = self.run(sub)
            count += part.mask
            result.score += part.score
        result.mask = count >= minmatch
        result.score *= result.mask
        return result

    def best(self, subqueries, tie: float) -> Result:
        """Any of ``subqueries``, each document scoring the best of those it matches
        plus ``tie`` times the others' (Lucene's DisjunctionMaxQuery)."""
        result = top = None
        for sub in subqueries:
            part = self.run(sub)
            if result is None:
                result, top = part, part.score.copy()
            else:
                result.mask |= part.mask
                result.score += part.score
                np.maximum(top, part.score, out=top)
        if result is None:
            return self.empty()
        result.score = top + tie * (result.score - top)
        return result

    def disjunction(self, subqueries) -> Result:
        result = None
        for sub in subqueries:
            part = self.run(sub)
            if result is None:
                result = part
            else:
                result.mask |= part.mask
                result.score += part.score
        return result if result is not None else self.empty()
