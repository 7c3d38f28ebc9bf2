"""The write stage: what reaches the index and the crawl state.

``RunWriter`` is the run's view of the index: a lazy engine writer committed every
``commit_every`` changes (and at least every ``commit_interval`` seconds), the
documents written since the last commit, and the crawl state committed right after
each index commit, so the state never runs ahead of the index. ``SourceWriter`` is
one source's writes: documents added, merged, deleted, and its URLs' rows.
"""

from __future__ import annotations

import copy
import time

from indexer.discover.base import Source
from indexer.state import CrawlState, UrlState
from searchhub.models import Document


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


#: The validators of a URL that must be fetched in full next run.
REFETCH = {"status": "new", "etag": "", "last_modified": "", "lastmod": "", "content_hash": ""}


class SourceWriter:
    """One source's writes: its documents through the RunWriter, its URLs' rows in the
    crawl state (kept only for sources read over HTTP)."""

    def __init__(self, writer: RunWriter, state: CrawlState, source: Source):
        self.writer = writer
        self.state = state
        self.source = source
        self.http = source.over_http

    # -- reads the decide stage needs ---------------------------------------------

    def exists(self, doc_id: str) -> bool:
        return self.writer.exists(doc_id)

    def get(self, doc_id: str) -> Document | None:
        return self.writer.get(doc_id)

    # -- the crawl state -----------------------------------------------------------

    def record(self, key: str, **values) -> None:
        """The row of URL ``key`` (over HTTP only): it was seen, with these values."""
        if self.http:
            self.state.record(self.source.id, key, **values)

    def record_error(self, key: str, message: str) -> None:
        if self.http:
            self.state.failed(self.source.id, key, message)

    def forget(self, source_id: str, url: str) -> None:
        self.state.forget(source_id, url)

    def refetch_merged(self, doc_id: str) -> list[UrlState]:
        """Places merged into ``doc_id`` are fetched in full next run (and merged again,
        or become documents of their own); returns them."""
        merged = self.state.merged_into(doc_id)
        for row in merged:
            self.state.record(row.source_id, row.url, **REFETCH)
        return merged

    # -- the index -----------------------------------------------------------------

    def add(self, doc: Document) -> None:
        self.writer.add(doc)

    def delete(self, doc_id: str) -> None:
        self.writer.delete(doc_id)

    def merge(self, survivor: str, entry: dict) -> None:
        """List ``entry`` (source, agency, url) among the places ``survivor`` is
        also published."""
        target = self.writer.get(survivor)
        if entry not in target.also_at:
            target.also_at = [*target.also_at, entry]
            self.writer.add(target)

    def remove_row(self, row: UrlState) -> bool:
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
            self.refetch_merged(row.doc_id)
            return True
        return False
