"""A Whoosh segment writer that builds the postings of a segment with numpy.

Whoosh's ``SegmentWriter`` sends every posting through a sorting pool and the
codec one Python call at a time (about 14 µs a posting, 500 postings a
document). This writer keeps each analysed field's token stream as arrays of
term ids, sorts them once when the segment is written, and writes each term's
posting blocks at once (``postings.write_term``). Everything else is Whoosh's:
the lock, stored fields and columns, deletions, merging policy, the TOC. The
files are ordinary Whoosh segments.

Being a ``SegmentWriter`` subclass, it calls that class's own checks
(``_check_state``, ``_check_fields``) and overrides ``_flush_segment``, the step
that writes a segment's postings: private names, but the only hooks Whoosh's
writer has for this. What it reads and writes of the W3 format goes through
``postings``, the one module that reaches into Whoosh's private attributes.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from itertools import groupby

import numpy as np
from whoosh.writing import SegmentWriter

from .analysis import first_position, terms
from .postings import (
    LENGTH_OF_BYTE,
    as_written,
    length_column,
    postings_file,
    term_adder,
    term_infos,
    term_lists,
)
from .schema import FastText


class _Vocabulary(dict):
    """Term -> id, ids given in order of first sight."""

    def __missing__(self, word):
        value = self[word] = len(self)
        return value


class _TokenStream:
    """The analysed tokens of one field, document after document, as term ids."""

    def __init__(self):
        self.vocabulary = _Vocabulary()
        self.chunks: list[np.ndarray] = []
        self.docs: list[int] = []
        self.counts: list[int] = []
        self.firsts: list[int] = []

    def add(self, docnum: int, words: list[str], first: int) -> None:
        """``words`` of one document, the first at position ``first``."""
        lookup = self.vocabulary.__getitem__
        self.chunks.append(np.fromiter(map(lookup, words), dtype=np.int32, count=len(words)))
        self.docs.append(docnum)
        self.counts.append(len(words))
        self.firsts.append(first)

    def postings(self, positions: bool, boost: float):
        """(term bytes, (ids, weights, values, bounds)) in term order: frequencies as
        weights, positions (ArrayPositions) or frequencies (Frequency) as values."""
        words = list(self.vocabulary)
        if not words:
            return
        by_word = sorted(range(len(words)), key=words.__getitem__)
        rank = np.empty(len(words), dtype=np.int32)
        rank[by_word] = np.arange(len(words), dtype=np.int32)
        counts = np.array(self.counts, dtype=np.int64)
        tokens = rank[np.concatenate(self.chunks)]
        docs = np.repeat(np.array(self.docs, dtype=np.int64), counts)
        order = np.argsort(tokens, kind="stable")    # by term, then document, then position
        tokens, docs_sorted = tokens[order], docs[order]
        first = np.ones(tokens.size, dtype=bool)     # first token of each posting
        first[1:] = (tokens[1:] != tokens[:-1]) | (docs_sorted[1:] != docs_sorted[:-1])
        starts = np.flatnonzero(first)
        freqs = np.diff(np.append(starts, tokens.size))
        posting_terms = tokens[starts]
        posting_docs = docs_sorted[starts]
        if positions:
            doc_starts = np.cumsum(counts) - counts - np.array(self.firsts, dtype=np.int64)
            pos = np.arange(tokens.size, dtype=np.int64) - np.repeat(doc_starts, counts)
            values = pos[order].astype("<u4").tobytes()
        else:
            values = freqs.astype(">u4").tobytes()      # Whoosh's pack_uint
        weights = (freqs.astype(np.float64) * boost).tolist()
        doc_list = posting_docs.tolist()
        if positions:
            bounds = (np.r_[starts, tokens.size] * 4).tolist()
        else:
            bounds = list(range(0, 4 * (freqs.size + 1), 4))
        term_starts = np.flatnonzero(np.r_[True, posting_terms[1:] != posting_terms[:-1]])
        term_ends = np.r_[term_starts[1:], posting_terms.size]
        for r, a, b in zip(posting_terms[term_starts].tolist(), term_starts.tolist(),
                           term_ends.tolist(), strict=True):
            yield words[by_word[r]].encode("utf-8"), (
                doc_list[a:b], weights[a:b], values, bounds[a:b + 1])


class FastSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with array-built postings; see the module docstring."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"FastSegmentWriter does not write vectors or separate "
                                 f"spelling (field {name!r})")
        self._streams: dict[str, _TokenStream] = defaultdict(_TokenStream)
        self._other: dict[str, list[tuple]] = defaultdict(list)    # (btext, docnum, w, v)
        self._merged: dict[str, dict[bytes, list[tuple]]] = defaultdict(
            lambda: defaultdict(list))

    # -- adding ----------------------------------------------------------------

    def add_document(self, **fields):
        self._check_state()
        schema = self.schema
        docnum = self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        # Analyse first: nothing is buffered for a document that fails halfway.
        tokens: list[tuple[str, list[str], int]] = []
        others: list[tuple[str, list]] = []
        lengths: dict[str, int] = {}
        for name in names:
            value = fields[name]
            field = schema[name]
            if value is None or not field.indexed:
                continue
            if isinstance(field, FastText):
                if isinstance(value, list):       # analysed already (``analysis.analyse``)
                    words, first = value, getattr(value, "first", 0)
                else:
                    words = terms(field.group, value)
                    first = first_position(field.group, value)
                tokens.append((name, words, first))
                if field.scorable:
                    lengths[name] = len(words)
            else:
                items = list(field.index(value))
                others.append((name, items))
                if field.scorable:
                    lengths[name] = sum(freq for _, freq, _, _ in items)
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                perdoc.add_field(name, field, value if field.stored else None,
                                 lengths.get(name, 0))
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type,
                                            field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        for name, words, first in tokens:
            if words:
                self._streams[name].add(docnum, words, first)
        for name, items in others:
            out = self._other[name]
            for tbytes, _freq, weight, vbytes in items:
                out.append((tbytes, docnum, weight, vbytes))
        self._added = True
        self.docnum += 1

    def add_reader(self, reader):
        """Merge a segment (Whoosh's merge policy calls this): its stored fields and
        columns one document at a time, as Whoosh does, its postings a term at a time."""
        self._check_state()
        base = self.docnum
        indexed = {name for name in reader.indexed_field_names() if name in self.schema}
        docmap = self.write_per_doc(set(self.schema.names()) | indexed, _MergedReader(reader))
        n = reader.doc_count_all()
        if docmap is None:
            new_of = None
        else:
            new_of = [-1] * n
            for old, new in docmap.items():
                new_of[old] = new
        postfile = postings_file(reader)
        for (name, btext), terminfo in term_infos(reader):
            if name not in self.schema:
                continue
            ids, weights, values = term_lists(
                postfile, terminfo, self.schema[name].format.fixed_value_size())
            if new_of is None:
                ids = [base + i for i in ids]
            else:
                ids = [new_of[i] for i in ids]
                if -1 in ids:                       # deleted documents stay behind
                    keep = [k for k, i in enumerate(ids) if i >= 0]
                    if not keep:
                        continue
                    ids = [ids[k] for k in keep]
                    weights = [weights[k] for k in keep]
                    if values is not None:
                        values = [values[k] for k in keep]
            self._merged[name][btext].append(as_written(ids, weights, values))
        self._added = True

    # -- writing the segment ---------------------------------------------------

    def _flush_segment(self):
        self.perdocwriter.close()
        perdoc = self.per_document_reader()
        try:
            self._write_postings(perdoc)
        finally:
            perdoc.close()
        self.fieldwriter.close()

    def _write_postings(self, perdoc) -> None:
        writer = self.fieldwriter
        ndocs = self.docnum - self.docbase
        for name in sorted(set(self._streams) | set(self._other) | set(self._merged)):
            field = self.schema[name]
            fmt = field.format
            fixed = fmt.fixed_value_size()
            lengths = None
            if field.scorable:
                column = length_column(perdoc, name)
                if column is not None:
                    lengths = LENGTH_OF_BYTE[
                        np.fromiter(column, dtype=np.uint8, count=ndocs)].tolist()
            sources = []
            if name in self._streams:
                sources.append(self._streams.pop(name).postings(
                    fmt.supports("positions"), fmt.field_boost))
            if name in self._other:
                sources.append(_sorted_postings(self._other.pop(name), fixed))
            if name in self._merged:
                merged = self._merged.pop(name)
                sources.append((btext, part) for btext in sorted(merged)
                               for part in merged[btext])
            writer.start_field(name, field)
            add = term_adder(writer, fixed, lengths)
            for btext, group in groupby(heapq.merge(*sources, key=_first), key=_first):
                parts = [p for _, p in group]
                if len(parts) > 1:
                    parts = _join(sorted(parts, key=lambda p: p[0][0]))
                else:
                    parts = parts[0]
                add(btext, *parts)
            writer.finish_field()


class _MergedReader:
    """A segment being merged, as ``write_per_doc`` reads it: Whoosh asks the length
    of every field of every document, each through a column lookup (and a stat()
    for a field without lengths); read each field's length column once instead.
    Everything else is the reader's own."""

    def __init__(self, reader):
        self._reader = reader
        self._lengths: dict[str, list[int] | None] = {}

    def __getattr__(self, name):
        return getattr(self._reader, name)

    def doc_field_length(self, docnum, fieldname, default=0):
        if fieldname not in self._lengths:
            reader = self._reader
            perdoc = reader.codec().per_document_reader(reader.storage(), reader.segment())
            try:
                column = length_column(perdoc, fieldname)
                self._lengths[fieldname] = None if column is None else LENGTH_OF_BYTE[
                    np.fromiter(column, dtype=np.uint8)].tolist()
            finally:
                perdoc.close()
        lengths = self._lengths[fieldname]
        if lengths is None:
            return default
        return lengths[docnum] or default


def _first(item):
    return item[0]


def _join(parts: list[tuple]) -> tuple:
    """One term's postings from several sources (documents added, segments merged),
    in document order, as ``write_term`` takes them."""
    ids, weights, chunks, bounds = [], [], [], [0]
    has_values = parts[0][2] is not None
    for part_ids, part_weights, values, part_bounds in parts:
        ids += part_ids
        weights += part_weights
        if has_values:
            chunks.append(values[part_bounds[0]:part_bounds[-1]])
            shift = bounds[-1] - part_bounds[0]
            bounds += [x + shift for x in part_bounds[1:]]
    return ids, weights, b"".join(chunks) if has_values else None, (
        bounds if has_values else None)


def _sorted_postings(items: list[tuple], fixed: int | None):
    """(term bytes, postings as ``write_term`` takes them) from one-by-one postings
    (keyword and id fields)."""
    items.sort(key=lambda item: (item[0], item[1]))
    for btext, group in groupby(items, key=_first):
        group = list(group)
        values = None if fixed == 0 else [v or b"" for _, _, _, v in group]
        yield btext, as_written([d for _, d, _, _ in group], [w for _, _, w, _ in group],
                                values)
