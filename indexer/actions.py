"""What the decide stage hands the write stage: plain, frozen data.

``decide.Decider`` returns these; ``write.SourceWriter.apply`` carries them out in
order, against the index and the crawl state. Nothing here reads or writes anything,
so a decision can be tested by comparing the actions it returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from searchhub.models import Document


@dataclass(frozen=True)
class Add:
    """Write ``document`` to the index (new, or in place of its older version)."""

    document: Document
    update: bool = False


@dataclass(frozen=True)
class Delete:
    """Take document ``doc_id`` out of the index."""

    doc_id: str


@dataclass(frozen=True)
class Merge:
    """List ``entry`` (source, agency, url) among the places ``survivor`` is also
    published at."""

    survivor: str
    entry: Mapping[str, str]


@dataclass(frozen=True)
class Unmerge:
    """Take the place at ``url`` out of the ones ``survivor`` is also published at."""

    survivor: str
    url: str


@dataclass(frozen=True)
class RefetchMerged:
    """The places merged into ``doc_id`` are fetched in full next run (and merged
    again, or become documents of their own)."""

    doc_id: str


@dataclass(frozen=True)
class Record:
    """The crawl-state row of URL ``key`` (over HTTP only): seen, with ``values``."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordError:
    """URL ``key`` failed with ``message`` (its row's error and error count)."""

    key: str
    message: str


@dataclass(frozen=True)
class Missed:
    """URL ``key`` was not listed in this run: its count of runs missing goes up."""

    key: str


@dataclass(frozen=True)
class Forget:
    """The crawl state forgets URL ``url`` of source ``source_id`` (an alias that now
    redirects, a page that moved or left the listing)."""

    source_id: str
    url: str


Action = (Add | Delete | Merge | Unmerge | RefetchMerged | Record | RecordError | Missed
          | Forget)

__all__ = ["Action", "Add", "Delete", "Forget", "Merge", "Missed", "RecordError", "Record",
           "RefetchMerged", "Unmerge"]
