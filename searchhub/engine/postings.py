"""Whoosh 3 posting lists read and written a whole term at a time, with numpy.

Whoosh's codec handles one posting per Python call: that bounds indexing to a
few hundred documents a second. The file format stays Whoosh's own (blocks of
128 postings: a pickled tuple of delta-coded ids, weights and values, with a
pickled info tuple in front), so every Whoosh reader still reads what we write;
only the loop moves into numpy.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from itertools import accumulate
from pickle import dumps, loads
from pickle import load as pickle_load

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo, _lenfield
from whoosh.util.numeric import byte_to_length, length_to_byte, pack_int, pack_long, pack_ushort

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

#: Byte code -> field length.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)


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


# -- Whoosh's private parts -------------------------------------------------------
#
# This module is the only one of ours that uses Whoosh's private names. Each is
# part of the W3 codec's on-disk format, which the fast writer must write and the
# snapshot reads in bulk, and for which Whoosh has no public API:
#
# - ``W3TermInfo._struct``: the layout of a term's info record, which
#   ``write_term`` writes byte for byte.
# - ``whoosh.codec.whoosh3._lenfield``: the name of a field's length column, read
#   whole (the public ``doc_field_length`` costs one call per document and field).
# - ``SegmentReader._terms`` and its ``_postfile``: a segment's term table and
#   postings file, read a whole posting list at a time (the public matchers decode
#   one block per call, the public ``term_info`` looks up one term at a time).
# - ``W3FieldWriter._fieldid``, ``_tindex`` and ``_postfile``: where the fast writer
#   adds a term's postings and info at once (the public ``add_postings`` writes one
#   posting per call).
#
# ``tests/engine/test_whoosh_format.py`` checks that stock Whoosh reads what we
# write as it reads its own.

_TERMINFO = W3TermInfo._struct


def length_column(perdoc, fieldname: str):
    """The length column (one byte code a document) of ``fieldname`` in a segment's
    per-document reader (``codec.per_document_reader``), or None if it has none."""
    name = _lenfield(fieldname)
    return perdoc.column_reader(name, LENGTHS_COLUMN) if perdoc.has_column(name) else None


def postings_file(reader):
    """The postings file of a segment (a ``SegmentReader``)."""
    return reader._terms._postfile


def term_infos(reader):
    """((field name, term bytes), term info) of every term of a segment."""
    return reader._terms.items()


def term_adder(fieldwriter, fixed_size: int | None, doc_lengths: list[int] | None):
    """A function ``add(btext, ids, weights, values, bounds)`` that writes one term's
    postings (``write_term``) into the field a ``W3FieldWriter`` has started."""
    key = pack_ushort(fieldwriter._fieldid)
    index, postfile = fieldwriter._tindex, fieldwriter._postfile

    def add(btext: bytes, ids, weights, values, bounds) -> None:
        index.add(key + btext, write_term(postfile, fixed_size, ids, weights, values, bounds,
                                          doc_lengths))
    return add

_INT = struct.Struct("!i")


def raw_blocks(postfile, offset: int, length: int):
    """(count, last id, data) of each block of one posting list, the data still
    compressed and pickled: enough to skip the blocks a reader does not need."""
    if isinstance(length, tuple):       # W3TermInfo.from_bytes leaves it unpacked
        length = length[0]
    buf = postfile.get(offset, length)
    if buf[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"no posting list at offset {offset}")
    stream = io.BytesIO(buf)
    stream.seek(4)
    while True:
        size = _INT.unpack(stream.read(4))[0]
        start = stream.tell()
        count, last, _, comp, _, _ = pickle_load(stream)
        data = stream.read(abs(size) - (stream.tell() - start))
        yield count, last, (comp, data)
        if size < 0:
            return


def block_data(raw: tuple[int, bytes]) -> tuple:
    """(id deltas, weights, values) of a block from ``raw_blocks``."""
    comp, data = raw
    return loads(zlib.decompress(data) if comp else data)


def read_blocks(postfile, offset: int, length: int):
    """(count, id deltas, weights, values) of each block of one posting list, as
    Whoosh pickled them, read straight from the postings file (no matcher)."""
    for count, _, raw in raw_blocks(postfile, offset, length):
        yield (count, *block_data(raw))


def term_lists(postfile, terminfo, fixed: int | None):
    """One term's postings in one segment as (ids, weights, values), Python lists:
    ``values`` is a list of bytes per posting, or None for a format without values."""
    if terminfo.is_inlined():
        ids, weights, values = terminfo.inlined_postings()
        return list(ids), list(weights), None if fixed == 0 else [v or b"" for v in values]
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] | None = None if fixed == 0 else []
    offset, length = terminfo.extent()
    for count, deltas, block_weights, block_values in read_blocks(postfile, offset, length):
        ids += accumulate(deltas)
        if block_weights is None:
            weights += [1.0] * count
        elif isinstance(block_weights, float):
            weights += [block_weights] * count
        else:
            weights += block_weights
        if values is not None:
            if fixed is None:
                values += block_values
            else:
                values += [block_values[i:i + fixed]
                           for i in range(0, len(block_values), fixed)]
    return ids, weights, values


def as_written(ids: list[int], weights: list[float], values: list[bytes] | None) -> tuple:
    """(ids, weights, values, bounds): what ``write_term`` takes."""
    if values is None:
        return ids, weights, None, None
    return ids, weights, b"".join(values), [0, *accumulate(map(len, values))]


def read_term(reader, fieldname: str, btext: bytes, fmt) -> Postings:
    """All postings of one term of one segment (a ``SegmentReader``; deleted documents
    included)."""
    fixed = fmt.fixed_value_size()
    ids, weights, values = term_lists(postings_file(reader), reader.term_info(fieldname, btext),
                                      fixed)
    ids_array = np.array(ids, dtype=np.int64)
    weight_array = np.array(weights, dtype=np.float64)
    if values is None:
        return Postings(ids_array, weight_array, None, None)
    return Postings(ids_array, weight_array,
                    np.fromiter(map(len, values), dtype=np.int64, count=len(values)),
                    b"".join(values))
