"""Curation around an indexing run, for the process that runs the indexer (the CLI, the
scheduler): ``load_input`` before the run, ``after_run`` with its report.

The indexer itself never opens the curation database: it gets a ``CurationInput`` and
reports what curation needs back (``SourceReport.signals``, ``SourceReport.recrawled``);
this module is where the two meet, through ``store`` only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from searchhub.engine import Engine

from . import apply, automatic, store
from .handoff import CurationInput


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
    index, and take the queued ones off the queue. See ``apply.write_corrections``."""
    queued = store.pending_rewrites(conn)       # first: a later correction stays queued
    result = apply.write_corrections(engine, store.all_corrections(conn), queued,
                                     every=every)
    store.rewrites_done(conn, result["done"])
    return result
