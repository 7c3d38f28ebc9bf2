"""Members' uploads through a workstream's template, and their review.

``/members/upload/<ws>``: a file or URL (size and type checked before anything is
kept), then its details, offered from what extraction and enrichment found; every
invalid field is reported at once and nothing typed is lost. ``/members/uploads``: a
member's contributions and where their review stands. ``/members/review``: the queue
of curators and of each workstream's leads (``leads`` in the group registry):
approve, reject or send back with a reason, and undo. Publishing starts the indexer
in the background (``searchhub.uploads.publish``); the pages say where it stands.

Errors a script may get as JSON (a missing upload, a refused form) are notices
(searchhub.notice): English in JSON, translated on the page (searchhub.web.errors).
"""

from __future__ import annotations

import functools
import re
import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from searchhub.curation.store import CurationError
from searchhub.errors import NotFound
from searchhub.members import store as members_store
from searchhub.members.groups import Group, load_groups
from searchhub.notice import notice
from searchhub.uploads import bulk, intake, publish, store
from searchhub.uploads.source import uploads_folder
from searchhub.uploads.templates import FIELDS, LISTS, Problem, Vocabulary, validate

from . import services
from .auth import current_user, get_db, role_required
from .i18n import translate_notice

bp = Blueprint("uploads", __name__)

#: Each validation problem's message (searchhub.uploads.templates.MESSAGES), translated.
MESSAGES = {
    "required": lazy_gettext("This field is required."),
    "choose": lazy_gettext("Choose at least one."),
    "not-listed": lazy_gettext("Not in the list: %(detail)s."),
    "too-long": lazy_gettext("At most %(detail)s characters."),
    "choose-one": lazy_gettext("Choose one of: %(detail)s."),
    "workstream": lazy_gettext("This template is the workstream %(detail)s's."),
    "language": lazy_gettext("A language code such as en, fr, es, ar, ru or zh."),
    "date": lazy_gettext("A date as YYYY-MM-DD, YYYY-MM or YYYY."),
    "visibility": lazy_gettext("Public, members, or groups of the registry (not %(detail)s)."),
}
LABELS = {
    "title": lazy_gettext("Title"), "agency": lazy_gettext("Agency"),
    "workstream": lazy_gettext("Workstream"), "regions": lazy_gettext("Regions"),
    "countries": lazy_gettext("Countries"), "themes": lazy_gettext("Themes"),
    "gcm_objectives": lazy_gettext("GCM objectives"), "language": lazy_gettext("Language"),
    "type": lazy_gettext("Type"), "date": lazy_gettext("Date"),
    "summary": lazy_gettext("Summary"), "licence": lazy_gettext("Licence"),
    "visibility": lazy_gettext("Who may see it"),
}
#: Why a file or URL was refused (the intake's and the indexer's reason codes), in the
#: reader's language; the English details follow.
REFUSALS = {
    "too-large": lazy_gettext("The file is too large."),
    "unsupported-format": lazy_gettext("This type of file is not accepted."),
    "empty": lazy_gettext("The file is empty."),
    "corrupt": lazy_gettext("The file is damaged and cannot be read."),
    "encrypted": lazy_gettext("The file is encrypted and cannot be read."),
    "image-only": lazy_gettext("The file holds only images, no text."),
    "private-address": lazy_gettext("This address is not on the public web."),
}
STATUS_LABELS = {
    "submitted": lazy_gettext("Waiting for review"), "sent-back": lazy_gettext("Sent back"),
    "rejected": lazy_gettext("Rejected"), "approved": lazy_gettext("Published"),
    "withdrawn": lazy_gettext("Withdrawn"),
}
#: An approved upload's way into the index (``searchhub.uploads.publish.state``).
PUBLISHING_LABELS = {
    "published": lazy_gettext("Published"), "publishing": lazy_gettext("Publishing…"),
    "failed": lazy_gettext("Publishing failed"),
}


def message(problem: Problem) -> str:
    return str(MESSAGES[problem.code]) % {"detail": problem.detail}


def _groups() -> dict[str, Group]:
    return load_groups(services().settings.workstreams_file)


@functools.cache
def _vocabulary(taxonomy_dir: str) -> Vocabulary:
    from indexer.enrich.taxonomy import load_taxonomy

    return Vocabulary.of(load_taxonomy(taxonomy_dir))


def _taxonomy():
    from indexer.enrich.taxonomy import load_taxonomy

    return load_taxonomy(str(services().settings.taxonomy_dir))


def vocabulary() -> Vocabulary:
    return _vocabulary(str(services().settings.taxonomy_dir))


def _my_groups() -> set[str]:
    return set(members_store.groups_of(get_db(), current_user.id))


def _workstream(ws: str) -> Group:
    """A workstream with a template the member may upload to (curators: any); others
    are missing, as a page they may not see."""
    group = _groups().get(ws)
    if group is None or group.template is None or not (
            current_user.has_role("curator") or ws in _my_groups()):
        raise NotFound(notice("There is no workstream %(ws)s to upload to.", ws=ws))
    return group


def _leads() -> set[str] | None:
    """The workstreams whose uploads this account reviews: None for every one
    (curators), else those it leads."""
    if current_user.has_role("curator"):
        return None
    return {g.id for g in _groups().values() if current_user.name in g.leads}


def reviews() -> bool:
    """Does this account review uploads (a curator, or a workstream's lead)?"""
    leads = _leads()
    return leads is None or bool(leads)


def _visibility_choices(group: Group) -> list[tuple[str, str]]:
    groups = _groups()
    mine = [g for g in sorted(_my_groups() | {group.id}) if g in groups]
    return [("public", _("Everyone")), ("members", _("All members"))] + [
        (g, _("Members of %(group)s", group=groups[g].name)) for g in mine]


def _typed(form) -> dict[str, object]:
    return {name: form.getlist(name) if name in LISTS else form.get(name, "")
            for name in FIELDS}


def _details(group: Group, values: dict, kept: dict, errors: dict | None = None,
             suggestions: dict | None = None, action: str | None = None, status: int = 200):
    return render_template(
        "members/upload_details.html", group=group, values=values, kept=kept,
        errors={k: message(p) for k, p in (errors or {}).items()}, labels=LABELS,
        suggestions=suggestions or {}, vocabulary=vocabulary(),
        visibility_choices=_visibility_choices(group),
        action=action or url_for("uploads.submit", ws=group.id)), status


@bp.route("/members/upload")
@role_required("member", "curator")
def choose():
    groups = _groups()
    mine = _my_groups()
    workstreams = [g for g in groups.values() if g.template is not None
                   and (current_user.has_role("curator") or g.id in mine)]
    return render_template("members/upload_choose.html", workstreams=workstreams)


@bp.route("/members/upload/<ws>", methods=["GET", "POST"])
@role_required("member", "curator")
def upload(ws: str):
    """Step one: the file or URL."""
    group = _workstream(ws)
    template = group.template
    if request.method == "GET":
        return render_template("members/upload_file.html", group=group, error="", url="")
    url = request.form.get("url", "").strip()
    settings = services().settings
    try:
        if url:
            data, name = intake.fetch_url(url, max_bytes=template.max_bytes,
                                          user_agent=settings.user_agent,
                                          timeout=settings.http_timeout)
        else:
            sent = request.files.get("file")
            if sent is None or not sent.filename:
                raise intake.UploadRefused(notice("Choose a file or give a URL."), "missing")
            # Read one byte past the limit: the size is known before anything is kept.
            try:
                data, name = sent.stream.read(template.max_bytes + 1), sent.filename
            finally:
                sent.close()
        received = intake.keep(uploads_folder(settings.data_dir), data, name,
                               max_bytes=template.max_bytes, allowed=template.file_types)
    except intake.UploadRefused as exc:
        error = translate_notice(exc.message)
        if exc.reason in REFUSALS:
            error = f"{REFUSALS[exc.reason]} ({error})"
        return render_template("members/upload_file.html", group=group, error=error,
                               url=url), 400
    suggestions = intake.suggest("upload", received.extracted, _taxonomy())
    values = template.initial()
    for key, value in suggestions.items():
        if value:
            values[key] = value
    kept = {"sha256": received.sha256, "file_type": received.file_type,
            "file_name": received.name, "url": url, "token": uuid.uuid4().hex}
    return _details(group, values, kept, suggestions=suggestions)


def _kept(form) -> dict:
    kept = {k: form.get(k, "") for k in ("sha256", "file_type", "file_name", "url", "token")}
    folder = uploads_folder(services().settings.data_dir)
    # The hash names a kept file: only hex digits, so it can name nothing else.
    if (kept["file_type"] not in intake.SUFFIXES
            or not re.fullmatch(r"[0-9a-f]{64}", kept["sha256"])
            or not intake.kept_path(folder, kept["sha256"], kept["file_type"]).exists()
            or not kept["token"]):
        abort(400, notice("The file of this form is not kept here: upload it again."))
    return kept


@bp.route("/members/upload/<ws>/details", methods=["POST"])
@role_required("member", "curator")
def submit(ws: str):
    """Step two: the details; every invalid field at once, what was typed kept."""
    group = _workstream(ws)
    kept = _kept(request.form)
    typed = _typed(request.form)
    clean, errors = validate(group.template, typed, vocabulary(), _groups())
    if errors:
        return _details(group, typed, kept, errors, status=400)
    upload, new = store.create(get_db(), token=kept["token"], workstream=ws,
                               user=current_user.name, sha256=kept["sha256"],
                               file_type=kept["file_type"], file_name=kept["file_name"],
                               url=kept["url"], metadata=clean)
    if new:
        flash(_("Thank you: “%(title)s” waits for review.", title=upload.title))
    return redirect(url_for("uploads.mine"), 303)


@bp.route("/members/uploads")
@role_required("member", "curator")
def mine():
    uploads = store.of_member(get_db(), current_user.name)
    return render_template("members/uploads.html", uploads=uploads, shown=shown(uploads))


def _own(upload_id: int) -> store.Upload:
    upload = store.get(get_db(), upload_id)
    if upload.submitted_by != current_user.name:
        raise NotFound(notice("There is no upload %(id)s.", id=str(upload_id)))
    return upload


@bp.route("/members/uploads/<int:upload_id>/edit", methods=["GET", "POST"])
@role_required("member", "curator")
def edit(upload_id: int):
    """An upload sent back: its details corrected and submitted again."""
    upload = _own(upload_id)
    group = _workstream(upload.workstream)
    kept = {"sha256": upload.sha256, "file_type": upload.file_type,
            "file_name": upload.file_name, "url": upload.url, "token": upload.token}
    action = url_for("uploads.edit", upload_id=upload_id)
    if request.method == "GET":
        values = dict(upload.metadata)
        values["visibility"] = ",".join(values.get("visibility") or []) or "public"
        return _details(group, values, kept, action=action)
    typed = _typed(request.form)
    clean, errors = validate(group.template, typed, vocabulary(), _groups())
    if errors:
        return _details(group, typed, kept, errors, action=action, status=400)
    try:
        store.resubmit(get_db(), current_user.name, upload_id, clean)
    except CurationError as exc:
        abort(409, exc.message)
    flash(_("“%(title)s” waits for review again.", title=clean["title"]))
    return redirect(url_for("uploads.mine"), 303)


@bp.route("/members/uploads/<int:upload_id>/withdraw", methods=["POST"])
@role_required("member", "curator")
def withdraw(upload_id: int):
    _own(upload_id)
    try:
        before = store.withdraw(get_db(), current_user.name, upload_id)
    except CurationError as exc:
        abort(409, exc.message)
    if before.status == "approved":
        _publish()
    flash(_("“%(title)s” is withdrawn.", title=before.title))
    return redirect(url_for("uploads.mine"), 303)


def _publish() -> None:
    """Start publishing and return at once: the pages show how it goes."""
    publish.start(services().settings)
    flash(_("Publishing started: the index changes within seconds, or when the running "
            "indexing finishes."))


def shown(uploads: list[store.Upload]) -> dict[int, dict]:
    """Each upload's status as shown (id -> {"state", "label", "reason"}): an approved
    one is publishing, published or failed (with the indexer's reason)."""
    outcome = None
    engine = services().engine
    result = {}
    for upload in uploads:
        if upload.status != "approved":
            result[upload.id] = {"state": upload.status, "label": STATUS_LABELS[upload.status],
                                 "reason": upload.reason}
            continue
        if outcome is None:
            outcome = publish.read_outcome(services().settings.data_dir)
        found = publish.state(upload.doc_id, upload.reviewed_at,
                              engine.get(upload.doc_id) is not None, outcome)
        result[upload.id] = {"state": found.state, "label": PUBLISHING_LABELS[found.state],
                             "reason": found.reason or upload.reason}
    return result


@bp.route("/members/review")
@role_required("member", "curator")
def review_queue():
    leads = _leads()
    if leads is not None and not leads:
        abort(403, notice("Only curators and workstream leads review uploads."))
    conn = get_db()
    waiting = store.queue(conn, leads)
    mine = None if leads is None else store.ids_of_workstreams(conn, leads)
    approved = store.recently_approved(conn, leads)
    return render_template("members/review.html", uploads=waiting, labels=LABELS,
                           groups=_groups(), log=store.review_log(conn, mine),
                           approved=approved, shown=shown(approved))


def _reviewable(upload_id: int) -> store.Upload:
    upload = store.get(get_db(), upload_id)
    leads = _leads()
    if leads is not None and upload.workstream not in leads:
        raise NotFound(notice("There is no upload %(id)s.", id=str(upload_id)))
    return upload


@bp.route("/members/review/<int:upload_id>/file")
@role_required("member", "curator")
def review_file(upload_id: int):
    """The uploaded file, for its reviewers and its member."""
    from flask import send_file

    upload = store.get(get_db(), upload_id)
    if upload.submitted_by != current_user.name:
        _reviewable(upload_id)
    path = intake.kept_path(uploads_folder(services().settings.data_dir), upload.sha256,
                            upload.file_type)
    return send_file(path, as_attachment=True, download_name=upload.file_name)


@bp.route("/members/review/<int:upload_id>", methods=["POST"])
@role_required("member", "curator")
def review(upload_id: int):
    _reviewable(upload_id)
    action = request.form.get("action", "")
    if action in store.NEED_REASON and not request.form.get("reason", "").strip():
        flash(_("Say why: the member reads the reason."))
        return redirect(url_for("uploads.review_queue"), 303)
    try:
        store.review(get_db(), current_user.name, upload_id, action,
                     request.form.get("reason", ""))
    except CurationError as exc:
        flash(translate_notice(exc.message))
        return redirect(url_for("uploads.review_queue"), 303)
    if action == "approve":
        _publish()
    flash(_("Done: the member sees it on their page."))
    return redirect(url_for("uploads.review_queue"), 303)


@bp.route("/members/review/undo/<int:audit_id>", methods=["POST"])
@role_required("member", "curator")
def undo(audit_id: int):
    import json

    from searchhub.curation.store import audit_entry

    row = audit_entry(get_db(), audit_id)
    _reviewable(int(json.loads(row["detail"]).get("upload", 0)))
    try:
        upload = store.undo(get_db(), current_user.name, audit_id,
                            request.form.get("why", ""))
    except CurationError as exc:
        flash(translate_notice(exc.message))
        return redirect(url_for("uploads.review_queue"), 303)
    if row["action"] == store.AUDIT_PREFIX + "approve":
        _publish()
    flash(_("Undone: “%(title)s” waits for review again.", title=upload.title))
    return redirect(url_for("uploads.review_queue"), 303)


@bp.route("/members/upload/<ws>/template.csv")
@role_required("member", "curator")
def csv_template(ws: str):
    """The workstream's CSV template for bulk uploads."""
    from flask import Response

    group = _workstream(ws)
    return Response(bulk.csv_template(group.template), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="{ws}-template.csv"'})


def _read_file(name: str, limit: int) -> bytes:
    sent = request.files.get(name)
    if sent is None or not sent.filename:
        return b""
    try:
        return sent.stream.read(limit)
    finally:
        sent.close()


@bp.route("/members/upload/<ws>/bulk", methods=["POST"])
@role_required("member", "curator")
def bulk_upload(ws: str):
    """A filled CSV template and a zip of the files: every row checked and reported;
    the good rows become uploads."""
    group = _workstream(ws)
    template = group.template
    csv_data = _read_file("csv", 2**20 * 5)
    zip_limit = template.max_bytes * bulk.MAX_ROWS
    zip_data = _read_file("zip", zip_limit + 1)
    problem = ""
    rows: list[bulk.Row] = []
    if not csv_data or not zip_data:
        problem = _("Send the filled CSV template and a zip of the files.")
    elif len(zip_data) > zip_limit:
        problem = _("The zip is too large.")
    else:
        rows, problem = bulk.read(template, csv_data, zip_data, vocabulary(), _groups(),
                                  uploads_folder(services().settings.data_dir))
        problem = translate_notice(problem)
    created = {}
    for row in rows:
        if row.errors or row.received is None:
            continue
        upload, _new = store.create(
            get_db(), token=bulk.token(csv_data, zip_data, row.number), workstream=ws,
            user=current_user.name, sha256=row.received.sha256,
            file_type=row.received.file_type, file_name=row.file_name, url="",
            metadata=row.metadata)
        created[row.number] = upload
    report = [{"number": r.number, "file": r.file_name, "upload": created.get(r.number),
               "errors": {k: message(p) if isinstance(p, Problem) else translate_notice(p)
                          for k, p in r.errors.items()}} for r in rows]
    status = 400 if problem or not created else 200
    return render_template("members/upload_bulk.html", group=group, problem=problem,
                           rows=report, labels=LABELS, created=len(created)), status
