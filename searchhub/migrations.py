"""Versioned SQLite schemas that only migrate forward: the one mechanism every SQLite
database of searchhub uses (the curation database, the crawl state).

A ``Schema`` is a name and its migrations, in order: version n is reached by running
``migrations[n - 1]``. The version a file is at is its ``PRAGMA user_version`` (kept
in the file's header and written in the same transaction as the migration), so a
migration either happened completely or not at all. Nothing here drops data; a file
written by a newer searchhub is refused, never touched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


class SchemaTooNew(RuntimeError):
    """The file was written by a newer searchhub; this one must not touch it."""


@dataclass(frozen=True)
class Schema:
    name: str                      # what the file is, for messages: "crawl state"
    migrations: tuple[str, ...]    # SQL scripts; version n runs migrations[n - 1]

    @property
    def version(self) -> int:
        return len(self.migrations)


def version_of(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, schema: Schema) -> int:
    """Apply the migrations ``conn``'s file has not seen, each in its own transaction;
    returns the version reached. ``conn`` must be in autocommit mode
    (``isolation_level=None``). Raises SchemaTooNew for a file of a newer searchhub."""
    while True:
        current = version_of(conn)
        if current > schema.version:
            raise SchemaTooNew(f"the {schema.name} is at schema version {current}, newer "
                               f"than this searchhub knows ({schema.version}); upgrade "
                               "searchhub")
        if current == schema.version:
            return current
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            if version_of(conn) == current:
                for statement in statements(schema.migrations[current]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {current + 1:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    out, buf = [], ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):     # not a ";" inside a string or comment
            if buf.strip(" \n\t;"):
                out.append(buf.strip())
            buf = ""
    if buf.strip(" \n\t;"):
        out.append(buf.strip())
    return out
