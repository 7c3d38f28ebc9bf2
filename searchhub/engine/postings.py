"""Whoosh 3 posting lists read and written a whole term at a time, with numpy.

Whoosh's codec handles one posting per Python call: that bounds indexing to a
few hundred documents a second. The file format stays Whoosh's own (blocks of
128 postings: a pickled tuple of delta-coded ids, weights and values, with a
pickled info tuple in front), so every Whoosh reader still reads what we write;
only the loop moves into numpy.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pickle import dumps, loads

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher, W3TermInfo
from whoosh.util.numeric import byte_to_length, length_to_byte, pack_int, pack_long

#: Postings per block, as Whoosh's W3 codec writes them.
BLOCK_SIZE = 128
#: Whoosh pickles blocks with protocol 2, which has no opcode for bytes: each
#: posting's positions become a call to codecs.encode on a latin-1 string, three
#: times the size. Whoosh reads any protocol; 4 stores bytes as bytes.
PICKLE_PROTOCOL = 4
#: Blocks whose pickle is shorter than this are stored uncompressed (Whoosh
#: compresses every block; for the many rare terms that costs more than it saves).
COMPRESS_FROM = 128
#: zlib level: 1 compresses positions nearly as well as Whoosh's 3, at half the time.
COMPRESSION = 1

#: Byte code -> field length, and the inverse as sorted thresholds.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)


def length_bytes(lengths: np.ndarray) -> np.ndarray:
    """``length_to_byte`` for an array of lengths."""
    out = np.searchsorted(LENGTH_OF_BYTE, lengths, side="left")
    return np.minimum(out, 255)


@dataclass
class Postings:
    """One term's postings in one segment, sorted by document number.

    ``value_lengths``/``values`` hold the encoded posting values (positions,
    frequencies) end to end; both are None for a format that stores none.
    """

    ids: np.ndarray                       # int64
    weights: np.ndarray                   # float64
    value_lengths: np.ndarray | None      # int64, bytes per posting
    values: bytes | None

    def __len__(self) -> int:
        return int(self.ids.size)

    def value_offsets(self) -> np.ndarray:
        offsets = np.zeros(self.ids.size + 1, dtype=np.int64)
        if self.value_lengths is not None:
            np.cumsum(self.value_lengths, out=offsets[1:])
        return offsets

    def as_lists(self) -> tuple[list[int], list[float], bytes | None, list[int] | None]:
        """What ``write_term`` takes."""
        bounds = self.value_offsets().tolist() if self.values is not None else None
        return self.ids.tolist(), self.weights.tolist(), self.values, bounds

    def take(self, keep: np.ndarray, new_ids: np.ndarray) -> Postings:
        """The postings selected by boolean ``keep``, renumbered to ``new_ids``."""
        if self.values is None:
            return Postings(new_ids, self.weights[keep], None, None)
        offsets = self.value_offsets()
        if keep.all():
            return Postings(new_ids, self.weights, self.value_lengths, self.values)
        buf = memoryview(self.values)
        parts = [buf[a:b] for a, b in zip(offsets[:-1][keep].tolist(),
                                          offsets[1:][keep].tolist(), strict=True)]
        return Postings(new_ids, self.weights[keep], self.value_lengths[keep],
                        b"".join(parts))

    @staticmethod
    def concat(parts: list[Postings]) -> Postings:
        if len(parts) == 1:
            return parts[0]
        has_values = parts[0].values is not None
        return Postings(
            np.concatenate([p.ids for p in parts]),
            np.concatenate([p.weights for p in parts]),
            np.concatenate([p.value_lengths for p in parts]) if has_values else None,
            b"".join(p.values for p in parts) if has_values else None,
        )


def write_term(postfile, fixed_size: int | None, ids: list[int], weights: list[float],
               values: bytes | None, bounds: list[int] | None,
               doc_lengths: list[int] | None) -> bytes:
    """Write one term's posting blocks to ``postfile``; return its W3 term info bytes.

    Posting i has id ``ids[i]``, weight ``weights[i]`` and the value
    ``values[bounds[i]:bounds[i + 1]]`` (``values`` may hold other terms' values
    too: nothing is copied per term). ``fixed_size`` is the format's value size
    (None: variable, 0: no values); ``doc_lengths`` the field length of every
    document of the segment (quantised as Whoosh stores it), or None for an
    unscored field. Most terms are rare, so the work is done on Python lists,
    which beat numpy at this size."""
    n = len(ids)
    start = postfile.tell()
    write = postfile.write
    write(WHOOSH3_HEADER_MAGIC)
    if fixed_size == 0:
        values = None
    min_length = None
    max_length = 0
    for b in range(0, n, BLOCK_SIZE):
        e = min(b + BLOCK_SIZE, n)
        block_ids = ids[b:e]
        deltas = [block_ids[0]]
        deltas += [y - x for x, y in zip(block_ids, block_ids[1:], strict=False)]
        block_weights = weights[b:e]
        low_weight, high_weight = min(block_weights), max(block_weights)
        if low_weight == high_weight:
            mini_weights = None if low_weight == 1.0 else low_weight
        else:
            mini_weights = tuple(block_weights)
        if values is None:
            mini_values = None
        elif fixed_size is None:
            mini_values = tuple(values[bounds[i]:bounds[i + 1]] for i in range(b, e))
        else:
            mini_values = values[bounds[b]:bounds[e]]
        data = dumps((tuple(deltas), mini_weights, mini_values), PICKLE_PROTOCOL)
        comp = 0
        if len(data) >= COMPRESS_FROM:
            comp = COMPRESSION
            data = zlib.compress(data, comp)
        lo_byte = hi_byte = 0
        if doc_lengths is not None:
            block_lengths = [doc_lengths[i] for i in block_ids]
            lo, hi = min(block_lengths), max(block_lengths)
            if hi > 0:
                if lo == 0:
                    lo = min(x for x in block_lengths if x > 0)
                min_length = lo if min_length is None else min(min_length, lo)
                max_length = max(max_length, hi)
                lo_byte, hi_byte = length_to_byte(lo), length_to_byte(hi)
        info = dumps((e - b, block_ids[-1], high_weight, comp, lo_byte, hi_byte), 2)
        size = len(info) + len(data)
        postfile.write_int(-size if e == n else size)
        write(info)
        write(data)
    extent = postfile.tell() - start
    terminfo = _TERMINFO.pack(
        0, sum(weights), n,
        0 if min_length is None else length_to_byte(min_length), length_to_byte(max_length),
        max(weights), ids[0], ids[-1])
    return terminfo + pack_long(start) + pack_int(extent)


_TERMINFO = W3TermInfo._struct


def read_term(terms_reader, fieldname: str, btext: bytes, fmt) -> Postings:
    """All postings of one term of one segment (deleted documents included)."""
    matcher = terms_reader.matcher(fieldname, btext, fmt)
    fixed = fmt.fixed_value_size()
    if not isinstance(matcher, W3LeafMatcher):      # inlined postings: few, one by one
        ids, weights, values = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value() or b"")
            matcher.next()
        return _postings(np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64),
                         values, fixed)
    id_parts, weight_parts, value_parts = [], [], []
    postfile = matcher._postfile
    while matcher.is_active():
        count = matcher._blocklength
        raw = postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        if matcher._compression:
            raw = zlib.decompress(raw)
        deltas, weights, values = loads(raw)
        id_parts.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if weights is None:
            weight_parts.append(np.ones(count))
        elif isinstance(weights, float):
            weight_parts.append(np.full(count, weights))
        else:
            weight_parts.append(np.asarray(weights, dtype=np.float64))
        if values is not None:
            if isinstance(values, bytes):
                value_parts.append(values)
            else:
                value_parts.extend(values)
        matcher._next_block()
    ids = np.concatenate(id_parts) if len(id_parts) != 1 else id_parts[0]
    weights = np.concatenate(weight_parts) if len(weight_parts) != 1 else weight_parts[0]
    return _postings(ids, weights, value_parts, fixed)


def _postings(ids, weights, values: list[bytes], fixed: int | None) -> Postings:
    if fixed == 0:
        return Postings(ids, weights, None, None)
    if fixed is None:
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        return Postings(ids, weights, lengths, b"".join(values))
    joined = b"".join(values)
    return Postings(ids, weights, np.full(ids.size, fixed, dtype=np.int64), joined)
