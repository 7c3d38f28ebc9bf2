"""The parsed query (``parse.ParsedQuery``) in OpenSearch's query DSL.

Today the parsed query is a tree of ``whoosh.query`` nodes over our per-language
fields, whose words are already analysed by our Whoosh analyzers (stems, folded);
each leaf becomes a ``match`` on the same field, so OpenSearch analyses that stem
again with the field's own analyzer (a Snowball stem is its own stem, mostly). This
module is the only place that reads the tree: when the parsed query becomes an
engine-neutral type, only this translation changes.
"""

from __future__ import annotations

import math

from whoosh import query as wq

from searchhub.text import facet_key

from .schema import FACET_FIELDS

#: As the Whoosh engine (``whoosh_engine.MIN_SHOULD_MATCH``): share of a plain query's
#: information (its words weighted by rarity) a document must hold, three words or more.
MIN_SHOULD_MATCH = 0.3
#: Extra weight for a document holding neighbouring query words side by side.
PROXIMITY = 0.1

MATCH_ALL: dict = {"match_all": {}}
MATCH_NONE: dict = {"match_none": {}}


def to_dsl(q: wq.Query) -> dict:
    """One Whoosh query node (and its children) as a query DSL clause."""
    if isinstance(q, wq.AndNot):
        return {"bool": {"must": [to_dsl(q.a)], "must_not": [to_dsl(q.b)]}}
    if isinstance(q, wq.AndMaybe):
        return {"bool": {"must": [to_dsl(q.a)], "should": [to_dsl(q.b)]}}
    if isinstance(q, wq.Require):
        return {"bool": {"must": [to_dsl(q.a)], "filter": [to_dsl(q.b)]}}
    if isinstance(q, wq.Otherwise):
        return to_dsl(q.a)
    if isinstance(q, wq.And):
        return _boosted({"bool": {"must": [to_dsl(s) for s in q.subqueries]}}, q.boost)
    if isinstance(q, wq.Or):
        return _boosted({"bool": {"should": [to_dsl(s) for s in q.subqueries],
                                  "minimum_should_match": 1}}, q.boost)
    if isinstance(q, wq.Not):
        return {"bool": {"must": [MATCH_ALL], "must_not": [to_dsl(q.query)]}}
    if isinstance(q, wq.Every):
        return MATCH_ALL
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return MATCH_NONE
    field = q.fieldname
    facet = field in FACET_FIELDS
    if isinstance(q, wq.TermRange):
        bounds = {}
        if q.start is not None:
            bounds["gt" if q.startexcl else "gte"] = _facet_value(field, q.start)
        if q.end is not None:
            bounds["lt" if q.endexcl else "lte"] = _facet_value(field, q.end)
        return {"range": {_facet_field(field): bounds}}
    if isinstance(q, wq.Phrase):
        return {"match_phrase": {field: {"query": " ".join(q.words), "slop": q.slop,
                                         "boost": q.boost}}}
    if isinstance(q, wq.Prefix):
        if facet:
            return {"prefix": {_facet_field(field): {"value": facet_key(str(q.text))}}}
        return {"prefix": {field: {"value": str(q.text), "boost": q.boost}}}
    if isinstance(q, wq.Wildcard):
        if facet:
            return {"wildcard": {_facet_field(field): {"value": facet_key(str(q.text))}}}
        return {"wildcard": {field: {"value": str(q.text), "boost": q.boost}}}
    if isinstance(q, wq.Term):
        if facet:
            return {"term": {_facet_field(field): str(q.text)}}
        return {"match": {field: {"query": str(q.text), "operator": "and", "boost": q.boost}}}
    raise TypeError(f"no OpenSearch translation for {type(q).__name__}")


def _boosted(clause: dict, boost: float) -> dict:
    if boost != 1.0:
        clause["bool"]["boost"] = boost
    return clause


def _facet_field(field: str) -> str:
    # The year is compared as written (four digits), the others by their facet key.
    return field if field == "year" else f"{field}.key"


def _facet_value(field: str, value) -> str:
    return str(value) if field == "year" else facet_key(str(value))


def plain_query(clauses: list[dict], weights: list[float] | None, required: float) -> dict:
    """A plain word query: the sum of the clauses' scores, over documents holding
    clauses worth at least ``required`` of the total ``weights`` (as the Whoosh
    engine's ``_simple``). Without weights every clause is required."""
    scoring = {"bool": {"should": clauses, "minimum_should_match": 1}}
    if len(clauses) == 1:
        return clauses[0]
    if required <= 0.0:
        return scoring
    if weights is None or required >= 1.0:
        return {"bool": {"must": clauses}}
    # In filter context a function_score with min_score filters by its score: here
    # the sum of the weights of the clauses a document holds.
    qualify = {"function_score": {
        "query": {"bool": {"should": [
            {"constant_score": {"filter": clause, "boost": weight}}
            for clause, weight in zip(clauses, weights, strict=True)]}},
        "min_score": required * sum(weights) - 1e-6,
    }}
    return {"bool": {"must": [scoring], "filter": [qualify]}}


def rarity_weights(frequencies: list[int], live: int) -> list[float]:
    """Each word's weight from the number of documents holding it (as the Whoosh engine)."""
    live = max(1, live)
    return [math.log(1.0 + live / (1.0 + df)) for df in frequencies]


def proximity(pairs: list[list[wq.Phrase]]) -> list[dict]:
    """Should clauses that raise documents holding neighbouring words side by side."""
    out = []
    for phrases in pairs:
        out.append({"bool": {"should": [
            {"match_phrase": {p.fieldname: {"query": " ".join(p.words)}}} for p in phrases],
            "boost": PROXIMITY}})
    return out
