"""Looking after searchhub's OpenSearch indices: the client the settings describe, and
rebuilds that searchers never see half done.

The configured index name (``opensearch_index``) becomes an alias once the index has
been rebuilt: ``start_rebuild`` creates a new versioned index ``<name>-<UTC time>``
beside the live one, which keeps serving searches while the new one is filled;
``switch`` then moves the name to it in one ``_aliases`` call and deletes the old
index. Each search answers from the old index or the new one, whole, never from a
part; on a cluster each node applies the switch on its own, within moments of the
others, so while it spreads a search coordinated by a node not yet told still
answers from the old one, and once the call is acknowledged every node has it. A
plain index of that name (as ``searchhub index`` first creates it) is replaced by
the alias in the same call. A rebuild killed before its switch leaves the name on
the old index; its half-built index is an orphan (a versioned index the name does
not reach) that the next rebuild removes.
"""

from __future__ import annotations

import datetime as dt
import re
import time

from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError

from .opensearch_mapping import index_body


def client_for(settings) -> OpenSearch:
    """A client of the cluster the settings name (every node URL, with retries)."""
    from .opensearch_engine import connect

    return connect(settings.opensearch_url, user=settings.opensearch_user,
                   password=settings.opensearch_password,
                   ca_certs=settings.opensearch_ca_certs,
                   verify_certs=settings.opensearch_verify_certs,
                   connections=settings.opensearch_connections)


def versioned_name(name: str, now: dt.datetime | None = None) -> str:
    """A new versioned index name for ``name``: ``<name>-<UTC time to the microsecond>``."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{name}-{now:%Y%m%d%H%M%S%f}"


def _is_version_of(index: str, name: str) -> bool:
    return re.fullmatch(re.escape(name) + r"-\d{20}", index) is not None


def live_indices(client: OpenSearch, name: str) -> list[str]:
    """The concrete indices ``name`` reaches now: [name] for a plain index, the
    indices behind it for an alias, [] when there is none."""
    try:
        return sorted(client.indices.get(index=name, allow_no_indices=False))
    except NotFoundError:
        return []


def orphans(client: OpenSearch, name: str) -> list[str]:
    """Versioned indices of ``name`` that it does not reach: left by killed rebuilds."""
    found = client.indices.get_alias(index=f"{name}-*", expand_wildcards="open,closed")
    return sorted(index for index, meta in found.items()
                  if _is_version_of(index, name) and name not in meta.get("aliases", {}))


def start_rebuild(client: OpenSearch, name: str, *, shards: int, replicas: int) -> str:
    """Remove what killed rebuilds of ``name`` left, create an empty versioned index
    for a new one and return its name. Searches of ``name`` do not see it."""
    for index in orphans(client, name):
        client.indices.delete(index=index)
    index = versioned_name(name)
    client.indices.create(index=index, body=index_body(shards, replicas))
    return index


def switch(client: OpenSearch, name: str, index: str) -> list[str]:
    """Make ``name`` reach ``index`` only, in one atomic ``_aliases`` call, then delete
    the indices it reached before; returns them. Should a node not acknowledge the
    change in time, they are kept for a search it still sends them, as orphans that
    the next rebuild removes."""
    old = live_indices(client, name)
    if old == [name] and not _is_alias(client, name):
        actions = [{"remove_index": {"index": name}}]     # the plain index goes with it
        gone: list[str] = []
    else:
        actions = [{"remove": {"index": i, "alias": name}} for i in old if i != index]
        gone = [i for i in old if i != index]
    actions.append({"add": {"index": index, "alias": name}})
    answer = client.indices.update_aliases(body={"actions": actions})
    if not answer.get("acknowledged", True):
        return old
    for old_index in gone:
        client.indices.delete(index=old_index, ignore_unavailable=True)
    return old


def _is_alias(client: OpenSearch, name: str) -> bool:
    return bool(client.indices.exists_alias(name=name))


def delete(client: OpenSearch, name: str) -> None:
    """Delete ``name``: the plain index, or the alias with every versioned index of it."""
    if _is_alias(client, name):
        for index in {*live_indices(client, name), *orphans(client, name)}:
            client.indices.delete(index=index, ignore_unavailable=True)
    else:
        client.indices.delete(index=name, ignore_unavailable=True)
        for index in orphans(client, name):
            client.indices.delete(index=index, ignore_unavailable=True)


def open_rebuild(settings):
    """An ``OpenSearchEngine`` over a new, empty versioned index for a rebuild of the
    configured index (``start_rebuild``)."""
    from .opensearch_engine import OpenSearchEngine

    client = client_for(settings)
    index = start_rebuild(client, settings.opensearch_index,
                          shards=settings.opensearch_shards,
                          replicas=settings.opensearch_replicas)
    return OpenSearchEngine(client, index, create=False,
                            max_clauses=settings.opensearch_max_clauses)


#: Share of deleted documents of a rebuilt index above which they are merged away
#: before the switch (Lucene's ``expunge_deletes_allowed``: segments below it are
#: left as they are anyway).
EXPUNGE_SHARE = 0.10
#: Seconds to wait for that: OpenSearch keeps a replaced document (soft-deleted, for
#: replicas' recovery) until its shards' retention leases move past it, about 30 s
#: after the write; a merge before then keeps it.
EXPUNGE_WAIT = 90.0


def expunge_deletes(client: OpenSearch, index: str, *, wait: float = EXPUNGE_WAIT) -> int:
    """Merge away the deleted documents (replaced or removed) of ``index`` when they
    are more than EXPUNGE_SHARE of it: Lucene counts them in each word's rarity until
    their segments merge. Tries again every 5 s for ``wait`` seconds while the
    cluster still retains them; returns how many are left."""
    def deleted() -> tuple[int, int]:
        docs = client.indices.stats(index=index, metric="docs")["_all"]["primaries"]["docs"]
        return docs["deleted"], docs["count"]

    gone, live = deleted()
    if gone <= EXPUNGE_SHARE * (gone + live):
        return gone
    client.indices.flush(index=index)
    deadline = time.monotonic() + wait
    while True:
        client.indices.forcemerge(index=index, only_expunge_deletes=True,
                                  request_timeout=3600)
        client.indices.refresh(index=index)
        gone, live = deleted()
        if gone <= EXPUNGE_SHARE * (gone + live) or time.monotonic() >= deadline:
            return gone
        time.sleep(5.0)


def finish_rebuild(settings, index: str) -> None:
    """Switch the configured index name to the complete ``index`` (``switch``), its
    deleted documents merged away first (``expunge_deletes``: while no one searches
    it yet; in the live index Lucene's merge policy keeps them under about 20 %)."""
    client = client_for(settings)
    try:
        expunge_deletes(client, index)
        switch(client, settings.opensearch_index, index)
    finally:
        client.close()


def copy_documents(source, target, *, batch: int = 1000, progress=None) -> int:
    """Add every live document of the engine ``source`` to the engine ``target`` (as
    stored: nothing is crawled or extracted again), committing every ``batch``
    documents; ``progress(n)`` is told how many went so far. Returns how many."""
    copied = 0
    writer = target.writer()
    for doc_id in source.known():
        doc = source.get(doc_id)
        if doc is None:                      # deleted since known() listed it
            continue
        writer.add(doc)
        copied += 1
        if writer.pending >= batch:
            writer.commit()
            if progress is not None:
                progress(copied)
    writer.commit()
    if progress is not None:
        progress(copied)
    return copied


def copy_into(settings, source) -> tuple[str, int]:
    """Copy the engine ``source`` (a Whoosh index) into a new versioned index of the
    configured OpenSearch index, then switch the name to it: searches of the name go
    on answering from what it held until the copy is whole. Returns the new index's
    name and how many documents it holds."""
    engine = open_rebuild(settings)
    try:
        copied = copy_documents(source, engine)
    except BaseException:
        engine.client.indices.delete(index=engine.index, ignore_unavailable=True)
        raise
    finally:
        engine.close()
    finish_rebuild(settings, engine.index)
    return engine.index, copied
