"""What discovery works with: a ``Source`` of the registry, the ``Kind`` it is of, the
``Item`` each kind yields, and the ``Context`` of the kinds that read platforms.

Kind modules import this module, never the package or ``indexer.sources`` (which
imports them to register them), so the registry has no import cycle.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.extract.base import ExtractionError
from indexer.fetch import FetchError

#: An item's result when it is a link found dead in an earlier run and not to be
#: asked again in this one (``Context.resting``): no request is sent.
KNOWN_DEAD = "known-dead"

#: Options every kind that reads partner platforms accepts.
WEB_OPTIONAL = ("allow_private", "include", "exclude", "max_depth", "delay", "recheck_every",
                "drop_params")


@dataclass
class Source:
    id: str
    name: str
    agency: str
    kind: str
    options: dict[str, Any]
    defaults: dict[str, Any] = field(default_factory=dict)
    base_dir: Path = Path(".")
    enabled: bool = True
    #: Its documents come from partner platforms over HTTP: the crawl state drives
    #: conditional requests, and a document leaves only when gone (404/410) or no
    #: longer listed for ``gone_after_runs`` runs. Set from its Kind.
    over_http: bool = False
    #: Its items come with their content and are taken as they come (a crawl).
    streams: bool = False

    def path(self, key: str = "path") -> Path:
        """An option that names a file or folder, relative to the registry's folder."""
        value = Path(str(self.options[key])).expanduser()
        return value if value.is_absolute() else (self.base_dir / value)


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
    #: A link to a format nothing extracts (a Word file, an image): not a document;
    #: skipped and counted as ``unsupported``.
    unsupported: bool = False
    #: Only news of an item already yielded: ``aliases`` are URLs found later to
    #: redirect to it (their old documents leave the index once the listing is over).
    alias_only: bool = False
    #: Keep ``record`` in the crawl state: a feed entry's title and date, which it is
    #: listed with from there once it leaves the feed (``feed.remembered``).
    keep_record: bool = False


class DiscoveryError(Exception):
    """A source could not be listed at all (missing folder, unreadable export)."""


@dataclass
class Context:
    """What discovery of web kinds needs: the fetcher and what the last runs learnt.
    Discovery reads through it and never writes: it only yields Items."""

    fetcher: Any = None                       # indexer.fetch.Fetcher
    urls: dict = field(default_factory=dict)  # url -> state.UrlState of this source
    trusted: Callable[[Any], bool] = lambda row: False   # may its validators be sent?
    on_page: Callable[[str, str], None] = lambda url, status: None   # a page was crawled
    #: Is this row a dead link not to be asked again in this run?
    resting: Callable[[Any], bool] = lambda row: False
    #: A part of the listing could not be read (a sitemap of an index): (url, why). The
    #: rest of the listing goes on; documents not listed are not retired in this run.
    on_gap: Callable[[str, str], None] = lambda url, why: None


def _no_problems(where: str, entry: dict) -> list[str]:
    return []


@dataclass(frozen=True)
class Kind:
    """One source kind's registration: the registry keys it requires and accepts, its
    own checks of a ``[[source]]`` entry (``validate(where, entry)`` -> problems), and
    its discover function. ``over_http(options)``: are its documents read from partner
    platforms? ``streams``: are its items taken as they come (see ``Source.streams``)?"""

    name: str
    discover: Callable[[Source, Context], Iterator[Item]]
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    validate: Callable[[str, dict], list[str]] = _no_problems
    over_http: Callable[[Mapping[str, Any]], bool] = lambda options: False
    streams: bool = False


def http_url_problems(where: str, urls: Any) -> list[str]:
    """Problems of a registry value that must be a list of http(s) URLs."""
    if not isinstance(urls, list):
        return [f"{where}: urls must be a list"]
    return [f"{where}: {url!r} is not an http(s) URL" for url in urls
            if not str(url).startswith(("http://", "https://"))]


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
    try:
        fetched = ctx.fetcher.get(url, allow_private=source.options.get("allow_private", False),
                                  delay=source_delay(source))
    except FetchError as exc:
        raise DiscoveryError(f"cannot read {url}: {exc.message} ({exc.reason})") from exc
    except ExtractionError as exc:
        raise DiscoveryError(f"cannot read {url}: {exc.message}") from exc
    return fetched
