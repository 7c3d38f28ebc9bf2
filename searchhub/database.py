"""The SQLite file of accounts and curation (``<data_dir>/curation.sqlite``).

Unlike the index, nothing here can be rebuilt from the sources, so the schema only
ever migrates forward: ``connect`` applies the migrations the file has not seen yet
(``searchhub.migrations``, the mechanism every database here uses), and no code path
drops a table or deletes the file. The SQL of each table lives in one module: users in
``searchhub.accounts``, attempts here, flags, decisions, audit and the rewrite queue
in ``searchhub.curation.store``, expert profiles in ``searchhub.experts.store``,
members' groups in ``searchhub.members.store``, uploads in
``searchhub.uploads.store``.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from searchhub.migrations import Schema, SchemaTooNew, migrate, version_of

__all__ = ["SCHEMA", "SCHEMA_VERSION", "SchemaTooNew", "clear_attempts", "connect",
           "count_attempts", "forget_attempt", "oldest_attempt", "record_attempt",
           "schema_version", "take_attempt"]

#: Forward migrations, in order: version n is reached by running MIGRATIONS[n - 1].
MIGRATIONS: tuple[str, ...] = (
    # 1: accounts, and a sliding window of attempts (failed logins, public reports).
    """
    CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role          TEXT NOT NULL,
        disabled      INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT NOT NULL
    );
    CREATE TABLE attempts (
        kind TEXT NOT NULL,          -- login-failure | public-report
        key  TEXT NOT NULL,          -- account name or address
        at   REAL NOT NULL           -- seconds since the epoch
    );
    CREATE INDEX attempts_kind_key ON attempts (kind, key, at);
    """,
    # 2: curation: flags, decisions (keyed by stable document id), audit log.
    """
    CREATE TABLE flags (
        id         INTEGER PRIMARY KEY,
        doc_id     TEXT NOT NULL,
        reason     TEXT NOT NULL,
        comment    TEXT NOT NULL DEFAULT '',
        origin     TEXT NOT NULL,            -- curator | public | automatic
        query      TEXT NOT NULL DEFAULT '',
        rank       INTEGER,
        user_name  TEXT NOT NULL DEFAULT '',
        address    TEXT NOT NULL DEFAULT '',
        source_id  TEXT NOT NULL DEFAULT '',
        agency     TEXT NOT NULL DEFAULT '',
        title      TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        status     TEXT NOT NULL DEFAULT 'open',   -- open | dismissed | resolved
        closed_at  TEXT,
        closed_by  TEXT
    );
    CREATE INDEX flags_status ON flags (status, doc_id);
    CREATE UNIQUE INDEX flags_automatic ON flags (doc_id, reason) WHERE origin = 'automatic';
    CREATE TABLE decisions (
        id         INTEGER PRIMARY KEY,
        doc_id     TEXT NOT NULL,
        kind       TEXT NOT NULL,          -- hide | weight | correct | duplicate | pin | recrawl
        value      TEXT NOT NULL,          -- JSON
        query      TEXT NOT NULL DEFAULT '',   -- normalised query text, for pins
        active     INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    );
    CREATE INDEX decisions_active ON decisions (active, kind);
    CREATE TABLE audit (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        user_name   TEXT NOT NULL,
        action      TEXT NOT NULL,
        doc_id      TEXT NOT NULL DEFAULT '',
        detail      TEXT NOT NULL DEFAULT '{}',   -- JSON: what changed
        why         TEXT NOT NULL DEFAULT '',
        decision_id INTEGER,
        flag_ids    TEXT NOT NULL DEFAULT '[]',   -- JSON: flags this action closed
        undoes      INTEGER,                      -- the audit entry this one undid
        undone_by   INTEGER
    );
    CREATE TABLE state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO state VALUES ('decisions_generation', 0);
    """,
    # 3: corrections (and undone ones) the indexer process has still to write into the
    # index; until then searches apply them at query time.
    """
    CREATE TABLE rewrites (
        doc_id TEXT PRIMARY KEY,
        mark   INTEGER NOT NULL          -- decisions_generation when queued
    );
    """,
    # 4: a session belongs to an account's session epoch: raising it (logout, a new
    # password, role or disabled flag) ends every session of the account at once.
    """
    ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
    """,
    # 5: collections: curated, ordered lists of documents (searchhub.collections.store).
    """
    CREATE TABLE collections (
        id          INTEGER PRIMARY KEY,
        slug        TEXT NOT NULL UNIQUE,
        title       TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL,
        created_by  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE collection_items (
        collection_id INTEGER NOT NULL REFERENCES collections(id),
        doc_id        TEXT NOT NULL,
        position      INTEGER NOT NULL,
        note          TEXT NOT NULL DEFAULT '',
        added_at      TEXT NOT NULL,
        added_by      TEXT NOT NULL,
        PRIMARY KEY (collection_id, doc_id)
    );
    """,
    # 6: experts: profiles with their consent record, and their own audit log (a
    # removal on request deletes the profile and its entries, leaving one that says a
    # removal happened). AUTOINCREMENT: a removed expert's id is never given again.
    """
    CREATE TABLE experts (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        key            TEXT NOT NULL UNIQUE,
        status         TEXT NOT NULL DEFAULT 'active',   -- active | pending | rejected
        profile        TEXT NOT NULL,                    -- JSON: the Profile's fields
        visibility     TEXT NOT NULL,                    -- public | members
        consent_date   TEXT,
        consent_by     TEXT NOT NULL DEFAULT '',
        consent_scope  TEXT NOT NULL DEFAULT '',
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
    );
    CREATE INDEX experts_status ON experts (status, visibility);
    CREATE TABLE expert_audit (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        user_name  TEXT NOT NULL,
        action     TEXT NOT NULL,        -- create | update | suggest | approve | reject | remove
        expert_id  INTEGER,              -- none once removed
        detail     TEXT NOT NULL DEFAULT '{}'   -- JSON: names of changed fields, never values
    );
    CREATE INDEX expert_audit_expert ON expert_audit (expert_id);
    CREATE TABLE expert_authors (   -- a curator's decision on "this author is this expert"
        author_key  TEXT NOT NULL,  -- the author's name, normalised (name_key)
        expert_id   INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
        confirmed   INTEGER NOT NULL,            -- 1 the same person, 0 not
        decided_by  TEXT NOT NULL,
        decided_at  TEXT NOT NULL,
        PRIMARY KEY (author_key, expert_id)
    );
    CREATE TABLE expert_outbox (    -- messages to relay; a sent one leaves, a failed one stays
        id            INTEGER PRIMARY KEY,
        expert_id     INTEGER REFERENCES experts (id) ON DELETE CASCADE,
        recipient     TEXT NOT NULL,
        reply_to      TEXT NOT NULL DEFAULT '',
        subject       TEXT NOT NULL,
        body          TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        attempts      INTEGER NOT NULL DEFAULT 0,
        next_attempt  REAL NOT NULL,             -- seconds since the epoch
        last_error    TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX expert_outbox_due ON expert_outbox (next_attempt);
    """,
    # 7: members' groups (searchhub.members): which account belongs to which group of
    # the group registry (working groups, the executive committee, workstreams).
    """
    CREATE TABLE user_groups (
        user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        group_id  TEXT NOT NULL,
        PRIMARY KEY (user_id, group_id)
    );
    """,
    # 8: members' uploads (searchhub.uploads.store): a file kept by content hash, the
    # metadata typed through a workstream's template, and where its review stands.
    # ``token`` is the form's: a double submit finds the upload made the first time.
    """
    CREATE TABLE uploads (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        token        TEXT NOT NULL UNIQUE,
        workstream   TEXT NOT NULL,
        submitted_by TEXT NOT NULL,
        sha256       TEXT NOT NULL,
        file_type    TEXT NOT NULL,            -- pdf | docx | html | text
        file_name    TEXT NOT NULL,
        url          TEXT NOT NULL DEFAULT '', -- where it was fetched from, if a URL
        metadata     TEXT NOT NULL,            -- JSON: the template's fields
        status       TEXT NOT NULL,     -- submitted, sent-back, rejected, approved, withdrawn
        reason       TEXT NOT NULL DEFAULT '',
        reviewer     TEXT NOT NULL DEFAULT '',
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        reviewed_at  TEXT
    );
    CREATE INDEX uploads_status ON uploads (status, workstream);
    CREATE INDEX uploads_submitter ON uploads (submitted_by);
    """,
)
SCHEMA = Schema("curation database", MIGRATIONS)
SCHEMA_VERSION = SCHEMA.version


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and migrate it forward.

    Raises SchemaTooNew if a newer searchhub wrote it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10.0, isolation_level=None,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA journal_mode = WAL")
    _adopt_version_table(conn)
    migrate(conn, SCHEMA)
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return version_of(conn)


def _adopt_version_table(conn: sqlite3.Connection) -> None:
    """Files written before every database kept its version in ``user_version`` kept it
    in a ``schema_version`` table: carry that number over once (the table stays)."""
    if version_of(conn) or not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone():
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not version_of(conn):
            old = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
            conn.execute(f"PRAGMA user_version = {int(old):d}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# -- a sliding window of attempts, for login lock-out and public report limits ----------

def count_attempts(conn: sqlite3.Connection, kind: str, key: str, window: float,
                   now: float | None = None) -> int:
    now = time.time() if now is None else now
    row = conn.execute("SELECT count(*) FROM attempts WHERE kind = ? AND key = ? AND at > ?",
                       (kind, key, now - window)).fetchone()
    return row[0]


def record_attempt(conn: sqlite3.Connection, kind: str, key: str,
                   now: float | None = None) -> None:
    now = time.time() if now is None else now
    conn.execute("INSERT INTO attempts (kind, key, at) VALUES (?, ?, ?)", (kind, key, now))
    # Keep the table small: a day is longer than any window we count over.
    conn.execute("DELETE FROM attempts WHERE at < ?", (now - 86400,))


def take_attempt(conn: sqlite3.Connection, kind: str, key: str, window: float, limit: int,
                 now: float | None = None) -> bool:
    """Count an attempt before it is made, atomically: False (and nothing counted) when
    ``limit`` attempts were already made within ``window`` seconds. Parallel requests
    cannot all pass the check before any is counted."""
    now = time.time() if now is None else now
    conn.execute("BEGIN IMMEDIATE")
    try:
        if count_attempts(conn, kind, key, window, now) >= limit:
            return False
        record_attempt(conn, kind, key, now)
        return True
    finally:
        conn.execute("COMMIT")


def forget_attempt(conn: sqlite3.Connection, kind: str, key: str) -> None:
    """Take back the newest attempt of ``key`` (it succeeded)."""
    conn.execute("DELETE FROM attempts WHERE rowid = (SELECT max(rowid) FROM attempts "
                 "WHERE kind = ? AND key = ?)", (kind, key))


def clear_attempts(conn: sqlite3.Connection, kind: str, key: str) -> None:
    conn.execute("DELETE FROM attempts WHERE kind = ? AND key = ?", (kind, key))


def oldest_attempt(conn: sqlite3.Connection, kind: str, key: str, window: float,
                   now: float | None = None) -> float | None:
    now = time.time() if now is None else now
    row = conn.execute("SELECT min(at) FROM attempts WHERE kind = ? AND key = ? AND at > ?",
                       (kind, key, now - window)).fetchone()
    return row[0]
