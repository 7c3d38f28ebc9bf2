"""Web: a list of URLs of pages or PDFs, fetched over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

from indexer.sources import Source
from searchhub.models import document_id

from . import Item, in_scope


def discover(source: Source, ctx=None) -> Iterator[Item]:
    for url in source.options["urls"]:
        if in_scope(source, url):
            yield Item(source.id, document_id(source.id, url), url, url)
