"""The decide stage: what each fetched item and each worker's outcome means for the
index, and, once the listing is over, what leaves it.

In: ``(item, result)`` pairs from the fetch stage, ``(item, ok, outcome)`` from the
workers, and the end of the listing; it reads the index (``IndexView``: what exists)
and the crawl state, and writes neither. Out: a ``worker.Task`` for content that
needs extracting, counts and events in the ``SourceReport``, and ``actions`` (plain
data, ``indexer.actions``) that the write stage (``write.SourceWriter.apply``)
carries out, in order, before the next decision is taken. Duplicates (the same or
nearly the same text) merge into the document already indexed; every removal is
planned by ``plan.Plan.leave``: 404/410 at once (and a soft 404, a page that answers
200 but says it is not there, which a worker finds: the same), URLs that redirect to
another item and documents no longer listed only after the listing, since only then
is it known what is still there. Dead links (404, 410, soft 404, no connection) are
remembered, counted as ``known_dead`` once known instead of failing again, and asked
again after a rest that doubles (``DEAD_REST_MAX``).

The curation steps (corrections applied before a document is written, automatic
flags, re-crawl requests) are the small methods at the end of ``Decider``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from indexer.actions import (
    Action,
    Add,
    Delete,
    Forget,
    Merge,
    Missed,
    RefetchMerged,
)
from indexer.discover.base import KNOWN_DEAD, Item, Source
from indexer.discover.urls import NOINDEX, canonical_of, normaliser, robots_directives
from indexer.extract.base import ExtractionError
from indexer.fetch import Fetched, FetchError
from indexer.fetching import SKIPPED
from indexer.options import RunOptions
from indexer.plan import IndexView, Plan
from indexer.report import Failure, SourceReport
from indexer.state import CrawlState, UrlState
from indexer.worker import Outcome, Task, content_hash, make_task
from searchhub.models import document_id

log = logging.getLogger(__name__)

#: Whether a document is a duplicate cannot be told before the listing is complete.
UNDECIDED = object()
#: Worker exceptions that are not about the document: the reason they are reported as.
_POOL_REASONS = {"TaskTimeout": "timeout", "WorkerDied": "worker-died"}
#: The fetch errors that make a link dead (not a passing failure such as a 503);
#: "soft-404" comes from a worker (``extract.soft404``).
DEAD_REASONS = ("http-404", "http-410", "soft-404", "connection")
#: A dead link is asked again 1, 2, 4... runs of its source after it was last found
#: dead, and at least every this many runs.
DEAD_REST_MAX = 16


def key_of(item: Item) -> str:
    """The URL (or path) under which the crawl state knows an item."""
    return item.location or item.url or item.doc_id


@dataclass(frozen=True)
class Decision:
    """What a fetch result means: a task for the workers, or None; and the actions
    for the write stage."""

    task: Task | None = None
    actions: tuple[Action, ...] = ()


class Decider:
    """The decisions of one source's run; fills ``report`` (a SourceReport) and
    returns the actions each decision takes. ``state`` is only read."""

    def __init__(self, source: Source, report: SourceReport, *, index: IndexView,
                 state: CrawlState, known: dict[str, str], rows: dict[str, UrlState],
                 options: RunOptions, force: bool, emit: Callable[[dict], None],
                 curation=None, run_number: int = 1):
        self.source = source
        self.report = report
        self.index = index
        self.state = state
        self.known = known                  # doc id -> content hash, in the index
        self.rows = rows                    # url -> the crawl state's row
        self.options = options
        self.force = force
        self.emit = emit
        self.http = source.over_http
        self.gone_after = int(source.options.get("gone_after_runs", options.gone_after_runs))
        self.curation = curation            # a CurationInput (plain data), or None
        self.run_number = run_number        # this run of the source (its run counter)
        # Documents curators asked to have fetched again: no validators, no hash skip.
        self.recrawl: set[str] = self._recrawl_requests()
        # The ETag and Last-Modified of content handed to a worker (never the content).
        self.validators: dict[str, tuple[str, str]] = {}
        self.seen_urls: set[str] = set()     # URLs listed (or crawled) in this run
        self.seen_ids: set[str] = set()      # and their document ids
        self.listed = False                  # is the listing complete (seen_* final)?
        self.gaps = 0                        # parts of the listing that could not be read
        # Changed documents that may be duplicates of a URL of this source the crawl
        # has not reached yet: written once it is known whether it is still there.
        self.undecided: list[tuple[Item, Outcome, tuple[str, str] | None]] = []
        # Items with URLs that now redirect to them: the old documents leave after
        # the listing.
        self.moved: list[Item] = []
        self.moved_urls: set[str] = set()
        # The actions of the decision being taken, not yet carried out.
        self.plan = Plan(index, self.http)

    # -- events and counts -----------------------------------------------------

    def event(self, event: str, item: Item | None = None, level: int = logging.INFO, *,
              logger: logging.Logger = log, **extra) -> None:
        """Tell the run's caller (``emit``) and the log: one line per event."""
        payload = {"event": event, "source": self.source.id}
        if item is not None:
            payload.update(id=item.doc_id, url=item.url or item.location)
        payload.update(extra)
        logger.log(level, event, extra={"fields": payload})
        self.emit(payload)

    def count(self, key: str, item: Item | None = None, **extra) -> None:
        self.report.counts[key] += 1
        self.event(key, item, **extra)

    def fail(self, item: Item, reason: str, message: str, error: BaseException | None = None,
             traceback: str = "") -> None:
        failure = Failure(item.doc_id, item.location or item.url, reason, message,
                          type(error).__name__ if error is not None else "", traceback)
        self.report.counts["failed"] += 1
        self.report.failures.append(failure)
        extra = {"error_type": failure.error_type} if failure.error_type else {}
        if traceback:
            extra["traceback"] = traceback
        self.event("failed", item, logging.WARNING, reason=reason, message=message, **extra)
        if self.http:
            key = key_of(item)
            row = self.rows.get(key)
            self.plan.record_error(key, f"{reason}: {message}")
            if row is None or row.status not in ("indexed", "duplicate", "variant"):
                self.plan.record(key, status="failed")

    # -- reads -----------------------------------------------------------------

    def forced(self, doc_id: str) -> bool:
        return self.force or doc_id in self.recrawl

    def trusted(self, row: UrlState) -> bool:
        """May this row's validators be sent, or its lastmod skip the request? Only if
        the index holds what the row says it does."""
        if row.status == "noindex":           # nothing in the index to match
            return not self.forced(row.doc_id)
        if self.forced(row.doc_id) or not row.content_hash:
            return False
        if row.status == "indexed":
            return self.known.get(row.doc_id) == row.content_hash
        if row.status in ("duplicate", "variant"):
            return self.index.exists(row.doc_id)
        return False

    def resting(self, row: UrlState) -> bool:
        """Is this row a dead link that this run does not ask again (see ``_dead``)?"""
        return (bool(row.dead_reason) and self.run_number < row.dead_retry_run
                and not self.forced(row.doc_id))

    # -- items as they are listed and arrive -------------------------------------

    def admit(self, item: Item) -> Item:
        """An item taken from discovery: note what the listing holds."""
        if item.alias_only or item.aliases:
            self.seen_urls.update(item.aliases)
            self.moved.append(item)
            self.moved_urls.update(item.aliases)
        if not (item.alias_only or item.unsupported):
            self.seen_ids.add(item.doc_id)
            self.seen_urls.add(key_of(item))
        return item

    def listing_done(self) -> None:
        self.listed = True

    def listing_gap(self, url: str, message: str) -> None:
        """A part of the listing (a sitemap of an index) could not be read: a failure of
        this run, and no document is retired in it (those that part lists are unseen,
        not gone)."""
        self.gaps += 1
        self.report.counts["failed"] += 1
        self.report.failures.append(Failure("", url, "listing", message))
        self.event("failed", None, logging.WARNING, url=url, reason="listing",
                   message=message)

    def arrived(self, item: Item, result: Any) -> Decision:
        """What a fetch-stage result means: a worker Task, or none when decided here
        (unchanged, gone, disallowed, failed, not a document); and its actions."""
        task = None
        if item.unsupported:
            self.count("unsupported", item)
        elif item.alias_only:
            pass
        elif result is None:
            task = self.task(item, None)
        else:
            task = self._after_fetch(item, result)
        return Decision(task, self.plan.done())

    def task(self, item: Item, fetched: Fetched | None):
        return make_task(item, self.source, self.known.get(item.doc_id, ""),
                         self.options.fetch_options(), self.forced(item.doc_id), fetched)

    def _after_fetch(self, item: Item, result):
        key = key_of(item)
        self.seen_urls.add(key)
        row = self.rows.get(key)
        said_noindex = row is not None and row.status == "noindex"
        if result is SKIPPED:
            self.plan.record(key)
            self.count("noindex" if said_noindex else "unchanged", item, why="lastmod")
            return None
        if result is KNOWN_DEAD:
            self.plan.record(key)
            self.count("known_dead", item, reason=row.dead_reason, why="resting")
            return None
        if isinstance(result, FetchError) and result.gone:
            self._gone(item, row, result)
            return None
        if isinstance(result, FetchError) and result.reason == "robots":
            self.count("disallowed", item)      # not a failure: the platform said no
            return None
        if isinstance(result, FetchError) and result.reason in DEAD_REASONS:
            if row is not None and row.dead_reason:
                self.count("known_dead", item, reason=result.reason)
                self.plan.record_error(key, f"{result.reason}: {result.message}")
            else:
                self.fail(item, result.reason, result.message, result)
            self._dead(key, row, result)
            return None
        if isinstance(result, ExtractionError):
            self.fail(item, result.reason, result.message, result)
            return None
        if row is not None and row.dead_reason:     # back from the dead
            self.plan.record(key, dead_reason="", dead_checks=0, dead_retry_run=0)
        validators = {"etag": result.etag, "last_modified": result.last_modified,
                      "lastmod": item.lastmod, "last_error": "", "error_count": 0}
        if item.links:
            validators["links"] = item.links
        if result.not_modified:
            if not result.etag:
                validators.pop("etag")
            if not result.last_modified:
                validators.pop("last_modified")
            self.plan.record(key, **validators)
            self.count("noindex" if said_noindex else "unchanged", item, why="not-modified")
            return None
        if NOINDEX in robots_directives(result.data, result.content_type, result.robots_tag,
                                        self.options.user_agent):
            self._noindex(item, row, validators)
            return None
        digest = content_hash(result.data, item.record)
        if not self.forced(item.doc_id) and (
                self.known.get(item.doc_id) == digest
                or (row is not None and row.content_hash == digest and (
                    row.status in ("duplicate", "variant") and self.plan.exists(row.doc_id)
                    # a page indexed under its canonical URL
                    or row.status == "indexed" and self.known.get(row.doc_id) == digest))):
            self.plan.record(key, content_hash=digest, **validators)
            self.count("unchanged", item, why="same-content")
            return None
        if not self.source.streams and not self._canonical(item, result, digest, validators):
            return None
        self.validators[item.doc_id] = (result.etag, result.last_modified)
        return self.task(item, result)

    def _canonical(self, item: Item, result: Fetched, digest: str, validators: dict) -> bool:
        """A listed page naming a canonical URL on its site is the document of that URL
        (a crawl settles this while it crawls). False when the page is only a variant of
        a document this run has already (its own or another variant's): it is
        recorded as merged into it and goes no further."""
        if item.doc_id != document_id(self.source.id, item.url):
            return True          # a catalogue record: its id is its record's, kept
        url = canonical_of(result.data, result.content_type, result.final_url,
                           normaliser(self.source.options))
        if not url or url == item.url:
            return True
        doc_id = document_id(self.source.id, url)
        if item.doc_id in self.known and self.plan.exists(item.doc_id):
            self.plan.do(Delete(item.doc_id))     # indexed under the variant's URL before
            self.count("removed", item, reason="canonical", canonical=url)
        if doc_id in self.seen_ids:
            # A variant, not a duplicate: no other place to list under "also at".
            self.plan.record(key_of(item), status="variant", doc_id=doc_id,
                             content_hash=digest, **validators)
            self.count("merged", item, into=doc_id, why="canonical")
            return False
        self.seen_ids.add(doc_id)
        item.doc_id, item.url = doc_id, url
        return True

    def worker_result(self, item: Item, ok: bool, result) -> tuple[Action, ...]:
        """A worker's Outcome for ``item``, or the exception it raised: the actions."""
        validators = self.validators.pop(item.doc_id, None)
        if not ok:
            self._worker_failed(item, result)
            return self.plan.done()
        if result.status == "unchanged":
            self.count("unchanged", item)
            self.plan.record(key_of(item), content_hash=result.content_hash)
        else:
            self._changed(item, result, validators)
        return self.plan.done()

    def _worker_failed(self, item: Item, error: BaseException) -> None:
        message = getattr(error, "message", None) or str(error)
        if isinstance(error, FetchError) and error.gone:     # a soft 404: as a 404
            self._gone(item, self.rows.get(key_of(item)), error)
            return
        if isinstance(error, ExtractionError):
            self.fail(item, error.reason, message, error)
            return
        reason = _POOL_REASONS.get(type(error).__name__, "error")
        # An error nobody expected is a bug to find: keep where it happened.
        traceback = getattr(error, "worker_traceback", "") if reason == "error" else ""
        self.fail(item, reason, message, error, traceback)

    def _changed(self, item: Item, outcome: Outcome,
                 validators: tuple[str, str] | None) -> None:
        doc = outcome.document
        key = key_of(item)
        values = {"content_hash": outcome.content_hash, "fingerprint": outcome.fingerprint,
                  "simhash": outcome.simhash, "lastmod": item.lastmod, "last_error": "",
                  "error_count": 0}
        if validators is not None:
            values.update(etag=validators[0], last_modified=validators[1])
        if item.links:
            values["links"] = item.links
        if item.keep_record:
            values["record"] = json.dumps(item.record, sort_keys=True, ensure_ascii=False)
        survivor = self._survivor(outcome, item) if self.http else None
        if survivor is UNDECIDED:
            self.undecided.append((item, outcome, validators))
            return
        if survivor is not None:
            if self.plan.exists(item.doc_id):        # it was a result of its own before
                self.plan.do(Delete(item.doc_id))
            self.plan.do(Merge(survivor, {"source": self.source.id, "agency": self.source.agency,
                                      "url": item.url or item.location}))
            self.plan.record(key, status="duplicate", doc_id=survivor, **values)
            self.count("merged", item, into=survivor)
            return
        previous = self.plan.previous(item.doc_id) if item.doc_id in self.known else None
        if previous is not None:
            doc.also_at = previous.also_at      # places merged into it stay listed
            row = self.rows.get(key)
            if self.http and row is not None and row.fingerprint != outcome.fingerprint:
                # Its text changed: the places merged into it may no longer hold the same
                # report. They are fetched in full next run and merged again, or not.
                urls = {merged.url for merged in self.state.merged_into(item.doc_id)}
                self.plan.do(RefetchMerged(item.doc_id))
                doc.also_at = [e for e in doc.also_at if e.get("url") not in urls]
        doc = self._curate(doc)
        update = item.doc_id in self.known
        self.plan.do(Add(doc, update=update))
        self._recrawl_done(doc.id)
        self.plan.record(key, status="indexed", doc_id=item.doc_id, **values)
        self.count("updated" if update else "added", item, quality=doc.quality)

    def _survivor(self, outcome: Outcome, item: Item) -> str | None | object:
        """The document already indexed with the same or nearly the same text, if any
        (not this one); UNDECIDED while the listing may still reach it."""
        if not outcome.fingerprint:
            return None
        for row in self.state.duplicates_of(outcome.fingerprint, outcome.simhash):
            if row.doc_id == item.doc_id or not self.plan.exists(row.doc_id):
                continue
            if row.url in self.moved_urls:       # it redirects elsewhere now: leaving
                continue
            if row.source_id == self.source.id and row.url not in self.seen_urls:
                if not self.listed:
                    # The crawl may still reach the old URL: decide at its end.
                    return UNDECIDED
                # The same text at a new URL while the old one left the listing: the page
                # moved. The new URL takes over instead of being merged into the old.
                if self.plan.leave(row):
                    self.count("removed", item, reason="moved", old_url=row.url)
                self.plan.do(Forget(row.source_id, row.url))
                continue
            if row.source_id != self.source.id and not self._same_audience(row.doc_id):
                continue      # merged, the copy for other viewers would hide or reveal it
            return row.doc_id
        return None

    def _same_audience(self, doc_id: str) -> bool:
        """Whether document ``doc_id`` is for the same viewers as this source's
        documents (``searchhub.visibility``)."""
        other = self.plan.previous(doc_id)
        mine = sorted(self.source.defaults.get("visibility") or [])
        return other is None or sorted(other.visibility) == mine

    def _gone(self, item: Item, row: UrlState | None, exc: FetchError) -> None:
        """A 404 or 410, or a soft 404: the document leaves at once (it is not merely
        unlisted). A link already known dead is counted as such; a new dead link is a
        failure."""
        key = key_of(item)
        removed = row is not None and self.plan.leave(row)
        if not removed and item.doc_id in self.known and self.plan.exists(item.doc_id):
            self.plan.do(Delete(item.doc_id))
            removed = True
        if removed:
            self.count("removed", item, reason=exc.reason)
            self.plan.record_error(key, f"{exc.reason}: {exc.message}")
        elif row is not None and row.dead_reason:
            self.count("known_dead", item, reason=exc.reason)
            self.plan.record_error(key, f"{exc.reason}: {exc.message}")
        else:
            self.fail(item, exc.reason, exc.message, exc)
        self.plan.record(key, status="gone")
        self._dead(key, row, exc)

    def _noindex(self, item: Item, row: UrlState | None, validators: dict) -> None:
        """A page (or file) whose robots meta tag or X-Robots-Tag header says noindex:
        not a document, and not a failure; indexed before, it leaves now. Its links
        are still followed (unless it also says nofollow). Its validators and links are
        kept: the next run asks it conditionally (``trusted``), and a crawl goes on
        through the links it stored when it answers 304."""
        key = key_of(item)
        removed = row is not None and self.plan.leave(row)
        if not removed and item.doc_id in self.known and self.plan.exists(item.doc_id):
            self.plan.do(Delete(item.doc_id))
            removed = True
        self.count("removed" if removed else "noindex", item, reason="noindex")
        self.plan.record(key, status="noindex", content_hash="", **validators)

    def _dead(self, key: str, row: UrlState | None, exc: FetchError) -> None:
        """Remember a dead link: after the n-th run in a row that found it dead it rests
        for min(2**(n-1), DEAD_REST_MAX) runs of its source (its item then comes as
        ``KNOWN_DEAD``, with no request)."""
        checks = (row.dead_checks if row is not None and row.dead_reason else 0) + 1
        rest = min(2 ** (checks - 1), DEAD_REST_MAX)
        self.plan.record(key, dead_reason=exc.reason, dead_checks=checks,
                         dead_retry_run=self.run_number + rest)

    # -- after the listing -------------------------------------------------------

    def after_listing(self) -> Iterator[tuple[Action, ...]]:
        """Once every item has been listed and handled: URLs that now redirect leave,
        the undecided duplicates are decided, unlisted documents are retired. Yields
        the actions of each decision; each batch must be carried out before the next
        is asked for (a later decision reads the crawl state the earlier ones wrote)."""
        for item in self.moved:
            self._moved_aliases(item)
            yield self.plan.done()
        self.moved.clear()
        for item, outcome, validators in self.undecided:
            self._changed(item, outcome, validators)
            yield self.plan.done()
        self.undecided.clear()
        yield from self._retire()

    def _moved_aliases(self, item: Item) -> None:
        """URLs that now redirect to ``item``: their old documents leave the index."""
        for alias in item.aliases:
            row = self.rows.get(alias)
            if row is None:
                continue
            if row.doc_id != item.doc_id and self.plan.leave(row):
                self.count("removed", item, reason="moved", old_url=alias)
            self.plan.do(Forget(self.source.id, alias))

    def _retire(self) -> Iterator[tuple[Action, ...]]:
        """Documents no longer listed. Over HTTP they leave after ``gone_after_runs``
        runs (a platform's listing may hiccup); local files leave at once. One batch of
        actions per URL (a removal may reset the count of another URL's row). Nothing
        leaves in a run whose listing had a gap (``listing_gap``)."""
        if self.gaps:
            self.event("retire-skipped", None, gaps=self.gaps)
            return
        seen_ids = self.seen_ids
        if not self.http:
            for gone in sorted(set(self.known) - seen_ids):
                self.plan.do(Delete(gone))
                self.count("removed", None, id=gone, reason="not-listed")
            yield self.plan.done()
            return
        covered = set()
        for url, row in self.rows.items():
            covered.add(row.doc_id)
            if url in self.seen_urls or row.doc_id in seen_ids and row.status == "indexed":
                continue
            current = self.state.get(self.source.id, url)
            missing = current.missing_runs + 1 if current is not None else 0
            self.plan.do(Missed(url))
            if missing >= max(1, self.gone_after):
                if self.plan.leave(row):
                    self.count("removed", None, id=row.doc_id, url=url, reason="not-listed",
                               runs=missing)
                self.plan.do(Forget(self.source.id, url))
            yield self.plan.done()
        # Documents the state knows nothing of (written before it existed): at once.
        for gone in sorted(set(self.known) - seen_ids - covered):
            self.plan.do(Delete(gone))
            self.count("removed", None, id=gone, reason="not-listed")
        yield self.plan.done()

    # -- curation: corrections, automatic flags, re-crawl requests ----------------

    def _recrawl_requests(self) -> set[str]:
        """Documents curators asked to have fetched again (no validators, no hash skip)."""
        return set(self.curation.recrawl) if self.curation is not None else set()

    def _curate(self, doc):
        """The document with curators' corrections; its quality signals go back in the
        report for the coordinator to raise as automatic flags."""
        if self.curation is None:
            return doc
        doc = self.curation.correct(doc)
        signals = self.curation.signals_of(doc)
        if signals is not None:
            self.report.signals.append(signals)
        return doc

    def _recrawl_done(self, doc_id: str) -> None:
        if doc_id in self.recrawl:
            self.report.recrawled.append(doc_id)
            self.recrawl.discard(doc_id)


__all__ = ["UNDECIDED", "Decider", "Decision", "IndexView", "key_of"]
