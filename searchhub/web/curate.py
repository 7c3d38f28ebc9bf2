"""Curation pages: flags from hits and documents, the curators' queue, actions, audit.

Anyone may flag a hit (visitors get a smaller form and a rate limit per address);
only curators and admins reach /curate and act. Every action is recorded in the audit
log and can be undone from it. Decisions reach searches through ``current_view``, and
corrections reach documents shown through ``corrected``: at once, at query time. The
web app never writes the index; the indexer process writes corrections into it.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext

from searchhub import database
from searchhub.curation import apply, fields, store
from searchhub.curation.handoff import RIDES_WITH
from searchhub.curation.store import CurationError
from searchhub.errors import NotFound
from searchhub.models import Document
from searchhub.notice import notice
from searchhub.visibility import visible

from . import services
from .auth import _safe_next, current_name, current_user, get_db, role_required
from .errors import render_error, wants_json
from .i18n import action_label, translate_notice
from .viewer import ViewerCuration, current_viewer

bp = Blueprint("curate", __name__)
CURATORS = ("curator", "admin")
PUBLIC_REPORT = "public-report"
PREVIEW_CHARS = 800
PUBLIC_COMMENT = 500


def current_view() -> apply.StoredCuration:
    """The decisions as a CurationView for this request's searches (cached per app),
    with the request's viewer (``viewer``: what it may see)."""
    cache = current_app.extensions.setdefault("searchhub_curation_views", apply.ViewCache())
    return ViewerCuration(cache.get(get_db()), current_viewer())  # type: ignore[return-value]


def corrected(doc: Document | None) -> Document | None:
    """``doc`` as curators corrected it; None if there is none or the request's viewer
    may not see it (so its page answers as for a missing id)."""
    doc = visible(doc, current_viewer())
    return None if doc is None else current_view().correct(doc)


def is_curator() -> bool:
    return current_user.is_authenticated and current_user.has_role(*CURATORS)


@bp.app_context_processor
def _flag_choices():
    return {"flag_reasons": store.FLAG_REASONS, "public_reasons": store.PUBLIC_REASONS,
            "is_curator": is_curator}


def _done(message: str, target: str, status: int = 200, **extra):
    """Answer a form post: JSON for the script ({"ok": true, "message", ...} or the
    app's JSON error), else a flash and a redirect."""
    if wants_json():
        if status >= 400:
            return render_error(status, message)
        return jsonify({"ok": True, "message": message, **extra}), status
    if status == 429:            # no redirect: the page says plainly it was refused
        abort(429, message)
    flash(translate_notice(message))     # a CurationError's notice, in the page's language
    return redirect(_safe_next(target))


def _int_or_none(raw) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


# -- flags --------------------------------------------------------------------------------

@bp.route("/flag/<path:doc_id>", methods=["GET"])
def flag_page(doc_id: str):
    """The report form on a page of its own, with its CSRF token (and so a session):
    the way to report for browsers without the script, which fetches a token instead."""
    doc = corrected(services().engine.get(doc_id))
    if doc is None:
        raise NotFound(notice("There is no document %(id)s in the index.", id=repr(doc_id)))
    back = _safe_next(request.args.get("next")
                      or url_for("documents.document", doc_id=doc_id))
    return render_template("flag_page.html", doc=doc, back=back,
                           query_text=request.args.get("query", "")[:1000],
                           rank=_int_or_none(request.args.get("rank")))


@bp.route("/flag/<path:doc_id>", methods=["POST"])
def flag(doc_id: str):
    doc = services().engine.get(doc_id)
    if doc is None:
        raise NotFound(notice("There is no document %(id)s in the index.", id=repr(doc_id)))
    form = request.form
    back = form.get("next") or url_for("documents.document", doc_id=doc_id)
    conn = get_db()
    comment = form.get("comment", "")
    if is_curator():
        origin, user = "curator", current_user.name
    else:
        settings = services().settings
        window = settings.report_window_minutes * 60
        address = request.remote_addr or "unknown"
        if database.count_attempts(conn, PUBLIC_REPORT, address, window) \
                >= settings.report_limit:
            return _done(notice("Thank you, but we have received many reports from your "
                                "address; please try again later."), back, 429)
        origin, user = "public", current_name()
        comment = comment[:PUBLIC_COMMENT]
    try:
        store.add_flag(conn, store.DocInfo.of(doc), form.get("reason", ""), origin,
                       comment=comment, query=form.get("query", ""),
                       rank=_int_or_none(form.get("rank")), user_name=user,
                       address=request.remote_addr or "")
    except CurationError as exc:
        return _done(exc.message, back, 400)
    if origin == "public":
        database.record_attempt(conn, PUBLIC_REPORT, request.remote_addr or "unknown")
    return _done(gettext("Thank you: the quality team will look at this document.")
                 if origin == "public" else gettext("Flagged “%(title)s”.", title=doc.title),
                 back)


# -- the queue ------------------------------------------------------------------------------

FILTERS = (("reason", "reason", "Reason"), ("origin", "origin", "Origin"),
           ("source", "source_id", "Source"), ("agency", "agency", "Agency"))


def reason_label(code: str) -> str:
    return store.FLAG_REASONS.get(code) or store.AUTOMATIC_REASONS.get(code) or code


@bp.route("/curate")
@role_required(*CURATORS)
def queue():
    conn = get_db()
    chosen = {name: request.args.get(name, "").strip() for name, _, _ in FILTERS}
    flags = store.open_flags(conn, **chosen)
    groups: dict[str, list] = {}
    for row in flags:                       # newest first, so groups are too
        groups.setdefault(row["doc_id"], []).append(row)
    engine = services().engine
    items = []
    for doc_id, rows in groups.items():
        doc = corrected(engine.get(doc_id))
        items.append({"doc_id": doc_id, "doc": doc, "flags": rows,
                      "preview": doc.text[:PREVIEW_CHARS] if doc else "",
                      "decisions": store.active_decisions(conn, doc_id=doc_id)})
    counts = store.flag_counts(conn)
    return render_template("curate/queue.html", items=items, total=len(flags),
                           filters=FILTERS, chosen=chosen, counts=counts,
                           reason_label=reason_label)


@bp.route("/curate/doc/<path:doc_id>")
@role_required(*CURATORS)
def document(doc_id: str):
    conn = get_db()
    doc = corrected(services().engine.get(doc_id))
    decisions = store.active_decisions(conn, doc_id=doc_id)
    if doc is None and not decisions and not store.audit_log(conn, doc_id=doc_id, limit=1):
        raise NotFound(notice("There is no document %(id)s in the index and no curation "
                              "about it.", id=repr(doc_id)))
    flags = store.flags_of(conn, doc_id)
    values = {}
    if doc is not None:
        for name in fields.CORRECTABLE:
            value = fields.field_value(doc, name)
            if name in fields.LIST_FIELDS:
                value = "\n".join(str(v) for v in value)
            values[name] = "" if value is None else value
    return render_template("curate/document.html", doc_id=doc_id, doc=doc, flags=flags,
                           decisions=decisions, fields=values,
                           audit=store.audit_log(conn, doc_id=doc_id),
                           reason_label=reason_label, actions=store.ACTIONS,
                           preview=doc.text[:PREVIEW_CHARS * 4] if doc else "",
                           undoable=store.undoable, loads=json.loads)


# -- actions ----------------------------------------------------------------------------

def _corrections(doc) -> dict:
    changed, before = {}, {}
    for name in fields.CORRECTABLE:
        if name not in request.form:
            continue
        new = fields.parse_field(name, request.form[name])
        old = fields.field_value(doc, name)
        if new != old:
            changed[name], before[name] = new, old
    for ride, name in RIDES_WITH.items():
        if name in changed:
            before[ride] = list(getattr(doc, ride))
    return {"fields": changed, "before": before}


@bp.route("/curate/action", methods=["POST"])
@role_required(*CURATORS)
def action():
    form = request.form
    doc_id, kind = form.get("doc_id", ""), form.get("action", "")
    back = form.get("next") or url_for("curate.document", doc_id=doc_id)
    engine = services().engine
    conn = get_db()
    doc = corrected(engine.get(doc_id))
    if doc is None and kind != "dismiss":
        raise NotFound(notice("There is no document %(id)s in the index to act on.",
                              id=repr(doc_id)))
    try:
        value = form.get("value")
        if kind == "correct":
            value = _corrections(doc)
        elif kind == "duplicate":
            value = (value or "").strip()
            if value and engine.get(value) is None:
                raise CurationError(notice("there is no document %(id)s to keep instead",
                                            id=repr(value)))
        audit_id = store.act(conn, current_user.name, kind, doc_id, value=value,
                             query=form.get("query", ""), why=form.get("why", ""),
                             flag_id=_int_or_none(form.get("flag_id")))
    except CurationError as exc:
        return _done(exc.message, back, 400)
    message = gettext("%(action)s: “%(title)s”.", action=action_label(kind),
                      title=doc.title if doc else doc_id)
    return _done(message, back, audit_id=audit_id,
                 undo=url_for("curate.undo", audit_id=audit_id))


@bp.route("/curate/undo/<int:audit_id>", methods=["POST"])
@role_required(*CURATORS)
def undo(audit_id: int):
    conn = get_db()
    back = request.form.get("next") or url_for("curate.audit")
    try:
        row = store.undo(conn, current_user.name, audit_id, request.form.get("why", ""))
    except CurationError as exc:
        return _done(exc.message, back, 400)
    message = gettext("Undone: %(action)s on %(doc)s.", action=action_label(row["action"]),
                      doc=row["doc_id"])
    return _done(message, back)


@bp.route("/curate/audit")
@role_required(*CURATORS)
def audit():
    conn = get_db()
    doc_id = request.args.get("doc", "")
    return render_template("curate/audit.html", rows=store.audit_log(conn, doc_id=doc_id,
                                                                      limit=500),
                           doc_filter=doc_id, actions=store.ACTIONS, undoable=store.undoable,
                           loads=json.loads)


@bp.route("/curate/decisions")
@role_required(*CURATORS)
def decisions():
    conn = get_db()
    engine = services().engine
    orphaned = {r["id"] for r in apply.orphaned_decisions(engine, conn)}
    rows = store.active_decisions(conn)
    audit_of = store.decision_audit_ids(conn)
    return render_template("curate/decisions.html", rows=rows, orphaned=orphaned,
                           actions=store.ACTIONS, audit_of=audit_of, loads=json.loads)


# -- the report -------------------------------------------------------------------------

def _report_rows():
    from indexer.sources import load_sources
    from searchhub.curation import report
    from searchhub.errors import ConfigError

    settings = services().settings
    try:
        source_ids = [s.id for s in load_sources(settings.sources, settings.taxonomy_dir)]
    except (ConfigError, OSError):
        source_ids = []          # the report still covers every source that has flags
    conn = get_db()
    return report.activity(conn), report.quality(conn, services().engine, source_ids)


@bp.route("/curate/report")
@role_required(*CURATORS)
def report():
    activity, quality = _report_rows()
    return render_template("curate/report.html", activity=activity, quality=quality)


@bp.route("/curate/report.csv")
@role_required(*CURATORS)
def report_csv():
    from searchhub.curation.report import ACTIVITY_COLUMNS, QUALITY_COLUMNS, to_csv

    activity, quality = _report_rows()
    which = request.args.get("table", "activity")
    rows, columns = (quality, QUALITY_COLUMNS) if which == "quality" else (
        activity, ACTIVITY_COLUMNS)
    return current_app.response_class(
        to_csv(rows, columns), mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=curation-{which}.csv"})
