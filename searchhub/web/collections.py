"""Collections: /collections and /collections/<slug> for everyone (and as JSON under
/api/collections); curators create, edit, add, annotate, reorder and remove through
the forms on those pages and on document pages (CSRF-protected posts). Every change
goes into the curation audit log (``searchhub.collections.store``)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template, request, url_for

from searchhub.collections import store
from searchhub.curation.store import CurationError
from searchhub.errors import NotFound
from searchhub.notice import notice
from searchhub.search import document_to_dict
from searchhub.visibility import visible

from . import services
from .auth import current_user, get_db, role_required
from .curate import CURATORS, _done, current_view, is_curator

bp = Blueprint("collections", __name__)


def _require(slug: str) -> store.Collection:
    found = store.get(get_db(), slug)
    if found is None:
        raise NotFound(notice("There is no collection %(slug)s; /collections lists them.",
                              slug=repr(slug)))
    return found


def _entries(collection: store.Collection, curator: bool) -> list[dict]:
    """The collection's items with their documents, as curators corrected them; hidden
    documents and those not in the index are shown to curators only (marked)."""
    engine, view = services().engine, current_view()
    out = []
    for item in collection.items:
        doc = visible(engine.get(item.doc_id), view.viewer)
        hidden = item.doc_id in view.hidden
        if (doc is None or hidden) and not curator:
            continue
        out.append({"item": item, "doc": view.correct(doc) if doc else None, "hidden": hidden})
    return out


@bp.app_template_global("collections_for_forms")
def collections_for_forms() -> list[store.Collection]:
    """The collections a curator may add a document to (the forms of the document page
    and of each hit), read once per request."""
    if not is_curator():
        return []
    if "collections_for_forms" not in g:
        g.collections_for_forms = store.all_collections(get_db())
    return g.collections_for_forms


@bp.route("/collections")
def index():
    return render_template("collections/index.html",
                           collections=store.all_collections(get_db()))


@bp.route("/collections/<slug>")
def collection(slug: str):
    found = _require(slug)
    return render_template("collections/collection.html", c=found,
                           entries=_entries(found, is_curator()))


@bp.route("/api/collections")
def api_index():
    return jsonify([{"slug": c.slug, "title": c.title, "description": c.description,
                     "documents": len(_entries(c, False)),
                     "url": url_for("collections.api_collection", slug=c.slug)}
                    for c in store.all_collections(get_db())])


@bp.route("/api/collections/<slug>")
def api_collection(slug: str):
    found = _require(slug)
    return jsonify({"slug": found.slug, "title": found.title,
                    "description": found.description,
                    "search_url": url_for("search.search", collection=found.slug),
                    "documents": [{**document_to_dict(e["doc"]), "note": e["item"].note,
                                   "position": n}
                                  for n, e in enumerate(_entries(found, False), start=1)]})


# -- curators' forms ------------------------------------------------------------------

@bp.route("/collections", methods=["POST"])
@role_required(*CURATORS)
def create():
    form = request.form
    try:
        made = store.create(get_db(), current_user.name, form.get("title", ""),
                            form.get("description", ""), form.get("slug", ""))
    except CurationError as exc:
        return _done(exc.message, url_for("collections.index"), 400)
    return _done(notice("Collection “%(title)s” created.", title=made.title),
                 url_for("collections.collection", slug=made.slug), slug=made.slug)


@bp.route("/collections/<slug>/edit", methods=["POST"])
@role_required(*CURATORS)
def edit(slug: str):
    back = url_for("collections.collection", slug=slug)
    try:
        store.edit(get_db(), current_user.name, slug, request.form.get("title", ""),
                   request.form.get("description", ""))
    except CurationError as exc:
        return _done(exc.message, back, 400)
    return _done(notice("Collection saved."), back)


@bp.route("/collections/add", methods=["POST"])
@role_required(*CURATORS)
def add():
    form = request.form
    slug, doc_id = form.get("slug", ""), form.get("doc_id", "").strip()
    back = form.get("next") or url_for("collections.collection", slug=slug)
    if services().engine.get(doc_id) is None:
        return _done(notice("There is no document %(id)s in the index.", id=repr(doc_id)),
                     back, 400)
    try:
        store.add(get_db(), current_user.name, slug, doc_id, form.get("note", ""))
    except CurationError as exc:
        return _done(exc.message, back, 400)
    return _done(notice("Added to the collection."), back)


@bp.route("/collections/<slug>/item", methods=["POST"])
@role_required(*CURATORS)
def item(slug: str):
    """One item's change: ``action`` is note (with ``note``), up, down or remove."""
    form = request.form
    doc_id, action = form.get("doc_id", ""), form.get("action", "")
    back = url_for("collections.collection", slug=slug)
    conn, user = get_db(), current_user.name
    try:
        if action == "note":
            store.annotate(conn, user, slug, doc_id, form.get("note", ""))
        elif action in ("up", "down"):
            store.move(conn, user, slug, doc_id, -1 if action == "up" else 1)
        elif action == "remove":
            store.remove(conn, user, slug, doc_id)
        else:
            raise CurationError(notice("unknown change %(action)s", action=repr(action[:20])))
    except CurationError as exc:
        return _done(exc.message, back, 400)
    return _done({"note": notice("Note saved."), "up": notice("Moved up."),
                  "down": notice("Moved down."),
                  "remove": notice("Removed from the collection.")}[action], back)
