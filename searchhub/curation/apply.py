"""Applying decisions: at query time (a ``CurationView``) and to documents in the index.

The engine applies a ``CurationView`` to every search; ``StoredCuration`` builds one
from the active decisions, and ``ViewCache`` rebuilds it only when a decision changed
(the generation number moves). A correction shows at once: ``StoredCuration.correct``
gives a document as curators corrected it, for hits and document pages. Nothing here
writes the index: only the indexer process does (``CurationInput.correct`` during a
run, ``runs.write_corrections`` for documents already in the index).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from collections import defaultdict

from searchhub.collections import store as collection_store
from searchhub.engine import CurationView, Engine
from searchhub.models import Document

from . import store
from .handoff import Correction, corrected, facet_values


class StoredCuration(CurationView):
    """The active decisions as the engine wants them: hidden ids, weights, best bets;
    and the metadata corrections to show on documents (doc id -> field -> value)."""

    def __init__(self, hidden=(), weights=None, pins=None, duplicates=None,
                 corrections=None, collections=None):
        self.hidden = frozenset(hidden)
        self.weights = dict(weights or {})
        self.pins: dict[str, list[str]] = dict(pins or {})
        self.duplicates: dict[str, str] = dict(duplicates or {})   # duplicate -> canonical
        self.corrections: dict[str, dict] = dict(corrections or {})
        # What the engine filters and counts by instead of the index's values.
        self.facet_values = {doc_id: facet_values(changes)
                             for doc_id, changes in self.corrections.items()}
        # The collections holding a document are curation data too: the `collection`
        # facet has no indexed values, only these (doc id -> collection slugs).
        self.collections: dict[str, list[str]] = dict(collections or {})
        for doc_id, slugs in self.collections.items():
            self.facet_values.setdefault(doc_id, {})["collection"] = list(slugs)

    def pinned_for(self, text: str) -> list[str]:
        return self.pins.get(store.normalise_query(text), [])

    def correct(self, doc: Document) -> Document:
        """``doc`` as curators corrected it, whether or not the index has it so yet,
        with the collections that hold it."""
        doc = corrected(doc, self.corrections.get(doc.id, {}))
        if doc.id in self.collections:
            doc = dataclasses.replace(doc, collections=list(self.collections[doc.id]))
        return doc

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
        # Corrections in force always apply (the same values once the index has them);
        # an undone one restores the original only until the indexer rewrote the document.
        queued = store.pending_rewrites(conn)
        corrections = {}
        for doc_id, correction in store.all_corrections(conn).items():
            changes = correction.changes(restore=doc_id in queued)
            if changes:
                corrections[doc_id] = changes
        return cls(hidden | set(duplicates), weights, pins, duplicates, corrections,
                   collection_store.memberships(conn))


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


def apply_corrections(doc: Document, correction: Correction | None,
                      restore: bool = False) -> Document:
    """``doc`` with ``correction`` applied. With ``restore``, fields whose corrections
    were all undone get back the value they had before the first one."""
    return corrected(doc, correction.changes(restore)) if correction else doc


def orphaned_decisions(engine: Engine, conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Active decisions naming documents that are no longer in the index (kept, not lost)."""
    engine.refresh()
    known = engine.known()
    rows = store.active_decisions(conn)
    return [r for r in rows if r["doc_id"] not in known
            or (r["kind"] == "duplicate" and json.loads(r["value"]) not in known)]
