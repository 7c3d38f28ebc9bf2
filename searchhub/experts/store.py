"""Expert profiles and their audit log in the curation database: the one module with
SQL for the ``experts`` and ``expert_audit`` tables.

A profile is one row, keyed by its stable ``key``; its fields are kept as JSON, with
the consent record and the visibility also in columns of their own. Every change is
audited by field name only (never a value), so that removing an expert on request
(``remove``) can delete the profile, its consent record, its links and its audit
entries, and leave a single entry saying that a removal happened.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable

from searchhub.curation.store import now_iso, transaction
from searchhub.errors import NotFound
from searchhub.notice import notice

from .model import FIELDS, STATUSES, Profile

__all__ = ["audit_log", "author_decisions", "decide_author", "get", "profiles", "remove",
           "save", "save_all", "set_status"]


def _row_profile(row: sqlite3.Row, authors: dict[int, list[str]] | None = None) -> Profile:
    data = json.loads(row["profile"])
    consent = data.pop("consent_date", None)
    known = {k: v for k, v in data.items() if k in FIELDS}
    return Profile(**known, consent_date=dt.date.fromisoformat(consent) if consent else None,
                   status=row["status"], id=row["id"],
                   author_keys=(authors or {}).get(row["id"], []))


def _confirmed_authors(conn, expert_id: int | None = None) -> dict[int, list[str]]:
    sql, args = "SELECT expert_id, author_key FROM expert_authors WHERE confirmed = 1", []
    if expert_id is not None:
        sql += " AND expert_id = ?"
        args.append(expert_id)
    out: dict[int, list[str]] = {}
    for row in conn.execute(sql + " ORDER BY author_key", args):
        out.setdefault(row["expert_id"], []).append(row["author_key"])
    return out


def _json(profile: Profile) -> str:
    data = {name: getattr(profile, name) for name in FIELDS}
    data["consent_date"] = profile.consent_date.isoformat() if profile.consent_date else None
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _audit(conn, user: str, action: str, expert_id: int | None, detail: dict) -> None:
    conn.execute("INSERT INTO expert_audit (at, user_name, action, expert_id, detail) "
                 "VALUES (?, ?, ?, ?, ?)",
                 (now_iso(), user, action, expert_id, json.dumps(detail)))


def get(conn: sqlite3.Connection, key: str) -> Profile | None:
    row = conn.execute("SELECT * FROM experts WHERE key = ?", (key,)).fetchone()
    return _row_profile(row, _confirmed_authors(conn, row["id"])) if row else None


def profiles(conn: sqlite3.Connection, status: str | None = "active") -> list[Profile]:
    """Profiles with ``status`` (every one for None), by name."""
    sql, args = "SELECT * FROM experts", []
    if status:
        sql += " WHERE status = ?"
        args.append(status)
    rows = conn.execute(sql, args).fetchall()
    authors = _confirmed_authors(conn)
    return sorted((_row_profile(r, authors) for r in rows),
                  key=lambda p: (p.name.casefold(), p.key))


def author_decisions(conn: sqlite3.Connection, author_keys: Iterable[str]
                     ) -> dict[tuple[str, int], bool]:
    """(author key, expert id) -> whether a curator said they are the same person, for
    the given author keys."""
    keys = list(dict.fromkeys(author_keys))
    if not keys:
        return {}
    rows = conn.execute("SELECT author_key, expert_id, confirmed FROM expert_authors "
                        f"WHERE author_key IN ({', '.join('?' * len(keys))})", keys)
    return {(r["author_key"], r["expert_id"]): bool(r["confirmed"]) for r in rows}


def decide_author(conn: sqlite3.Connection, author_key: str, key: str, confirmed: bool,
                  user: str) -> None:
    """Keep a curator's decision that the author ``author_key`` is (or is not) the
    expert ``key``; a later decision replaces it. Raises NotFound."""
    with transaction(conn):
        row = conn.execute("SELECT id FROM experts WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise NotFound(notice("There is no expert %(key)s.", key=repr(key)))
        conn.execute("INSERT INTO expert_authors (author_key, expert_id, confirmed, "
                     "decided_by, decided_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT "
                     "(author_key, expert_id) DO UPDATE SET confirmed = excluded.confirmed, "
                     "decided_by = excluded.decided_by, decided_at = excluded.decided_at",
                     (author_key, row["id"], int(confirmed), user, now_iso()))
        _audit(conn, user, "author-confirmed" if confirmed else "author-rejected",
               row["id"], {})


def _write(conn, profile: Profile, user: str, status: str | None, action: str | None
           ) -> tuple[Profile, bool]:
    old = conn.execute("SELECT * FROM experts WHERE key = ?", (profile.key,)).fetchone()
    now = now_iso()
    consent = profile.consent_date.isoformat() if profile.consent_date else None
    if old is None:
        status = status or "active"
        expert_id = conn.execute(
            "INSERT INTO experts (key, status, profile, visibility, consent_date, consent_by, "
            "consent_scope, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (profile.key, status, _json(profile), profile.visibility, consent,
             profile.consent_by, profile.consent_scope, now, now)).lastrowid
        _audit(conn, user, action or "create", expert_id, {})
        return dataclasses.replace(profile, id=expert_id, status=status), True
    before = _row_profile(old)
    changed = [n for n in FIELDS if getattr(before, n) != getattr(profile, n)]
    status = status or old["status"]
    conn.execute("UPDATE experts SET status = ?, profile = ?, visibility = ?, "
                 "consent_date = ?, consent_by = ?, consent_scope = ?, updated_at = ? "
                 "WHERE id = ?",
                 (status, _json(profile), profile.visibility, consent, profile.consent_by,
                  profile.consent_scope, now, old["id"]))
    if changed or status != old["status"]:
        _audit(conn, user, action or "update", old["id"], {"fields": changed})
    return dataclasses.replace(profile, id=old["id"], status=status), False


def save(conn: sqlite3.Connection, profile: Profile, user: str, *,
         status: str | None = None, action: str | None = None) -> tuple[Profile, bool]:
    """Create the profile, or update the one with its key; returns it (with its id)
    and whether it is new. A new profile gets ``status`` (default active); an update
    keeps its status unless one is given."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    with transaction(conn):
        return _write(conn, profile, user, status, action)


def save_all(conn: sqlite3.Connection, batch: Iterable[Profile], user: str
             ) -> tuple[int, int]:
    """Create or update every profile in one transaction (all or none); returns
    (added, updated)."""
    added = updated = 0
    with transaction(conn):
        for profile in batch:
            _, new = _write(conn, profile, user, None, None)
            added, updated = added + new, updated + (not new)
    return added, updated


def set_status(conn: sqlite3.Connection, key: str, status: str, user: str) -> Profile:
    """Approve (active) or reject a suggested profile; raises NotFound."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    with transaction(conn):
        row = conn.execute("SELECT id FROM experts WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise NotFound(notice("There is no expert %(key)s.", key=repr(key)))
        conn.execute("UPDATE experts SET status = ?, updated_at = ? WHERE id = ?",
                     (status, now_iso(), row["id"]))
        _audit(conn, user, {"active": "approve"}.get(status, status), row["id"], {})
    return get(conn, key)


def remove(conn: sqlite3.Connection, key: str, user: str) -> None:
    """Remove an expert on request: the profile with its consent record and links, and
    every audit entry about it; one entry records that a removal happened, naming
    nobody. Deleted content is overwritten in the file (secure_delete). Raises NotFound."""
    conn.execute("PRAGMA secure_delete = ON")
    with transaction(conn):
        row = conn.execute("SELECT id FROM experts WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise NotFound(notice("There is no expert %(key)s.", key=repr(key)))
        conn.execute("DELETE FROM expert_audit WHERE expert_id = ?", (row["id"],))
        conn.execute("DELETE FROM experts WHERE id = ?", (row["id"],))
        _audit(conn, user, "remove", None, {})
    # The write-ahead log still holds the old pages: copy it back into the file and
    # empty it (best effort: a reader in the middle of a transaction may delay it).
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def audit_log(conn: sqlite3.Connection, limit: int = 200) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM expert_audit ORDER BY id DESC LIMIT ?",
                        (limit,)).fetchall()
