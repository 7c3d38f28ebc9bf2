"""The Whoosh engine: a ``SearchEngine`` (``base``) over a Whoosh index in a folder.

It stores documents (``EngineWriter``, with ``FastSegmentWriter``) and answers
``MatchRequest``s with numpy over a ``Snapshot`` of the newest generation:
evaluation (``evaluate``), curation data, filters, disjunctive facet counts and
the top k. Parsing, snippets, suggestions and result pages live above it, in
``searchhub.searching``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
import weakref
import zlib
from dataclasses import fields as dataclass_fields
from pathlib import Path

import numpy as np
from whoosh.util.text import utf8encode
from whoosh.writing import LockError

from searchhub.errors import IndexBusy, IndexMissing, IndexOutdated
from searchhub.models import FACET_NAMES, Document, Query, ResultPage
from searchhub.notice import notice
from searchhub.text import facet_key

from .analysis import GROUPS, analyse, analyzer, group_for, terms
from .base import CurationView, Match, Matches, MatchRequest
from .evaluate import Evaluator, Result
from .fastwriter import FastSegmentWriter
from .overrides import override_counts, override_filters
from .schema import (
    FACET_FIELDS,
    INDEX_FORMAT,
    OTHER_LANGUAGES_FACTOR,
    OWN_LANGUAGE_ENOUGH,
    body_field,
    build_schema,
    missing_word_factors,
    share_weights,
    title_field,
)
from .snapshot import SegmentCache, Snapshot
from .storage import SegmentStorage
from .translate import Translation, translate
from .whoosh_visibility import visible_mask
from .whoosh_visibility import vocabulary as visible_vocabulary

INDEX_NAME = "documents"
FORMAT_FILE = "searchhub-index-format"
#: Extra weight for a document holding all neighbouring query words side by side.
PROXIMITY = 0.1
PROXIMITY_CANDIDATES = 100
#: How often a searcher checks for a newer index generation, in seconds.
REFRESH_INTERVAL = 1.0
#: Seconds an outdated generation stays open for requests still reading it.
RETIRE_AFTER = 30.0
SPELL_CHARS = 1000


def _doc_to_fields(doc: Document) -> dict:
    group = group_for(doc.language)
    facets = {name: doc.facet_values(name) for name in FACET_NAMES}
    facets["source"] = [doc.source_id]
    meta = {"id": doc.id, "d": doc.date.toordinal() if doc.date else 0, "f": facets,
            "h": doc.content_hash, "s": doc.source_id}
    if doc.visibility:
        meta["v"] = list(doc.visibility)
    # A shallow copy: the values are JSON-ready already (asdict deep-copies them).
    record = {f.name: getattr(doc, f.name) for f in dataclass_fields(doc)}
    record["date"] = doc.date.isoformat() if doc.date else None
    record["indexed_at"] = (doc.indexed_at or dt.datetime.now(dt.UTC)).isoformat(
        timespec="seconds")
    text = doc.text
    body = analyse(group, doc.title + "\n" + text)     # full text, as BM25 expects
    fields = {
        "id": doc.id,
        "meta": json.dumps(meta, separators=(",", ":")).encode("utf-8"),
        "doc": zlib.compress(json.dumps(record, separators=(",", ":")).encode("utf-8"), 1),
        title_field(group): doc.title,
        body_field(group): body,
        # The spelling dictionary: titles, descriptions and the opening of the text
        # (the whole body would add hundreds of postings a document for little gain).
        "spell": "\n".join((doc.title, doc.description, text[:SPELL_CHARS])),
    }
    for name in FACET_FIELDS:
        values = facets.get(name, [])
        if values:
            fields[name] = ",".join(v.replace(",", " ") for v in values)
    return fields


def _doc_from_stored(stored: dict) -> Document:
    record = json.loads(zlib.decompress(stored["doc"]))
    record["date"] = dt.date.fromisoformat(record["date"]) if record.get("date") else None
    record["indexed_at"] = (dt.datetime.fromisoformat(record["indexed_at"])
                            if record.get("indexed_at") else None)
    return Document(**record)


class EngineWriter:
    """Adds, replaces and deletes documents; nothing is visible before ``commit``."""

    def __init__(self, engine: Engine, timeout: float):
        self._engine = engine
        try:
            self._writer = FastSegmentWriter(engine.index, timeout=timeout)
        except LockError as exc:
            raise IndexBusy(notice(
                "Another process is writing the index at %(path)s; try again when it "
                "has finished.", path=str(engine.path))) from exc
        # Read the ids from the newest generation: a snapshot cached up to
        # REFRESH_INTERVAL ago may miss documents another process just committed,
        # and re-adding one of those would duplicate it instead of replacing it.
        engine.refresh()
        self._committed = set(engine.known())
        #: Documents added by this writer: id -> docnum in the segment being written.
        self._added: dict[str, int] = {}
        self.pending = 0

    def add(self, doc: Document) -> None:
        fields = _doc_to_fields(doc)
        self._drop_added(doc.id)
        if doc.id in self._committed:
            self._writer.update_document(**fields)
        else:
            self._writer.add_document(**fields)
        self._added[doc.id] = self._writer.docnum - 1
        self.pending += 1

    def delete(self, doc_id: str) -> None:
        self._drop_added(doc_id)
        if doc_id in self._committed:
            self._writer.delete_by_term("id", doc_id)
        self.pending += 1

    def _drop_added(self, doc_id: str) -> None:
        """Mark deleted a document this writer added earlier (same id added again)."""
        docnum = self._added.pop(doc_id, None)
        if docnum is not None:
            self._writer.newsegment.delete_document(docnum - self._writer.docbase)

    def commit(self, *, optimize: bool = False) -> None:
        self._writer.commit(optimize=optimize)
        self.pending = 0
        self._engine.refresh()

    def cancel(self) -> None:
        self._writer.cancel()

    def __enter__(self) -> EngineWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.cancel()


#: Tries at opening the newest index while a writer may be replacing it.
OPEN_ATTEMPTS = 5


class Engine:
    """A Whoosh index in a folder, as a ``base.SearchEngine``. Safe to share between
    threads for searching."""

    def __init__(self, path: Path | str, *, create: bool = True):
        self.path = Path(path)
        marker = self.path / FORMAT_FILE
        self._storage = SegmentStorage(str(self.path))
        # Is there an index? Told by its tables of contents, without reading one: a
        # writer committing meanwhile may delete the one that was newest (Whoosh's
        # index_exists reads it, and raised FileNotFoundError then); ``_open_index``
        # asks again.
        if self.path.is_dir() and any(self.path.glob(f"_{INDEX_NAME}_*.toc")):
            found = marker.read_text().strip() if marker.exists() else "1"
            if found != str(INDEX_FORMAT):
                raise IndexOutdated(notice(
                    "The index in %(path)s was built by another version of searchhub "
                    "(format %(found)s, this version reads format %(format)s). Rebuild "
                    "it with `searchhub index --rebuild`.", path=str(self.path), found=found,
                    format=str(INDEX_FORMAT)))
            self.index = self._open_index()
        elif create:
            self.path.mkdir(parents=True, exist_ok=True)
            # The marker first, whole (a reader that sees the new index must see its
            # format: a crash test's watcher opened it between the two and read "1").
            part = marker.with_name(f".{FORMAT_FILE}.{os.getpid()}")
            part.write_text(f"{INDEX_FORMAT}\n")
            os.replace(part, marker)
            self.index = self._storage.create_index(build_schema(), INDEX_NAME)
        else:
            raise IndexMissing(notice(
                "No index in %(path)s. Build one with `searchhub index` first.",
                path=str(self.path)))
        self._cache = SegmentCache()
        self._snapshot: Snapshot | None = None
        self._checked = 0.0
        self._retired: list[tuple[float, Snapshot]] = []
        self._lock = threading.Lock()
        # Every snapshot opened, so that an engine dropped without close() still
        # closes its files when it is garbage collected.
        self._opened: weakref.WeakSet[Snapshot] = weakref.WeakSet()
        weakref.finalize(self, _close_all, self._opened, self.index)

    # -- writing ---------------------------------------------------------------

    def writer(self, *, timeout: float = 0.0) -> EngineWriter:
        return EngineWriter(self, timeout)

    def known(self, source_id: str | None = None) -> dict[str, str]:
        """Ids of the documents in the index (of one source) with their content hash."""
        snap = self.snapshot()
        out = {}
        for docnum, meta in enumerate(snap.meta):
            if snap.live[docnum] and (source_id is None or meta.get("s") == source_id):
                out[meta["id"]] = meta.get("h", "")
        return out

    # -- reading ---------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The newest committed generation, rechecked at most every REFRESH_INTERVAL."""
        now = time.monotonic()
        snap = self._snapshot
        if snap is not None and now - self._checked < REFRESH_INTERVAL:
            return snap
        with self._lock:
            snap = self._snapshot
            self._checked = now
            version = self._version()
            if version is None and snap is not None:
                return snap          # mid-rebuild: keep answering from what is open
            if snap is None or snap.version != version:
                new = Snapshot(self._open_index(), self._cache)
                new.version = version
                self._opened.add(new)
                self._snapshot = new
                # Requests may still be reading the old generation: close it later.
                if snap is not None:
                    self._retired.append((now, snap))
                self._close_retired(now - RETIRE_AFTER)
                snap = new
        return snap

    def _open_index(self):
        """The newest committed index. A writer committing meanwhile deletes the table
        of contents it replaces, so the newest one listed may be gone when it is read:
        then the newest is asked for again (a killed-run test met it, opening the index
        as the indexer committed)."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return self._storage.open_index(INDEX_NAME)
            except FileNotFoundError:
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.02 * (attempt + 1))

    def _version(self) -> tuple | None:
        """What identifies the committed index: its generation and its table of
        contents file (a rebuilt index can reach the same generation number)."""
        generation = self.index.latest_generation()
        if generation < 0:
            return None
        try:
            info = (self.path / f"_{INDEX_NAME}_{generation}.toc").stat()
        except FileNotFoundError:
            return None
        return generation, info.st_ino, info.st_mtime_ns, info.st_size

    def _close_retired(self, before: float) -> None:
        keep = []
        for retired_at, snap in self._retired:
            if retired_at <= before:
                snap.close()
            else:
                keep.append((retired_at, snap))
        self._retired = keep

    def close(self) -> None:
        """Close every open searcher (the engine can still be used; it reopens)."""
        with self._lock:
            self._close_retired(float("inf"))
            if self._snapshot is not None:
                self._snapshot.close()
                self._snapshot = None
            self.index.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def refresh(self) -> None:
        self._checked = 0.0
        self.snapshot()

    def count(self) -> int:
        return self.snapshot().live_count

    def get(self, doc_id: str) -> Document | None:
        snap = self.snapshot()
        docnum = snap.docnum_of.get(doc_id)
        return None if docnum is None else _doc_from_stored(snap.stored(docnum))

    def search(self, query: Query, curation: CurationView | None = None) -> ResultPage:
        """``searchhub.searching.search`` over this engine (a convenience; not part of
        the seam)."""
        from searchhub.searching import search

        return search(self, query, curation)

    def vocabulary(self, viewer: frozenset[str] | None = None):
        """One object per generation and viewer (kept on its snapshot), as
        ``base.Vocabulary`` asks."""
        snap = self.snapshot()
        if snap.vocabulary is None:
            snap.vocabulary = _Vocabulary(snap.reader)
        return visible_vocabulary(snap, snap.vocabulary, viewer)

    def match(self, request: MatchRequest) -> Matches:
        snap = self.snapshot()
        query = translate(request.query) if request.query is not None else Translation(None)
        ev = Evaluator(snap, watch=[node for node, _ in query.leaves])
        # What the viewer may not see is as if the index did not hold it.
        visible = visible_mask(snap, request.viewer)
        relaxed = False
        if query.query is None:
            base = ev.everything()
        elif query.clauses:
            base, complete = self._simple(ev, query.clauses, visible)
            self._proximity(snap, base, query.pairs)
            self._prefer_own_language(snap, base, complete, request.query.language)
            if not base.mask.any() and len(query.clauses) > 1:
                base, _ = self._simple(ev, query.clauses, visible, required=0.0)
                relaxed = bool(base.mask.any())
        else:
            base = ev.run(query.query)
        base.mask &= visible
        self._apply_curation(snap, base, request)

        filters = self._filter_masks(snap, request.filters)
        # Curators' corrected facet values count at once, before a run writes them.
        overrides = {snap.docnum_of[i]: f for i, f in request.facet_values.items()
                     if i in snap.docnum_of}
        override_filters(filters, request.filters, overrides)
        final = base.mask.copy()
        for mask in filters.values():
            final &= mask
        facets = self._facets(snap, base.mask, filters, request.facets, overrides)
        total = int(final.sum())

        end = request.start + request.limit
        order = self._order(snap, base.score, final, request.sort, end)
        pinned = [snap.docnum_of[i] for i in request.pinned
                  if i in snap.docnum_of and final[snap.docnum_of[i]]]
        if pinned:
            order = pinned + [d for d in order if d not in set(pinned)]
        hits = [Match(snap.ids[d], float(base.score[d]), _doc_from_stored(snap.stored(d)),
                      d in pinned, _matched_words(ev, query, d))
                for d in order[request.start:end]]
        return Matches(total, hits, facets, relaxed)

    # -- search stages ---------------------------------------------------------

    def _simple(self, ev: Evaluator, clauses, visible: np.ndarray,
                required: float | None = None) -> tuple[Result, np.ndarray]:
        """Plain word queries: a document must hold words worth at least the share
        of the query's information ``share_weights`` says, and loses for each word it
        lacks by that word's share (``missing_word_factors``). Only the
        ``visible`` documents count, for the rarity of the words too. Also says which
        documents hold every word."""
        parts = [ev.run(c) for c in clauses]
        for part in parts:
            part.mask = part.mask & visible
            part.score = part.score * part.mask
        if len(parts) == 1:
            return parts[0], parts[0].mask
        n = len(parts)
        weights, share = share_weights([int(p.mask.sum()) for p in parts], int(visible.sum()))
        total_weight = sum(weights)
        matched = np.zeros(ev.n, dtype=np.float32)
        count = np.zeros(ev.n, dtype=np.int16)
        score = np.zeros(ev.n, dtype=np.float32)
        for part, weight in zip(parts, weights, strict=True):
            matched += part.mask * weight
            count += part.mask
            score += part.score
        if share < 1.0:
            for part, factor in zip(parts, missing_word_factors(weights), strict=True):
                score[~part.mask] *= factor
        if required is None:
            required = share
        mask = (matched >= required * total_weight - 1e-6) & (count > 0)
        return Result(mask, score * mask), mask & (count == n)

    def _proximity(self, snap: Snapshot, base: Result, pairs) -> None:
        """Documents where neighbouring query words stand side by side ("health
        care") rank above those holding them apart; checked for the best
        PROXIMITY_CANDIDATES only, so a common pair costs little."""
        if not pairs:
            return
        candidates = np.flatnonzero(base.mask)
        if candidates.size > PROXIMITY_CANDIDATES:
            top = np.argpartition(-base.score[candidates], PROXIMITY_CANDIDATES - 1)
            candidates = np.sort(candidates[top[:PROXIMITY_CANDIDATES]])
        if not candidates.size:
            return
        hits = np.zeros(snap.n, dtype=np.float32)
        for phrases in pairs:
            matched = np.zeros(snap.n, dtype=bool)
            for phrase in phrases:
                ids = snap.phrase_among(phrase, candidates)
                if ids.size:
                    matched[ids] = True
            hits += matched
        base.score *= 1.0 + PROXIMITY * hits / len(pairs)

    @staticmethod
    def _prefer_own_language(snap: Snapshot, base: Result, complete: np.ndarray,
                             language: str | None) -> None:
        """Documents outside the query's ``language`` weigh OTHER_LANGUAGES_FACTOR when
        OWN_LANGUAGE_ENOUGH documents in it hold every word (``complete``)."""
        column = snap.facets.get("language")
        if not language or column is None:
            return
        own = column.mask_for(column.by_folded.get(facet_key(language), []), snap.n)
        if int((own & complete & base.mask).sum()) >= OWN_LANGUAGE_ENOUGH:
            base.score[base.mask & ~own] *= OTHER_LANGUAGES_FACTOR

    def _apply_curation(self, snap: Snapshot, base: Result, request: MatchRequest) -> None:
        for doc_id in request.hidden:
            docnum = snap.docnum_of.get(doc_id)
            if docnum is not None:
                base.mask[docnum] = False
        for doc_id, weight in request.weights.items():
            docnum = snap.docnum_of.get(doc_id)
            if docnum is not None:
                base.score[docnum] *= weight

    def _filter_masks(self, snap: Snapshot, filters: dict[str, list[str]]) -> dict:
        masks = {}
        for name, values in filters.items():
            if not values or name not in snap.facets:
                continue
            column = snap.facets[name]
            ids = [vid for v in values for vid in column.by_folded.get(facet_key(v), [])]
            masks[name] = column.mask_for(ids, snap.n)
        return masks

    def _facets(self, snap: Snapshot, base: np.ndarray, filters: dict, names,
                overrides: dict | None = None) -> dict[str, list[tuple[str, int]]]:
        """Non-zero counts per facet value; each facet honours the filters of the others;
        ``overrides`` (document number -> {facet: values}) count corrected values."""
        out: dict[str, list[tuple[str, int]]] = {}
        for name in names:
            mask = base.copy()
            for other, fmask in filters.items():
                if other != name:
                    mask &= fmask
            column = snap.facets[name]
            counts = column.counts(mask) if column.labels else np.zeros(0, dtype=np.int64)
            counts, extra = override_counts(column, counts, mask, name, overrides or {})
            out[name] = [(column.labels[i], int(counts[i])) for i in np.flatnonzero(counts)]
            out[name] += [(value, count) for value, count in extra.items() if count]
        return out

    def _order(self, snap: Snapshot, score: np.ndarray, mask: np.ndarray, sort: str,
               need: int) -> list[int]:
        candidates = np.flatnonzero(mask)
        if not candidates.size:
            return []
        if sort == "newest":
            keys = snap.date[candidates].astype(np.float64) * 1e6 + score[candidates]
        else:
            # Relevance; ties (and text-less queries) go to the newest.
            keys = score[candidates].astype(np.float64) * 1e6 + snap.date[candidates] / 1e3
        need = min(need, candidates.size)
        if need < candidates.size:
            top = np.argpartition(-keys, need - 1)[:need]
        else:
            top = np.arange(candidates.size)
        top = top[np.lexsort((candidates[top], -keys[top]))]
        return candidates[top].tolist()


def _matched_words(ev: Evaluator, query: Translation, docnum: int) -> tuple[str, ...]:
    """The words of the query's full-text leaves that document ``docnum`` matched."""
    words: dict[str, None] = {}
    for node, leaf_words in query.leaves:
        mask = ev.matched.get(id(node))
        if mask is not None and mask[docnum]:
            words.update(dict.fromkeys(leaf_words))
    return tuple(words)


class _Vocabulary:
    """The spelling vocabulary of one generation (``base.Vocabulary``): the ``spell``
    field's words, and the stemmed fields for ``holds``."""

    def __init__(self, reader):
        self._reader = reader

    def words_from(self, initial: str):
        for btext in self._reader.expand_prefix("spell", initial.encode("utf-8")):
            yield btext.decode("utf-8")

    def frequency(self, word: str) -> int:
        return self._reader.doc_frequency("spell", word.encode("utf-8"))

    def holds(self, word: str) -> bool:
        """Accent-folded as in the spelling field, or stemmed as in some language's
        fields (so "migración" and Russian "мигранты", which find documents, are
        not "corrected")."""
        reader = self._reader
        folded = terms("xx", word)
        if folded and all(reader.doc_frequency("spell", utf8encode(t)[0]) for t in folded):
            return True
        for group in GROUPS:
            stems = [t.text for t in analyzer(group)(word)]
            if stems and any(all(reader.doc_frequency(fname, utf8encode(t)[0]) for t in stems)
                             for fname in (title_field(group), body_field(group))):
                return True
        return False


def _close_all(snapshots, index) -> None:
    for snap in list(snapshots):
        snap.close()
    index.close()
