"""The fetch stage: discovered Items in, ``(item, result)`` pairs out, in the order
their content arrives.

``result`` is a ``Fetched``, the ``FetchError`` or ``ExtractionError`` of the request,
``SKIPPED`` (the sitemap's lastmod says unchanged: no request sent), ``KNOWN_DEAD`` (a
dead link not to be asked again in this run: no request sent), or None: no
fetch here (a local file or catalogue record, which a worker reads; or an item that
is no document: ``unsupported`` or ``alias_only``). A crawled item's page came with
it and is passed on. Requests go out in a few threads through the run's one polite
``Fetcher``; items are taken only as fast as results are, and each result is yielded
straight out of a queue, so nothing here holds a body once it is taken.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from indexer.discover.base import KNOWN_DEAD, Item
from indexer.extract.base import ExtractionError
from indexer.fetch import Fetcher, FetchError
from indexer.state import UrlState

#: The crawl state says this URL is unchanged since the last run; no request needed.
SKIPPED = "skipped-by-lastmod"


def rechecks(url: str, run_number: int, every: int) -> bool:
    """Does run ``run_number`` of a source ask ``url`` again although its lastmod is
    unchanged? Each URL once every ``every`` runs (0: never), at a place in the cycle
    fixed by a hash of the URL, so each run rechecks about 1/``every`` of them."""
    if every <= 0:
        return False
    spot = int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big")
    return spot % every == run_number % every


class ItemFetcher:
    """How one source's items are fetched: conditional requests with the validators
    of rows that may be trusted, and no request at all for an unchanged lastmod
    unless ``recheck(url)`` says this run rechecks that URL (conditionally)."""

    def __init__(self, fetcher: Fetcher, rows: dict[str, UrlState],
                 trusted: Callable[[UrlState], bool], *, allow_private=False,
                 delay: float | None = None,
                 recheck: Callable[[str], bool] = lambda url: False,
                 resting: Callable[[UrlState], bool] = lambda row: False):
        self.fetcher = fetcher
        self.rows = rows
        self.trusted = trusted
        self.recheck = recheck
        self.resting = resting
        self.allow_private = allow_private
        self.delay = delay

    def __call__(self, item: Item) -> tuple[Item, Any]:
        """In a fetch thread: the item and a Fetched, an exception, or SKIPPED."""
        row = self.rows.get(item.location)
        etag = last_modified = ""
        if row is not None and self.resting(row):
            return item, KNOWN_DEAD
        if row is not None and self.trusted(row):
            if (item.lastmod and row.lastmod == item.lastmod
                    and not self.recheck(item.location)):
                return item, SKIPPED
            etag, last_modified = row.etag, row.last_modified
        try:
            return item, self.fetcher.get(item.location, allow_private=self.allow_private,
                                          etag=etag, last_modified=last_modified,
                                          delay=self.delay)
        except (FetchError, ExtractionError) as exc:
            return item, exc


def needs_fetch(item: Item) -> bool:
    """Is the item's content read here, over HTTP (not by a worker, not at all)?"""
    if item.unsupported or item.alias_only:
        return False
    return item.prefetched is not None or (
        item.location.startswith(("http://", "https://")) and not item.record.get("text"))


def arrivals(items: Iterable[Item], fetch: Callable[[Item], tuple[Item, Any]], *,
             threads: int) -> Iterator[tuple[Item, Any]]:
    """``(item, result)`` for each item, in the order results arrive (see the module)."""
    pending = iter(items)
    window = threads * 4
    ready: deque[tuple[Item, Any]] = deque()
    futures: set[Future] = set()
    more = True
    with ThreadPoolExecutor(threads) as pool:
        while more or futures:
            if more and len(futures) < window:
                more = _admit(next(pending, None), pool, fetch, futures, ready)
                _harvest({f for f in futures if f.done()}, futures, ready)
            else:
                _harvest(wait(futures, return_when=FIRST_COMPLETED).done, futures, ready)
            while ready:
                yield ready.popleft()


def _admit(item: Item | None, pool: ThreadPoolExecutor, fetch, futures: set[Future],
           ready: deque) -> bool:
    """Take one item in (False: there are no more)."""
    if item is None:
        return False
    if item.prefetched is not None:        # crawled: its content is here already
        fetched, item.prefetched = item.prefetched, None
        ready.append((item, fetched))
    elif needs_fetch(item):
        futures.add(pool.submit(fetch, item))
    else:
        ready.append((item, None))
    return True


def _harvest(done: set[Future], futures: set[Future], ready: deque) -> None:
    for future in done:
        futures.discard(future)
        ready.append(future.result())
