"""Discovery: each source kind yields the Items (files, URLs, records) to index.

Kinds that read partner platforms (sitemap, feed, crawl, remote catalogues) get a
``Context`` with the polite fetcher and the source's crawl state, so every request
they make obeys robots.txt, the per-host limits and the private-address guard.

Discovery is a generator. A crawl (``STREAMING_KINDS``) is consumed as it goes: its
items carry the pages it fetched, and it fetches ahead only as far as they are taken.
The other kinds are listed first by the pipeline (their items are light).
"""

from __future__ import annotations

import fnmatch
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
    lastmod: str = ""             # what a sitemap or feed says about the last change
    prefetched: Any = None        # a Fetched (or FetchError) the crawler already has
    links: list[str] = field(default_factory=list)          # links found on the page
    aliases: list[str] = field(default_factory=list)        # URLs that redirected here
    refused: str = ""             # why ``location`` may not be read (the item then fails)


class DiscoveryError(Exception):
    """A source could not be listed at all (missing folder, unreadable export)."""


@dataclass
class Context:
    """What discovery of web kinds needs: the fetcher and what the last runs learnt."""

    fetcher: Any = None                       # indexer.fetch.Fetcher
    urls: dict = field(default_factory=dict)  # url -> state.UrlState of this source
    trusted: Callable[[Any], bool] = lambda row: False   # may its validators be sent?
    on_page: Callable[[str, str], None] = lambda url, status: None   # a page was crawled
    #: An Item already yielded gained aliases (URLs found later to redirect to it); the
    #: call carries a copy with only those aliases.
    on_alias: Callable[[Item], None] = lambda item: None


def in_scope(source: Source, url: str) -> bool:
    """The source's include/exclude URL patterns (globs on the whole URL)."""
    include = source.options.get("include") or []
    exclude = source.options.get("exclude") or []
    if include and not any(fnmatch.fnmatchcase(url, g) for g in include):
        return False
    return not any(fnmatch.fnmatchcase(url, g) for g in exclude)


def source_delay(source: Source) -> float | None:
    """The source's ``delay`` between requests to one host (None: the host_delay
    setting); robots.txt's Crawl-delay still wins when it is longer."""
    delay = source.options.get("delay")
    return None if delay is None else float(delay)


def fetch_listing(source: Source, ctx: Context, url: str):
    """Fetch a sitemap, feed or catalogue page; a failure fails the whole source."""
    from indexer.extract.base import ExtractionError
    from indexer.fetch import FetchError

    try:
        fetched = ctx.fetcher.get(url, allow_private=source.options.get("allow_private", False),
                                  delay=source_delay(source))
    except FetchError as exc:
        raise DiscoveryError(f"cannot read {url}: {exc.message} ({exc.reason})") from exc
    except ExtractionError as exc:
        raise DiscoveryError(f"cannot read {url}: {exc.message}") from exc
    return fetched


#: Kinds whose items come with their content (a crawl has to fetch each page to find
#: the next): they are taken as they come, never listed first, and a body is dropped as
#: soon as its extraction task is handed over. The other kinds yield light items (a URL,
#: a path, a record) and are listed in full before extraction starts.
STREAMING_KINDS = frozenset({"crawl"})


def streams(source: Source) -> bool:
    return source.kind in STREAMING_KINDS


def discover(source: Source, ctx: Context | None = None) -> Iterator[Item]:
    from . import catalog, crawl, feed, files, sitemap, web
    kinds: dict[str, Callable[[Source, Context], Iterator[Item]]] = {
        "files": files.discover,
        "web": web.discover,
        "catalog": catalog.discover,
        "sitemap": sitemap.discover,
        "feed": feed.discover,
        "crawl": crawl.discover,
    }
    return kinds[source.kind](source, ctx or Context())
