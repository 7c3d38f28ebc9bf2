"""The search service: a ``Query`` and a ``CurationView`` in, a ``ResultPage`` out.

Parse the text, ask the engine (``engine.base.SearchEngine``) one ``MatchRequest``
with curation as data, then assemble what people see: facet lists, snippets and
the best PDF page, "did you mean", notices and the page. Done here once, so every
engine behind the seam answers the same way.
"""

from __future__ import annotations

import dataclasses
import math
import re
import threading
import time
import weakref

from searchhub.engine import highlight
from searchhub.engine.analysis import fold_words
from searchhub.engine.base import CurationView, Match, Matches, MatchRequest, SearchEngine
from searchhub.engine.spelling import Speller
from searchhub.lexicon import expand, with_respellings
from searchhub.models import FACET_NAMES, FacetValue, Hit, Query, ResultPage
from searchhub.notice import notice
from searchhub.query_parser import parse
from searchhub.text import facet_key

#: Values shown per facet (a selected value is always shown besides).
FACET_LIMIT = 50
#: Fewer hits than this and the query's spelling is checked.
SUGGEST_BELOW = 3
#: A query naming a country ("refugiados en Chad", ``ParsedQuery.places``), or a
#: region or smaller place the lexicon maps onto countries ("au Sahel": Niger, Mali...;
#: "Kakuma": Kenya), reorders its first PLACE_WINDOW matches: each document about one
#: of those countries (its ``countries`` facet, found in its text in any language)
#: gains PLACE_BONUS times the best match's score. The country's name in the query's
#: language may be rare in the answers, written in another. Measured on the real corpus
#: (nDCG@10): blind 0.791 -> 0.803 (cross-language and colloquial queries naming a
#: country), extra 0.924 -> 0.928, dev and six languages unchanged; 0.5 lost on the
#: blind set (0.800), 1.0 more; regions and smaller places: blind 0.803 -> 0.805, dev
#: 0.917 -> 0.918 (eval/README.md).
PLACE_BONUS = 0.3
PLACE_WINDOW = 30


def search(engine: SearchEngine, query: Query,
           curation: CurationView | None = None) -> ResultPage:
    """Answer ``query`` from ``engine`` with ``curation`` applied. Never raises on
    odd query text: what was read differently is said in the page's notices."""
    started = time.perf_counter()
    curation = curation or CurationView()
    parsed = expand(parse(query.text))
    # Typo tolerance: words the index does not hold also search their respelling.
    # Only from words the asker may see: a respelling must not reveal a restricted word.
    vocabulary = engine.vocabulary(curation.viewer)
    respellings = _speller(engine, curation.viewer).alternatives(
        parsed.words, known=vocabulary.holds, fold=fold_words) if parsed.simple else {}
    parsed = with_respellings(parsed, respellings)
    notices = list(parsed.notices)
    page = max(1, query.page)
    request = _request(query, parsed, curation, start=(page - 1) * query.page_size,
                       limit=query.page_size, facets=FACET_NAMES)
    matches = _matches(engine, request, parsed.places, curation)
    pages = max(1, math.ceil(matches.total / query.page_size))
    if page > pages:          # past the end: show the last page
        page = pages
        matches = _matches(engine, _window(request, (page - 1) * query.page_size),
                           parsed.places, curation)
    if matches.relaxed:
        notices.append(notice("No document holds all your words; "
                              "showing documents that hold some of them."))
    if page != query.page:
        notices.append(notice("There is no page %(asked)s; showing page %(page)s.",
                              asked=str(query.page), page=str(page)))

    hits = [_hit(match, parsed.words, curation, parsed.related) for match in matches.hits]
    suggestion = None
    if parsed.words and (respellings or matches.total < SUGGEST_BELOW):
        suggestion = suggest(engine, query.text, parsed.words, curation.viewer)
    resolved = dataclasses.replace(query, page=page)
    return ResultPage(resolved, matches.total, hits, facet_lists(matches, query.filters),
                      suggestion, notices, (time.perf_counter() - started) * 1000)


def _request(query: Query, parsed, curation: CurationView, *, start: int, limit: int,
             facets) -> MatchRequest:
    """The engine's question for ``query``, with curation as data."""
    return MatchRequest(
        query=parsed if parsed.query is not None else None,
        filters=query.match_filters(),
        sort=query.sort, start=start, limit=limit,
        hidden=frozenset(curation.hidden),
        weights=dict(curation.weights),
        pinned=tuple(curation.pinned_for(query.text)) if query.text else (),
        facets=tuple(facets),
        facet_values=dict(curation.facet_values),
        viewer=curation.viewer)


def facet_counts(engine: SearchEngine, query: Query, name: str,
                 curation: CurationView | None = None) -> list[tuple[str, int]]:
    """Every value of facet ``name`` among the documents matching ``query`` (under the
    other facets' filters) with its count: the sidebar shows only the first ones."""
    curation = curation or CurationView()
    request = _request(query, expand(parse(query.text)), curation, start=0, limit=0, facets=(name,))
    return list(engine.match(request).facets.get(name, []))


def _window(request: MatchRequest, start: int, limit: int | None = None) -> MatchRequest:
    fields = {name: getattr(request, name) for name in request.__dataclass_fields__}
    return MatchRequest(**{**fields, "start": start,
                           "limit": request.limit if limit is None else limit})


def _matches(engine: SearchEngine, request: MatchRequest, places: tuple[str, ...],
             curation: CurationView) -> Matches:
    """The engine's answer to ``request``, its first ``PLACE_WINDOW`` matches reordered
    by the ``places`` the query names (see ``PLACE_BONUS``; a document's countries as
    curators corrected them) when it asks for them in relevance order; pinned matches
    stay first. Done here, so every engine answers alike; the matches past the window
    keep the engine's order."""
    start, end = request.start, request.start + request.limit
    if not places or request.sort != "relevance" or start >= PLACE_WINDOW or not end:
        return engine.match(request)
    matches = engine.match(_window(request, 0, max(end, PLACE_WINDOW)))
    head, tail = matches.hits[:PLACE_WINDOW], matches.hits[PLACE_WINDOW:]
    wanted = set(places)
    best = max((m.score for m in head if not m.pinned), default=0.0)
    pinned = [m for m in head if m.pinned]
    ranked = sorted((m if not wanted.intersection(curation.correct(m.document).countries)
                     else dataclasses.replace(m, score=m.score + PLACE_BONUS * best)
                     for m in head if not m.pinned), key=lambda m: -m.score)
    reordered = pinned + ranked
    return dataclasses.replace(matches, hits=(reordered + tail)[start:end])


def _hit(match: Match, words: tuple[str, ...], curation: CurationView,
         related: tuple[str, ...] = ()) -> Hit:
    """A hit with its snippet, taken from the PDF page where the words it matched
    (the query's ``words`` or ``related`` words; the query's ``words`` if the engine
    says none) match best, as curators corrected it (corrections show at once,
    before a run writes them)."""
    words = tuple(w for w in match.terms if w in words or w in related) or words
    doc = curation.correct(match.document)
    page_number = None
    text = doc.text
    if words:
        best = highlight.best_page(doc.pages, words, doc.language)
        if best is not None:
            text = doc.pages[best - 1]
            page_number = best if doc.format == "pdf" else None
    snippet = highlight.snippet(text, words, doc.language, fallback=doc.description)
    return Hit(doc, match.score, str(snippet), page_number, match.pinned)


def facet_lists(matches: Matches, selected: dict[str, list[str]]) -> dict[str, list[FacetValue]]:
    """Each facet's values for the sidebar: most frequent first (years newest first),
    at most FACET_LIMIT, and every selected value (count 0 if nothing matches now)."""
    out: dict[str, list[FacetValue]] = {}
    for name in FACET_NAMES:
        chosen = {facet_key(v) for v in selected.get(name, [])}
        values = [FacetValue(value, count, facet_key(value) in chosen)
                  for value, count in matches.facets.get(name, ()) if count]
        if name == "year":
            values.sort(key=lambda fv: fv.value, reverse=True)
        else:
            values.sort(key=lambda fv: (-fv.count, fv.value))
        shown = values[:FACET_LIMIT]
        present = {facet_key(fv.value) for fv in shown}
        for value in selected.get(name, []):
            if facet_key(value) not in present:
                match = next((fv for fv in values if facet_key(fv.value) == facet_key(value)),
                             None)
                shown.append(match or FacetValue(value, 0, True))
        out[name] = shown
    return out


# -- did you mean -------------------------------------------------------------------

_spellers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_spellers_lock = threading.Lock()


def _speller(engine: SearchEngine, viewer: frozenset[str] | None = None) -> Speller:
    """One ``Speller`` per vocabulary, that is per index generation and viewer, so its
    caches live as long as the generation."""
    vocabulary = engine.vocabulary(viewer)
    with _spellers_lock:
        speller = _spellers.get(vocabulary)
        if speller is None:
            speller = _spellers[vocabulary] = Speller(vocabulary.words_from,
                                                      vocabulary.frequency)
    return speller


def suggest(engine: SearchEngine, text: str, words: tuple[str, ...],
            viewer: frozenset[str] | None = None) -> str | None:
    """A respelling of the query from words the documents ``viewer`` may see hold, or
    None (bounded in cost: see ``spelling``)."""
    vocabulary = engine.vocabulary(viewer)
    replacement = _speller(engine, viewer).suggest(words, known=vocabulary.holds,
                                                   fold=fold_words)
    if not replacement:
        return None
    out = text
    for old, new in replacement.items():
        out = re.sub(rf"\b{re.escape(old)}\b", new, out, flags=re.IGNORECASE)
    return out
