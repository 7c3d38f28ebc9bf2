"""The query model at the edges: request parameters in, JSON-ready results out.

The web views, the API and the CLI all go through ``query_from_params`` and
``result_to_dict``, so they answer the same question the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from searchhub.errors import BadRequest
from searchhub.models import (
    FACET_NAMES,
    FACETS,
    YEAR_MAX,
    YEAR_MIN,
    Document,
    FacetValue,
    Query,
    ResultPage,
)
from searchhub.notice import notice
from searchhub.text import language_name

SORTS = ("relevance", "newest")
FACET_LABELS = dict(FACETS)
#: The URL parameters of the from/to year filter.
YEAR_PARAMS = ("year_from", "year_to")


def _getlist(params, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name)
        values = value if isinstance(value, list) else ([value] if value else [])
    return [str(v).strip() for v in values if str(v).strip()][:50]


def _int(params, name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or str(raw).strip() == "":
        return default
    try:
        return int(str(raw).strip())
    except ValueError:
        raise BadRequest(notice("%(name)s must be a whole number, not %(value)s", name=name,
                                value=repr(str(raw)[:40]))) from None


def query_from_params(params: Mapping, *, default_page_size: int = 10,
                      max_page_size: int = 100) -> tuple[Query, list[str]]:
    """Build a Query from URL parameters; returns it with notices about what was
    adjusted. Raises BadRequest for values that cannot be read at all."""
    notices = []
    filters = {name: _getlist(params, name) for name in FACET_NAMES}
    filters = {k: v for k, v in filters.items() if v}
    sort = (params.get("sort") or "relevance").strip().lower()
    if sort not in SORTS:
        notices.append(notice("Unknown sort %(sort)s; sorted by relevance.",
                              sort=repr(sort[:30])))
        sort = "relevance"
    page = _int(params, "page", 1)
    if page < 1:
        notices.append(notice("Pages start at 1; showing page 1."))
        page = 1
    page_size = _int(params, "page_size", default_page_size)
    if page_size < 1 or page_size > max_page_size:
        clamped = min(max(page_size, 1), max_page_size)
        notices.append(notice("page_size must be between 1 and %(most)s; using %(used)s.",
                              most=max_page_size, used=clamped))
        page_size = clamped
    year_from, year_to = (_year(params, name, notices) for name in YEAR_PARAMS)
    if year_from is not None and year_to is not None and year_from > year_to:
        notices.append(notice("The years were given the wrong way round; showing "
                              "%(start)s to %(end)s.", start=str(year_to), end=str(year_from)))
        year_from, year_to = year_to, year_from
    text = str(params.get("q") or "")
    return Query(text, filters, sort, page, page_size, year_from, year_to), notices


def _year(params, name: str, notices: list[str]) -> int | None:
    """A from/to year, or None (with a notice) when it is not a year we can use."""
    raw = str(params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit():
        notices.append(notice("%(name)s must be a year such as 2018, not %(value)s; "
                              "it was ignored.", name=name, value=repr(raw[:20])))
        return None
    if len(raw) > 4 or not YEAR_MIN <= int(raw) <= YEAR_MAX:
        notices.append(notice("%(name)s must be a year from %(first)s to %(last)s, not "
                              "%(value)s; it was ignored.", name=name, first=str(YEAR_MIN),
                              last=str(YEAR_MAX), value=raw[:20]))
        return None
    return int(raw)


def params_for(query: Query, **changes) -> dict[str, object]:
    """URL parameters that reproduce ``query`` (for links: chips, pages, sorts)."""
    params: dict[str, object] = {}
    if query.text:
        params["q"] = query.text
    for name, values in query.filters.items():
        if values:
            params[name] = list(values)
    if query.sort != "relevance":
        params["sort"] = query.sort
    params["year_from"], params["year_to"] = query.year_from, query.year_to
    if query.page != 1:
        params["page"] = query.page
    params.update({k: v for k, v in changes.items()})
    return {k: v for k, v in params.items() if v not in (None, "", [])}


@lru_cache(maxsize=8)
def gcm_titles(taxonomy_dir: str) -> dict[str, str]:
    from indexer.enrich.taxonomy import gcm_titles as titles  # the one taxonomy loader
    return titles(taxonomy_dir)


def value_label(facet: str, value: str, taxonomy_dir: Path | None = None,
                platforms: Mapping[str, str] | None = None) -> str:
    """How a facet value reads: a language's name, a GCM objective's title, a
    platform's name (``platforms``: id -> name, from the registry), else the value."""
    if facet == "language":
        return language_name(value)
    if facet == "gcm" and taxonomy_dir is not None:
        title = gcm_titles(str(taxonomy_dir)).get(value)
        return f"{value}. {title}" if title else f"Objective {value}"
    if facet == "platform" and platforms:
        return platforms.get(value, value)
    return value


def label_facets(result: ResultPage, taxonomy_dir: Path | None,
                 platforms: Mapping[str, str] | None = None) -> None:
    for name, values in result.facets.items():
        for fv in values:
            fv.label = value_label(name, fv.value, taxonomy_dir, platforms)
        if name == "gcm":
            # Objective numbers in order; anything else typed into ?gcm= ("³") last.
            values.sort(key=lambda fv: (not fv.selected, -fv.count, int(fv.value)
                                        if re.fullmatch(r"[0-9]{1,3}", fv.value) else 999))


def honour_years(values: list[FacetValue], query: Query) -> list[FacetValue]:
    """The year facet's values under the query's from/to years: the years outside them
    leave, but for chosen ones, which stay with 0 (nothing matches them now)."""
    if not query.has_years:
        return values
    kept = []
    for fv in values:
        if query.in_years(fv.value):
            kept.append(fv)
        elif fv.selected:
            fv.count = 0
            kept.append(fv)
    return kept


def document_to_dict(doc: Document, *, text_chars: int | None = None) -> dict:
    out = {
        "id": doc.id, "title": doc.title, "url": doc.url, "source": doc.source_id,
        "agency": doc.agency, "platform": doc.platform, "regions": doc.regions,
        "countries": doc.countries,
        "themes": doc.themes, "gcm_objectives": doc.gcm_objectives, "language": doc.language,
        "languages": doc.all_languages,       # the main one first, then the others held
        "type": doc.type, "date": doc.date.isoformat() if doc.date else None,
        "author": doc.author, "description": doc.description, "format": doc.format,
        "pages": len(doc.pages), "quality": doc.quality,
        "indexed_at": doc.indexed_at.isoformat() if doc.indexed_at else None,
        "also_at": doc.also_at,       # the same report published elsewhere
    }
    if text_chars is not None:
        text = doc.text
        out["text"] = text[:text_chars]
        out["text_truncated"] = len(text) > text_chars
    return out


def result_to_dict(result: ResultPage) -> dict:
    q = result.query
    return {
        "query": {"q": q.text, "filters": q.filters, "sort": q.sort,
                  "year_from": q.year_from, "year_to": q.year_to},
        "total": result.total,
        "page": q.page,
        "page_size": q.page_size,
        "pages": result.pages,
        "hits": [
            {**{k: v for k, v in document_to_dict(h.document).items()
                if k not in ("description", "author", "quality", "indexed_at")},
             "snippet": h.snippet, "page_number": h.page_number, "score": round(h.score, 4),
             "pinned": h.pinned}
            for h in result.hits
        ],
        "facets": {name: [{"value": fv.value, "count": fv.count, "selected": fv.selected,
                           "label": fv.label or fv.value} for fv in values]
                   for name, values in result.facets.items()},
        "suggestion": result.suggestion,
        "notices": result.notices,
        "elapsed_ms": round(result.elapsed_ms, 2),
    }
