"""One source's part of a run: discover, fetch politely, extract what changed,
write, merge duplicates, and retire what is gone.

The parent process does all HTTP (through one ``Fetcher``, so politeness and the
private-address guard hold for every request) in a few threads; only content that
changed goes to the extraction workers. A crawl is not listed first: its pages are
taken as it fetches them, no faster than the workers take tasks, so extraction starts
with the first page and the crawl runs only a few pages ahead; the other kinds are
listed first (their items are light). A fetched body is held only until its task is
sent to a worker; what is kept for the whole source run is its URLs and document ids
(for retiring what is no longer listed). For sources read over HTTP the crawl state
decides what may be skipped without a request (sitemap ``lastmod``), what is asked
conditionally (ETag, Last-Modified), and when a URL has been gone long enough to
leave the index. The state is trusted only where the index agrees with it, so a
run killed between an index commit and a state commit costs a re-fetch, never a
missing document.
"""

from __future__ import annotations

import copy
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from indexer.discover import Context, DiscoveryError, Item, discover, streams
from indexer.extract.base import ExtractionError
from indexer.fetch import Fetched, Fetcher, FetchError, FetchOptions
from indexer.pool import run_tasks
from indexer.sources import Source
from indexer.state import CrawlState, UrlState
from searchhub.models import Document

#: The crawl state says this URL is unchanged since the last run; no request needed.
SKIPPED = "skipped-by-lastmod"
#: Whether a document is a duplicate cannot be told before the listing is complete.
UNDECIDED = object()


class RunWriter:
    """The run's view of the index: a lazy engine writer committed every N changes,
    the documents written since the last commit, and the crawl state committed right
    after each index commit."""

    def __init__(self, engine, state: CrawlState, commit_every: int,
                 commit_interval: float = 60.0):
        self.engine = engine
        self.state = state
        self.commit_every = commit_every
        self.commit_interval = commit_interval
        self._opened_at = 0.0
        self._writer = None
        self._pending: dict[str, Document] = {}
        self._deleted: set[str] = set()
        self._ids: set[str] | None = None

    def exists(self, doc_id: str) -> bool:
        if self._ids is None:
            self._ids = set(self.engine.known())
        return doc_id in self._pending or (doc_id in self._ids and doc_id not in self._deleted)

    def get(self, doc_id: str) -> Document | None:
        if doc_id in self._pending:
            return copy.deepcopy(self._pending[doc_id])
        return self.engine.get(doc_id) if self.exists(doc_id) else None

    def _open(self):
        if self._writer is None:
            self._writer = self.engine.writer(timeout=30)
            self._opened_at = time.monotonic()
        return self._writer

    def add(self, doc: Document) -> None:
        self.exists(doc.id)
        if doc.id in self._pending:
            # Whoosh cannot replace a document added by the same, uncommitted writer.
            self.commit()
        self._open().add(doc)
        self._pending[doc.id] = doc
        self._deleted.discard(doc.id)
        self._ids.add(doc.id)
        self._maybe_commit()

    def delete(self, doc_id: str) -> None:
        self.exists(doc_id)
        if doc_id in self._pending:
            self.commit()
        self._open().delete(doc_id)
        self._pending.pop(doc_id, None)
        self._deleted.add(doc_id)
        self._maybe_commit()

    def _maybe_commit(self) -> None:
        """Commit every ``commit_every`` changes, and at least every ``commit_interval``
        seconds, so searches see a slow crawl's documents soon."""
        if self._writer is not None and (
                self._writer.pending >= self.commit_every
                or time.monotonic() - self._opened_at >= self.commit_interval):
            self.commit()

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer = None
            self._pending.clear()
        self.state.commit()

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None


class SourceRun:
    """Runs one source; fills ``report`` (a pipeline.SourceReport)."""

    def __init__(self, source: Source, report, *, engine, writer: RunWriter, state: CrawlState,
                 fetcher: Fetcher, options, force: bool, emit: Callable[[dict], None],
                 make_task: Callable, process: Callable, init_worker: Callable,
                 curation=None):
        self.source = source
        self.report = report
        self.engine = engine
        self.writer = writer
        self.state = state
        self.fetcher = fetcher
        self.options = options
        self.force = force
        self.emit = emit
        self.make_task = make_task
        self.process = process
        self.init_worker = init_worker
        self.curation = curation        # a CurationInput (plain data), or None
        # Documents curators asked to have fetched again: no validators, no hash skip.
        self.recrawl: set[str] = set(curation.recrawl) if curation is not None else set()
        self.http = source.over_http
        self.allow_private = source.options.get("allow_private", False)
        delay = source.options.get("delay")
        self.delay = float(delay) if delay is not None else None
        self.gone_after = int(source.options.get("gone_after_runs", options.gone_after_runs))
        self.known: dict[str, str] = {}
        self.rows: dict[str, UrlState] = {}
        # The ETag and Last-Modified of content handed to a worker (never the content).
        self.validators: dict[str, tuple[str, str]] = {}
        # Items whose tasks are with the workers (bodies already handed over).
        self.in_flight: dict[str, Item] = {}
        self.seen_urls: set[str] = set()     # URLs listed (or crawled) in this run
        self.seen_ids: set[str] = set()      # and their document ids
        self.listed = False                  # is the listing complete (seen_* final)?
        # Changed documents that may be duplicates of a URL of this source the crawl
        # has not reached yet: written once it is known whether it is still there.
        self.undecided: list[tuple[Item, object, tuple[str, str] | None]] = []

    # -- helpers ---------------------------------------------------------------

    def _event(self, event: str, item: Item | None = None, **extra) -> None:
        payload = {"event": event, "source": self.source.id}
        if item is not None:
            payload.update(id=item.doc_id, url=item.url or item.location)
        payload.update(extra)
        self.emit(payload)

    def _count(self, key: str, item: Item | None = None, **extra) -> None:
        self.report.counts[key] += 1
        self._event(key, item, **extra)

    def _fail(self, item: Item, reason: str, message: str) -> None:
        from indexer.pipeline import Failure

        self.report.counts["failed"] += 1
        self.report.failures.append(Failure(item.doc_id, item.location or item.url, reason,
                                            message))
        self._event("failed", item, reason=reason, message=message)
        if self.http:
            key = _key(item)
            row = self.rows.get(key)
            self.state.failed(self.source.id, key, f"{reason}: {message}")
            if row is None or row.status not in ("indexed", "duplicate"):
                self.state.record(self.source.id, key, status="failed")

    def _forced(self, doc_id: str) -> bool:
        return self.force or doc_id in self.recrawl

    def _record(self, key: str, **values) -> None:
        if self.http:
            self.state.record(self.source.id, key, **values)

    def trusted(self, row: UrlState) -> bool:
        """May this row's validators be sent, or its lastmod skip the request? Only if
        the index holds what the row says it does."""
        if self._forced(row.doc_id) or not row.content_hash:
            return False
        if row.status == "indexed":
            return self.known.get(row.doc_id) == row.content_hash
        if row.status == "duplicate":
            return self.writer.exists(row.doc_id)
        return False

    # -- the run ---------------------------------------------------------------

    def run(self) -> None:
        source = self.source
        self.known = self.engine.known(source.id)
        self.rows = self.state.urls(source.id) if self.http else {}
        from indexer.pipeline import _progress

        crawling = _progress(None, f"{source.id} (crawling)" if streams(source)
                             else f"{source.id} (listing)", self.options.progress)

        def on_page(url: str, status: str) -> None:
            crawling.update(1)
            self.emit({"event": "crawled", "source": source.id, "url": url, "status": status})

        ctx = Context(self.fetcher, self.rows, self.trusted, on_page, self._moved_aliases)
        limit = int(source.options.get("max_documents") or 0)
        workers = self.options.workers or os.cpu_count() or 1   # 0: one per core
        progress = None
        try:
            if streams(source):
                # A crawl is extracted while it goes on; the total is known at its end.
                items: Iterable[Item] = self._streamed(discover(source, ctx), limit, crawling)
                progress = _progress(None, source.id, self.options.progress)
            else:
                try:
                    items = list(discover(source, ctx))
                finally:
                    crawling.close()
                if limit:
                    items = items[:limit]
                self._listing_done(len(items))
                self.seen_urls.update(_key(item) for item in items)
                workers = min(workers, len(items) or 1)
                progress = _progress(len(items), source.id, self.options.progress)
            self.progress = progress
            tasks = self._tasks(items)
            del items
            first = next(tasks, None)
            if first is not None:    # workers start only when something needs extracting
                tasks = _first_then(first, tasks)
                first = None
                for doc_id, ok, result in run_tasks(
                        self.process, tasks, workers=workers,
                        timeout=self.options.document_timeout,
                        initializer=self.init_worker,
                        initargs=(str(self.options.taxonomy_dir),)):
                    progress.update(1)
                    self._worker_result(self.in_flight.pop(doc_id), ok, result)
        except DiscoveryError as exc:
            # Nothing is retired: the listing is incomplete.
            self.report.error = str(exc)
            self._event("source-failed", error=str(exc))
            return
        finally:
            crawling.close()
            if progress is not None:
                progress.close()
        for item, outcome, validators in self.undecided:
            self._changed(item, outcome, validators)
        self.undecided.clear()
        self._retire(self.seen_ids)
        self.state.commit()

    def _streamed(self, items: Iterator[Item], limit: int, crawling) -> Iterator[Item]:
        """A crawl's items as they come; at its end the listing is complete."""
        count = 0
        try:
            for item in items:
                count += 1
                yield item
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
        self.listed = True
        self.emit({"event": "discovered", "source": self.source.id, "items": count})

    def _tasks(self, items: Iterable[Item]) -> Iterator[tuple[str, object]]:
        """Tasks for the workers, in the order content arrives; everything decided
        without a worker (unchanged, failed, gone) is handled here on the way.

        Items are taken only as fast as tasks are: a crawl behind ``items`` waits for
        the workers rather than piling pages up. Tasks are yielded straight out of a
        queue, so once the worker pool has one (and sent it), nothing here holds it or
        the body it carries."""
        pending = iter(items)
        # A source's URLs are mostly on one host, which gets max_per_host connections;
        # more threads than that would only wait for them.
        threads = max(1, min(self.options.fetch_threads, self.options.max_per_host))
        window = threads * 4
        ready: deque[tuple[str, object]] = deque()
        futures: set[Future] = set()
        more = True
        with ThreadPoolExecutor(threads) as pool:
            while more or futures:
                if more and len(futures) < window:
                    more = self._admit(next(pending, None), pool, futures, ready)
                    self._harvest({f for f in futures if f.done()}, futures, ready)
                else:
                    self._harvest(wait(futures, return_when=FIRST_COMPLETED).done, futures,
                                  ready)
                while ready:
                    yield ready.popleft()

    def _admit(self, item: Item | None, pool: ThreadPoolExecutor, futures: set[Future],
               ready: deque) -> bool:
        """Take one discovered item in (False: there are no more)."""
        if item is None:
            return False
        self.seen_ids.add(item.doc_id)
        self.seen_urls.add(_key(item))
        self._moved_aliases(item)
        if item.prefetched is not None:        # crawled: its content is here already
            fetched, item.prefetched = item.prefetched, None
            self._arrived(item, fetched, ready)
        elif _needs_fetch(item):
            futures.add(pool.submit(self._fetch, item))
        else:
            self._hand_over(item, self._task(item, None), ready)
        return True

    def _harvest(self, done: set[Future], futures: set[Future], ready: deque) -> None:
        for future in done:
            futures.discard(future)
            self._arrived(*future.result(), ready)

    def _arrived(self, item: Item, result, ready: deque) -> None:
        task = self._after_fetch(item, result)
        if task is None:
            self.progress.update(1)
        else:
            self._hand_over(item, task, ready)

    def _hand_over(self, item: Item, task, ready: deque) -> None:
        self.in_flight[item.doc_id] = item
        ready.append((item.doc_id, task))

    def _task(self, item: Item, fetched: Fetched | None):
        fetch_options = FetchOptions(self.options.max_bytes, self.options.http_timeout,
                                     self.options.user_agent)
        return self.make_task(item, self.source, self.known.get(item.doc_id, ""),
                              fetch_options, self._forced(item.doc_id), fetched)

    def _fetch(self, item: Item):
        """In a fetch thread: the item and a Fetched, an exception, or SKIPPED."""
        row = self.rows.get(item.location)
        etag = last_modified = ""
        if row is not None and self.trusted(row):
            if item.lastmod and row.lastmod == item.lastmod:
                return item, SKIPPED
            etag, last_modified = row.etag, row.last_modified
        try:
            return item, self.fetcher.get(item.location, allow_private=self.allow_private,
                                          etag=etag, last_modified=last_modified,
                                          delay=self.delay)
        except (FetchError, ExtractionError) as exc:
            return item, exc

    def _after_fetch(self, item: Item, result):
        """Decide in the parent what a fetch result means; a Task if it needs a worker."""
        from indexer.pipeline import content_hash

        key = _key(item)
        self.seen_urls.add(key)
        row = self.rows.get(key)
        if result is SKIPPED:
            self._record(key)
            self._count("unchanged", item, why="lastmod")
            return None
        if isinstance(result, FetchError) and result.gone:
            self._gone(item, row, result)
            return None
        if isinstance(result, FetchError) and result.reason == "robots":
            self._count("disallowed", item)      # not a failure: the platform said no
            return None
        if isinstance(result, ExtractionError):
            self._fail(item, result.reason, result.message)
            return None
        validators = {"etag": result.etag, "last_modified": result.last_modified,
                      "lastmod": item.lastmod, "last_error": "", "error_count": 0}
        if item.links:
            validators["links"] = item.links
        if result.not_modified:
            if not result.etag:
                validators.pop("etag")
            if not result.last_modified:
                validators.pop("last_modified")
            self._record(key, **validators)
            self._count("unchanged", item, why="not-modified")
            return None
        digest = content_hash(result.data, item.record)
        if not self._forced(item.doc_id) and (
                self.known.get(item.doc_id) == digest
                or (row is not None and row.status == "duplicate" and row.content_hash == digest
                    and self.writer.exists(row.doc_id))):
            self._record(key, content_hash=digest, **validators)
            self._count("unchanged", item, why="same-content")
            return None
        self.validators[item.doc_id] = (result.etag, result.last_modified)
        return self._task(item, result)

    def _worker_result(self, item: Item, ok: bool, result) -> None:
        if not ok:
            reason = getattr(result, "reason", type(result).__name__.lower())
            message = getattr(result, "message", None) or str(result)
            if not isinstance(result, ExtractionError):
                reason = {"TaskTimeout": "timeout", "WorkerDied": "worker-died"}.get(
                    type(result).__name__, "error")
            self._fail(item, reason, message)
            return
        validators = self.validators.pop(item.doc_id, None)
        if result.status == "unchanged":
            self._count("unchanged", item)
            if self.http:
                self.state.record(self.source.id, _key(item), content_hash=result.content_hash)
            return
        self._changed(item, result, validators)

    def _changed(self, item: Item, outcome, validators: tuple[str, str] | None) -> None:
        doc = outcome.document
        key = _key(item)
        values = {"content_hash": outcome.content_hash, "fingerprint": outcome.fingerprint,
                  "simhash": outcome.simhash, "lastmod": item.lastmod, "last_error": "",
                  "error_count": 0}
        if validators is not None:
            values.update(etag=validators[0], last_modified=validators[1])
        if item.links:
            values["links"] = item.links
        survivor = self._survivor(outcome, item) if self.http else None
        if survivor is UNDECIDED:
            self.undecided.append((item, outcome, validators))
            return
        if survivor is not None:
            if self.writer.exists(item.doc_id):        # it was a result of its own before
                self.writer.delete(item.doc_id)
            target = self.writer.get(survivor)
            entry = {"source": self.source.id, "agency": self.source.agency,
                     "url": item.url or item.location}
            if entry not in target.also_at:
                target.also_at = [*target.also_at, entry]
                self.writer.add(target)
            self.state.record(self.source.id, key, status="duplicate", doc_id=survivor,
                              **values)
            self._count("merged", item, into=survivor)
            return
        previous = self.writer.get(item.doc_id) if item.doc_id in self.known else None
        if previous is not None:
            doc.also_at = previous.also_at      # places merged into it stay listed
            row = self.rows.get(key)
            if self.http and row is not None and row.fingerprint != outcome.fingerprint:
                # Its text changed: the places merged into it may no longer hold the same
                # report. They are fetched in full next run and merged again, or not.
                stale = self.state.merged_into(item.doc_id)
                for merged in stale:
                    self.state.record(merged.source_id, merged.url, status="new", etag="",
                                      last_modified="", lastmod="", content_hash="")
                urls = {merged.url for merged in stale}
                doc.also_at = [e for e in doc.also_at if e.get("url") not in urls]
        if self.curation is not None:
            doc = self.curation.correct(doc)
            signals = self.curation.signals_of(doc)
            if signals is not None:
                self.report.signals.append(signals)
        self.writer.add(doc)
        if doc.id in self.recrawl:
            self.report.recrawled.append(doc.id)
            self.recrawl.discard(doc.id)
        if self.http:
            self.state.record(self.source.id, key, status="indexed", doc_id=item.doc_id,
                              **values)
        self._count("updated" if item.doc_id in self.known else "added", item,
                    quality=doc.quality)

    def _survivor(self, outcome, item: Item) -> str | None:
        """The document already indexed with the same or nearly the same text, if any
        (not this one)."""
        if not outcome.fingerprint:
            return None
        for row in self.state.duplicates_of(outcome.fingerprint, outcome.simhash):
            if row.doc_id == item.doc_id or not self.writer.exists(row.doc_id):
                continue
            if row.source_id == self.source.id and row.url not in self.seen_urls:
                if not self.listed:
                    # The crawl may still reach the old URL: decide at its end.
                    return UNDECIDED
                # The same text at a new URL while the old one left the listing: the page
                # moved. The new URL takes over instead of being merged into the old.
                if self._remove_row(row, item):
                    self._count("removed", item, reason="moved", old_url=row.url)
                self.state.forget(row.source_id, row.url)
                continue
            return row.doc_id
        return None

    # -- leaving the index -----------------------------------------------------

    def _remove_row(self, row: UrlState, item: Item | None, **why) -> bool:
        """Take a URL's document out of the index (or its place out of the document
        it was merged into). True if something left the index."""
        if row.status == "duplicate":
            target = self.writer.get(row.doc_id)
            if target is not None:
                target.also_at = [e for e in target.also_at if e.get("url") != row.url]
                self.writer.add(target)
            return True
        if row.status == "indexed" and self.writer.exists(row.doc_id):
            self.writer.delete(row.doc_id)
            # Places merged into it become results of their own at the next run.
            for merged in self.state.merged_into(row.doc_id):
                self.state.record(merged.source_id, merged.url, status="new", etag="",
                                  last_modified="", lastmod="", content_hash="")
            return True
        return False

    def _gone(self, item: Item, row: UrlState | None, exc: FetchError) -> None:
        key = _key(item)
        removed = row is not None and self._remove_row(row, item)
        if not removed and item.doc_id in self.known and self.writer.exists(item.doc_id):
            self.writer.delete(item.doc_id)
            removed = True
        if removed:
            self._count("removed", item, reason=exc.reason)
            if self.http:
                self.state.failed(self.source.id, key, f"{exc.reason}: {exc.message}")
        else:
            self._fail(item, exc.reason, exc.message)
        self._record(key, status="gone")

    def _moved_aliases(self, item: Item) -> None:
        """URLs that now redirect to ``item``: their old documents leave the index."""
        for alias in item.aliases:
            self.seen_urls.add(alias)
            row = self.rows.get(alias)
            if row is None:
                continue
            if row.doc_id != item.doc_id and self._remove_row(row, item):
                self._count("removed", item, reason="moved", old_url=alias)
            self.state.forget(self.source.id, alias)

    def _retire(self, seen_ids: set[str]) -> None:
        """Documents no longer listed. Over HTTP they leave after ``gone_after_runs``
        runs (a platform's listing may hiccup); local files leave at once."""
        if not self.http:
            for gone in sorted(set(self.known) - seen_ids):
                self.writer.delete(gone)
                self._count("removed", None, id=gone, reason="not-listed")
            return
        covered = set()
        for url, row in self.rows.items():
            covered.add(row.doc_id)
            if url in self.seen_urls or row.doc_id in seen_ids and row.status == "indexed":
                continue
            missing = self.state.missing(self.source.id, url)
            if missing >= max(1, self.gone_after):
                if self._remove_row(row, None):
                    self._count("removed", None, id=row.doc_id, url=url, reason="not-listed",
                                runs=missing)
                self.state.forget(self.source.id, url)
        # Documents the state knows nothing of (written before it existed): at once.
        for gone in sorted(set(self.known) - seen_ids - covered):
            self.writer.delete(gone)
            self._count("removed", None, id=gone, reason="not-listed")


def _first_then(first, rest: Iterator) -> Iterator:
    """``first``, then ``rest``; ``first`` (a task, with the body it carries) is held no
    longer than until it is taken (``itertools.chain([first], rest)`` holds it until the
    next one is)."""
    ahead = [first]
    del first
    while ahead:
        yield ahead.pop()
    yield from rest


def _key(item: Item) -> str:
    return item.location or item.url or item.doc_id


def _needs_fetch(item: Item) -> bool:
    return item.prefetched is not None or (
        item.location.startswith(("http://", "https://")) and not item.record.get("text"))
