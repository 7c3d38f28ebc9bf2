"""Curation around an indexing run, for the process that runs the indexer (the CLI, the
scheduler): ``load_input`` before the run, ``after_run`` with its report; and
``reapply`` on demand. The only code that writes curation into the index.

The indexer itself never opens the curation database: it gets a ``CurationInput`` and
reports what curation needs back (``SourceReport.signals``, ``SourceReport.recrawled``);
this module is where the two meet, through ``store`` only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from searchhub.engine import Engine

from . import automatic, store
from .apply import apply_corrections
from .handoff import Correction, CurationInput


def load_input(conn: sqlite3.Connection) -> CurationInput:
    """What a run needs of curation, read once before it starts."""
    return CurationInput(
        corrections=store.all_corrections(conn),
        recrawl=frozenset(store.recrawl_requests(conn)),
        flagged=frozenset(r["doc_id"] for r in store.open_automatic_flags(conn)))


def after_run(conn: sqlite3.Connection, engine: Engine, report,
              agencies: Mapping[str, str]) -> dict:
    """Write what a run reported back into curation: automatic flags from the signals
    and failures of ``report`` (an indexer ``RunReport``), re-crawl requests fulfilled.
    Then write the queued corrections into the index (the caller holds the run lock).
    ``agencies``: source id -> agency. Returns {"flags": new flags, "rewritten": ids}."""
    new = automatic.record(
        conn, [s for source in report.sources for s in source.signals],
        [(source.source_id, f) for source in report.sources for f in source.failures],
        agencies)
    for source in report.sources:
        for doc_id in source.recrawled:
            store.recrawl_done(conn, doc_id)
    return {"flags": new, "rewritten": reapply(conn, engine, every=False)["corrected"]}


def reapply(conn: sqlite3.Connection, engine: Engine, *, every: bool = True) -> dict:
    """Write queued corrections (and with ``every`` all corrections in force) into the
    index, and take the queued ones off the queue. See ``write_corrections``."""
    queued = store.pending_rewrites(conn)       # first: a later correction stays queued
    result = write_corrections(engine, store.all_corrections(conn), queued, every=every)
    store.rewrites_done(conn, result["done"])
    return result


def write_corrections(engine: Engine, corrections: Mapping[str, Correction],
                      queued: Mapping[str, int], *, every: bool = False) -> dict:
    """Rewrite documents in the index with their corrections (for the indexer process
    only; the web app never writes the index). ``queued`` (id -> queue mark) are those a
    correction or undo changed, restored where undone; with ``every``, every corrected
    document too (after a rebuild).

    Returns {"corrected": ids rewritten, "unchanged": ids already right, "orphaned": ids
    no longer in the index, "done": the queued entries handled (id -> mark)}. Raises
    IndexBusy if another process holds the index."""
    out: dict = {"corrected": [], "unchanged": [], "orphaned": [], "done": {}}
    in_force = {k for k, c in corrections.items() if c.fields} if every else set()
    doc_ids = sorted(set(queued) | in_force)
    engine.refresh()
    pending = []
    for doc_id in doc_ids:
        doc = engine.get(doc_id)
        correction = corrections.get(doc_id)
        if doc_id in queued:
            out["done"][doc_id] = queued[doc_id]
        if doc is None:
            if correction is not None and correction.fields:
                out["orphaned"].append(doc_id)
            continue
        new = apply_corrections(doc, correction, restore=doc_id in queued)
        if new == doc:
            out["unchanged"].append(doc_id)
        else:
            pending.append(new)
            out["corrected"].append(doc_id)
    if pending:
        with engine.writer(timeout=30.0) as writer:
            for doc in pending:
                writer.add(doc)
        engine.refresh()
    return out
