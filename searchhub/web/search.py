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

bp = Blueprint("search", __name__)


def run_search(params):
    svc = services()
    query, notices = query_from_params(params, default_page_size=svc.settings.page_size,
                                       max_page_size=svc.settings.max_page_size)
    result = svc.engine.search(query)
    result.notices[:0] = notices
    label_facets(result, svc.settings.taxonomy_dir)
    return result


@bp.route("/")
@bp.route("/search")
def search():
    result = run_search(request.args)
    query = result.query
    taxonomy_dir = services().settings.taxonomy_dir

    def link(**changes):
        return url_for("search.search", **params_for(query, **changes))

    chips = [(name, FACET_LABELS[name], value, value_label(name, value, taxonomy_dir),
              url_for("search.search", **params_for(query.without_filter(name, value))))
             for name, values in query.filters.items() for value in values]
    return render_template(
        "search.html", result=result, query=query, facets=FACETS, chips=chips, link=link,
        add_filter=lambda n, v: url_for("search.search", **params_for(query.with_filter(n, v))),
        remove_filter=lambda n, v: url_for("search.search",
                                           **params_for(query.without_filter(n, v))),
        doc_count=services().engine.count())
