"""The parsed query in OpenSearch's query DSL: ``translate(parsed)``.

Our own query tree (``searchhub.query``: Word, Phrase, Prefix, Wildcard, Range,
Every, And, Or, Not, AndNot, AndMaybe over the logical fields ``text``, ``title``
and the facets) is read here: each word of ``text``/``title`` is matched, as typed,
on every language group's title and body fields, analysed there by OpenSearch's own
analyzers. Full-text leaves are named queries, so each hit says which words it
matched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from searchhub.query import (
    PHRASE_WEIGHT,
    And,
    AndMaybe,
    AndNot,
    Every,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    Prefix,
    Range,
    Word,
)
from searchhub.text import facet_key, fold

from .analysis import GROUPS, WORD, analyzer, cjk_required, group_for
from .schema import bm25_idf, body_field, language_weights, missing_word_factors, spread

#: As the Whoosh engine (``whoosh_engine.PROXIMITY``): a document's score is multiplied
#: by 1 + PROXIMITY x the share of the query's neighbouring word pairs it holds side by side.
PROXIMITY = 0.1
#: Slop of such a pair. Whoosh numbers the words left after stop words one by one, so
#: "care for migrants" holds "care migrants" side by side; OpenSearch keeps the stop
#: word's position: one position between them is allowed.
PAIR_SLOP = 1


#: Lucene's default ``indices.query.bool.max_clause_count``: a query whose leaves (each
#: term of each field, after analysis) outnumber it is refused ("too_many_nested_clauses").
MAX_CLAUSES = 1024

#: Steps of a query too large, tried in turn: (the lexicon's alternatives matched on
#: title fields too, alternatives kept per term, None: all).
REDUCTIONS = ((False, None), (False, 4), (False, 2), (False, 1), (False, 0))

MATCH_ALL: dict = {"match_all": {}}
MATCH_NONE: dict = {"match_none": {}}


@dataclass
class Translation:
    """A parsed query in the DSL: the whole ``query`` (None: every document), and for
    plain queries its ``clauses`` (one per word) and ``pairs`` (should clauses for
    neighbouring words side by side)."""

    query: dict | None
    clauses: list[dict] = field(default_factory=list)
    #: One filter per neighbouring pair: documents holding it side by side.
    pairs: list[dict] = field(default_factory=list)
    #: Per clause, a filter of the documents it matches: on the body fields only (a
    #: body holds its title), about half the clauses of the clause itself.
    filters: list[dict] = field(default_factory=list)
    #: Name of each full-text leaf (a named query) -> the words it matches as typed.
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def matched(self, names) -> tuple[str, ...]:
        """The words of the leaves a hit matched (its ``matched_queries``), in query order."""
        hit = set(names or ())
        words: dict[str, None] = {}
        for name, leaf_words in self.names.items():
            if name in hit:
                words.update(dict.fromkeys(leaf_words))
        return tuple(words)

    @property
    def simple(self) -> bool:
        return bool(self.clauses)

    @property
    def size(self) -> int:
        """Clauses (``clause_count``) of the largest query made of it: a plain query
        of several words is sent with its filter of required words."""
        if self.query is None:
            return 0
        if len(self.clauses) > 1:
            return clause_count(self.clauses) + clause_count(self.filters)
        return clause_count(self.query)


def translate(parsed: ParsedQuery | None, groups: Iterable[str] | None = None, *,
              limit: int | None = None) -> Translation:
    """``parsed`` in the DSL, over the fields of the language ``groups`` (default: all).
    An engine names the groups its index holds documents of: a word spreads over two
    fields per group. A translation over ``limit`` clauses (``clause_count``; default
    MAX_CLAUSES) is made smaller in the steps of REDUCTIONS: the lexicon's alternatives
    scored on body fields only (the same documents match), then fewer of them per
    term, the last ones first: without them rather than refused."""
    limit = MAX_CLAUSES if limit is None else limit
    groups = tuple(g for g in GROUPS if groups is None or g in set(groups)) or GROUPS
    translation = _translate(parsed, groups, None)
    for titles, alternatives in REDUCTIONS:
        if translation.size <= limit:
            break
        translation = _translate(parsed, groups, alternatives, titles=titles)
    return translation


def _translate(parsed: ParsedQuery | None, groups: tuple[str, ...],
               alternatives: int | None, *, titles: bool = True) -> Translation:
    if parsed is None or parsed.query is None:
        return Translation(None)
    expand = _Neutral(parsed.language, groups, alternatives=alternatives,
                      alternative_titles=titles)
    if parsed.simple:
        kept = [(w, c) for w, c in ((w, expand(w)) for w in parsed.clauses) if c is not None]
        if not kept:
            return Translation(None)
        clauses = [c for _, c in kept]
        bodies = _Neutral(parsed.language, groups, bodies_only=True,
                          alternatives=alternatives)
        filters = [bodies(w) for w, _ in kept]
        query = clauses[0] if len(clauses) == 1 else {
            "bool": {"should": clauses, "minimum_should_match": 1}}
        pairs = [p for p in (expand.pair(a, b) for a, b in parsed.pairs)
                 if p is not None] if len(clauses) > 1 else []
        return Translation(query, clauses, pairs, filters, expand.names)
    query = expand(parsed.query)
    return Translation(query if query is not None else MATCH_NONE, names=expand.names)


class _Neutral:
    """Our own query tree (``searchhub.query``) in the DSL, language-neutral: the words
    as typed, analysed by each field's analyzer."""

    def __init__(self, language: str | None, groups: tuple[str, ...] = GROUPS, *,
                 bodies_only: bool = False, alternatives: int | None = None,
                 alternative_titles: bool = True, titles: bool = True):
        self.weights = language_weights(language)
        self.groups = groups
        #: The lexicon's alternatives kept per term (None: all).
        self.alternatives = alternatives
        #: Whether the alternatives are also matched on the title fields, and whether
        #: this translation's words are.
        self.alternative_titles = alternative_titles
        self.titles = titles
        #: Only the body fields, for filters (what matches a title matches its body).
        self.bodies_only = bodies_only
        self.names: dict[str, tuple[str, ...]] = {}

    def spread(self, logical: str) -> list[tuple[str, str, float]]:
        """``schema.spread`` over this translation's groups (and bodies)."""
        return [(g, f, b) for g, f, b in spread(logical, self.weights)
                if g in self.groups
                and ((self.titles and not self.bodies_only) or f == body_field(g))]

    def fields(self, node) -> list[tuple[str, str, float]]:
        """Where a text leaf is searched: ``spread``, or only its own language's fields
        when the leaf says which (a lexicon translation), as in Whoosh's translation."""
        out = self.spread(node.field)
        if getattr(node, "language", None):
            group = group_for(node.language)
            out = [entry for entry in out if entry[0] == group]
        return out

    def named(self, clause: dict, words: tuple[str, ...]) -> dict:
        """``clause`` as a named query, so that hits say which words they matched."""
        if self.bodies_only:
            return clause
        name = f"w{len(self.names)}"
        self.names[name] = words
        clause["bool"]["_name"] = name
        return clause

    def __call__(self, node) -> dict | None:
        if isinstance(node, And | Or):
            items = self.kept(node) if isinstance(node, Or) else node.items
            subs = [s for s in (self.untitled(n) if isinstance(n, AndNot)
                                and n.negative in node.items else self(n)
                                for n in items) if s is not None]
            if not subs:
                return None
            if isinstance(node, And):
                return {"bool": {"must": subs}}
            if node.tie is not None:
                return {"dis_max": {"queries": subs, "tie_breaker": node.tie}}
            return {"bool": {"should": subs, "minimum_should_match": 1}}
        if isinstance(node, Not):
            inner = self.excluded(node.item)
            return {"bool": {"must": [MATCH_ALL], "must_not": [inner]}} if inner else None
        if isinstance(node, AndNot):
            a, b = self(node.positive), self.excluded(node.negative)
            return None if a is None else (
                {"bool": {"must": [a], "must_not": [b]}} if b is not None else a)
        if isinstance(node, AndMaybe):
            a, b = self(node.required), self.bonus(node.optional)
            return None if a is None else (
                {"bool": {"must": [a], "should": [b]}} if b is not None else a)
        if isinstance(node, Every):
            return MATCH_ALL
        if isinstance(node, Range):
            bounds = {}
            if node.start is not None:
                bounds["gt" if node.start_excluded else "gte"] = _facet_value(node.field,
                                                                             node.start)
            if node.end is not None:
                bounds["lt" if node.end_excluded else "lte"] = _facet_value(node.field,
                                                                           node.end)
            return {"range": {_facet_field(node.field): bounds}}
        if node.field not in ("text", "title"):
            return self.facet(node)
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        return self.pattern(node)

    def kept(self, node: Or) -> tuple:
        """The items of ``node``, the lexicon's ``Or(typed, AndNot(alternatives,
        typed))`` with at most ``alternatives`` of them, and in a filter read as
        ``Or(typed, alternatives)`` (the same documents, fewer clauses)."""
        items = []
        for item in node.items:
            if isinstance(item, AndNot) and item.negative in node.items:
                others = self.fewer(item.positive)
                if others is None:
                    continue
                item = others if self.bodies_only else AndNot(others, item.negative)
            items.append(item)
        return tuple(items)

    def fewer(self, node):
        """``node``, the lexicon's alternatives (an ``Or`` of them, or one), cut to
        the first ``alternatives`` of them (None when that leaves none)."""
        if self.alternatives is None:
            return node
        kept = (node.items if isinstance(node, Or) else (node,))[:self.alternatives]
        return ((kept[0] if len(kept) == 1 else replace(node, items=kept))
                if kept else None)

    def on_bodies(self) -> _Neutral:
        """A translation like this one that scores on the body fields only."""
        bodies = _Neutral(None, self.groups, titles=False)
        bodies.weights, bodies.names = self.weights, self.names
        return bodies

    def bonus(self, node) -> dict | None:
        """The optional part of an ``AndMaybe`` (an acronym's expansions, repeated on
        every clause of a plain query): none in a filter, where it decides nothing;
        like the lexicon's alternatives, at most ``alternatives`` of its items and on
        the body fields only when a query must be made smaller."""
        if self.bodies_only:
            return None
        if self.alternatives is None and self.alternative_titles:
            return self(node)
        kept = self.fewer(node)
        return None if kept is None else self.on_bodies()(kept)

    def untitled(self, node: AndNot) -> dict | None:
        """The lexicon's ``AndNot(alternatives, typed)``, the alternatives scored on
        the body fields only unless ``alternative_titles``."""
        if self.alternative_titles or self.bodies_only:
            return self(node)
        a, b = self.on_bodies()(node.positive), self.excluded(node.negative)
        return None if a is None else (
            {"bool": {"must": [a], "must_not": [b]}} if b is not None else a)

    def excluded(self, node) -> dict | None:
        """``node`` as a must_not clause: on the body fields only (it scores nothing,
        and what matches a title matches its body), half the clauses."""
        if self.bodies_only:
            return self(node)
        bodies = _Neutral(None, self.groups, bodies_only=True)
        bodies.weights = self.weights
        return bodies(node)

    def facet(self, node) -> dict:
        if isinstance(node, Prefix):
            return {"prefix": {_facet_field(node.field): {
                "value": _facet_value(node.field, node.text)}}}
        if not isinstance(node, Word | Phrase):
            return {"wildcard": {_facet_field(node.field): {
                "value": _facet_value(node.field, node.pattern)}}}
        value = node.text if isinstance(node, Word) else " ".join(node.words)
        return {"term": {_facet_field(node.field): _facet_value(node.field, value)}}

    def word(self, node) -> dict | None:
        """The word as typed, analysed by each field's own analyzer."""
        surface = fold(node.text.lower())
        should = []
        for group, fname, boost in self.fields(node):
            if self.weights and [t.text for t in analyzer(group)(node.text)] == [surface]:
                # The word is the same in that language (a name such as "Kakuma"):
                # a match there is no stemming accident.
                boost = boost / self.weights.get(group, 1.0)
            match = {"query": node.text, "operator": "and", "boost": boost * node.boost}
            if group == "cjk":
                # As in Whoosh: most of the bigrams of Chinese typed without spaces.
                bigrams = sum(1 for _ in analyzer(group)(node.text))
                match = {"query": node.text, "minimum_should_match": cjk_required(bigrams),
                         "boost": boost * node.boost}
            should.append({"match": {fname: match}})
        if not should:                  # a translation into a language the index lacks
            return None
        return self.named({"bool": {"should": should, "minimum_should_match": 1}},
                          (node.text,))

    def phrase(self, node) -> dict | None:
        """Documents holding the words as a phrase, scored as in Whoosh: the BM25 of
        its words (their frequencies in the document, not the phrase's) times
        PHRASE_WEIGHT. A phrase that is one word in a field's language is that word."""
        # Slop 2 at least in Whoosh's count (1: side by side; OpenSearch counts from
        # 0): a stop word the parser dropped may stand between two words. Whoosh
        # numbers the words left after stop words, so it allows that between each
        # pair; OpenSearch's slop is one budget for the whole phrase and its stop
        # words keep their places: one per gap ("convention relating [to the] status
        # [of] refugees", the lexicon's name of the 1951 Convention, needs 3).
        slop = (max(2, node.slop) - 1) * max(1, len(node.words) - 1)
        text = " ".join(node.words)
        should = []
        for group, fname, boost in self.fields(node):
            weight = boost * node.boost
            if sum(1 for w in node.words for _ in analyzer(group)(w)) > 1:
                should.append({"bool": {
                    "filter": [{"match_phrase": {fname: {"query": text, "slop": slop}}}],
                    "must": [{"match": {fname: {"query": text, "operator": "and",
                                                "boost": PHRASE_WEIGHT * weight}}}]}})
            else:
                should.append({"match": {fname: {"query": text, "boost": weight}}})
        if not should:
            return None
        return self.named({"bool": {"should": should, "minimum_should_match": 1}},
                          tuple(node.words))

    def pattern(self, node) -> dict | None:
        # Indexed terms are accent-folded stems: fold the pattern, and let a prefix also
        # match as its stem ("migration*" must find "migrat").
        prefix = isinstance(node, Prefix)
        pattern = fold((node.text if prefix else node.pattern).lower())
        if not re.search(WORD, pattern):
            return None
        should = []
        for group, fname, boost in self.spread(node.field):
            stems = [t.text for t in analyzer(group)(pattern)] if prefix else []
            stem = stems[0] if len(stems) == 1 else pattern
            values = {pattern, stem} if not pattern.startswith(stem) else {stem}
            for value in sorted(values):
                should.append({"prefix" if prefix else "wildcard": {
                    fname: {"value": value, "boost": boost}}})
        words = (node.text,) if prefix else tuple(re.findall(WORD, node.pattern))
        return self.named({"bool": {"should": should, "minimum_should_match": 1}}, words)

    def pair(self, first: str, second: str) -> dict | None:
        """The documents holding two neighbouring words side by side in some language's
        body (as Whoosh: in the languages where each is one word), or None."""
        should = [{"match_phrase": {body_field(g): {"query": f"{first} {second}",
                                                    "slop": PAIR_SLOP}}}
                  for g in self.groups
                  if len(list(analyzer(g)(first))) == 1 == len(list(analyzer(g)(second)))]
        return {"bool": {"should": should, "minimum_should_match": 1}} if should else None


def proximity(query: dict, pairs: list[dict]) -> dict:
    """``query`` with each document's score multiplied by 1 + PROXIMITY x the share of
    ``pairs`` it holds (as the Whoosh engine's ``_proximity``)."""
    if not pairs:
        return query
    share = PROXIMITY / len(pairs)
    return {"function_score": {
        "query": query,
        "functions": [{"weight": 1.0}, *({"filter": p, "weight": share} for p in pairs)],
        "score_mode": "sum", "boost_mode": "multiply"}}


def missing_words(query: dict, filters: list[dict], weights: list[float] | None) -> dict:
    """``query`` with each document's score multiplied, for each clause it lacks (its
    filter of ``filters``), by that clause's ``missing_word_factors`` (as the Whoosh
    engine's ``_simple``). Unchanged without ``weights`` (every word is required)."""
    if not weights:
        return query
    functions = [{"filter": {"bool": {"must_not": [f]}}, "weight": max(factor, 1e-6)}
                 for f, factor in zip(filters, missing_word_factors(weights), strict=True)
                 if factor < 1.0]
    if not functions:
        return query
    return {"function_score": {"query": query, "functions": functions,
                               "score_mode": "multiply", "boost_mode": "multiply"}}


def _facet_field(field: str) -> str:
    # The year is compared as written (four digits), the others by their facet key.
    return field if field == "year" else f"{field}.key"


def _facet_value(field: str, value) -> str:
    return str(value) if field == "year" else facet_key(str(value))


def plain_query(clauses: list[dict], filters: list[dict], weights: list[float] | None,
                required: float) -> dict:
    """A plain word query: the sum of the clauses' scores, over the documents of
    ``plain_filter``."""
    if len(clauses) == 1:
        return clauses[0]
    if required >= 1.0 or (weights is None and required > 0.0):
        return {"bool": {"must": clauses}}
    scoring = {"bool": {"should": clauses, "minimum_should_match": 1}}
    if required <= 0.0:
        return scoring
    return {"bool": {"must": [scoring], "filter": [plain_filter(filters, weights, required)]}}


def plain_filter(filters: list[dict], weights: list[float] | None, required: float) -> dict:
    """The documents a plain word query matches: those holding clauses (each matching
    as its filter of ``filters``) worth at least ``required`` of the total
    ``weights`` (as the Whoosh engine's ``_simple``). Without weights every clause
    is required (any, if ``required`` is 0)."""
    if len(filters) == 1:
        return filters[0]
    if required <= 0.0:
        return {"bool": {"should": filters, "minimum_should_match": 1}}
    if weights is None or required >= 1.0:
        return {"bool": {"filter": filters}}
    # In filter context a function_score with min_score filters by its score: here
    # the sum of the weights of the clauses a document holds.
    return {"function_score": {
        "query": {"bool": {"should": [
            {"constant_score": {"filter": f, "boost": weight}}
            for f, weight in zip(filters, weights, strict=True)]}},
        "min_score": required * sum(weights) - 1e-6,
    }}


def scored_texts(dsl) -> dict[str, set[str]]:
    """Field -> the texts of the scored full-text leaves (match, match_phrase) of ``dsl``."""
    out: dict[str, set[str]] = {}
    for field_name, spec in _scored_leaves(dsl):
        out.setdefault(field_name, set()).add(spec["query"])
    return out


def reweigh(dsl, term_vectors: dict, total: float) -> None:
    """Rarity as the Whoosh engine counts it, in place: each scored full-text leaf of
    ``dsl`` weighs sum(``schema.bm25_idf``) / sum(idf over the documents holding its
    field) of its terms. OpenSearch's BM25 counts rarity among the documents holding
    the field alone, so a name in a language group of few documents ("Kakuma" on one
    of six German pages) weighs less there than in Whoosh. ``term_vectors`` is
    the ``_termvectors`` answer for an artificial document of ``scored_texts``, with
    term and field statistics."""
    seen: set[int] = set()
    for field_name, spec in _scored_leaves(dsl):
        if id(spec) in seen or field_name not in term_vectors:
            continue
        seen.add(id(spec))
        vectors = term_vectors[field_name]
        in_field = vectors["field_statistics"]["doc_count"]
        terms = vectors.get("terms", {})
        frequencies = [terms[t]["doc_freq"] for t in _tokens(field_name, spec["query"])
                       if terms.get(t, {}).get("doc_freq")]
        # Lucene's statistics count deleted documents until merged, and ``total`` may
        # be a second old: never fewer documents than the field's.
        ours = sum(bm25_idf(df, in_field, max(total, in_field)) for df in frequencies)
        theirs = sum(_idf(in_field, df) for df in frequencies)
        if theirs > 0.0:
            spec["boost"] = spec.get("boost", 1.0) * ours / theirs


def _idf(documents: float, frequency: int) -> float:
    """BM25's rarity of a term held by ``frequency`` of ``documents`` (Lucene's and
    ``evaluate.Evaluator.term``'s)."""
    return math.log(1.0 + (documents - frequency + 0.5) / (frequency + 0.5))


def _tokens(field_name: str, text: str) -> list[str]:
    return [t.text for t in analyzer(field_name.split("_", 1)[1])(text)]


def _scored_leaves(node):
    """(field, spec) of each match and match_phrase leaf of ``node``, outside filters."""
    if isinstance(node, list):
        for item in node:
            yield from _scored_leaves(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("match", "match_phrase"):
                yield next(iter(value.items()))
            elif key not in ("filter", "must_not"):
                yield from _scored_leaves(value)


def clause_count(dsl) -> int:
    """How many clauses Lucene counts in ``dsl`` (a query body) against
    ``indices.query.bool.max_clause_count``, as its ``IndexSearcher`` does: one per
    term of each full-text leaf after the field's analysis, one per other leaf
    (prefix, wildcard, range, match_all...); a ``terms``/``ids`` set of up to 16
    values counts each value. The filters of ``function_score`` functions are not
    visited (Lucene does not count them); a ``constant_score`` filter is."""
    if isinstance(dsl, list):
        return sum(clause_count(item) for item in dsl)
    if not isinstance(dsl, dict):
        return 0
    total = 0
    for key, value in dsl.items():
        if key == "bool":
            total += sum(clause_count(value.get(occur, []))
                         for occur in ("must", "should", "filter", "must_not"))
        elif key == "function_score":
            total += clause_count(value.get("query", MATCH_ALL))
        elif key == "constant_score":
            total += clause_count(value["filter"])
        elif key == "dis_max":
            total += clause_count(value["queries"])
        elif key in ("match", "match_phrase"):
            field_name, spec = next(iter(value.items()))
            text = spec["query"] if isinstance(spec, dict) else spec
            total += max(1, len(_tokens(field_name, text)))
        elif key in ("terms", "ids"):
            values = value["values"] if key == "ids" else next(
                v for k, v in value.items() if k != "boost")
            total += len(values) if len(values) <= 16 else 1
        else:
            total += 1
    return total
