"""Crawl: start pages followed by their links within the platform's scope.

Breadth first, level by level, up to ``max_depth`` links away and ``max_documents``
documents. The scope is the start pages' sites, or the URL ``prefixes`` the source
gives, whatever the scheme and with or without ``www.`` (a site links to itself both
ways), and the same places on the host a start page redirects to; ``exclude`` patterns
are neither indexed nor followed, ``include`` patterns choose which pages become
documents. Linked files a registered format reads (PDF,
text) are documents, never followed; linked files of formats nothing reads (Word
files, images, archives) are yielded as ``unsupported`` items, never fetched.

Pages are fetched here (their links are needed to go on) and each is yielded as soon
as it arrives, with its body (``Item.prefetched``), in crawl order: the pipeline
extracts the first pages while the crawl goes on. A few pages of a level are fetched
ahead (as many threads as the fetcher's connections per host, four times as many
pages in flight, their links parsed in those threads), and no more until the
pipeline takes the next item, so a crawl far faster than extraction waits instead of
piling bodies up; nothing here keeps a page once it is yielded. A page found later
to redirect to one already yielded comes as an ``alias_only`` item. A page that
answers 304 is followed through the links the last run stored, so a re-run of an
unchanged platform sends only conditional requests; a link known dead is not asked
while it rests (``Context.resting``: its item comes as ``KNOWN_DEAD``). Nothing here
writes.
"""

from __future__ import annotations

import fnmatch
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

from indexer.discover.base import (
    KNOWN_DEAD,
    WEB_OPTIONAL,
    Context,
    Item,
    Kind,
    Source,
    http_url_problems,
    in_scope,
    source_delay,
)
from indexer.discover.urls import (
    NOFOLLOW,
    canonical,
    document_base,
    normalise,
    normaliser,
    parse_html,
    refresh_target,
    robots_directives,
)
from indexer.extract import is_document_link, is_unsupported_content, is_unsupported_link
from indexer.extract.base import ExtractionError
from indexer.fetch import FetchError
from searchhub.models import document_id

DEFAULT_MAX_DEPTH = 3
DEFAULT_MAX_DOCUMENTS = 10000


def extract_links(data: bytes, base: str, norm: Callable[[str], str] = normalise,
                  content_type: str | None = None) -> tuple[list[str], str]:
    """The absolute http(s) links of an HTML page, normalised (``urls.normalise``), in
    page order, read against its ``<base href>`` if it has one (then its head's links
    to other languages and next pages, and its meta refresh's target); and its
    canonical URL on its own site, normalised, or ""."""
    return links_of(parse_html(data, base, content_type), base, norm)


def links_of(root, base: str, norm: Callable[[str], str] = normalise) -> tuple[list[str], str]:
    """``extract_links`` of a page already parsed (``root``, None if it could not be)."""
    if root is None:
        return [], ""
    links, seen = [], set()
    found = canonical(root, base)
    refresh = refresh_target(root, base)
    base = document_base(root, base)
    hrefs = [element.get("href") for element in root.iter("a", "area")]
    for href in hrefs + _head_links(root) + [refresh]:
        href = (href or "").strip()
        if not href or href.startswith(("mailto:", "javascript:", "tel:", "#")):
            continue
        url = norm(urljoin(base, href))
        if url.startswith(("http://", "https://")) and url not in seen:
            seen.add(url)
            links.append(url)
    return links, norm(found) if found else ""


def _head_links(root) -> list[str]:
    """The page's ``<link>``s to its versions in other languages (``hreflang``) and to
    its listing's next and previous pages, which some sites name only there (a "load
    more" button does the rest in a browser); not its feeds or style sheets."""
    out = []
    for element in root.iter("link"):
        rels = set((element.get("rel") or "").lower().split())
        if rels & {"next", "prev", "previous"} or ("alternate" in rels
                                                   and element.get("hreflang")):
            out.append(element.get("href"))
    return out


def _is_html(fetched) -> bool:
    ctype = (fetched.content_type or "").lower()
    return "html" in ctype or (not ctype and fetched.data.lstrip()[:1] == b"<")


def _site_key(url: str) -> str:
    """A URL without its scheme and a leading ``www.``: "http://www.iom.int/en/" and
    "https://iom.int/en/" are one place on one site."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    port = f":{parts.port}" if parts.port else ""
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{parts.path or '/'}{query}"


class _Scope:
    """Which links a crawl follows: those under its ``prefixes`` (or the start pages'
    sites), whatever their scheme and with or without ``www.``, and not ``exclude``d."""

    def __init__(self, source: Source):
        starts = source.options["urls"]
        prefixes = source.options.get("prefixes") or []
        self.keys = [_site_key(p) for p in prefixes] or [
            _site_key(f"{urlsplit(u).scheme}://{urlsplit(u).netloc}/") for u in starts]
        self.exclude = source.options.get("exclude") or []

    def follows(self, url: str) -> bool:
        key = _site_key(url)
        return (any(key.startswith(k) for k in self.keys)
                and not any(fnmatch.fnmatchcase(url, g) for g in self.exclude))

    def moved(self, start: str, final: str) -> None:
        """A start page redirected to another host ("iom.int" to "publications.iom.int"):
        the places in scope on the old host are in scope on the new one too."""
        old, new = _site_key(start).split("/", 1)[0], _site_key(final).split("/", 1)[0]
        if old != new:
            self.keys += [new + k[len(old):] for k in self.keys
                          if k.split("/", 1)[0] == old and new + k[len(old):] not in self.keys]


def discover(source: Source, ctx: Context) -> Iterator[Item]:
    allow_private = source.options.get("allow_private", False)
    max_depth = int(source.options.get("max_depth", DEFAULT_MAX_DEPTH))
    limit = int(source.options.get("max_documents") or DEFAULT_MAX_DOCUMENTS)
    delay = source_delay(source)
    scope = _Scope(source)
    norm = normaliser(source.options)
    seen: set[str] = set()               # URLs queued or fetched (normalised)
    handed: set[str] = set()             # URLs handed over as items
    unsupported: set[str] = set()        # links to formats nothing reads, yielded once
    level = []
    for url in source.options["urls"]:
        url = norm(url)
        if url not in seen:
            seen.add(url)
            level.append(url)
    starts = set(level)

    def validators(url: str) -> tuple[str, str]:
        """The ETag and Last-Modified to send, if the last run's may be trusted (asked
        here, in the caller's thread, where the index is written)."""
        row = ctx.urls.get(url)
        if row is not None and ctx.trusted(row):
            return row.etag, row.last_modified
        return "", ""

    def get(url: str, etag: str, last_modified: str):
        """In a fetch thread: the page, an error, or None if robots.txt disallows it; and
        the links of an HTML page (parsed here, off the thread that hands pages over)."""
        row = ctx.urls.get(url)
        if row is not None and ctx.resting(row):     # a dead link, not asked this run
            return url, KNOWN_DEAD, [], ""
        try:
            if not ctx.fetcher.allowed(url, allow_private=allow_private):
                return url, None, [], ""
            fetched = ctx.fetcher.get(url, allow_private=allow_private, etag=etag,
                                      last_modified=last_modified, delay=delay)
        except (FetchError, ExtractionError) as exc:
            return url, exc, [], ""
        if fetched.not_modified or not _is_html(fetched):
            return url, fetched, [], ""
        root = parse_html(fetched.data, fetched.final_url, fetched.content_type)
        links, canonical_url = links_of(root, fetched.final_url, norm)
        if NOFOLLOW in robots_directives(fetched.data, fetched.content_type,
                                         fetched.robots_tag, ctx.fetcher.policy.user_agent,
                                         root):
            links = []                   # the page asks not to be followed
        return url, fetched, links, canonical_url

    def arrived(url: str, result, links: list[str], canonical_url: str,
                following: list[str]) -> Item | None:
        """A fetched page: the Item to hand over, if any; its links join ``following``.
        A page naming a canonical URL on its site is the document of that URL, as if it
        redirected there. (A function of its own, so the generator below keeps no
        reference to a body.)"""
        ctx.on_page(url, "disallowed" if result is None else KNOWN_DEAD
                    if result is KNOWN_DEAD else
                    getattr(result, "reason", None) or str(result.status))
        if result is None:                   # disallowed by robots.txt
            return None
        if isinstance(result, Exception) or result is KNOWN_DEAD:
            return Item(source.id, document_id(source.id, url), url, url, prefetched=result)
        final = canonical_url or norm(result.final_url)
        aliases = [url] if final != url else []
        if url in starts:
            scope.moved(url, norm(result.final_url))
        if final in handed:                  # a redirect to a page already handed over
            if aliases:
                return Item(source.id, document_id(source.id, final), final, final,
                            aliases=aliases, alias_only=True)
            return None
        seen.add(final)
        if result.not_modified:
            row = ctx.urls.get(url)
            links = row.link_list if row else []
        for link in links:
            if link not in seen and scope.follows(link):
                seen.add(link)
                following.append(link)
        if not in_scope(source, final):
            return None
        if not result.not_modified and is_unsupported_content(result.data,
                                                              result.content_type):
            return Item(source.id, document_id(source.id, final), final, final,
                        aliases=aliases, unsupported=True)
        return Item(source.id, document_id(source.id, final), final, final,
                    prefetched=result, links=links, aliases=aliases)

    def document(url: str) -> Item | None:
        """The Item of a linked file (not a page), if it is in scope and new."""
        if not in_scope(source, url) or url in handed or url in unsupported:
            return None
        if is_unsupported_link(url):
            unsupported.add(url)
            return Item(source.id, document_id(source.id, url), url, url, unsupported=True)
        return Item(source.id, document_id(source.id, url), url, url)

    def linked_file(url: str) -> bool:
        return is_document_link(url) or is_unsupported_link(url)

    def hand(item: Item) -> bool:
        """Note an item handed over; True once the crawl has its documents."""
        if not (item.unsupported or item.alias_only):
            handed.add(item.url)
        return len(handed) >= limit

    # As many threads as connections the fetcher opens to one host: more only queue
    # (and contend for the interpreter lock). At most ``window`` pages are fetched
    # ahead of the one being handed over: the crawl goes as fast as its items are
    # taken, so the pages waiting for extraction stay few.
    threads = max(1, ctx.fetcher.policy.max_per_host)
    window = threads * 4
    pool = ThreadPoolExecutor(threads)
    try:
        for _depth in range(max_depth + 1):
            if not level:
                break
            pages: deque[str] = deque()
            for url in level:
                if not linked_file(url):
                    pages.append(url)
                elif (item := document(url)) is not None:
                    done = hand(item)
                    yield item
                    if done:
                        return
            following: list[str] = []
            fetching: deque[Future] = deque()
            while pages or fetching:
                # Never more pages in flight than documents still wanted: a page fetched
                # ahead past ``max_documents`` would be a request the limit forbids.
                while pages and len(fetching) < min(window, limit - len(handed)):
                    url = pages.popleft()
                    fetching.append(pool.submit(get, url, *validators(url)))
                item = arrived(*fetching.popleft().result(), following)
                if item is not None:
                    done = hand(item)
                    # The body goes with the item: its taker clears Item.prefetched, and
                    # neither this frame nor ``fetching`` holds the page any longer.
                    yield item
                    if done:
                        return
            level = following
        for url in level:                    # documents linked from the deepest pages
            if linked_file(url) and (item := document(url)) is not None:
                done = hand(item)
                yield item
                if done:
                    return
    finally:
        # Pages fetched ahead and not taken (the limit, or the taker stopped) are dropped.
        pool.shutdown(wait=True, cancel_futures=True)


KIND = Kind("crawl", discover, required=("urls",), optional=("prefixes",) + WEB_OPTIONAL,
            validate=lambda where, entry: http_url_problems(where, entry.get("urls", [])),
            over_http=lambda options: True, streams=True)
