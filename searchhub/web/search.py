"""The search page: query box, hits, facet sidebar, chips, sorting, pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from searchhub.models import FACETS
from searchhub.search import (
    FACET_LABELS,
    label_facets,
    params_for,
    query_from_params,
    value_label,
)

from . import services
from .curate import current_view

bp = Blueprint("search", __name__)


def run_search(params):
    svc = services()
    query, notices = query_from_params(params, default_page_size=svc.settings.page_size,
                                       max_page_size=svc.settings.max_page_size)
    view = current_view()
    result = svc.engine.search(query, curation=view)
    for hit in result.hits:           # corrections show at once, before a run writes them
        hit.document = view.correct(hit.document)
    result.notices[:0] = notices
    label_facets(result, svc.settings.taxonomy_dir)
    return result


@bp.route("/")
@bp.route("/search")
def search():
    result = run_search(request.args)
    query = result.query
    settings = services().settings
    taxonomy_dir = settings.taxonomy_dir
    # params_for leaves page_size out; links must keep a size the person chose.
    page_size = query.page_size if query.page_size != settings.page_size else None

    def url(base, **changes):
        return url_for("search.search", **params_for(base, **{"page_size": page_size, **changes}))

    chips = [(name, FACET_LABELS[name], value, value_label(name, value, taxonomy_dir),
              url(query.without_filter(name, value)))
             for name, values in query.filters.items() for value in values]
    return render_template(
        "search.html", result=result, query=query, facets=FACETS, chips=chips,
        page_size=page_size, link=lambda **changes: url(query, **changes),
        add_filter=lambda n, v: url(query.with_filter(n, v)),
        remove_filter=lambda n, v: url(query.without_filter(n, v)),
        doc_count=services().engine.count())
