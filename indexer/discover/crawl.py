"""Crawl: start pages followed by their links within the platform's scope.

Breadth first, level by level (a level's pages are fetched concurrently, within the
fetcher's per-host limits), up to ``max_depth`` links away and ``max_documents``
documents. The scope is the start pages' sites, or the URL ``prefixes`` the source
gives; ``exclude`` patterns are neither indexed nor followed, ``include`` patterns
choose which pages become documents. Linked PDFs are documents, never followed.

Pages are fetched here (their links are needed to go on) and handed to the pipeline
as they are; a page that answers 304 is followed through the links the last run
stored, so a re-run of an unchanged platform sends only conditional requests.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from indexer.extract.base import ExtractionError
from indexer.sources import Source
from searchhub.models import document_id

from . import Context, Item, in_scope

DOCUMENT_SUFFIXES = (".pdf", ".txt", ".doc", ".docx")
DEFAULT_MAX_DEPTH = 3
DEFAULT_MAX_DOCUMENTS = 10000


def extract_links(data: bytes, base: str) -> list[str]:
    """Absolute http(s) links of an HTML page, without fragments, in page order."""
    try:
        root = lxml.html.fromstring(data, base_url=base)
    except (etree.ParserError, ValueError):
        return []
    links, seen = [], set()
    for element in root.iter("a", "area"):
        href = (element.get("href") or "").strip()
        if not href or href.startswith(("mailto:", "javascript:", "tel:", "#")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        if url.startswith(("http://", "https://")) and url not in seen:
            seen.add(url)
            links.append(url)
    return links


def _is_document(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOCUMENT_SUFFIXES)


def _is_html(fetched) -> bool:
    ctype = (fetched.content_type or "").lower()
    return "html" in ctype or (not ctype and fetched.data.lstrip()[:1] == b"<")


class _Scope:
    def __init__(self, source: Source):
        starts = source.options["urls"]
        prefixes = source.options.get("prefixes") or []
        self.prefixes = [p for p in prefixes] or [
            f"{urlsplit(u).scheme}://{urlsplit(u).netloc}/" for u in starts]
        self.exclude = source.options.get("exclude") or []

    def follows(self, url: str) -> bool:
        return (any(url.startswith(p) for p in self.prefixes)
                and not any(fnmatch.fnmatchcase(url, g) for g in self.exclude))


def discover(source: Source, ctx: Context) -> Iterator[Item]:
    from indexer.fetch import FetchError

    allow_private = source.options.get("allow_private", False)
    max_depth = int(source.options.get("max_depth", DEFAULT_MAX_DEPTH))
    limit = int(source.options.get("max_documents") or DEFAULT_MAX_DOCUMENTS)
    scope = _Scope(source)
    seen: set[str] = set()
    items: dict[str, Item] = {}          # by final URL
    level = []
    for url in source.options["urls"]:
        url = urldefrag(url)[0]
        if url not in seen:
            seen.add(url)
            level.append(url)

    def get(url: str):
        row = ctx.urls.get(url)
        trusted = row is not None and ctx.trusted(row)
        try:
            if not ctx.fetcher.allowed(url, allow_private=allow_private):
                return url, None
            return url, ctx.fetcher.get(url, allow_private=allow_private,
                                        etag=row.etag if trusted else "",
                                        last_modified=row.last_modified if trusted else "")
        except (FetchError, ExtractionError) as exc:
            return url, exc

    def add(item: Item) -> bool:
        if len(items) >= limit:
            return False
        items[item.url] = item
        return True

    # As many threads as connections the fetcher opens to one host: more only queue
    # (and contend for the interpreter lock).
    with ThreadPoolExecutor(max(1, ctx.fetcher.policy.max_per_host)) as pool:
        for _depth in range(max_depth + 1):
            if not level:
                break
            pages = []
            for url in level:
                if _is_document(url):
                    if in_scope(source, url) and url not in items:
                        add(Item(source.id, document_id(source.id, url), url, url))
                else:
                    pages.append(url)
            following: list[str] = []
            for url, result in pool.map(get, pages):
                if len(items) >= limit:
                    break
                ctx.on_page(url, "disallowed" if result is None else
                            getattr(result, "reason", None) or str(result.status))
                if result is None:               # disallowed by robots.txt
                    continue
                if isinstance(result, Exception):
                    add(Item(source.id, document_id(source.id, url), url, url,
                             prefetched=result))
                    continue
                final = urldefrag(result.final_url)[0]
                aliases = [url] if final != url else []
                if final in items:               # a redirect to a page we already have
                    items[final].aliases.extend(aliases)
                    continue
                seen.add(final)
                if result.not_modified:
                    row = ctx.urls.get(url)
                    links = row.link_list if row else []
                elif _is_html(result):
                    links = extract_links(result.data, final)
                else:
                    links = []
                if in_scope(source, final):
                    add(Item(source.id, document_id(source.id, final), final, final,
                             prefetched=result, links=links, aliases=aliases))
                for link in links:
                    if link not in seen and scope.follows(link):
                        seen.add(link)
                        following.append(link)
            if len(items) >= limit:
                break
            level = following
        for url in level:                        # documents linked from the deepest pages
            if _is_document(url) and in_scope(source, url) and url not in items:
                add(Item(source.id, document_id(source.id, url), url, url))
    return iter(list(items.values()))
