"""One source's part of a run: a small coordinator over the stages.

discover (``sources.discover``: Items) -> fetch (``fetching.arrivals``: items with
their content) -> decide (``decide.Decider``: a Task for what changed, and actions)
-> extract and enrich (``worker.process`` in the pool's processes: an Outcome) ->
decide (actions) -> write (``write.SourceWriter.apply``, each decision's actions
before the next is taken); once the listing is over, the decide stage retires what
is gone. A crawl is not listed first: its pages are taken as it fetches them, no faster
than the workers take tasks, so extraction starts with the first page and the crawl
runs only a few pages ahead; the other kinds are listed first (their items are
light). A fetched body is held only until its task is sent to a worker.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from indexer import worker
from indexer.decide import Decider
from indexer.discover.base import Context, DiscoveryError, Item, Source, source_delay
from indexer.fetch import Fetcher
from indexer.fetching import ItemFetcher, arrivals, rechecks
from indexer.options import RunOptions
from indexer.pool import WorkerPool
from indexer.report import SourceReport
from indexer.sources import discover
from indexer.state import CrawlState
from indexer.write import RunWriter, SourceWriter

log = logging.getLogger(__name__)


def worker_pool(options: RunOptions) -> WorkerPool:
    """The extraction workers of a run (started when a source first needs them)."""
    return WorkerPool(worker.process, timeout=options.document_timeout,
                      initializer=worker.init_worker, initargs=(str(options.taxonomy_dir),))


def run_source(source: Source, report: SourceReport, *, engine, writer: RunWriter,
               state: CrawlState, fetcher: Fetcher, options: RunOptions, force: bool,
               emit: Callable[[dict], None], curation=None,
               pool: WorkerPool | None = None) -> None:
    """Index ``source``; fills ``report``. The caller commits ``writer`` after.
    ``pool``: the run's workers (else the source starts and stops its own)."""
    known = engine.known(source.id)
    rows = state.urls(source.id) if source.over_http else {}
    sink = SourceWriter(writer, state, source)
    decider = Decider(source, report, index=sink, state=state, known=known, rows=rows,
                      options=options, force=force, emit=emit, curation=curation,
                      run_number=state.source_runs(source.id) + 1)
    if pool is None:
        with worker_pool(options) as own:
            _SourceRun(source, decider, sink, fetcher, options, emit, own).run()
    else:
        _SourceRun(source, decider, sink, fetcher, options, emit, pool).run()
    state.commit()


class _SourceRun:
    """The plumbing between the stages of one source's run: threads, the worker pool,
    the progress bars and the listing's end."""

    def __init__(self, source: Source, decider: Decider, sink: SourceWriter,
                 fetcher: Fetcher, options: RunOptions, emit: Callable[[dict], None],
                 pool: WorkerPool):
        self.source = source
        self.pool = pool
        self.decider = decider
        self.sink = sink
        self.options = options
        self.emit = emit
        every = int(source.options.get("recheck_every", options.recheck_every))
        self.fetch = ItemFetcher(fetcher, decider.rows, decider.trusted,
                                 allow_private=source.options.get("allow_private", False),
                                 delay=source_delay(source),
                                 recheck=lambda url: rechecks(url, decider.run_number, every),
                                 resting=decider.resting)
        self.fetcher = fetcher
        # Items whose tasks are with the workers (bodies already handed over).
        self.in_flight: dict[str, Item] = {}
        self.progress = _NoProgress()

    def run(self) -> None:
        source, options = self.source, self.options
        crawling = _progress(None, f"{source.id} (crawling)" if source.streams
                             else f"{source.id} (listing)", options.progress)

        def on_page(url: str, status: str) -> None:
            crawling.update(1)
            self.decider.event("crawled", url=url, status=status, logger=log)

        ctx = Context(self.fetcher, self.decider.rows, self.decider.trusted, on_page,
                      self.decider.resting, self.decider.listing_gap)
        limit = int(source.options.get("max_documents") or 0)
        workers = options.workers or os.cpu_count() or 1   # 0: one per core
        try:
            if source.streams:
                # A crawl is extracted while it goes on; the total is known at its end.
                items: Iterable[Item] = self._streamed(discover(source, ctx), limit, crawling)
                self.progress = _progress(None, source.id, options.progress)
            else:
                try:
                    items = _limited(list(discover(source, ctx)), limit)
                finally:
                    crawling.close()
                documents = sum(1 for item in items if _is_document(item))
                self._listing_done(documents)
                for item in items:
                    self.decider.admit(item)
                workers = min(workers, documents or 1)
                self.progress = _progress(documents, source.id, options.progress)
            tasks = self._tasks(items)
            del items
            first = next(tasks, None)
            if first is not None:    # workers start only when something needs extracting
                tasks = _first_then(first, tasks)
                first = None
                for doc_id, ok, result in self.pool.run(tasks, workers=workers):
                    self.progress.update(1)
                    self.sink.apply(self.decider.worker_result(
                        self.in_flight.pop(doc_id), ok, result))
        except DiscoveryError as exc:
            # Nothing is retired: the listing is incomplete.
            self.decider.report.error = str(exc)
            self.decider.event("source-failed", level=logging.ERROR, logger=log,
                              error=str(exc))
            return
        finally:
            crawling.close()
            self.progress.close()
        for actions in self.decider.after_listing():
            self.sink.apply(actions)

    def _streamed(self, items: Iterator[Item], limit: int, crawling) -> Iterator[Item]:
        """A crawl's items as they come, each admitted as it is taken; at its end the
        listing is complete."""
        count = 0
        try:
            for item in items:
                self.decider.admit(item)
                yield item
                if _is_document(item):
                    count += 1
                    if limit and count >= limit:
                        break
        finally:
            close = getattr(items, "close", None)
            if close is not None:          # a generator: stop it (and its fetches)
                close()
        crawling.close()
        self._listing_done(count)
        self.progress.total = count
        self.progress.refresh()

    def _listing_done(self, count: int) -> None:
        self.decider.listing_done()
        self.decider.event("discovered", items=count, logger=log)

    def _tasks(self, items: Iterable[Item]) -> Iterator[tuple[str, object]]:
        """Tasks for the workers, in the order content arrives; what the decide stage
        settles without a worker (unchanged, failed, gone) is handled on the way.

        Tasks are yielded straight out of a queue, so once the worker pool has one (and
        sent it), nothing here holds it or the body it carries."""
        # A source's URLs are mostly on one host, which gets max_per_host connections;
        # more threads than that would only wait for them.
        threads = max(1, min(self.options.fetch_threads, self.options.max_per_host))
        pending = arrivals(items, self.fetch, threads=threads)
        ready: deque[tuple[str, object]] = deque()
        while self._take(pending, ready):
            while ready:
                yield ready.popleft()

    def _take(self, pending: Iterator[tuple[Item, object]], ready: deque) -> bool:
        """Decide on the next arrival; its task, if any, joins ``ready`` (False: there
        are no more). A method of its own, so no frame keeps the body afterwards."""
        arrival = next(pending, None)
        if arrival is None:
            return False
        item, result = arrival
        del arrival
        decision = self.decider.arrived(item, result)
        del result
        self.sink.apply(decision.actions)
        task = decision.task
        del decision
        if task is not None:
            self.in_flight[item.doc_id] = item
            ready.append((item.doc_id, task))
        elif _is_document(item):
            self.progress.update(1)
        return True


def _is_document(item: Item) -> bool:
    return not (item.unsupported or item.alias_only)


def _limited(items: list[Item], limit: int) -> list[Item]:
    """The items up to the ``limit``-th document (0: all)."""
    if not limit:
        return items
    kept, documents = [], 0
    for item in items:
        if documents >= limit:
            break
        kept.append(item)
        documents += _is_document(item)
    return kept


def _first_then(first, rest: Iterator) -> Iterator:
    """``first``, then ``rest``; ``first`` (a task, with the body it carries) is held no
    longer than until it is taken (``itertools.chain([first], rest)`` holds it until the
    next one is)."""
    ahead = [first]
    del first
    while ahead:
        yield ahead.pop()
    yield from rest


class _NoProgress:
    total: int | None = None

    def update(self, n: int) -> None:
        pass

    def refresh(self) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int | None, label: str, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return _NoProgress()
    from tqdm import tqdm
    return tqdm(total=total, desc=label, unit="doc", leave=False)
