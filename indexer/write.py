"""The write stage: what reaches the index and the crawl state.

``RunWriter`` is the run's view of the index: a lazy engine writer committed every
``commit_every`` changes (and at least every ``commit_interval`` seconds), the
documents written since the last commit, and the crawl state committed right after
each index commit, so the state never runs ahead of the index. ``SourceWriter``
carries out one source's ``actions`` (from the decide stage), in order: documents
added, merged, deleted, and its URLs' rows.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterable

from indexer.actions import (
    Action,
    Add,
    Delete,
    Forget,
    Merge,
    Missed,
    Record,
    RecordError,
    RefetchMerged,
    Unmerge,
)
from indexer.discover.base import Source
from indexer.state import CrawlState
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
    """One source's writes: the decide stage's actions carried out, its documents
    through the RunWriter, its URLs' rows in the crawl state (the decide stage asks
    for rows only for sources read over HTTP). Its reads (``exists``, ``get``) are
    the index as the decide stage sees it."""

    def __init__(self, writer: RunWriter, state: CrawlState, source: Source):
        self.writer = writer
        self.state = state
        self.source = source

    # -- reads the decide stage needs ---------------------------------------------

    def exists(self, doc_id: str) -> bool:
        return self.writer.exists(doc_id)

    def get(self, doc_id: str) -> Document | None:
        return self.writer.get(doc_id)

    # -- the decide stage's actions ------------------------------------------------

    def apply(self, actions: Iterable[Action]) -> None:
        """Carry out ``actions`` in order."""
        for action in actions:
            self._apply(action)

    def _apply(self, action: Action) -> None:
        match action:
            case Add(document=doc):
                self.writer.add(doc)
            case Delete(doc_id=doc_id):
                self.writer.delete(doc_id)
            case Merge(survivor=survivor, entry=entry):
                self._merge(survivor, dict(entry))
            case Unmerge(survivor=survivor, url=url):
                self._unmerge(survivor, url)
            case RefetchMerged(doc_id=doc_id):
                for row in self.state.merged_into(doc_id):
                    self.state.record(row.source_id, row.url, **REFETCH)
            case Record(key=key, values=values):
                self.state.record(self.source.id, key, **values)
            case RecordError(key=key, message=message):
                self.state.failed(self.source.id, key, message)
            case Missed(key=key):
                self.state.missing(self.source.id, key)
            case Forget(source_id=source_id, url=url):
                self.state.forget(source_id, url)
            case _:
                raise TypeError(f"not an action: {action!r}")

    def _merge(self, survivor: str, entry: dict) -> None:
        target = self.writer.get(survivor)
        if entry not in target.also_at:
            target.also_at = [*target.also_at, entry]
            self.writer.add(target)

    def _unmerge(self, survivor: str, url: str) -> None:
        target = self.writer.get(survivor)
        if target is not None:
            target.also_at = [e for e in target.also_at if e.get("url") != url]
            self.writer.add(target)
