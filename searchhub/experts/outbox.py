"""The outbox of messages to experts: the one module with SQL for ``expert_outbox``.

A message stays until it is sent: each failed attempt records its error and waits
longer before the next (``BACKOFF`` doubling up to ``MAX_BACKOFF``). A sender claims a
message before sending it, so two senders never send one message twice. Removing an
expert removes their messages (the foreign key cascades).
"""

from __future__ import annotations

import sqlite3
import time

from searchhub.curation.store import now_iso, transaction

BACKOFF = 60.0             # seconds before the first retry
MAX_BACKOFF = 6 * 3600.0
CLAIM = 300.0              # seconds a claimed message is left to its sender


def enqueue(conn: sqlite3.Connection, expert_id: int, recipient: str, subject: str,
            body: str, *, reply_to: str = "", now: float | None = None) -> int:
    return conn.execute(
        "INSERT INTO expert_outbox (expert_id, recipient, reply_to, subject, body, "
        "created_at, next_attempt) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (expert_id, recipient, reply_to, subject, body, now_iso(),
         time.time() if now is None else now)).lastrowid


def claim_due(conn: sqlite3.Connection, now: float | None = None, *,
              every: bool = False) -> list[sqlite3.Row]:
    """Messages whose next attempt is due (``every``: all of them), claimed for
    ``CLAIM`` seconds so that no other sender takes them meanwhile."""
    now = time.time() if now is None else now
    with transaction(conn):
        rows = conn.execute("SELECT * FROM expert_outbox WHERE next_attempt <= ? "
                            "ORDER BY id", (float("inf") if every else now,)).fetchall()
        conn.executemany("UPDATE expert_outbox SET next_attempt = ? WHERE id = ?",
                         [(now + CLAIM, r["id"]) for r in rows])
    return rows


def sent(conn: sqlite3.Connection, message_id: int) -> None:
    conn.execute("DELETE FROM expert_outbox WHERE id = ?", (message_id,))


def failed(conn: sqlite3.Connection, message_id: int, error: str,
           now: float | None = None) -> float:
    """Record a failed attempt; returns when the next one is due."""
    now = time.time() if now is None else now
    row = conn.execute("SELECT attempts FROM expert_outbox WHERE id = ?",
                       (message_id,)).fetchone()
    attempts = (row["attempts"] if row else 0) + 1
    due = now + min(BACKOFF * 2 ** (attempts - 1), MAX_BACKOFF)
    conn.execute("UPDATE expert_outbox SET attempts = ?, next_attempt = ?, last_error = ? "
                 "WHERE id = ?", (attempts, due, error[:500], message_id))
    return due


def waiting(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every message not sent yet, oldest first, with the expert's key."""
    return conn.execute("SELECT o.id, o.created_at, o.attempts, o.next_attempt, "
                        "o.last_error, o.subject, e.key AS expert_key FROM expert_outbox o "
                        "LEFT JOIN experts e ON e.id = o.expert_id ORDER BY o.id").fetchall()
