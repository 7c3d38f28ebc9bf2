"""Discovery: each source kind yields the Items (files, URLs, records) to index.

One module per kind (``files``, ``web``, ``catalog``, ``sitemap``, ``feed``,
``crawl``), each defining its ``KIND`` (``base.Kind``: keys, checks, discover
function), registered in ``indexer.sources.KINDS``.

Kinds that read partner platforms (sitemap, feed, crawl, remote catalogues) get a
``Context`` with the polite fetcher and the source's crawl state, so every request
they make obeys robots.txt, the per-host limits and the private-address guard.

Discovery is a generator and never writes: what it finds, it yields. A crawl
(``Source.streams``) is consumed as it goes: its items carry the pages it fetched,
and it fetches ahead only as far as they are taken. The other kinds are listed first
(their items are light). Links to formats nothing extracts are yielded as
``unsupported`` items; redirects found after their target was yielded come as
``alias_only`` items; what leaves the index is decided after the listing.
"""

from indexer.discover.base import (
    WEB_OPTIONAL,
    Context,
    DiscoveryError,
    Item,
    Kind,
    Source,
    fetch_listing,
    in_scope,
    source_delay,
)

__all__ = ["WEB_OPTIONAL", "Context", "DiscoveryError", "Item", "Kind", "Source",
           "fetch_listing", "in_scope", "source_delay"]
