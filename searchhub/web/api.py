"""The JSON API: /api/search and /api/doc/<id>, the same answers as the pages."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from searchhub.errors import NotFound
from searchhub.search import document_to_dict, result_to_dict

from . import services
from .curate import corrected
from .experts import experts_beside, matches_to_dicts
from .search import run_search

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/search")
def search():
    result = run_search(request.args)
    return jsonify({**result_to_dict(result),
                    "experts": matches_to_dicts(experts_beside(result))})


@bp.route("/doc/<path:doc_id>")
def document(doc_id: str):
    doc = corrected(services().engine.get(doc_id))
    if doc is None:
        raise NotFound(f"There is no document {doc_id!r} in the index.")
    return jsonify(document_to_dict(doc, text_chars=20000))


@bp.route("/health")
def health():
    return jsonify({"status": "ok", "documents": services().engine.count()})
