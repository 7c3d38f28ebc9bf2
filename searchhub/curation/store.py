"""Flags, decisions and the audit log in SQLite; every action is recorded and undoable.

The one module with SQL for the curation tables (flags, decisions, audit, state,
rewrites). A decision is a row of ``decisions`` (hide, weight, correct, duplicate,
pin, recrawl) that is active until undone. An action writes its decision (if any),
closes the flags it settles, and records one audit entry naming all of it, so ``undo``
can reverse exactly that entry. Changing decisions bumps a generation number that
query-time caches watch. A correction (or its undo) also queues its document in
``rewrites``: the indexer process writes it into the index and takes it off the queue.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass

from searchhub.errors import NotFound, SearchhubError
from searchhub.notice import notice

from .handoff import AUTOMATIC_REASONS, Correction

#: Reasons a person can give for a flag: code -> label.
FLAG_REASONS: dict[str, str] = {
    "irrelevant": "Irrelevant for this query",
    "broken-link": "Broken link",
    "duplicate": "Duplicate of another document",
    "outdated": "Outdated",
    "garbled": "Garbled or incomplete text",
    "wrong-metadata": "Wrong agency, region, country or theme",
    "other": "Other",
}
#: The smaller choice offered to visitors who are not logged in.
PUBLIC_REASONS = ("irrelevant", "broken-link", "outdated", "garbled", "other")
#: Flags raised from the indexer's quality signals: AUTOMATIC_REASONS (code -> label).
#: The name automatic flags and the indexer's audit entries are recorded under.
INDEXER = "indexer"
ORIGINS = ("curator", "public", "automatic")
#: Actions a curator takes on a document: code -> label.
ACTIONS: dict[str, str] = {
    "hide": "Hide from results",
    "weight": "Demote or boost",
    "correct": "Correct metadata",
    "duplicate": "Mark as duplicate",
    "pin": "Pin as best bet",
    "dismiss": "Dismiss flags",
    "recrawl": "Ask for a re-crawl",
}
#: Actions that settle the document's open flags.
SETTLING = {"hide": "resolved", "weight": "resolved", "correct": "resolved",
            "duplicate": "resolved", "dismiss": "dismissed"}
MAX_COMMENT = 2000
MAX_QUERY = 500


class CurationError(SearchhubError):
    status = 400


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def normalise_query(text: str) -> str:
    """The form of a query that best bets are keyed by: lower case, single spaces."""
    return " ".join(text.lower().split())[:MAX_QUERY]


@contextmanager
def transaction(conn: sqlite3.Connection):
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def generation(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM state WHERE key = 'decisions_generation'").fetchone()
    return row[0]


def _bump(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE state SET value = value + 1 WHERE key = 'decisions_generation'")


# -- flags ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocInfo:
    """What a flag remembers of its document, so it reads well even once it is gone."""

    doc_id: str
    title: str = ""
    source_id: str = ""
    agency: str = ""

    @classmethod
    def of(cls, doc) -> DocInfo:
        return cls(doc.id, doc.title, doc.source_id, doc.agency)


def add_flag(conn: sqlite3.Connection, doc: DocInfo, reason: str, origin: str, *,
             comment: str = "", query: str = "", rank: int | None = None,
             user_name: str = "", address: str = "") -> int:
    """Record a flag (and, for a person's flag, an audit entry); returns its id."""
    allowed = AUTOMATIC_REASONS if origin == "automatic" else (
        PUBLIC_REASONS if origin == "public" else FLAG_REASONS)
    if origin not in ORIGINS:
        raise CurationError(notice("unknown origin %(origin)s", origin=repr(origin)))
    if reason not in allowed:
        raise CurationError(notice("choose a reason: %(reasons)s", reasons=", ".join(allowed)))
    comment = comment.strip()[:MAX_COMMENT]
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO flags (doc_id, reason, comment, origin, query, rank, user_name, "
            "address, source_id, agency, title, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.doc_id, reason, comment, origin, query.strip()[:MAX_QUERY], rank, user_name,
             address, doc.source_id, doc.agency, doc.title, now_iso()))
        flag_id = cur.lastrowid
        if origin != "automatic":
            _audit(conn, user_name or f"visitor {address}", "flag", doc.doc_id,
                   {"reason": reason, "origin": origin, "query": query, "rank": rank},
                   comment)
    return flag_id


def open_flags(conn: sqlite3.Connection, *, reason: str = "", source: str = "",
               agency: str = "", origin: str = "", doc_id: str = "") -> list[sqlite3.Row]:
    """Open flags matching the filters, newest first."""
    sql, args = "SELECT * FROM flags WHERE status = 'open'", []
    for column, value in (("reason", reason), ("source_id", source), ("agency", agency),
                          ("origin", origin), ("doc_id", doc_id)):
        if value:
            sql += f" AND {column} = ?"
            args.append(value)
    return conn.execute(sql + " ORDER BY created_at DESC, id DESC", args).fetchall()


def flag_counts(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Open flags counted by reason, origin, source and agency (for the queue's filters)."""
    out = {}
    for column in ("reason", "origin", "source_id", "agency"):
        rows = conn.execute(f"SELECT {column}, count(*) FROM flags WHERE status = 'open' "
                            f"GROUP BY {column} ORDER BY count(*) DESC, {column}")
        out[column] = {r[0]: r[1] for r in rows}
    return out


def flags_of(conn: sqlite3.Connection, doc_id: str) -> list[sqlite3.Row]:
    """Every flag on ``doc_id``, open or closed, newest first."""
    return conn.execute("SELECT * FROM flags WHERE doc_id = ? ORDER BY id DESC",
                        (doc_id,)).fetchall()


def all_flags(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every flag ever raised (for the report)."""
    return conn.execute("SELECT * FROM flags ORDER BY id").fetchall()


def open_automatic_flags(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM flags WHERE origin = 'automatic' AND status = 'open' "
                        "ORDER BY id").fetchall()


def raise_automatic(conn: sqlite3.Connection, doc: DocInfo, reason: str,
                    comment: str = "") -> bool:
    """Raise the automatic flag ``reason`` on ``doc`` unless it was raised before (a
    dismissed one stays dismissed); True if it is new. Call inside a transaction."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO flags (doc_id, reason, comment, origin, source_id, agency, "
        "title, user_name, created_at) VALUES (?, ?, ?, 'automatic', ?, ?, ?, ?, ?)",
        (doc.doc_id, reason, comment, doc.source_id, doc.agency, doc.title, INDEXER,
         now_iso()))
    return cur.rowcount == 1


def resolve_automatic(conn: sqlite3.Connection, doc_id: str, keep) -> int:
    """Resolve ``doc_id``'s open automatic flags whose reason is not in ``keep`` (its
    signal is gone); returns how many. Call inside a transaction."""
    gone = [r["id"] for r in conn.execute(
        "SELECT id, reason FROM flags WHERE origin = 'automatic' AND status = 'open' "
        "AND doc_id = ?", (doc_id,)) if r["reason"] not in keep]
    conn.executemany("UPDATE flags SET status = 'resolved', closed_at = ?, closed_by = ? "
                     "WHERE id = ?", [(now_iso(), INDEXER, i) for i in gone])
    return len(gone)


def _close_flags(conn, doc_id: str, status: str, user: str,
                 flag_id: int | None = None) -> list[int]:
    sql, args = "SELECT id FROM flags WHERE status = 'open' AND doc_id = ?", [doc_id]
    if flag_id is not None:
        sql += " AND id = ?"
        args.append(flag_id)
    ids = [r[0] for r in conn.execute(sql, args)]
    conn.executemany("UPDATE flags SET status = ?, closed_at = ?, closed_by = ? WHERE id = ?",
                     [(status, now_iso(), user, i) for i in ids])
    return ids


# -- decisions and actions ---------------------------------------------------------------

def active_decisions(conn: sqlite3.Connection, kind: str | None = None,
                     doc_id: str | None = None) -> list[sqlite3.Row]:
    sql, args = "SELECT * FROM decisions WHERE active = 1", []
    if kind:
        sql += " AND kind = ?"
        args.append(kind)
    if doc_id:
        sql += " AND doc_id = ?"
        args.append(doc_id)
    return conn.execute(sql + " ORDER BY id", args).fetchall()


def recrawl_requests(conn: sqlite3.Connection) -> set[str]:
    """Ids of the documents curators asked to have fetched again."""
    return {row["doc_id"] for row in active_decisions(conn, "recrawl")}


def recrawl_done(conn: sqlite3.Connection, doc_id: str, user: str = INDEXER) -> None:
    """The indexer fetched ``doc_id`` again: close its re-crawl requests, audited."""
    with transaction(conn):
        for row in active_decisions(conn, "recrawl", doc_id):
            conn.execute("UPDATE decisions SET active = 0 WHERE id = ?", (row["id"],))
            _audit(conn, user, "recrawled", doc_id, {"request": row["id"]},
                   "fetched again by the indexer", row["id"])
        _bump(conn)


def act(conn: sqlite3.Connection, user: str, action: str, doc_id: str, *,
        value: object = None, query: str = "", why: str = "",
        flag_id: int | None = None) -> int:
    """Take ``action`` on ``doc_id``; returns the audit entry's id.

    ``value`` is the decision's content (a weight, corrected fields, the canonical id);
    ``query`` is the query a best bet is pinned for; ``flag_id`` limits a dismissal to
    one flag. Raises CurationError when the action or its value is not valid.
    """
    if action not in ACTIONS:
        raise CurationError(notice("unknown action %(action)s", action=repr(action)))
    value = _check(action, doc_id, value, query)
    why = why.strip()[:MAX_COMMENT]
    with transaction(conn):
        decision_id = None
        if action != "dismiss":
            decision_id = conn.execute(
                "INSERT INTO decisions (doc_id, kind, value, query, created_at, created_by) "
                "VALUES (?,?,?,?,?,?)",
                (doc_id, action, json.dumps(value), normalise_query(query) if action == "pin"
                 else "", now_iso(), user)).lastrowid
            _bump(conn)
            if action == "correct":
                _queue_rewrite(conn, doc_id)
        closed = []
        if action in SETTLING:
            closed = _close_flags(conn, doc_id, SETTLING[action], user, flag_id)
        detail = {"value": value}
        if action == "pin":
            detail["query"] = normalise_query(query)
        return _audit(conn, user, action, doc_id, detail, why, decision_id, closed)


def _check(action: str, doc_id: str, value, query: str):
    if action == "weight":
        try:
            weight = float(value)
        except (TypeError, ValueError):
            raise CurationError(notice("a weight is a number, e.g. 0.2 to demote or 5 to boost")) \
                from None
        if not 0.0 < weight <= 100.0:
            raise CurationError(notice("a weight is above 0 and at most 100"))
        return weight
    if action == "duplicate":
        canonical = str(value or "").strip()
        if not canonical or canonical == doc_id:
            raise CurationError(notice("name the id of the document this one duplicates"))
        return canonical
    if action == "pin":
        if not normalise_query(query):
            raise CurationError(notice("a best bet needs the query it answers"))
        return True
    if action == "correct":
        if not isinstance(value, dict) or not value.get("fields"):
            raise CurationError(notice("nothing to correct: no field differs from the document"))
        return value
    return value if value is not None else True


def _audit(conn, user: str, action: str, doc_id: str, detail: dict, why: str = "",
           decision_id: int | None = None, flag_ids=(), undoes: int | None = None) -> int:
    return conn.execute(
        "INSERT INTO audit (at, user_name, action, doc_id, detail, why, decision_id, flag_ids, "
        "undoes) VALUES (?,?,?,?,?,?,?,?,?)",
        (now_iso(), user, action, doc_id, json.dumps(detail, ensure_ascii=False), why,
         decision_id, json.dumps(list(flag_ids)), undoes)).lastrowid


def audit_entry(conn: sqlite3.Connection, audit_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM audit WHERE id = ?", (audit_id,)).fetchone()
    if row is None:
        raise NotFound(notice("There is no audit entry %(id)s.", id=str(audit_id)))
    return row


def mark_undone(conn: sqlite3.Connection, audit_id: int, by: int) -> None:
    """Say that audit entry ``by`` undid entry ``audit_id`` (for modules whose own
    steps are undone elsewhere: uploads)."""
    conn.execute("UPDATE audit SET undone_by = ? WHERE id = ?", (by, audit_id))


def undoable(row: sqlite3.Row) -> bool:
    return row["action"] in ACTIONS and row["undone_by"] is None


def undo(conn: sqlite3.Connection, user: str, audit_id: int, why: str = "") -> sqlite3.Row:
    """Reverse one action: deactivate its decision and reopen the flags it closed.

    Returns the undone entry. Raises CurationError if it was undone already or is not
    an action (flags and undos themselves are not undone).
    """
    with transaction(conn):
        row = audit_entry(conn, audit_id)
        if not undoable(row):
            raise CurationError(
                notice("audit entry %(id)s cannot be undone again", id=str(audit_id))
                if row["undone_by"] else
                notice("audit entry %(id)s cannot be undone", id=str(audit_id)))
        if row["decision_id"] is not None:
            conn.execute("UPDATE decisions SET active = 0 WHERE id = ?", (row["decision_id"],))
            _bump(conn)
            if row["action"] == "correct":
                _queue_rewrite(conn, row["doc_id"])
        flag_ids = json.loads(row["flag_ids"])
        conn.executemany("UPDATE flags SET status = 'open', closed_at = NULL, closed_by = NULL "
                         "WHERE id = ?", [(i,) for i in flag_ids])
        new = _audit(conn, user, "undo", row["doc_id"],
                     {"action": row["action"], "detail": json.loads(row["detail"])},
                     why.strip()[:MAX_COMMENT], row["decision_id"], flag_ids, undoes=audit_id)
        conn.execute("UPDATE audit SET undone_by = ? WHERE id = ?", (new, audit_id))
    return row


def decision_audit_ids(conn: sqlite3.Connection) -> dict[int, int]:
    """decision id -> id of the audit entry of the action that took it."""
    return {r["decision_id"]: r["id"] for r in conn.execute(
        "SELECT id, decision_id FROM audit WHERE decision_id IS NOT NULL AND undoes IS NULL")}


def actions_taken(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Audit entries of curators' actions (not flags, not undos), oldest first."""
    return conn.execute("SELECT * FROM audit WHERE action NOT IN ('flag', 'undo') "
                        "ORDER BY id").fetchall()


def audit_log(conn: sqlite3.Connection, *, doc_id: str = "", limit: int = 200
              ) -> list[sqlite3.Row]:
    sql, args = "SELECT * FROM audit", []
    if doc_id:
        sql += " WHERE doc_id = ?"
        args.append(doc_id)
    return conn.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, limit]).fetchall()


# -- corrections ------------------------------------------------------------------------

def effective_corrections(conn: sqlite3.Connection, doc_id: str) -> tuple[dict, dict]:
    """(fields corrected now, original values of every field ever corrected) for a document.

    Later corrections win; the original of a field is the value before its first correction.
    """
    correction = _corrections(conn, doc_id).get(doc_id, Correction())
    return dict(correction.fields), dict(correction.originals)


def all_corrections(conn: sqlite3.Connection) -> dict[str, Correction]:
    """Every document ever corrected: its corrections in force and its original values."""
    return _corrections(conn)


def _corrections(conn: sqlite3.Connection, doc_id: str | None = None
                 ) -> dict[str, Correction]:
    sql, args = "SELECT doc_id, value, active FROM decisions WHERE kind = 'correct'", []
    if doc_id is not None:
        sql += " AND doc_id = ?"
        args.append(doc_id)
    out: dict[str, Correction] = {}
    for row in conn.execute(sql + " ORDER BY id", args):
        value = json.loads(row["value"])
        correction = out.setdefault(row["doc_id"], Correction({}, {}))
        for name, before in value.get("before", {}).items():
            correction.originals.setdefault(name, before)
        if row["active"]:
            correction.fields.update(value["fields"])
    return out


# -- the rewrite queue: corrections the indexer process has still to write ---------------

def _queue_rewrite(conn: sqlite3.Connection, doc_id: str) -> None:
    conn.execute("INSERT INTO rewrites (doc_id, mark) VALUES (?, ?) ON CONFLICT (doc_id) "
                 "DO UPDATE SET mark = excluded.mark", (doc_id, generation(conn)))


def pending_rewrites(conn: sqlite3.Connection) -> dict[str, int]:
    """Documents whose corrections changed since the index last got them: id -> mark."""
    return {r["doc_id"]: r["mark"] for r in conn.execute("SELECT doc_id, mark FROM rewrites")}


def rewrites_done(conn: sqlite3.Connection, done: dict[str, int]) -> None:
    """Take documents written into the index off the queue; one queued again since
    (its mark moved on) stays."""
    if not done:
        return
    with transaction(conn):
        conn.executemany("DELETE FROM rewrites WHERE doc_id = ? AND mark = ?",
                         list(done.items()))
        _bump(conn)
