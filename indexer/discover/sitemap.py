"""Sitemaps: a sitemap, a sitemap index, or the sitemaps a robots.txt names.

Each ``<url>`` becomes an Item with its ``lastmod``, which the pipeline compares
with the last run's to skip unchanged pages without requesting them. A sitemap the
source names that cannot be read fails the source; one of several (the sitemaps of an
index, or those a robots.txt names) that cannot be read is a gap in the listing
(``Context.on_gap``): the others are listed, and nothing is retired in that run.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator

from lxml import etree

from indexer.discover.base import (
    WEB_OPTIONAL,
    Context,
    DiscoveryError,
    Item,
    Kind,
    Source,
    fetch_listing,
    in_scope,
)
from indexer.discover.urls import normaliser
from indexer.extract import is_unsupported_link
from indexer.fetch import FetchError
from searchhub.models import document_id

#: Sitemap indexes nest; deeper ones are ignored (a loop or a runaway generator).
MAX_NESTING = 4


def parse_sitemap(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    """``("index"|"urlset", [(loc, lastmod), ...])``; raises ValueError if not a sitemap."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             recover=True)
    root = etree.fromstring(data, parser)
    if root is None:
        raise ValueError("not XML")
    kind = etree.QName(root).localname
    if kind not in ("sitemapindex", "urlset"):
        raise ValueError(f"root element is <{kind}>, not <urlset> or <sitemapindex>")
    entries = []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        values = {etree.QName(c).localname: (c.text or "").strip() for c in child
                  if isinstance(c.tag, str)}
        if values.get("loc"):
            entries.append((values["loc"], values.get("lastmod", "")))
    return ("index" if kind == "sitemapindex" else "urlset"), entries


def discover(source: Source, ctx: Context) -> Iterator[Item]:
    start = source.options["url"]
    allow_private = source.options.get("allow_private", False)
    if start.rstrip("/").endswith("/robots.txt"):
        try:
            maps = ctx.fetcher.robots_sitemaps(start, allow_private=allow_private)
        except FetchError as exc:
            raise DiscoveryError(f"cannot read {start}: {exc.message} ({exc.reason})") from exc
        queue = [(u, 0) for u in maps]
        if not queue:
            raise DiscoveryError(f"{start} names no sitemap")
    else:
        queue = [(start, 0)]
    limit = int(source.options.get("max_documents") or 0)
    max_depth = int(source.options.get("max_depth", MAX_NESTING))
    seen_maps: set[str] = set()
    seen: set[str] = set()
    norm = normaliser(source.options)
    documents = 0
    read = 0                             # sitemaps read
    while queue:
        url, depth = queue.pop(0)
        if url in seen_maps:
            continue
        seen_maps.add(url)
        try:
            fetched = fetch_listing(source, ctx, url)
            try:
                kind, entries = parse_sitemap(fetched.data)
            except (ValueError, etree.XMLSyntaxError, OSError) as exc:
                raise DiscoveryError(f"{url} is not a sitemap: {exc}") from None
        except DiscoveryError as exc:
            if url == start or not (read or queue):
                raise               # the source's own sitemap, or none could be read
            ctx.on_gap(url, str(exc))
            continue
        read += 1
        if kind == "index":
            if depth < max_depth:
                queue.extend((loc, depth + 1) for loc in entries_locs(entries))
            continue
        for loc, lastmod in entries:
            loc = norm(loc)
            if loc in seen or not loc.startswith(("http://", "https://")):
                continue
            if not in_scope(source, loc):
                continue
            seen.add(loc)
            if is_unsupported_link(loc):
                yield Item(source.id, document_id(source.id, loc), loc, loc, unsupported=True)
                continue
            documents += 1
            yield Item(source.id, document_id(source.id, loc), loc, loc, lastmod=lastmod)
            if limit and documents >= limit:
                return


def entries_locs(entries: list[tuple[str, str]]) -> list[str]:
    return [loc for loc, _ in entries]


KIND = Kind("sitemap", discover, required=("url",), optional=WEB_OPTIONAL,
            over_http=lambda options: True)
