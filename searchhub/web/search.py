"""The search page: query box, hits, facet sidebar, chips, sorting, pages; and the
page listing every value of one facet."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext

from searchhub import querylog
from searchhub.errors import ConfigError, NotFound
from searchhub.models import FacetValue, Query
from searchhub.notice import notice
from searchhub.platforms import registry_for
from searchhub.search import (
    FACET_LABELS,
    honour_years,
    label_facets,
    params_for,
    query_from_params,
    value_label,
)
from searchhub.searching import facet_counts
from searchhub.searching import search as search_service
from searchhub.text import facet_key

from . import i18n, services
from .curate import current_view
from .viewer import current_viewer

bp = Blueprint("search", __name__)
#: Values of a facet shown in the sidebar before "More…".
SIDEBAR_VALUES = 10
#: The engine lists at most this many values of a facet (besides the selected ones);
#: a facet that long may have more, listed on its own page.
ENGINE_FACET_VALUES = 50
#: The choices of results per page (those up to max_page_size, and the default).
PAGE_SIZES = (10, 20, 50, 100)


def run_search(params):
    svc = services()
    query, notices = query_from_params(params, default_page_size=svc.settings.page_size,
                                       max_page_size=svc.settings.max_page_size)
    result = search_service(svc.engine, query, current_view())
    result.notices[:0] = notices
    if "year" in result.facets:
        result.facets["year"] = honour_years(result.facets["year"], query)
    label_facets(result, svc.settings.taxonomy_dir, platform_names())
    i18n.localize_facets(result.facets)
    return result


def platform_names() -> dict[str, str]:
    """Platform id -> name, from the registry ({} when it cannot be read: the ids show,
    and the directory says what is wrong)."""
    try:
        registry = registry_for(services().settings)
    except ConfigError:
        return {}
    return {platform.id: platform.name for platform in registry.platforms}


def _links(query: Query):
    """URL builders for the search and facet pages, keeping a page size the person chose
    (params_for leaves page_size out)."""
    settings = services().settings
    page_size = query.page_size if query.page_size != settings.page_size else None

    def url(base: Query, endpoint: str = "search.search", **changes) -> str:
        return url_for(endpoint, **params_for(base, **{"page_size": page_size, **changes}))
    return page_size, url


def query_log() -> querylog.QueryLog | None:
    """The app's count of frequent queries (None when the ``querylog`` setting is off)."""
    settings = services().settings
    if not settings.querylog:
        return None
    found = current_app.extensions.get("searchhub_querylog")
    if found is None:
        found = current_app.extensions.setdefault("searchhub_querylog",
                                                  querylog.QueryLog.of(settings))
    return found


def count_query(result) -> None:
    """Count a visitor's plain search that found public documents (never a member's
    or curator's, whose hits may be restricted, nor one whose browser asks not to be
    tracked: Global Privacy Control or Do Not Track); never fails the search."""
    log = query_log()
    asked_first_page = request.args.get("page", "1").strip() in ("", "1")  # not resolved
    opted_out = "1" in (request.headers.get("Sec-GPC"), request.headers.get("DNT"))
    if (log is not None and result.total and current_viewer() is None and not opted_out
            and asked_first_page and querylog.is_plain(result.query)):
        log.record(result.query.text, i18n.current_language())


@bp.route("/")
@bp.route("/search")
def search():
    result = run_search(request.args)
    count_query(result)
    query = result.query
    taxonomy_dir = services().settings.taxonomy_dir
    page_size, url = _links(query)
    names = platform_names() if "platform" in query.filters else None
    chips = [(name, i18n.facet_label(name),
              value, i18n.value_label(name, value, taxonomy_dir,
                                      default=value_label(name, value, taxonomy_dir, names)),
              url(query.without_filter(name, value)))
             for name, values in query.filters.items() for value in values]
    if query.has_years:
        chips.append(("years", gettext("Years"), "", years_label(query),
                      url(query.without_years())))
    return render_template(
        "search.html", result=result, query=query, facets=i18n.facets(), chips=chips,
        page_size=page_size, page_sizes=page_size_links(query, url),
        link=lambda **changes: url(query, **changes),
        add_filter=lambda n, v: url(query.with_filter(n, v)),
        remove_filter=lambda n, v: url(query.without_filter(n, v)),
        all_values=lambda n: url(query, "search.facet", name=n, page=None),
        sidebar=sidebar_lists, more_values=ENGINE_FACET_VALUES,
        # Only the empty home page takes the focus: on a results page it would make
        # keyboard users Tab past the search box again and lose Back's scroll position.
        autofocus=not query.text and not query.filters and query.page == 1,
        doc_count=services().engine.count())


def years_label(query: Query) -> str:
    """The from/to years as a chip reads them: "2015–2020", "from 2015", "to 2020"."""
    if query.year_from is not None and query.year_to is not None:
        return (str(query.year_from) if query.year_from == query.year_to
                else f"{query.year_from}–{query.year_to}")
    if query.year_from is not None:
        return gettext("from %(year)s", year=query.year_from)
    return gettext("to %(year)s", year=query.year_to)


def page_size_links(query: Query, url) -> list[tuple[int, str]]:
    """(results per page, link to page 1 of this search with that many) for each choice."""
    settings = services().settings
    sizes = sorted({n for n in PAGE_SIZES if n <= settings.max_page_size}
                   | {settings.page_size})
    return [(n, url(query, page=None, page_size=n if n != settings.page_size else None))
            for n in sizes]


def _hidden(query: Query, page_size: int | None, **changes) -> list[tuple[str, str]]:
    """The search's URL parameters as (name, value) pairs for a form's hidden fields."""
    params = params_for(query, page=None, page_size=page_size, **changes)
    return [(k, str(v)) for k, vs in params.items()
            for v in (vs if isinstance(vs, list) else [vs])]


def sidebar_lists(values: list[FacetValue]) -> tuple[list[FacetValue], list[FacetValue]]:
    """A facet's values split into those shown at once (the first SIDEBAR_VALUES and
    every selected one) and those behind "More…"."""
    shown = [fv for i, fv in enumerate(values) if i < SIDEBAR_VALUES or fv.selected]
    return shown, [fv for fv in values if fv not in shown]


@bp.route("/facet/<name>")
def facet(name: str):
    """Every value of one facet for the search in the URL, with a filter box."""
    if name not in FACET_LABELS:
        raise NotFound(notice("There is no facet %(facet)s; facets are %(facets)s.",
                              facet=repr(name), facets=", ".join(FACET_LABELS)))
    svc = services()
    query, _ = query_from_params(request.args, default_page_size=svc.settings.page_size,
                                 max_page_size=svc.settings.max_page_size)
    values = all_facet_values(query, name)
    if name == "year":
        values = honour_years(values, query)
    names = platform_names() if name == "platform" else None
    for fv in values:
        fv.label = value_label(name, fv.value, svc.settings.taxonomy_dir, names)
    i18n.localize_facets({name: values})
    contains = request.args.get("contains", "").strip()[:100]
    shown = [fv for fv in values if facet_key(contains) in facet_key(fv.label or fv.value)]
    page_size, url = _links(query)
    hidden = _hidden(query, page_size)
    return render_template(
        "facet.html", name=name, label=i18n.facet_label(name), query=query, values=values,
        shown=shown, contains=contains, hidden=hidden, back=url(query),
        add_filter=lambda v: url(query.with_filter(name, v)),
        remove_filter=lambda v: url(query.without_filter(name, v)))


def all_facet_values(query: Query, name: str) -> list[FacetValue]:
    """Every value of facet ``name`` among the documents matching ``query`` (with the
    other facets' filters), most frequent first, years newest first; a selected value
    that matches nothing still shows, with 0."""
    chosen = {facet_key(v) for v in query.filters.get(name, [])}
    counts = facet_counts(services().engine, query, name, current_view())
    values = [FacetValue(value, count, facet_key(value) in chosen) for value, count in counts]
    present = {facet_key(fv.value) for fv in values}
    values += [FacetValue(value, 0, True) for value in query.filters.get(name, [])
               if facet_key(value) not in present]
    if name == "year":
        values.sort(key=lambda fv: fv.value, reverse=True)
    else:
        values.sort(key=lambda fv: (-fv.count, fv.value))
    return values


