"""The document page: metadata, text preview and where it came from."""

from __future__ import annotations

from flask import Blueprint, render_template

from searchhub.errors import NotFound
from searchhub.notice import notice

from . import services
from .curate import corrected
from .i18n import value_label

bp = Blueprint("documents", __name__)
PREVIEW_CHARS = 6000


@bp.route("/doc/<path:doc_id>")
def document(doc_id: str):
    doc = corrected(services().engine.get(doc_id))
    if doc is None:
        raise NotFound(notice("There is no document %(id)s in the index. It may have "
                              "been removed from its source.", id=repr(doc_id)))
    taxonomy_dir = services().settings.taxonomy_dir
    gcm = [(n, value_label("gcm", str(n), taxonomy_dir)) for n in doc.gcm_objectives]
    pages = [(i, page[:PREVIEW_CHARS]) for i, page in enumerate(doc.pages, start=1)
             if page.strip()][:3]
    from searchhub.uploads.store import licence_of

    from .auth import get_db
    return render_template("document.html", doc=doc, gcm=gcm, pages=pages,
                           languages=[(code, value_label("language", code))
                                      for code in doc.all_languages],
                           total_chars=len(doc.text), licence=licence_of(get_db(), doc.id))
