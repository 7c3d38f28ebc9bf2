"""Our parsed query (``searchhub.query``) as Whoosh queries over the per-language fields.

Each word of the logical fields ``text`` and ``title`` is analysed with every
language group's analyzer and spread over that group's title and body fields
(titles weigh ``TITLE_WEIGHT``); when the query's language is known, matches that
exist only through another language's stemmer weigh less. Facet fields keep their
values. The ``Translation`` also remembers which Whoosh node stands for which
full-text leaf of our query, so that the engine can say which words each hit
matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from searchhub import query as q
from searchhub.query import TEXT_FIELDS, ParsedQuery, surface_words
from searchhub.text import WORD, fold

from .analysis import GROUPS, analyzer, cjk_required, group_for
from .schema import body_field, language_weights, spread


@dataclass
class Translation:
    """A ``ParsedQuery`` in Whoosh's terms: the whole ``query`` (None: match every
    document), and for plain queries the ``clauses`` (one per word) and ``pairs``
    (each neighbouring pair as a phrase per language). ``leaves`` pairs each Whoosh
    node that stands for a full-text leaf of our query with that leaf's words."""

    query: wq.Query | None
    clauses: list[wq.Query] = field(default_factory=list)
    pairs: list[list[wq.Phrase]] = field(default_factory=list)
    leaves: list[tuple[wq.Query, tuple[str, ...]]] = field(default_factory=list)


def translate(parsed: ParsedQuery) -> Translation:
    out = Translation(None)
    expand = _Expander(language_weights(parsed.language), out.leaves)
    if parsed.simple:
        out.clauses = [c for c in (expand(clause) for clause in parsed.clauses) if c is not None]
        out.query = (out.clauses[0] if len(out.clauses) == 1
                     else wq.Or(out.clauses) if out.clauses else None)
        out.pairs = _adjacent_pairs(parsed.pairs) if len(out.clauses) > 1 else []
    elif parsed.query is not None:
        out.query = expand(parsed.query)
    return out


def _adjacent_pairs(pairs: tuple[tuple[str, str], ...]) -> list[list[wq.Phrase]]:
    """Each pair of neighbouring words as a phrase in every language's body field
    ("health care" in "health care for migrants")."""
    out = []
    for first, second in pairs:
        phrases = []
        for group in GROUPS:
            a = [t.text for t in analyzer(group)(first)]
            b = [t.text for t in analyzer(group)(second)]
            if len(a) == 1 and len(b) == 1:
                phrases.append(wq.Phrase(body_field(group), [a[0], b[0]]))
        if phrases:
            out.append(phrases)
    return out


class _Expander:
    def __init__(self, weights: dict[str, float], leaves: list):
        self.weights = weights
        self.leaves = leaves

    def __call__(self, node: q.Node) -> wq.Query | None:
        out = self.expand(node)
        words = surface_words(node)
        if out is not None and words:
            self.leaves.append((out, words))
        return out

    def expand(self, node: q.Node) -> wq.Query | None:
        if isinstance(node, q.And | q.Or):
            subs = [s for s in (self(n) for n in node.items) if s is not None]
            if not subs:
                return None
            if isinstance(node, q.Or) and node.tie is not None:
                return wq.DisjunctionMax(subs, tiebreak=node.tie)
            return (wq.And if isinstance(node, q.And) else wq.Or)(subs)
        if isinstance(node, q.Not):
            inner = self(node.item)
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, q.AndNot):
            a, b = self(node.positive), self(node.negative)
            return None if a is None else wq.AndNot(a, b) if b is not None else a
        if isinstance(node, q.AndMaybe):
            a, b = self(node.required), self(node.optional)
            return None if a is None else wq.AndMaybe(a, b) if b is not None else a
        if isinstance(node, q.Every):
            return wq.Every()
        if isinstance(node, q.Range):
            return wq.TermRange(node.field, node.start, node.end, node.start_excluded,
                                node.end_excluded)
        if node.field not in TEXT_FIELDS:
            return self.facet(node)
        if isinstance(node, q.Word):
            return self.word(node)
        if isinstance(node, q.Phrase):
            return self.phrase(node)
        return self.pattern(node)

    def facet(self, node) -> wq.Query | None:
        if isinstance(node, q.Word):
            return wq.Term(node.field, node.text)
        if isinstance(node, q.Prefix):
            return wq.Prefix(node.field, node.text)
        if isinstance(node, q.Wildcard):
            return wq.Wildcard(node.field, node.pattern)
        return wq.Term(node.field, " ".join(node.words))

    def fields(self, node: q.Word | q.Phrase) -> list[tuple[str, str, float]]:
        """Where a text leaf is searched: every language group's fields, or only its
        own language's when the leaf says which (a translation)."""
        out = spread(node.field, self.weights)
        if node.language:
            group = group_for(node.language)
            out = [entry for entry in out if entry[0] == group]
        return out

    def word(self, node: q.Word) -> wq.Query | None:
        alternatives = []
        surface = fold(node.text.lower())
        for group, fname, boost in self.fields(node):
            tokens = [t.text for t in analyzer(group)(node.text)]
            if len(tokens) == 1:
                if tokens[0] == surface and self.weights:
                    # The word is the same in that language (a name such as "Kakuma"
                    # or "Libya"): a match there is no stemming accident.
                    boost = boost / self.weights.get(group, 1.0)
                alternatives.append(wq.Term(fname, tokens[0], boost=boost * node.boost))
            elif tokens:
                terms = [wq.Term(fname, t, boost=boost * node.boost) for t in tokens]
                if group == "cjk":
                    # Chinese typed without spaces: most of its bigrams, not all (the
                    # one where two words meet is often nowhere in the document).
                    alternatives.append(wq.Or(terms, minmatch=cjk_required(len(tokens))))
                else:
                    alternatives.append(wq.And(terms))
        return wq.Or(alternatives) if alternatives else None

    def phrase(self, node: q.Phrase) -> wq.Query | None:
        # Slop 2 at least: a stop word the parser dropped may stand between two words.
        slop = max(2, node.slop)
        alternatives = []
        for group, fname, boost in self.fields(node):
            tokens = [tok.text for w in node.words for tok in analyzer(group)(w)]
            if len(tokens) > 1:
                alternatives.append(wq.Phrase(fname, tokens, slop=slop, boost=boost * node.boost))
            elif tokens:
                alternatives.append(wq.Term(fname, tokens[0], boost=boost * node.boost))
        return wq.Or(alternatives) if alternatives else None

    def pattern(self, node: q.Prefix | q.Wildcard) -> wq.Query | None:
        # Indexed terms are accent-folded stems: fold the pattern, and let a prefix
        # also match as its stem ("migration*" must find "migrat", "migración*"
        # "migracion").
        prefix = isinstance(node, q.Prefix)
        pattern = fold((node.text if prefix else node.pattern).lower())
        if not re.search(WORD, pattern):
            return None
        cls = wq.Prefix if prefix else wq.Wildcard
        alternatives = []
        for group, fname, boost in spread(node.field, self.weights):
            stems = [t.text for t in analyzer(group)(pattern)] if prefix else []
            stem = stems[0] if len(stems) == 1 else pattern
            if stem != pattern and not pattern.startswith(stem):
                alternatives.append(cls(fname, pattern, boost=boost))
            alternatives.append(cls(fname, stem, boost=boost))
        return wq.Or(alternatives)
