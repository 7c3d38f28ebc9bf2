"""The indexing run: every source through discover -> fetch -> extract -> enrich ->
decide -> write (``source_run``), under the run lock, recorded in the runs database.

Extraction and enrichment run in worker processes (one per core, with a timeout per
document that really stops a stuck worker); the parent writes to the index and
commits every ``commit_every`` documents, so a run killed halfway leaves the last
commit searchable and the next run skips what is already there.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from indexer.discover.base import Source
from indexer.fetch import Fetcher
from indexer.lock import RunLock
from indexer.options import RunOptions
from indexer.report import Failure, RunReport, SourceReport
from indexer.source_run import run_source, worker_pool
from indexer.state import CrawlState, crawl_db_path
from indexer.write import RunWriter

log = logging.getLogger(__name__)

__all__ = ["Failure", "RunOptions", "RunReport", "SourceReport", "run"]


def run(engine, sources: list[Source], options: RunOptions, *, force: bool = False,
        on_event: Callable[[dict], None] | None = None, trigger: str = "manual",
        curation=None, lock=None) -> RunReport:
    """Index ``sources`` into ``engine``; returns what happened, per source.

    With ``options.data_dir`` the run takes the run lock (raising IndexBusy naming
    its holder, after waiting ``options.lock_wait`` seconds), keeps its crawl state in
    ``crawl.sqlite`` and is recorded there. With ``curation`` (a
    ``searchhub.curation.handoff.CurationInput``, plain data) curators' corrections are
    applied to each document written, documents curators asked to re-crawl are fetched
    again, and each SourceReport carries back ``signals`` and ``recrawled`` for the
    caller to write into curation (``searchhub.curation.runs.after_run``). ``lock``: a
    RunLock the caller already holds (it stays held). ``on_event`` gets each event as a
    dict; each is also logged (``logging``, one record per event)."""
    held = lock is not None
    if not held and options.data_dir is not None:
        lock = RunLock(options.data_dir)
        lock.acquire(wait=options.lock_wait, what=f"searchhub index ({trigger})")
    try:
        state = CrawlState(crawl_db_path(options.data_dir) if options.data_dir is not None
                           else Path(":memory:"))
        fetcher = Fetcher(options.http_policy())
        report = RunReport()
        report.run_id = state.start_run(trigger)
        log.info("run-started", extra={"fields": {
            "event": "run-started", "run_id": report.run_id, "trigger": trigger,
            "sources": [s.id for s in sources]}})
        writer = RunWriter(engine, state, options.commit_every, options.commit_interval)
        emit = on_event or (lambda event: None)
        pool = worker_pool(options)     # one set of workers for every source of the run
        try:
            for source in sources:
                sreport = SourceReport(source.id)
                report.sources.append(sreport)
                run_source(source, sreport, engine=engine, writer=writer, state=state,
                           fetcher=fetcher, options=options, force=force, emit=emit,
                           curation=curation, pool=pool)
                writer.commit()
                state.record_source(report.run_id, source.id, sreport.counts, sreport.error,
                                    sreport.failures)
            writer.commit()
            state.finish_run(report.run_id)
        finally:
            pool.close()
            writer.cancel()
            fetcher.close()
            state.close()
        report.requests = fetcher.requests
        report.finished = dt.datetime.now(dt.UTC)
        log.info("run-finished", extra={"fields": {
            "event": "run-finished", "run_id": report.run_id, "requests": report.requests,
            "totals": report.as_dict()["totals"], "failed": report.failed}})
        return report
    finally:
        if lock is not None and not held:
            lock.release()
