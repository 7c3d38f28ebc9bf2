"""Who belongs to which group: the ``user_groups`` table of the curation database
(migration 7). Group ids are checked against the group registry by the callers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def groups_of(conn: sqlite3.Connection, user_id: int) -> list[str]:
    """The ids of the groups of account ``user_id``, sorted."""
    rows = conn.execute("SELECT group_id FROM user_groups WHERE user_id = ? "
                        "ORDER BY group_id", (user_id,))
    return [row[0] for row in rows]


def set_groups(conn: sqlite3.Connection, user_id: int, group_ids: Iterable[str]) -> None:
    """Make account ``user_id`` belong to exactly ``group_ids``."""
    with conn:
        conn.execute("DELETE FROM user_groups WHERE user_id = ?", (user_id,))
        conn.executemany("INSERT INTO user_groups (user_id, group_id) VALUES (?, ?)",
                         [(user_id, g) for g in sorted(set(group_ids))])


def members_of(conn: sqlite3.Connection, group_id: str) -> list[str]:
    """The names of the accounts in group ``group_id``, sorted."""
    rows = conn.execute("SELECT u.name FROM user_groups g JOIN users u ON u.id = g.user_id "
                        "WHERE g.group_id = ? ORDER BY u.name", (group_id,))
    return [row[0] for row in rows]
