"""Upload records in the curation database (migration 8, table ``uploads``) and their
review: submitted -> approved, rejected or sent back (and sent back -> submitted
again); any -> withdrawn by its member. Every step writes one entry of the curation
audit log (``curation.store``), and a review step can be undone from it while nothing
happened to the upload since.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from searchhub.curation.store import (
    CurationError,
    _audit,
    audit_entry,
    mark_undone,
    now_iso,
    transaction,
)
from searchhub.errors import NotFound
from searchhub.models import document_id
from searchhub.notice import notice

STATUSES = ("submitted", "sent-back", "rejected", "approved", "withdrawn")
#: Review action -> the status it gives; each needs the upload to be "submitted".
REVIEW = {"approve": "approved", "reject": "rejected", "send-back": "sent-back"}
#: Review actions that need a reason the member reads.
NEED_REASON = ("reject", "send-back")
#: The source id of uploaded documents (their ids are ``uploads-<n>``).
SOURCE_ID = "uploads"
MAX_REASON = 2000
#: The audit log's actions of uploads (the review's can be undone).
AUDIT_PREFIX = "upload-"


@dataclass(frozen=True)
class Upload:
    id: int
    token: str
    workstream: str
    submitted_by: str
    sha256: str
    file_type: str
    file_name: str
    url: str
    metadata: dict
    status: str
    reason: str
    reviewer: str
    created_at: str
    updated_at: str
    reviewed_at: str | None

    @property
    def doc_id(self) -> str:
        return document_id(SOURCE_ID, str(self.id))

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))

    @classmethod
    def of(cls, row: sqlite3.Row) -> Upload:
        values = dict(row)
        values["metadata"] = json.loads(values["metadata"])
        return cls(**values)


def create(conn: sqlite3.Connection, *, token: str, workstream: str, user: str, sha256: str,
           file_type: str, file_name: str, url: str, metadata: dict) -> tuple[Upload, bool]:
    """Record a submitted upload; (the upload, whether it is new). The same ``token``
    (a form sent twice) gives the upload made the first time."""
    with transaction(conn):
        row = conn.execute("SELECT * FROM uploads WHERE token = ?", (token,)).fetchone()
        if row is not None:
            return Upload.of(row), False
        at = now_iso()
        upload_id = conn.execute(
            "INSERT INTO uploads (token, workstream, submitted_by, sha256, file_type, "
            "file_name, url, metadata, status, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (token, workstream, user, sha256, file_type, file_name, url,
             json.dumps(metadata, ensure_ascii=False), "submitted", at, at)).lastrowid
        upload = get(conn, upload_id)
        _audit(conn, user, AUDIT_PREFIX + "submit", upload.doc_id,
               {"upload": upload_id, "workstream": workstream, "to": "submitted"})
        return upload, True


def get(conn: sqlite3.Connection, upload_id: int) -> Upload:
    row = conn.execute("SELECT * FROM uploads WHERE id = ?", (upload_id,)).fetchone()
    if row is None:
        raise NotFound(notice("There is no upload %(id)s.", id=str(upload_id)))
    return Upload.of(row)


def of_member(conn: sqlite3.Connection, user: str) -> list[Upload]:
    """A member's uploads, newest first."""
    return [Upload.of(r) for r in conn.execute(
        "SELECT * FROM uploads WHERE submitted_by = ? ORDER BY id DESC", (user,))]


def all_uploads(conn: sqlite3.Connection) -> list[Upload]:
    """Every upload, oldest first."""
    return [Upload.of(r) for r in conn.execute("SELECT * FROM uploads ORDER BY id")]


def queue(conn: sqlite3.Connection, workstreams: set[str] | None) -> list[Upload]:
    """Uploads waiting for review, oldest first: of ``workstreams`` (None: all)."""
    rows = [Upload.of(r) for r in conn.execute(
        "SELECT * FROM uploads WHERE status = 'submitted' ORDER BY id")]
    return [u for u in rows if workstreams is None or u.workstream in workstreams]


def ids_of_workstreams(conn: sqlite3.Connection, workstreams: set[str]) -> list[int]:
    """The ids of every upload to ``workstreams``."""
    return [r[0] for r in conn.execute("SELECT id, workstream FROM uploads")
            if r[1] in workstreams]


def approved(conn: sqlite3.Connection) -> list[Upload]:
    """Every approved upload: what the index holds of uploads."""
    return [Upload.of(r) for r in conn.execute(
        "SELECT * FROM uploads WHERE status = 'approved' ORDER BY id")]


def recently_approved(conn: sqlite3.Connection, workstreams: set[str] | None,
                      limit: int = 20) -> list[Upload]:
    """The newest approved uploads of ``workstreams`` (None: all), newest first."""
    rows = [Upload.of(r) for r in conn.execute(
        "SELECT * FROM uploads WHERE status = 'approved' ORDER BY reviewed_at DESC, id DESC")]
    return [u for u in rows if workstreams is None or u.workstream in workstreams][:limit]


def licence_of(conn: sqlite3.Connection, doc_id: str) -> str:
    """The licence of an approved upload's document ("" for any other document): kept
    in the upload record, not in the index (no index format change)."""
    prefix = SOURCE_ID + "-"
    if not doc_id.startswith(prefix) or not doc_id[len(prefix):].isdigit():
        return ""
    row = conn.execute("SELECT status, metadata FROM uploads WHERE id = ?",
                       (int(doc_id[len(prefix):]),)).fetchone()
    if row is None or row["status"] != "approved":
        return ""
    return str(json.loads(row["metadata"]).get("licence") or "")


def _set(conn, upload: Upload, status: str, reason: str, reviewer: str,
         reviewed_at: str | None, metadata: dict | None = None) -> None:
    conn.execute("UPDATE uploads SET status = ?, reason = ?, reviewer = ?, reviewed_at = ?, "
                 "metadata = ?, updated_at = ? WHERE id = ?",
                 (status, reason, reviewer, reviewed_at,
                  json.dumps(upload.metadata if metadata is None else metadata,
                             ensure_ascii=False), now_iso(), upload.id))


def _before(upload: Upload) -> dict:
    return {"status": upload.status, "reason": upload.reason, "reviewer": upload.reviewer,
            "reviewed_at": upload.reviewed_at}


def review(conn: sqlite3.Connection, user: str, upload_id: int, action: str,
           reason: str = "") -> int:
    """Approve, reject or send back a submitted upload; returns the audit entry's id.
    Raises CurationError (not submitted, no reason where one is needed, ``user``'s own
    upload)."""
    if action not in REVIEW:
        raise CurationError(notice("unknown review action %(action)s", action=repr(action)))
    reason = reason.strip()[:MAX_REASON]
    if action in NEED_REASON and not reason:
        raise CurationError(notice("Say why: the member reads the reason."))
    with transaction(conn):
        upload = get(conn, upload_id)
        if upload.status != "submitted":
            raise CurationError(notice("Upload %(id)s is %(status)s, not waiting for "
                                       "review.", id=str(upload_id), status=upload.status))
        if upload.submitted_by == user:
            # Four eyes: a lead's own upload goes to another lead or a curator.
            raise CurationError(notice("Nobody reviews their own upload: another lead of "
                                       "the workstream or a curator does."))
        _set(conn, upload, REVIEW[action], reason, user, now_iso())
        return _audit(conn, user, AUDIT_PREFIX + action, upload.doc_id,
                      {"upload": upload_id, "before": _before(upload), "to": REVIEW[action]},
                      reason)


def resubmit(conn: sqlite3.Connection, user: str, upload_id: int, metadata: dict) -> int:
    """The member's corrected metadata of an upload sent back: submitted again."""
    with transaction(conn):
        upload = get(conn, upload_id)
        if upload.submitted_by != user or upload.status != "sent-back":
            raise CurationError(notice("Upload %(id)s cannot be changed now.",
                                       id=str(upload_id)))
        _set(conn, upload, "submitted", upload.reason, upload.reviewer, upload.reviewed_at,
             metadata)
        return _audit(conn, user, AUDIT_PREFIX + "resubmit", upload.doc_id,
                      {"upload": upload_id, "to": "submitted"})


def withdraw(conn: sqlite3.Connection, user: str, upload_id: int) -> Upload:
    """The member takes their upload back (out of the index if it was approved);
    returns it as it was."""
    with transaction(conn):
        upload = get(conn, upload_id)
        if upload.submitted_by != user or upload.status == "withdrawn":
            raise CurationError(notice("Upload %(id)s cannot be withdrawn now.",
                                       id=str(upload_id)))
        _set(conn, upload, "withdrawn", "", upload.reviewer, upload.reviewed_at)
        _audit(conn, user, AUDIT_PREFIX + "withdraw", upload.doc_id,
               {"upload": upload_id, "before": _before(upload), "to": "withdrawn"})
        return upload


def undoable(row: sqlite3.Row) -> bool:
    """Is this audit entry a review step not undone yet?"""
    return row["action"] in {AUDIT_PREFIX + a for a in REVIEW} and row["undone_by"] is None


def undo(conn: sqlite3.Connection, user: str, audit_id: int, why: str = "") -> Upload:
    """Put an upload back as it was before a review step; returns it as it is now.
    Raises CurationError when the entry is no review step, was undone, or the upload
    changed since."""
    with transaction(conn):
        row = audit_entry(conn, audit_id)
        if not undoable(row):
            raise CurationError(notice("audit entry %(id)s cannot be undone", id=str(audit_id)))
        detail = json.loads(row["detail"])
        upload = get(conn, int(detail["upload"]))
        if upload.status != detail["to"]:
            raise CurationError(notice("Upload %(id)s changed since: it is %(status)s.",
                                       id=str(upload.id), status=upload.status))
        before = detail["before"]
        _set(conn, upload, before["status"], before["reason"], before["reviewer"],
             before["reviewed_at"])
        new = _audit(conn, user, "undo", upload.doc_id,
                     {"action": row["action"], "detail": detail}, why.strip()[:MAX_REASON],
                     undoes=audit_id)
        mark_undone(conn, audit_id, new)
        return get(conn, upload.id)


def review_log(conn: sqlite3.Connection, upload_ids: list[int] | None = None,
               limit: int = 50) -> list[dict]:
    """The newest audit entries of uploads, as dicts with ``undoable``."""
    from searchhub.curation.store import audit_log

    entries = []
    for row in audit_log(conn, limit=limit * 4):
        if not row["action"].startswith(AUDIT_PREFIX):
            continue
        detail = json.loads(row["detail"])
        if upload_ids is not None and detail.get("upload") not in upload_ids:
            continue
        entries.append({**dict(row), "detail": detail, "undoable": undoable(row)})
    return entries[:limit]
