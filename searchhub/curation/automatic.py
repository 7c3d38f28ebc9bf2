"""Automatic flags: the indexer's quality signals become flags in the curators' queue.

``flag_document`` is what the indexer calls for each document it writes, and
``flag_failure`` for each failure; ``sync_index`` and ``sync_report`` do the same
afterwards for a whole index or a run report. An automatic flag is raised once per
document and signal: a dismissed one stays dismissed, and one whose signal is gone
(the document was re-extracted well) is resolved.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from searchhub.engine import Engine
from searchhub.models import Document

from .store import AUTOMATIC_REASONS, now_iso, transaction

INDEXER = "indexer"
FAILURE_REASONS = ("image-only",)


def _raise(conn, doc_id: str, reason: str, title: str, source_id: str, agency: str,
           comment: str = "") -> bool:
    cur = conn.execute(
        "INSERT OR IGNORE INTO flags (doc_id, reason, comment, origin, source_id, agency, "
        "title, user_name, created_at) VALUES (?, ?, ?, 'automatic', ?, ?, ?, ?, ?)",
        (doc_id, reason, comment, source_id, agency, title, INDEXER, now_iso()))
    return cur.rowcount == 1


def flag_document(conn: sqlite3.Connection, doc: Document) -> int:
    """Raise flags for ``doc``'s quality signals, resolve those it no longer has.

    Returns the number of new flags."""
    signals = [s for s in doc.quality if s in AUTOMATIC_REASONS]
    new = sum(_raise(conn, doc.id, s, doc.title, doc.source_id, doc.agency) for s in signals)
    gone = [r["id"] for r in conn.execute(
        "SELECT id, reason FROM flags WHERE origin = 'automatic' AND status = 'open' "
        "AND doc_id = ?", (doc.id,)) if r["reason"] not in signals]
    conn.executemany("UPDATE flags SET status = 'resolved', closed_at = ?, closed_by = ? "
                     "WHERE id = ?", [(now_iso(), INDEXER, i) for i in gone])
    return new


def flag_failure(conn: sqlite3.Connection, source_id: str, agency: str, failure) -> bool:
    """Raise a flag for a document that could not be indexed for a quality reason
    (an image-only PDF has no text to index). ``failure`` is an indexer ``Failure``."""
    if failure.reason not in FAILURE_REASONS:
        return False
    name = (failure.location or failure.doc_id).rstrip("/").rsplit("/", 1)[-1]
    return _raise(conn, failure.doc_id, failure.reason, name, source_id, agency,
                  failure.message)


def sync_index(conn: sqlite3.Connection, engine: Engine) -> int:
    """Flags for the quality signals of every document in the index; returns new flags."""
    engine.refresh()
    new = 0
    with transaction(conn):
        for doc_id in engine.known():
            doc = engine.get(doc_id)
            if doc is not None:
                new += flag_document(conn, doc)
    return new


def sync_report(conn: sqlite3.Connection, sources: Iterable[dict],
                agencies: dict[str, str] | None = None) -> int:
    """Flags for the failures of a run report (``RunReport.as_dict()["sources"]``)."""
    from types import SimpleNamespace

    agencies = agencies or {}
    new = 0
    with transaction(conn):
        for source in sources:
            for failure in source.get("failures", []):
                new += flag_failure(conn, source["id"], agencies.get(source["id"], ""),
                                    SimpleNamespace(**failure))
    return new
