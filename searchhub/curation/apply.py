"""Applying decisions: at query time (a ``CurationView``) and to documents (corrections).

The engine applies a ``CurationView`` to every search; ``StoredCuration`` builds one
from the active decisions, and ``ViewCache`` rebuilds it only when a decision changed
(the generation number moves). Corrections change the document itself:
``apply_corrections`` is what the indexer calls before writing a document, and
``rewrite``/``reapply`` put corrected documents into an existing index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import threading
from collections import defaultdict

from searchhub.engine import CurationView, Engine
from searchhub.models import Document

from . import store


class StoredCuration(CurationView):
    """The active decisions as the engine wants them: hidden ids, weights, best bets."""

    def __init__(self, hidden=(), weights=None, pins=None, duplicates=None):
        self.hidden = frozenset(hidden)
        self.weights = dict(weights or {})
        self.pins: dict[str, list[str]] = dict(pins or {})
        self.duplicates: dict[str, str] = dict(duplicates or {})   # duplicate -> canonical

    def pinned_for(self, text: str) -> list[str]:
        return self.pins.get(store.normalise_query(text), [])

    @classmethod
    def from_db(cls, conn: sqlite3.Connection) -> StoredCuration:
        hidden, weights, duplicates = set(), {}, {}
        pins: dict[str, list[str]] = defaultdict(list)
        for row in store.active_decisions(conn):       # oldest first: later ones win
            kind, doc_id = row["kind"], row["doc_id"]
            if kind == "hide":
                hidden.add(doc_id)
            elif kind == "weight":
                weights[doc_id] = float(json.loads(row["value"]))
            elif kind == "duplicate":
                # Merged into one hit: the duplicate goes, its canonical document stays.
                duplicates[doc_id] = json.loads(row["value"])
            elif kind == "pin" and doc_id not in pins[row["query"]]:
                pins[row["query"]].append(doc_id)
        return cls(hidden | set(duplicates), weights, pins, duplicates)


class ViewCache:
    """One StoredCuration per app, rebuilt when the decisions' generation changes."""

    def __init__(self):
        self._lock = threading.Lock()
        self._generation = -1
        self._view = StoredCuration()

    def get(self, conn: sqlite3.Connection) -> StoredCuration:
        current = store.generation(conn)
        if current != self._generation:
            with self._lock:
                if current != self._generation:
                    self._view = StoredCuration.from_db(conn)
                    self._generation = current
        return self._view


def _to_document_value(name: str, value):
    if name == "date":
        return dt.date.fromisoformat(value) if value else None
    return value


def apply_corrections(doc: Document, conn: sqlite3.Connection,
                      restore: bool = False) -> Document:
    """``doc`` with the active metadata corrections of its id applied.

    The indexer calls this before writing a document. With ``restore``, fields whose
    corrections were all undone get back the value they had before the first one.
    """
    fields, originals = store.effective_corrections(conn, doc.id)
    changes = {}
    if restore:
        changes.update({k: v for k, v in originals.items() if k not in fields})
    changes.update(fields)
    if not changes:
        return doc
    return dataclasses.replace(doc, **{k: _to_document_value(k, v)
                                       for k, v in changes.items()})


def rewrite(engine: Engine, conn: sqlite3.Connection, doc_id: str) -> bool:
    """Write the document with its corrections into the index now; False if it is gone.

    Raises IndexBusy when the indexer holds the index (the decision stays stored and is
    applied by the next ``searchhub curation reapply``)."""
    engine.refresh()
    doc = engine.get(doc_id)
    if doc is None:
        return False
    corrected = apply_corrections(doc, conn, restore=True)
    if corrected != doc:
        with engine.writer(timeout=10.0) as writer:
            writer.add(corrected)
        engine.refresh()
    return True


def reapply(engine: Engine, conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Re-write every corrected document into the index (after a rebuild).

    Returns {"corrected": ids rewritten, "unchanged": ids already right,
    "orphaned": ids no longer in the index}."""
    out = {"corrected": [], "unchanged": [], "orphaned": []}
    doc_ids = sorted({r["doc_id"] for r in store.active_decisions(conn, "correct")})
    engine.refresh()
    pending = []
    for doc_id in doc_ids:
        doc = engine.get(doc_id)
        if doc is None:
            out["orphaned"].append(doc_id)
            continue
        corrected = apply_corrections(doc, conn)
        if corrected == doc:
            out["unchanged"].append(doc_id)
        else:
            pending.append(corrected)
            out["corrected"].append(doc_id)
    if pending:
        with engine.writer(timeout=30.0) as writer:
            for doc in pending:
                writer.add(doc)
        engine.refresh()
    return out


def orphaned_decisions(engine: Engine, conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Active decisions naming documents that are no longer in the index (kept, not lost)."""
    engine.refresh()
    known = engine.known()
    rows = store.active_decisions(conn)
    return [r for r in rows if r["doc_id"] not in known
            or (r["kind"] == "duplicate" and json.loads(r["value"]) not in known)]
