"""Discovery: each source kind yields the Items (files, URLs, records) to index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from indexer.sources import Source


@dataclass
class Item:
    """One thing to turn into a document."""

    source_id: str
    doc_id: str
    location: str                 # a file path or a URL to read the content from
    url: str                      # the link shown to searchers
    record: dict[str, Any] = field(default_factory=dict)   # catalogue fields, already mapped


class DiscoveryError(Exception):
    """A source could not be listed at all (missing folder, unreadable export)."""


def discover(source: Source) -> Iterator[Item]:
    from . import catalog, files, web
    kinds: dict[str, Callable[[Source], Iterator[Item]]] = {
        "files": files.discover,
        "web": web.discover,
        "catalog": catalog.discover,
    }
    return kinds[source.kind](source)
