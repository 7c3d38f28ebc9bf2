"""A read-only view of one index generation as numpy arrays.

Whoosh keeps the postings and the stored documents; scoring and
facet counting happen here, vectorised, over arrays that are read once per
segment and cached (segments never change after they are written, only their
deletions do). That is what keeps a query with every facet count under the
latency budget on 100,000 documents.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
from whoosh.columns import VarBytesColumn

from searchhub.models import FACET_NAMES
from searchhub.text import facet_key

from .postings import (
    LENGTH_OF_BYTE,
    block_data,
    length_column,
    postings_file,
    raw_blocks,
    read_term,
)
from .schema import ArrayPositions, content_fields

_LENGTH_OF_BYTE = LENGTH_OF_BYTE.astype(np.float32)
_META_COLUMN = VarBytesColumn()


@dataclass
class SegmentData:
    """What one segment contributes: ids, meta and field lengths, by local docnum."""

    ids: list[str]
    meta: list[dict]
    lengths: dict[str, np.ndarray]
    date: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    year: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    facets: dict[str, FacetColumn] = field(default_factory=dict)


def _read_segment(leaf) -> SegmentData:
    n = leaf.doc_count_all()
    meta_reader = leaf.column_reader("meta", _META_COLUMN, translate=False)
    meta = [json.loads(b) if b else {} for b in meta_reader]
    ids = [m.get("id", "") for m in meta]
    lengths = {}
    perdoc = leaf.codec().per_document_reader(leaf.storage(), leaf.segment())
    try:
        for fname in content_fields():
            reader = length_column(perdoc, fname)
            if reader is None:
                continue
            raw = np.fromiter(reader, dtype=np.uint8, count=n)
            lengths[fname] = _LENGTH_OF_BYTE[raw] * (raw > 0)
    finally:
        perdoc.close()
    return SegmentData(
        ids, meta, lengths,
        date=np.array([m.get("d", 0) for m in meta], dtype=np.int32),
        year=np.array([m.get("d", 0) and _year_of(m["d"]) for m in meta], dtype=np.int32),
        facets={name: _facet_column(meta, name) for name in (*FACET_NAMES, "source")})


class SegmentCache:
    """Segment data and posting arrays, keyed by segment id, shared by snapshots."""

    def __init__(self, postings_budget: int = 256 * 1024 * 1024):
        self._segments: dict[str, SegmentData] = {}
        self._postings: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._postings_bytes = 0
        self._phrases: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._budget = postings_budget
        self._lock = threading.Lock()

    def segment(self, leaf) -> SegmentData:
        segid = leaf.segment().segment_id()
        data = self._segments.get(segid)
        if data is None:
            data = _read_segment(leaf)
            with self._lock:
                self._segments[segid] = data
        return data

    def forget_except(self, segids: set[str]) -> None:
        with self._lock:
            for segid in list(self._segments):
                if segid not in segids:
                    del self._segments[segid]
            for key in list(self._phrases):
                if key[0] not in segids:
                    del self._phrases[key]
            for key in list(self._postings):
                if key[0] not in segids:
                    ids, tfs = self._postings.pop(key)
                    self._postings_bytes -= ids.nbytes + tfs.nbytes

    def phrase(self, leaf, q) -> np.ndarray:
        """Local docnums (sorted) of one segment holding phrase ``q``, deletions
        included. Cached: segments never change."""
        key = (leaf.segment().segment_id(), "phrase", q.fieldname, tuple(q.words), q.slop)
        with self._lock:
            hit = self._phrases.get(key)
        if hit is not None:
            return hit
        field = leaf.schema[q.fieldname]
        found = phrase_docs([self.positions(leaf, q.fieldname, field.to_bytes(word))
                             for word in q.words], q.slop)
        with self._lock:
            self._phrases[key] = found
            while len(self._phrases) > PHRASE_CACHE_SIZE:
                self._phrases.popitem(last=False)
        return found

    def positions(self, leaf, fieldname: str, btext: bytes) -> np.ndarray:
        """Every occurrence of a term in one segment as sorted int64 keys
        ``docnum << 32 | position``."""
        key = (leaf.segment().segment_id(), fieldname, btext, "positions")
        with self._lock:
            hit = self._postings.get(key)
            if hit is not None:
                self._postings.move_to_end(key)
                return hit[0]
        keys = _read_positions(leaf, fieldname, btext)
        self._remember(key, (keys, _NO_ARRAY))
        return keys

    def _remember(self, key, arrays: tuple[np.ndarray, np.ndarray]) -> None:
        with self._lock:
            self._postings[key] = arrays
            self._postings_bytes += arrays[0].nbytes + arrays[1].nbytes
            while self._postings_bytes > self._budget and self._postings:
                _, (old_a, old_b) = self._postings.popitem(last=False)
                self._postings_bytes -= old_a.nbytes + old_b.nbytes

    def postings(self, leaf, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(local docnums, term frequencies) of a term in one segment, deletions included."""
        key = (leaf.segment().segment_id(), fieldname, btext)
        with self._lock:
            hit = self._postings.get(key)
            if hit is not None:
                self._postings.move_to_end(key)
                return hit
        ids, tfs = _read_postings(leaf, fieldname, btext)
        self._remember(key, (ids, tfs))
        return ids, tfs


PHRASE_CACHE_SIZE = 4096

def phrase_in_segment(leaf, q, local: np.ndarray) -> np.ndarray:
    """Which of the sorted local docnums hold phrase ``q``: positions are decoded only
    from the posting blocks that hold one of those documents (proximity checks the
    hundred best candidates; reading whole posting lists would cost more)."""
    field = leaf.schema[q.fieldname]
    wanted = local.tolist()
    occurrences = []
    for word in q.words:
        btext = field.to_bytes(word)
        if (q.fieldname, btext) not in leaf:
            return np.zeros(0, dtype=np.int64)
        occurrences.append(_positions_among(postings_file(leaf),
                                            leaf.term_info(q.fieldname, btext), wanted))
    return phrase_docs(occurrences, q.slop)


def _positions_among(postfile, terminfo, wanted: list[int]) -> np.ndarray:
    """``docnum << 32 | position`` keys of one term, for the sorted docnums ``wanted``."""
    parts = []

    def take(ids, values, lo: int, hi: int) -> None:
        value_of = dict(zip(ids, values, strict=True))
        for docnum in wanted[lo:hi]:
            value = value_of.get(docnum)
            if value:
                parts.append((docnum << 32) | np.frombuffer(value, dtype="<u4").astype(np.int64))

    if terminfo.is_inlined():
        ids, _, values = terminfo.inlined_postings()
        take(ids, values, 0, len(wanted))
    else:
        j = 0
        offset, length = terminfo.extent()
        for _, last, raw in raw_blocks(postfile, offset, length):
            start = j
            while j < len(wanted) and wanted[j] <= last:
                j += 1
            if j > start:
                deltas, _, values = block_data(raw)
                take(list(accumulate(deltas)), values, start, j)
            if j == len(wanted):
                break
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


_EMPTY = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
_NO_ARRAY = np.zeros(0, dtype=np.int64)


def _read_postings(leaf, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    if (fieldname, btext) not in leaf:
        return _EMPTY
    postings = read_term(leaf, fieldname, btext, leaf.schema[fieldname].format)
    return postings.ids.astype(np.int32), postings.weights.astype(np.float32)


def _read_positions(leaf, fieldname: str, btext: bytes) -> np.ndarray:
    fmt = leaf.schema[fieldname].format
    if (fieldname, btext) not in leaf or not isinstance(fmt, ArrayPositions):
        return _NO_ARRAY
    postings = read_term(leaf, fieldname, btext, fmt)
    positions = np.frombuffer(postings.values, dtype="<u4").astype(np.int64)
    docs = np.repeat(postings.ids, postings.value_lengths // 4)
    return (docs << 32) | positions


def phrase_docs(occurrences: list[np.ndarray], slop: int = 1) -> np.ndarray:
    """Sorted docnums where the words occur in order, each within ``slop``
    positions after the one before (Whoosh's phrase semantics; slop 1: side by
    side). ``occurrences[i]`` holds word i's ``docnum << 32 | position`` keys, sorted.

    Follows the phrase word by word: the positions reached so far, shifted by each
    allowed gap, are looked up among the next word's keys (binary search)."""
    if not occurrences or any(k.size == 0 for k in occurrences):
        return np.zeros(0, dtype=np.int64)
    ends = occurrences[0]
    for keys in occurrences[1:]:
        found = []
        for gap in range(1, max(slop, 1) + 1):
            wanted = ends + gap
            at = np.minimum(np.searchsorted(keys, wanted), keys.size - 1)
            found.append(wanted[keys[at] == wanted])
        ends = np.unique(np.concatenate(found)) if len(found) > 1 else found[0]
        if not ends.size:
            break
    return np.unique(ends >> 32)


@dataclass
class FacetColumn:
    """A multi-valued facet as parallel arrays: entry i says doc ``docs[i]`` has ``values[i]``."""

    labels: list[str]                     # value id -> value
    docs: np.ndarray                      # int32
    values: np.ndarray                    # int32
    by_folded: dict[str, list[int]] = field(default_factory=dict)   # facet_key -> ids

    def mask_for(self, value_ids: list[int], n: int) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        if value_ids:
            mask[self.docs[np.isin(self.values, value_ids)]] = True
        return mask

    def counts(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.values[mask[self.docs]], minlength=len(self.labels))


class Snapshot:
    """One index generation: the Whoosh searcher plus the arrays built from it."""

    def __init__(self, index, cache: SegmentCache):
        self._index = index
        self.closed = False
        self.searcher = index.searcher()
        self.reader = self.searcher.reader()
        self.generation = self.reader.generation()
        self.version: tuple | None = None     # set by the engine that opened it
        self.cache = cache
        #: The engine's spelling vocabulary of this generation, made on first use.
        self.vocabulary = None
        leaves = [(leaf, offset) for leaf, offset in self.reader.leaf_readers()
                  if leaf.segment() is not None]
        self.leaves = [(leaf, offset, cache.segment(leaf)) for leaf, offset in leaves]
        cache.forget_except({leaf.segment().segment_id() for leaf, _ in leaves})
        self.n = self.reader.doc_count_all()
        n = self.n

        self.live = np.ones(n, dtype=bool)
        self.ids: list[str] = []
        metas: list[dict] = []
        for leaf, offset, data in self.leaves:
            for docnum in leaf.deleted_docs_set if leaf.has_deletions() else ():
                self.live[offset + docnum] = False
            self.ids.extend(data.ids)
            metas.extend(data.meta)
        self.meta = metas
        self.docnum_of = {doc_id: i for i, doc_id in enumerate(self.ids) if self.live[i]}
        self.live_count = int(self.live.sum())

        self.lengths: dict[str, np.ndarray] = {}
        self.avg_length: dict[str, float] = {}
        #: Live documents holding each field: the N of its words' rarity, as Lucene's
        #: docCount (a French word is rare or common among French documents, not
        #: among all).
        self.field_docs: dict[str, int] = {}
        for fname in content_fields():
            parts = [data.lengths.get(fname) for _, _, data in self.leaves]
            if all(p is None for p in parts):
                continue
            arr = np.concatenate([
                p if p is not None else np.zeros(leaf.doc_count_all(), dtype=np.float32)
                for p, (leaf, _, _) in zip(parts, self.leaves, strict=True)
            ]) if parts else np.zeros(0, dtype=np.float32)
            self.lengths[fname] = arr
            present = arr[(arr > 0) & self.live]
            self.avg_length[fname] = float(present.mean()) if present.size else 1.0
            self.field_docs[fname] = int(present.size)

        # Per-segment arrays (cached with the segment) joined: a new generation costs
        # only its new segments plus these concatenations.
        segments = [(offset, data) for _, offset, data in self.leaves]
        self.date = _concat([data.date for _, data in segments], np.int32)
        self.year = _concat([data.year for _, data in segments], np.int32)
        self.facets = {name: _join_facets([(offset, data.facets[name])
                                           for offset, data in segments])
                       for name in (*FACET_NAMES, "source")}

    def postings(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Global docnums and term frequencies of a term, deleted documents removed."""
        id_parts, tf_parts = [], []
        for leaf, offset, _ in self.leaves:
            ids, tfs = self.cache.postings(leaf, fieldname, btext)
            if ids.size:
                id_parts.append(ids + offset)
                tf_parts.append(tfs)
        if not id_parts:
            return _EMPTY
        ids = np.concatenate(id_parts) if len(id_parts) > 1 else id_parts[0]
        tfs = np.concatenate(tf_parts) if len(tf_parts) > 1 else tf_parts[0]
        keep = self.live[ids]
        if not keep.all():
            ids, tfs = ids[keep], tfs[keep]
        return ids, tfs

    def phrase_ids(self, q, holders: np.ndarray) -> np.ndarray:
        """Global docnums holding phrase ``q``, among ``holders`` (the mask of live
        documents holding all its words)."""
        parts = []
        for leaf, offset, _ in self.leaves:
            end = offset + leaf.doc_count_all()
            if holders[offset:end].any():
                ids = self.cache.phrase(leaf, q) + offset
                ids = ids[holders[ids]]
                if ids.size:
                    parts.append(ids)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def phrase_among(self, q, candidates: np.ndarray) -> np.ndarray:
        """Which of ``candidates`` (sorted global docnums) hold the phrase ``q``."""
        found = []
        for leaf, offset, _ in self.leaves:
            end = offset + leaf.doc_count_all()
            local = candidates[(candidates >= offset) & (candidates < end)] - offset
            if local.size:
                ids = phrase_in_segment(leaf, q, local)
                if ids.size:
                    found.append(ids + offset)
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def stored(self, docnum: int) -> dict:
        return self.searcher.stored_fields(docnum)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.searcher.close()
            self._index.close()


def _concat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _join_facets(parts: list[tuple[int, FacetColumn]]) -> FacetColumn:
    """One facet column from the segments' own (value ids renumbered, docnums offset)."""
    if len(parts) == 1 and parts[0][0] == 0:
        return parts[0][1]
    index: dict[str, int] = {}
    docs, values = [], []
    for offset, column in parts:
        remap = np.array([index.setdefault(label, len(index)) for label in column.labels],
                         dtype=np.int32)
        docs.append(column.docs + offset)
        values.append(remap[column.values] if remap.size else column.values)
    labels = list(index)
    by_folded: dict[str, list[int]] = {}
    for vid, label in enumerate(labels):
        by_folded.setdefault(facet_key(label), []).append(vid)
    return FacetColumn(labels, _concat(docs, np.int32).astype(np.int32),
                       _concat(values, np.int32).astype(np.int32), by_folded)


def _year_of(ordinal: int) -> int:
    import datetime as dt
    return dt.date.fromordinal(ordinal).year


def _facet_column(metas: list[dict], name: str) -> FacetColumn:
    labels: list[str] = []
    index: dict[str, int] = {}
    docs: list[int] = []
    values: list[int] = []
    for docnum, meta in enumerate(metas):
        for value in meta.get("f", {}).get(name, ()):
            vid = index.get(value)
            if vid is None:
                vid = index[value] = len(labels)
                labels.append(value)
            docs.append(docnum)
            values.append(vid)
    by_folded: dict[str, list[int]] = {}
    for vid, label in enumerate(labels):
        by_folded.setdefault(facet_key(label), []).append(vid)
    return FacetColumn(labels, np.array(docs, dtype=np.int32), np.array(values, dtype=np.int32),
                       by_folded)
