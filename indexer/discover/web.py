"""Web: a list of URLs of pages or PDFs, fetched over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

from indexer.discover.base import WEB_OPTIONAL, Item, Kind, Source, http_url_problems, in_scope
from indexer.discover.urls import normaliser
from searchhub.models import document_id


def discover(source: Source, ctx=None) -> Iterator[Item]:
    norm = normaliser(source.options)
    seen: set[str] = set()
    for url in map(norm, source.options["urls"]):
        if in_scope(source, url) and url not in seen:
            seen.add(url)
            yield Item(source.id, document_id(source.id, url), url, url)


KIND = Kind("web", discover, required=("urls",), optional=WEB_OPTIONAL,
            validate=lambda where, entry: http_url_problems(where, entry.get("urls", [])),
            over_http=lambda options: True)
