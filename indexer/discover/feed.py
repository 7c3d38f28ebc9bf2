"""Feeds: the entries of an RSS or Atom feed of a platform's publications.

A feed is a window on a platform's latest publications, not a list of all of them:
an entry that falls out of it is still listed, from the crawl state (``remembered``),
so its document stays. Like a page whose sitemap lastmod is unchanged it is not asked
again, except conditionally once every ``recheck_every`` runs, and it leaves the index
when it answers 404 or 410. Entry links are read against the feed's address (and an
Atom ``xml:base``); an RSS item without a link gives its permalink ``guid``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urljoin

from lxml import etree

from indexer.dates import parse_date
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
from searchhub.models import document_id

#: The lastmod a remembered entry is listed with when the feed gave it none: stored
#: once, it then compares equal, so the entry is asked again only when rechecked.
REMEMBERED = "remembered"


def parse_feed(data: bytes, base: str = "") -> list[dict]:
    """Entries as ``{"url", "title", "date", "updated"}``, their links absolute when
    ``base`` (the feed's address) is given; raises ValueError if not a feed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    root = etree.fromstring(data, parser, base_url=base or None)
    if root is None:
        raise ValueError("not XML")
    kind = etree.QName(root).localname
    entries = []
    if kind == "feed":                                   # Atom
        for entry in root:
            if not isinstance(entry.tag, str) or etree.QName(entry).localname != "entry":
                continue
            fields, links = {}, {}
            for c in entry:
                if not isinstance(c.tag, str):
                    continue
                name = etree.QName(c).localname
                rel = c.get("rel", "alternate")
                if name == "link" and rel in ("alternate", "enclosure") and c.get("href"):
                    links.setdefault(rel, urljoin(c.base or base, c.get("href").strip()))
                elif name in ("title", "updated", "published"):
                    fields[name] = (c.text or "").strip()
            link = links.get("alternate") or links.get("enclosure", "")
            entries.append({"url": link, "title": fields.get("title", ""),
                            "date": _iso(fields.get("published") or fields.get("updated")),
                            "updated": fields.get("updated") or fields.get("published", "")})
    elif kind in ("rss", "RDF"):                         # RSS 2.0 and 1.0
        for item in root.iter("{*}item"):
            fields = {etree.QName(c).localname: (c.text or "").strip() for c in item
                      if isinstance(c.tag, str)}
            enclosure = item.find("{*}enclosure")
            guid = item.find("{*}guid")
            permalink = (fields.get("guid", "") if guid is not None
                         and guid.get("isPermaLink", "true").lower() != "false" else "")
            link = (fields.get("link")
                    or (enclosure.get("url", "") if enclosure is not None else "")
                    or (permalink if permalink.startswith(("http://", "https://")) else ""))
            link = urljoin(base, link) if link else ""
            date = fields.get("pubDate") or fields.get("date", "")
            entries.append({"url": link, "title": fields.get("title", ""), "date": _iso(date),
                            "updated": date})
    else:
        raise ValueError(f"root element is <{kind}>, not an RSS or Atom feed")
    return entries


def _iso(value: str | None) -> str:
    """RFC 822 (RSS) and RFC 3339 (Atom) dates as YYYY-MM-DD; "" when unreadable."""
    date = parse_date(value)
    return date.isoformat() if date else ""


def discover(source: Source, ctx: Context) -> Iterator[Item]:
    url = source.options["url"]
    fetched = fetch_listing(source, ctx, url)
    try:
        entries = parse_feed(fetched.data, fetched.final_url)
    except (ValueError, etree.XMLSyntaxError) as exc:
        raise DiscoveryError(f"{url} is not a feed: {exc}") from None
    limit = int(source.options.get("max_documents") or 0)
    seen: set[str] = set()
    documents = 0
    norm = normaliser(source.options)
    for entry in entries:
        link = norm(entry["url"])
        if not link.startswith(("http://", "https://")) or link in seen:
            continue
        if not in_scope(source, link):
            continue
        seen.add(link)
        if is_unsupported_link(link):
            yield Item(source.id, document_id(source.id, link), link, link, unsupported=True)
            continue
        documents += 1
        record = {k: entry[k] for k in ("title", "date") if entry[k]}
        yield Item(source.id, document_id(source.id, link), link, link, record,
                   lastmod=entry["updated"], keep_record=True)
        if limit and documents >= limit:
            return
    yield from remembered(source, ctx, seen)


def remembered(source: Source, ctx: Context, listed: set[str]) -> Iterator[Item]:
    """The documents of earlier entries no longer in the feed (see the module), as
    items listed with the record (title, date) and the lastmod stored for them
    (``REMEMBERED`` if none)."""
    for url, row in sorted(ctx.urls.items()):
        if url in listed or row.status not in ("indexed", "duplicate"):
            continue
        if not in_scope(source, url):
            continue
        yield Item(source.id, document_id(source.id, url), url, url,
                   json.loads(row.record) if row.record else {},
                   lastmod=row.lastmod or REMEMBERED, keep_record=True)


KIND = Kind("feed", discover, required=("url",), optional=WEB_OPTIONAL,
            over_http=lambda options: True)
