"""The OpenSearch engine: a ``SearchEngine`` (``base``) over an index of an OpenSearch
cluster, through ``opensearch-py``.

The index is built from ``opensearch_mapping``; the parsed query is translated by
``opensearch_query``. One ``match`` is one search request (plus one for the pinned
ids, and one counting each word of a plain query of three words or more): the text
query, hidden ids and weights in the query; the facet filters as a post filter, so
that each facet's aggregation can honour every other facet's filter but not its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import NotFoundError, RequestError, TransportError

from searchhub import visibility
from searchhub.errors import IndexMissing, IndexOutdated
from searchhub.models import Document, Query, ResultPage
from searchhub.notice import notice
from searchhub.text import facet_key

from .analysis import GROUPS, terms
from .base import CurationView, Match, Matches, MatchRequest
from .opensearch_mapping import MAPPING_VERSION, from_source, index_body, to_source
from .opensearch_query import (
    MATCH_ALL,
    MAX_CLAUSES,
    Translation,
    clause_count,
    missing_words,
    plain_filter,
    plain_query,
    proximity,
    reweigh,
    scored_texts,
    translate,
)
from .schema import (
    OTHER_LANGUAGES_FACTOR,
    OWN_LANGUAGE_ENOUGH,
    body_field,
    share_weights,
    title_field,
)

_log = logging.getLogger(__name__)

#: Values counted per facet (every value a page could show, and far more).
FACET_SIZE = 10_000
#: Words read per initial letter for "did you mean".
VOCABULARY_LIMIT = 20_000
#: Documents per bulk request, and retries of a request the cluster refused (429).
BULK_CHUNK = 500
BULK_RETRIES = 5
#: Rounds of a commit: operations the cluster could not take for a while (a node
#: gone, a primary being moved) are sent again, after 1, 2, 4, 8... seconds.
COMMIT_ATTEMPTS = 8
#: Seconds between two checks whether the index changed (for the vocabulary).
REFRESH_INTERVAL = 1.0
#: Scored searches read the statistics of every shard first (one more round trip on an
#: index of several shards, none on one): a word's rarity over the whole index, as in
#: Whoosh, not over the shard that holds the document.
SCORED = "dfs_query_then_fetch"
#: HTTP connections kept open per node by default: the threads that may search or
#: index at once (the web server's 8 request threads, the indexer's, a few more). A
#: thread finding none free opens one more and closes it after ("Connection pool is
#: full, discarding connection").
CONNECTIONS = 16
#: Searches again after a node was lost mid-search, pausing NODE_LOST_PAUSE seconds
#: times the attempt: the cluster notices a killed node within a few seconds.
NODE_LOST_RETRIES = 3
NODE_LOST_PAUSE = 0.5
_NODE_LOST = ("node_disconnected_exception", "node_not_connected_exception",
              "node_closed_exception", "NodeDisconnectedException",
              "NodeNotConnectedException")
#: Errors of a request whose index was deleted while it ran (an alias switch).
_INDEX_GONE = ("already_closed_exception", "index_not_found_exception",
               "shard_not_found_exception", "index_closed_exception")
#: Refusals of Lucene's clause limit (``indices.query.bool.max_clause_count``).
_TOO_MANY_CLAUSES = ("too_many_nested_clauses", "too_many_clauses", "too many nested clauses",
                     "maxClauseCount")


def connect(urls: str, *, user: str = "", password: str = "", ca_certs: str = "",
            verify_certs: bool = True, timeout: float = 30.0,
            connections: int = CONNECTIONS) -> OpenSearch:
    """A client of the cluster at ``urls`` (comma-separated node URLs), keeping up to
    ``connections`` HTTP connections open per node (the threads that use it at once);
    a request without answer in ``timeout`` seconds, or from a node gone, is tried
    again on another node, three times."""
    # The client logs every request at INFO: one line per search in the JSON logs.
    logging.getLogger("opensearch").setLevel(logging.WARNING)
    hosts = [u.strip() for u in urls.split(",") if u.strip()]
    options: dict = {"timeout": timeout, "max_retries": 3, "retry_on_timeout": True,
                     "pool_maxsize": max(1, connections)}
    if user:
        options["http_auth"] = (user, password)
    if any(h.startswith("https:") for h in hosts):
        options.update(use_ssl=True, verify_certs=verify_certs, ssl_show_warn=verify_certs)
        if ca_certs:
            options["ca_certs"] = ca_certs
    return OpenSearch(hosts, **options)


class OpenSearchWriter:
    """Adds, replaces and deletes documents. They are kept until ``commit``, which
    sends them in bulk requests (retried with backoff when the cluster is busy) and
    refreshes the index, so nothing is visible before it and ``cancel`` drops all."""

    def __init__(self, engine: OpenSearchEngine):
        self._engine = engine
        self._ops: dict[str, Document | None] = {}     # id -> document, None: delete
        self.pending = 0

    def add(self, doc: Document) -> None:
        self._ops.pop(doc.id, None)
        self._ops[doc.id] = doc
        self.pending += 1

    def delete(self, doc_id: str) -> None:
        self._ops.pop(doc_id, None)
        self._ops[doc_id] = None
        self.pending += 1

    def _actions(self, ops: dict[str, Document | None]):
        index = self._engine.index
        for doc_id, doc in ops.items():
            if doc is None:
                yield {"_op_type": "delete", "_index": index, "_id": doc_id}
            else:
                yield {"_op_type": "index", "_index": index, "_id": doc_id,
                       "_source": to_source(doc)}

    def commit(self) -> None:
        """Send every held operation. Those the cluster could not take for a while (no
        answer from a node, a shard without its primary, too busy: status 429, 5xx)
        are sent again with backoff, COMMIT_ATTEMPTS times in all: a node that fails
        during a commit costs time, not documents (operations are idempotent)."""
        ops, failed = dict(self._ops), []
        for attempt in range(COMMIT_ATTEMPTS):
            again: dict[str, Document | None] = {}
            failed = []
            for ok, item in helpers.streaming_bulk(
                    self._engine.client, self._actions(ops), chunk_size=BULK_CHUNK,
                    max_retries=BULK_RETRIES, initial_backoff=1, raise_on_error=False,
                    raise_on_exception=False):
                if ok:
                    continue
                op, result = next(iter(item.items()))
                status = result.get("status")
                if op == "delete" and status == 404:
                    continue
                if _transient(status) and result.get("_id") in ops:
                    again[result["_id"]] = ops[result["_id"]]
                failed.append(f"{result.get('_id')}: {result.get('error')}")
            if not again or attempt == COMMIT_ATTEMPTS - 1:
                break
            _log.warning("OpenSearch could not take %d operation(s) for now; sending them "
                         "again (round %d): %s", len(again), attempt + 2, failed[0])
            ops = again
            time.sleep(min(2 ** attempt, 8))
        self._ops.clear()
        self.pending = 0
        self._engine.refresh()
        if failed:
            raise RuntimeError(f"OpenSearch refused {len(failed)} document(s): "
                               + "; ".join(failed[:5]))

    def cancel(self) -> None:
        self._ops.clear()
        self.pending = 0

    def __enter__(self) -> OpenSearchWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.cancel()


class OpenSearchEngine:
    """An index of an OpenSearch cluster as a ``base.SearchEngine``; thread-safe (the
    client is)."""

    def __init__(self, client: OpenSearch, index: str, *, create: bool = True,
                 shards: int = 1, replicas: int = 1, max_clauses: int = MAX_CLAUSES):
        self.client = client
        #: The cluster's ``indices.query.bool.max_clause_count``: a text query is
        #: translated to fewer clauses than that, less what the engine adds to it.
        self.max_clauses = max_clauses
        self.index = index
        self.path = index           # what the CLI names in messages
        if not client.indices.exists(index=index):
            if not create:
                raise IndexMissing(notice("No index %(index)s in the OpenSearch cluster. "
                                          "Build one with `searchhub index` first.",
                                          index=repr(index)))
            try:
                client.indices.create(index=index, body=index_body(shards, replicas))
            except RequestError as exc:
                if exc.error != "resource_already_exists_exception":
                    raise
        meta = client.indices.get_mapping(index=index)
        found = next(iter(meta.values()))["mappings"].get("_meta", {}).get("searchhub_mapping")
        if found != MAPPING_VERSION:
            raise IndexOutdated(notice(
                "The OpenSearch index %(index)s was built by another version of searchhub "
                "(mapping %(found)s, this version reads %(mapping)s). Delete it and "
                "index again.", index=repr(index), found=str(found),
                mapping=str(MAPPING_VERSION)))
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._checked = 0.0
        self._vocabulary: _Vocabulary | None = None
        self._vocabularies: dict = {}
        #: (when read, the language groups the index holds documents of, documents per
        #: shard).
        self._held: tuple[float, tuple[str, ...], float] | None = None

    # -- storing and fetching ---------------------------------------------------

    def writer(self, *, timeout: float = 0.0) -> OpenSearchWriter:
        return OpenSearchWriter(self)

    def get(self, doc_id: str) -> Document | None:
        try:
            found = self.client.get(index=self.index, id=doc_id, _source_includes="doc")
        except NotFoundError:
            return None
        return from_source(found["_source"])

    def known(self, source_id: str | None = None) -> dict[str, str]:
        query = {"term": {"source": source_id}} if source_id is not None else MATCH_ALL
        return {hit["_id"]: hit["_source"].get("hash", "")
                for hit in helpers.scan(self.client, index=self.index, size=2000,
                                        query={"query": query, "_source": ["hash"]})}

    def count(self) -> int:
        return self.client.count(index=self.index)["count"]

    def refresh(self) -> None:
        self.client.indices.refresh(index=self.index)
        self._checked = 0.0
        self._held = None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> OpenSearchEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def search(self, query: Query, curation: CurationView | None = None) -> ResultPage:
        """``searchhub.searching.search`` over this engine (a convenience; not part of
        the seam)."""
        from searchhub.searching import search

        return search(self, query, curation)

    def vocabulary(self, viewer: frozenset[str] | None = None) -> _Vocabulary:
        """One object per viewer while the index is unchanged (its indexing counters
        say so), counting only the documents ``viewer`` may see."""
        now = time.monotonic()
        with self._lock:
            if self._vocabulary is None or now - self._checked >= REFRESH_INTERVAL:
                self._checked = now
                stats = _unless_vanished(lambda: self.client.indices.stats(
                    index=self.index, metric="indexing,docs"))
                primaries = stats["_all"]["primaries"]
                version = (primaries["indexing"]["index_total"],
                           primaries["indexing"]["delete_total"],
                           primaries["docs"]["count"])
                if version != self._version or self._vocabulary is None:
                    self._version = version
                    self._vocabulary = _Vocabulary(self.client, self.index)
                    self._vocabularies = {}
            seen = _visibility_filter(viewer)
            if seen is None:
                return self._vocabulary
            key = visibility.key(viewer)
            if key not in self._vocabularies:
                self._vocabularies[key] = _Vocabulary(self.client, self.index, seen)
            return self._vocabularies[key]

    # -- matching ---------------------------------------------------------------

    def match(self, request: MatchRequest) -> Matches:
        """The matches of ``request``. A query the cluster refuses as too large (its
        clause limit below ``max_clauses``) is searched again smaller (fewer of the
        lexicon's alternatives), rather than failing the search."""
        groups, documents = _unless_vanished(self._groups)
        translation = translate(request.query, groups,
                                limit=self.max_clauses - self._added_clauses(request))
        switched = False
        lost = 0
        while True:
            try:
                return self._match(request, translation, documents)
            except TransportError as exc:
                if _index_vanished(exc) and not switched:
                    # A rebuild or copy moved the alias and deleted the index this
                    # search had begun on: search again, on the new one.
                    switched = True
                    continue
                if _node_lost(exc) and lost < NODE_LOST_RETRIES:
                    # A node left between the phases of the search (its shard copies
                    # answered the query phase, then could not be fetched from): the
                    # cluster routes the next one to the copies that remain.
                    lost += 1
                    _log.warning("OpenSearch lost a node during a search; searching "
                                 "again (%d of %d)", lost, NODE_LOST_RETRIES)
                    time.sleep(NODE_LOST_PAUSE * lost)
                    continue
                if not _too_many_clauses(exc):
                    raise
                smaller = translate(request.query, groups, limit=translation.size // 2)
                if smaller.size >= translation.size:
                    raise
                _log.warning("OpenSearch refused a query of %d clauses as too large; "
                             "searching it with %d (indices.query.bool.max_clause_count "
                             "is below SEARCHHUB_OPENSEARCH_MAX_CLAUSES=%d)",
                             translation.size, smaller.size, self.max_clauses)
                translation = smaller

    def _added_clauses(self, request: MatchRequest) -> int:
        """Clauses the engine adds to the text query of ``request``: hidden ids and
        visibility around it, the pinned ids and facet filters beside it."""
        around = clause_count(self._curated(request, MATCH_ALL,
                                            _visibility_filter(request.viewer))) - 1
        beside = clause_count([{"ids": {"values": list(request.pinned)}},
                               *_filters(request.filters, request.facet_values).values()])
        return around + beside

    def _match(self, request: MatchRequest, translation: Translation,
               documents: float) -> Matches:
        self._reweigh(translation, documents)
        seen = _visibility_filter(request.viewer)
        text, relaxed = self._text_query(translation, seen, request.query.language
                                         if request.query is not None else None)
        query = self._curated(request, text, seen)
        filters = _filters(request.filters, request.facet_values)
        pinned = self._pinned(request, query, filters, translation)
        start = max(0, request.start - len(pinned))
        end = request.start + request.limit
        # Pinned documents come first: the ranking after them leaves them out (in the
        # post filter, so that the facets still count them).
        shown = list(filters.values())
        if pinned:
            shown.append({"bool": {"must_not": [{"ids": {"values": list(pinned)}}]}})
        body = {
            "query": query,
            "post_filter": _all_of(shown),
            "aggs": _facet_aggs(request, filters),
            "from": start, "size": max(0, end - max(request.start, len(pinned))),
            "sort": _sort(request.sort),
            "track_total_hits": True, "track_scores": True,
            "_source": ["doc"],
        }
        answer = self.client.search(index=self.index, body=body, search_type=SCORED)
        total = answer["hits"]["total"]["value"] + len(pinned)
        scored = text is not None
        hits = [_match(doc_id, score if scored else 0.0, doc, True, words)
                for doc_id, (score, doc, words) in list(pinned.items())[request.start:end]]
        for hit in answer["hits"]["hits"]:
            hits.append(_match(hit["_id"], float(hit["_score"] or 0.0) if scored else 0.0,
                               from_source(hit["_source"]), False,
                               translation.matched(hit.get("matched_queries"))))
        facets = _facet_counts(request, answer.get("aggregations", {}))
        return Matches(total, hits[:request.limit], facets, relaxed)

    def _groups(self) -> tuple[tuple[str, ...], float]:
        """The language groups the index holds documents of, and how many documents a
        shard holds, read again after REFRESH_INTERVAL: a query searches only those
        groups' fields (Lucene allows 1024 clauses in a query; each word spreads over
        two fields per group)."""
        held = self._held
        now = time.monotonic()
        if held is None or now - held[0] >= REFRESH_INTERVAL:
            answer = self.client.search(index=self.index, body={
                "size": 0, "track_total_hits": True, "aggs": {
                    g: {"filter": {"exists": {"field": body_field(g)}}} for g in GROUPS}})
            settings = self.client.indices.get_settings(index=self.index,
                                                        name="index.number_of_shards")
            shards = max(int(s["settings"]["index"]["number_of_shards"])
                         for s in settings.values())
            held = self._held = (now, tuple(g for g in GROUPS
                                            if answer["aggregations"][g]["doc_count"]),
                                 answer["hits"]["total"]["value"] / shards)
        return held[1], held[2]

    def _reweigh(self, translation: Translation, documents: float) -> None:
        """Rarity counted over every document, as in Whoosh (``opensearch_query.reweigh``),
        from one ``_termvectors`` request. Its statistics are one shard's: ``documents``
        is how many a shard holds (documents are spread evenly by id)."""
        texts = scored_texts(translation.query)
        if not texts:
            return
        answer = self.client.termvectors(index=self.index, body={
            "doc": {f: sorted(t) for f, t in texts.items()}, "term_statistics": True,
            "field_statistics": True, "positions": False, "offsets": False})
        reweigh(translation.query, answer.get("term_vectors", {}), documents)

    def _text_query(self, translation: Translation, seen: dict | None,
                    language: str | None = None) -> tuple[dict | None, bool]:
        """The text query, and whether a plain one had to be relaxed: documents must
        hold words worth the share of its information ``share_weights`` says, or,
        when none does, any of them, and lose for each word they lack
        (``missing_words``); only documents
        the viewer may see (``seen``) count. Documents in other languages than the
        query's weigh less when its own answer it (``_prefer_own_language``)."""
        if translation.query is None:
            return None, False
        clauses, filters = translation.clauses, translation.filters
        if not translation.simple:
            return translation.query, False
        own = _own_language(language, filters)
        if len(clauses) == 1:
            return self._prefer_own_language(translation.query, own, None, seen), False
        weights = None
        required = 1.0
        answered = None
        if len(clauses) > 2:
            aggs = {f"w{i}": {"filter": f} for i, f in enumerate(filters)}
            if own is not None:
                aggs["own"] = {"filter": own}
            counts = self.client.search(index=self.index, body={
                "size": 0, "track_total_hits": True, "query": seen or MATCH_ALL,
                "aggs": aggs})
            live = counts["hits"]["total"]["value"]
            weights, required = share_weights(
                [counts["aggregations"][f"w{i}"]["doc_count"] for i in range(len(filters))],
                live)
            if own is not None:
                answered = counts["aggregations"]["own"]["doc_count"]
            if required >= 1.0:
                # All the words some document holds: the others match nothing anyway.
                kept = [k for k, w in enumerate(weights) if w > 0] or range(len(filters))
                clauses, filters = [clauses[k] for k in kept], [filters[k] for k in kept]
                weights = None
        relaxed = False
        if not self._holds(plain_filter(filters, weights, required), seen):
            required = 0.0
            relaxed = self._holds(plain_filter(filters, weights, required), seen)
        query = proximity(missing_words(plain_query(clauses, filters, weights, required),
                                        filters, weights), translation.pairs)
        return self._prefer_own_language(query, own, answered, seen), relaxed

    def _prefer_own_language(self, query: dict, own: dict | None, answered: int | None,
                             seen: dict | None) -> dict:
        """``query`` with documents outside the query's language weighing
        OTHER_LANGUAGES_FACTOR when OWN_LANGUAGE_ENOUGH documents in it (``own``: those
        holding every word; ``answered``: how many, if counted already) may be seen."""
        if own is None:
            return query
        if answered is None:
            answered = self.client.count(index=self.index, body={
                "query": _seen(own, seen)})["count"]
        if answered < OWN_LANGUAGE_ENOUGH:
            return query
        return {"function_score": {
            "query": query,
            "functions": [{"filter": {"bool": {"must_not": [_in_language(own)]}},
                           "weight": OTHER_LANGUAGES_FACTOR}],
            "score_mode": "multiply", "boost_mode": "multiply"}}

    def _holds(self, query: dict, seen: dict | None) -> bool:
        """Whether some document the viewer may see (``seen``) matches ``query``."""
        return bool(self.client.count(index=self.index, body={"query": _seen(query, seen)})
                    ["count"])

    def _curated(self, request: MatchRequest, text: dict | None, seen: dict | None) -> dict:
        """The text query less the hidden ids and what the viewer may not see
        (``seen``), scores multiplied by curators' weights."""
        query = text if text is not None else MATCH_ALL
        weights = {i: w for i, w in request.weights.items() if w != 1.0}
        if weights and text is not None:
            query = {"function_score": {
                "query": query,
                "functions": [{"filter": {"ids": {"values": [i]}}, "weight": max(w, 1e-6)}
                              for i, w in weights.items()],
                "score_mode": "multiply", "boost_mode": "multiply"}}
        if request.hidden:
            query = {"bool": {"must": [query],
                              "must_not": [{"ids": {"values": sorted(request.hidden)}}]}}
        return _seen(query, seen)

    def _pinned(self, request: MatchRequest, query: dict, filters: dict,
                translation: Translation) -> dict[str, tuple[float, Document, tuple]]:
        """The pinned ids that match the query and the filters, in their order, with
        their scores, documents and matched words."""
        if not request.pinned:
            return {}
        answer = self.client.search(index=self.index, search_type=SCORED, body={
            "query": {"bool": {"must": [query],
                               "filter": [{"ids": {"values": list(request.pinned)}},
                                          *filters.values()]}},
            "size": len(request.pinned), "_source": ["doc"]})
        found = {hit["_id"]: (float(hit["_score"] or 0.0), from_source(hit["_source"]),
                              translation.matched(hit.get("matched_queries")))
                 for hit in answer["hits"]["hits"]}
        return {i: found[i] for i in dict.fromkeys(request.pinned) if i in found}


def _too_many_clauses(exc: TransportError) -> bool:
    """Whether the cluster refused a request for holding too many clauses."""
    text = f"{exc.error} {exc.info}"
    return any(marker in text for marker in _TOO_MANY_CLAUSES)


def _index_vanished(exc: TransportError) -> bool:
    """Whether a request failed because the index it ran on was deleted meanwhile (an
    alias switch), not for a fault of its own: every shard gone without one failing
    (one node), or a shard that found its index closed or gone under it (several
    nodes: "this Analyzer is closed", with status 400)."""
    info = exc.info if isinstance(exc.info, dict) else {}
    error = info.get("error") if isinstance(info.get("error"), dict) else {}
    if (exc.status_code == 503 and error.get("type") == "search_phase_execution_exception"
            and not error.get("failed_shards")):
        return True
    return any(marker in f"{exc.error} {exc.info}" for marker in _INDEX_GONE)


def _unless_vanished(call):
    """``call()``, made once more if the index it read was deleted under it (an alias
    switch): the name then reaches the new index."""
    try:
        return call()
    except TransportError as exc:
        if not _index_vanished(exc):
            raise
        return call()


def _node_lost(exc: TransportError) -> bool:
    """Whether a search failed because a node holding its shards left the cluster
    while it ran (killed, or cut off): worth searching again, unlike a fault of the
    query."""
    if not isinstance(exc.status_code, int) or exc.status_code < 500:
        return False
    text = f"{exc.error} {exc.info}"
    return any(marker in text for marker in _NODE_LOST)


def _transient(status) -> bool:
    """Whether a bulk item's failure may pass: no answer (no status), 429 or 5xx."""
    return not isinstance(status, int) or status == 429 or status >= 500


def _visibility_filter(viewer: frozenset[str] | None) -> dict | None:
    """The filter of the documents ``viewer`` may see (``searchhub.visibility``), or
    None if it may see every one."""
    if not visibility.restricts(viewer):
        return None
    public = {"bool": {"must_not": [{"exists": {"field": "visibility"}}]}}
    if not viewer:
        return public
    return {"bool": {"should": [public, {"terms": {"visibility": sorted(viewer)}}],
                     "minimum_should_match": 1}}


def _seen(query: dict, seen: dict | None) -> dict:
    """``query`` among the documents of filter ``seen`` (all if None)."""
    return query if seen is None else {"bool": {"must": [query], "filter": [seen]}}


def _match(doc_id: str, score: float, doc: Document, pinned: bool,
           words: tuple[str, ...]) -> Match:
    return Match(doc_id, score, doc, pinned, terms=words)


# -- filters and facets -----------------------------------------------------------


def _all_of(clauses: list[dict]) -> dict:
    return {"bool": {"filter": clauses}} if clauses else MATCH_ALL


def _own_language(language: str | None, filters: list[dict]) -> dict | None:
    """The documents in ``language`` holding every clause (each as its filter of
    ``filters``), or None when the language is unknown."""
    if not language or not filters:
        return None
    return {"bool": {"filter": [{"term": {"language.key": facet_key(language)}}, *filters]}}


def _in_language(own: dict) -> dict:
    """The language clause of an ``_own_language`` filter: its documents' language."""
    return own["bool"]["filter"][0]


def _filters(filters: Mapping[str, Sequence[str]],
             corrected: Mapping[str, Mapping[str, Sequence[str]]]) -> dict[str, dict]:
    """Facet name -> filter clause. A document whose values curators corrected for
    that facet is judged by its corrected values, the others by the index's."""
    out = {}
    for name, values in filters.items():
        if not values:
            continue
        keys = {facet_key(v) for v in values}
        field = "year" if name == "year" else f"{name}.key"
        indexed = {"terms": {field: sorted(keys) if name != "year" else list(values)}}
        overridden = [i for i, f in corrected.items() if name in f]
        if not overridden:
            out[name] = indexed
            continue
        chosen = [i for i in overridden
                  if any(facet_key(v) in keys for v in corrected[i][name])]
        clauses = [{"bool": {"filter": [indexed],
                             "must_not": [{"ids": {"values": overridden}}]}}]
        if chosen:
            clauses.append({"ids": {"values": chosen}})
        out[name] = {"bool": {"should": clauses, "minimum_should_match": 1}}
    return out


def _facet_aggs(request: MatchRequest, filters: dict[str, dict]) -> dict:
    """Per facet: its values under every other facet's filter; documents with corrected
    values for it are counted apart (by id), to be counted under those values."""
    aggs = {}
    for name in request.facets:
        others = [clause for other, clause in filters.items() if other != name]
        overridden = [i for i, f in request.facet_values.items() if name in f]
        inner: dict = {"values": {"terms": {"field": name, "size": FACET_SIZE}}}
        if overridden:
            inner = {
                "indexed": {"filter": {"bool": {"must_not": [{"ids": {"values": overridden}}]}},
                            "aggs": inner},
                "corrected": {"filter": {"ids": {"values": overridden}},
                              "aggs": {"ids": {"terms": {"field": "id",
                                                         "size": len(overridden)}}}},
            }
        aggs[name] = {"filter": _all_of(others), "aggs": inner}
    return aggs


def _facet_counts(request: MatchRequest, aggs: dict) -> dict[str, list[tuple[str, int]]]:
    """The facet aggregations as (value, count), corrected values counted in."""
    out = {}
    for name in request.facets:
        agg = aggs.get(name, {})
        counts: Counter = Counter()
        indexed = agg.get("indexed", agg)
        for bucket in indexed.get("values", {}).get("buckets", []):
            counts[bucket["key"]] += bucket["doc_count"]
        for bucket in agg.get("corrected", {}).get("ids", {}).get("buckets", []):
            for value in request.facet_values[bucket["key"]][name]:
                counts[str(value)] += 1
        out[name] = [(v, c) for v, c in counts.items() if c]
    return out


def _sort(sort: str) -> list:
    if sort == "newest":
        return [{"date": {"order": "desc", "missing": "_last"}}, {"_score": "desc"},
                {"id": "asc"}]
    return [{"_score": "desc"}, {"date": {"order": "desc", "missing": "_last"}},
            {"id": "asc"}]


class _Vocabulary:
    """The spelling vocabulary of the index as it was when made (``base.Vocabulary``):
    the ``spell`` keyword values, read per initial by a terms aggregation, bounded
    by VOCABULARY_LIMIT; the stemmed fields for ``holds``."""

    def __init__(self, client: OpenSearch, index: str, seen: dict | None = None):
        self._client = client
        self._index = index
        self._query = seen or MATCH_ALL
        self._by_initial: dict[str, dict[str, int]] = {}
        self._holds: dict[str, bool] = {}

    def _words(self, initial: str) -> dict[str, int]:
        words = self._by_initial.get(initial)
        if words is None:
            pattern = "".join(c if c.isalnum() else "\\" + c for c in initial) + ".*"
            answer = _unless_vanished(lambda: self._client.search(index=self._index, body={
                "size": 0, "query": self._query, "aggs": {"words": {"terms": {
                    "field": "spell", "include": pattern, "size": VOCABULARY_LIMIT}}}}))
            words = {b["key"]: b["doc_count"]
                     for b in answer["aggregations"]["words"]["buckets"]}
            self._by_initial[initial] = words
        return words

    def words_from(self, initial: str):
        return iter(sorted(self._words(initial)))

    def frequency(self, word: str) -> int:
        if not word:
            return 0
        return self._words(word[0]).get(word, 0)

    def holds(self, word: str) -> bool:
        found = self._holds.get(word)
        if found is None:
            folded = terms("xx", word)
            should = []
            if folded:
                should.append({"bool": {"filter": [{"term": {"spell": t}} for t in folded]}})
            for group in GROUPS:
                for field in (title_field(group), body_field(group)):
                    should.append({"match": {field: {"query": word, "operator": "and"}}})
            answer = _unless_vanished(lambda: self._client.count(index=self._index, body={
                "query": {"bool": {"should": should, "minimum_should_match": 1,
                                   "filter": [self._query]}}}))
            found = self._holds[word] = answer["count"] > 0
        return found
