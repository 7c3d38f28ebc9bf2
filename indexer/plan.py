"""The actions of one decision while it is being taken (part of the decide stage).

A ``Plan`` collects the actions a decision takes and answers what the index will
hold once they are carried out (``exists``, ``previous``), so that a decision that
deletes a document and then asks about it sees it gone. ``leave`` is every removal
the decide stage plans: gone (404/410), moved, no longer listed.
"""

from __future__ import annotations

import copy
from typing import Protocol

from indexer.actions import (
    Action,
    Add,
    Delete,
    Record,
    RecordError,
    RefetchMerged,
    Unmerge,
)
from indexer.state import UrlState
from searchhub.models import Document


class IndexView(Protocol):
    """The index as the decide stage reads it (``write.SourceWriter`` is one)."""

    def exists(self, doc_id: str) -> bool: ...

    def get(self, doc_id: str) -> Document | None: ...


class Plan:
    """The actions of the decision being taken, not yet carried out, over the index
    they will change. Crawl-state rows are planned only for sources read over HTTP."""

    def __init__(self, index: IndexView, http: bool):
        self.index = index
        self.http = http
        self._actions: list[Action] = []

    def do(self, *actions: Action) -> None:
        self._actions.extend(actions)

    def done(self) -> tuple[Action, ...]:
        """The actions of the decision just taken; the plan starts afresh."""
        actions, self._actions = tuple(self._actions), []
        return actions

    def record(self, key: str, **values) -> None:
        """The row of URL ``key`` is seen, with these values."""
        if self.http:
            self.do(Record(key, values))

    def record_error(self, key: str, message: str) -> None:
        if self.http:
            self.do(RecordError(key, message))

    def exists(self, doc_id: str) -> bool:
        """Is ``doc_id`` in the index once the planned actions are carried out?"""
        for action in reversed(self._actions):
            if isinstance(action, Add) and action.document.id == doc_id:
                return True
            if isinstance(action, Delete) and action.doc_id == doc_id:
                return False
        return self.index.exists(doc_id)

    def previous(self, doc_id: str) -> Document | None:
        """The indexed version of ``doc_id`` once the planned actions are carried out."""
        for action in reversed(self._actions):
            if isinstance(action, Add) and action.document.id == doc_id:
                return copy.deepcopy(action.document)
            if isinstance(action, Delete) and action.doc_id == doc_id:
                return None
        return self.index.get(doc_id)

    def leave(self, row: UrlState) -> bool:
        """A URL's document leaves the index (the places merged into it are fetched in
        full next run), or its place leaves the document it was merged into. True if
        something leaves."""
        if row.status == "duplicate":
            self.do(Unmerge(row.doc_id, row.url))
            return True
        if row.status == "indexed" and self.exists(row.doc_id):
            self.do(Delete(row.doc_id), RefetchMerged(row.doc_id))
            return True
        return False


__all__ = ["IndexView", "Plan"]
