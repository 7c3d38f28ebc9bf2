"""The JSON API: /api/search and /api/doc/<id>, the same answers as the pages, and
/api/suggest, prefix suggestions as a person types.

A document's ``url`` is where a visitor reads it: its web address, else its document
page (never a path or ``file:`` URL of the server)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from searchhub import visibility
from searchhub.engine.base import CurationView
from searchhub.errors import NotFound
from searchhub.models import Query
from searchhub.notice import notice
from searchhub.search import document_to_dict, result_to_dict
from searchhub.searching import search as search_service

from . import document_link, public_places, services
from .curate import corrected, current_view
from .experts import experts_beside, matches_to_dicts
from .search import query_log, run_search
from .viewer import ViewerCuration, current_viewer

bp = Blueprint("api", __name__, url_prefix="/api")


def _for_visitors(out: dict, doc) -> dict:
    out["url"] = document_link(doc)
    out["also_at"] = public_places(out.get("also_at") or [])
    return out


@bp.route("/search")
def search():
    result = run_search(request.args)
    out = result_to_dict(result)
    for hit, found in zip(out["hits"], result.hits, strict=True):
        _for_visitors(hit, found.document)
    out["experts"] = matches_to_dicts(experts_beside(result))
    return jsonify(out)


@bp.route("/suggest")
def suggest():
    from searchhub.completion import complete

    found = complete(services().engine, request.args.get("q", ""),
                     taxonomy_dir=services().settings.taxonomy_dir,
                     language=request.args.get("lang", "en"),
                     viewer=current_viewer(), hidden=current_view().hidden,
                     queries=query_log())
    return jsonify({"query": request.args.get("q", ""),
                    "suggestions": [_suggestion(s) for s in found]})


def _suggestion(found) -> dict:
    """A suggestion as JSON: a label also names the facet filter it stands for."""
    out = {"text": found.text, "kind": found.kind}
    if found.filter:
        out["filter"] = {"name": found.filter[0], "value": found.filter[1]}
    return out


@bp.route("/doc/<path:doc_id>")
def document(doc_id: str):
    doc = corrected(services().engine.get(doc_id))
    if doc is None:
        raise NotFound(notice("There is no document %(id)s in the index.", id=repr(doc_id)))
    out = _for_visitors(document_to_dict(doc, text_chars=20000), doc)
    from searchhub.uploads.store import licence_of

    from .auth import get_db
    if licence := licence_of(get_db(), doc.id):      # an upload's, from its record
        out["licence"] = licence
    return jsonify(out)


@bp.route("/health")
def health():
    """Up, and how many documents the asker may see (restricted ones are not counted
    for visitors; curation is not applied, as in ``engine.count()``)."""
    engine, viewer = services().engine, current_viewer()
    if not visibility.restricts(viewer):
        return jsonify({"status": "ok", "documents": engine.count()})
    page = search_service(engine, Query(page_size=1), ViewerCuration(CurationView(), viewer))
    return jsonify({"status": "ok", "documents": page.total})
