"""Automatic flags: the indexer's quality signals become flags in the curators' queue.

``record`` is the one place they are raised: after each indexing run (from the signals
and failures its report carries) and by ``searchhub curation sync`` (from the documents
in the index and the failures of a saved run report). An automatic flag is raised once
per document and signal: a dismissed one stays dismissed, and one whose signal is gone
(the document was re-extracted well) is resolved.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping

from searchhub.engine import Engine

from . import store
from .handoff import DocSignals

#: Failures that are a document's quality, not the indexer's trouble.
FAILURE_REASONS = ("image-only",)


def record(conn: sqlite3.Connection, documents: Iterable[DocSignals] = (),
           failures: Iterable[tuple[str, object]] = (),
           agencies: Mapping[str, str] | None = None) -> int:
    """Raise flags for the signals of ``documents`` (and resolve those they no longer
    have), and for ``failures``: (source id, failure with doc_id, location, reason and
    message) pairs; ``agencies`` names each source's agency. Returns the new flags."""
    agencies = agencies or {}
    new = 0
    with store.transaction(conn):
        for doc in documents:
            info = store.DocInfo(doc.doc_id, doc.title, doc.source_id, doc.agency)
            new += sum(store.raise_automatic(conn, info, s) for s in doc.signals)
            store.resolve_automatic(conn, doc.doc_id, doc.signals)
        for source_id, failure in failures:
            if failure.reason not in FAILURE_REASONS:
                continue
            name = (failure.location or failure.doc_id).rstrip("/").rsplit("/", 1)[-1]
            info = store.DocInfo(failure.doc_id, name, source_id, agencies.get(source_id, ""))
            new += store.raise_automatic(conn, info, failure.reason, failure.message)
    return new


def index_signals(engine: Engine) -> Iterable[DocSignals]:
    """The signals of every document in the index."""
    engine.refresh()
    for doc_id in engine.known():
        doc = engine.get(doc_id)
        if doc is not None:
            yield DocSignals.of(doc)


def report_failures(sources: Iterable[dict]) -> list[tuple[str, object]]:
    """The failures of a saved run report (``RunReport.as_dict()["sources"]``)."""
    from types import SimpleNamespace

    return [(source["id"], SimpleNamespace(**failure))
            for source in sources for failure in source.get("failures", [])]
