"""Feeds: the entries of an RSS or Atom feed of a platform's publications."""

from __future__ import annotations

from collections.abc import Iterator

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


def parse_feed(data: bytes) -> list[dict]:
    """Entries as ``{"url", "title", "date", "updated"}``; raises ValueError if not a feed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    root = etree.fromstring(data, parser)
    if root is None:
        raise ValueError("not XML")
    kind = etree.QName(root).localname
    entries = []
    if kind == "feed":                                   # Atom
        for entry in root:
            if not isinstance(entry.tag, str) or etree.QName(entry).localname != "entry":
                continue
            fields, link = {}, ""
            for c in entry:
                if not isinstance(c.tag, str):
                    continue
                name = etree.QName(c).localname
                if name == "link" and c.get("rel", "alternate") in ("alternate", "enclosure"):
                    link = link or c.get("href", "")
                elif name in ("title", "updated", "published"):
                    fields[name] = (c.text or "").strip()
            entries.append({"url": link, "title": fields.get("title", ""),
                            "date": _iso(fields.get("published") or fields.get("updated")),
                            "updated": fields.get("updated") or fields.get("published", "")})
    elif kind in ("rss", "RDF"):                         # RSS 2.0 and 1.0
        for item in root.iter("{*}item"):
            fields = {etree.QName(c).localname: (c.text or "").strip() for c in item
                      if isinstance(c.tag, str)}
            enclosure = item.find("{*}enclosure")
            link = fields.get("link") or (enclosure.get("url", "") if enclosure is not None
                                          else "")
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
        entries = parse_feed(fetched.data)
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
                   lastmod=entry["updated"])
        if limit and documents >= limit:
            return


KIND = Kind("feed", discover, required=("url",), optional=WEB_OPTIONAL,
            over_http=lambda options: True)
