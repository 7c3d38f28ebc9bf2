"""Frequent queries: a small, privacy-respecting count of what visitors search, from
which ``/api/suggest`` completes (``searchhub.completion``).

What is kept is only a normalised query text (casefolded, whitespace collapsed, 2 to
MAX_CHARS characters, no facet values), the interface's language and the day (UTC):
no address, no account, no time of day. A query is counted only when a visitor's
plain search (words only: no filters, first page, default order) found public
documents, and never when it looks like it holds something about a person (an e-mail
address, a phone number, a long digit string). It is suggested once seen on at least
``min_days`` distinct days or ``min_count`` times, and only while it still finds
public documents (``has_public_hits``). Counts older than ``keep_days`` days are
dropped, and a query not yet suggested is forgotten ``rare_days`` days after it was
last seen.

The counts live in their own SQLite file (``DATA/querylog.sqlite``, its schema
migrated by ``searchhub.migrations``), apart from the curation database: deleting it
while the server is stopped forgets everything. Recording is one INSERT … ON CONFLICT
through a connection kept open, with a short busy timeout; a failure is logged and
never reaches the search.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from searchhub import migrations
from searchhub.engine.base import MatchRequest, SearchEngine
from searchhub.lexicon import expand
from searchhub.models import Query
from searchhub.query_parser import parse

log = logging.getLogger(__name__)

#: Queries longer than this (once normalised) are not counted: long ones are rarely
#: repeated and more likely to be pasted text about someone.
MAX_CHARS = 100
MIN_CHARS = 2
#: Seconds a search's write waits for another writer before it gives up (the search
#: goes on without it).
BUSY_SECONDS = 0.25
#: Seconds operators' commands and pruning wait for the searches' writes.
OPERATOR_BUSY_SECONDS = 5.0
#: Seconds the list of suggested queries is kept in memory before it is read again
#: (this process's own writes that make a query suggested, and queries forgotten by
#: an operator, refresh it at once).
REFRESH_SECONDS = 300.0
FILE_NAME = "querylog.sqlite"

SCHEMA = migrations.Schema("query log", (
    """
    CREATE TABLE seen (
        text     TEXT NOT NULL,      -- the normalised query
        language TEXT NOT NULL,      -- the interface's language
        day      TEXT NOT NULL,      -- YYYY-MM-DD, UTC: nothing finer
        count    INTEGER NOT NULL,
        PRIMARY KEY (text, language, day)
    ) WITHOUT ROWID;
    CREATE INDEX seen_day ON seen (day);
    CREATE TABLE forgets (               -- one row: how many times operators forgot
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        count INTEGER NOT NULL
    );
    INSERT INTO forgets (id, count) VALUES (1, 0);
    """,
))

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+|[^\s@]+@[^\s@]+")
_LONG_DIGITS = re.compile(r"\d{6,}")
#: Digits with the separators phone numbers are written with.
_DIGIT_RUN = re.compile(r"\+?\(?\d[\d\s().\-/]*\d")
_YEAR = re.compile(r"(?:19|20)\d\d")


def looks_private(text: str) -> bool:
    """Whether ``text`` seems to hold an e-mail address, a phone number (seven digits
    or more written as one number, year ranges aside) or a long digit string."""
    if "@" in text and _EMAIL.search(text):
        return True
    if _LONG_DIGITS.search(text):
        return True
    for run in _DIGIT_RUN.findall(text):
        groups = re.findall(r"\d+", run)
        if sum(map(len, groups)) >= 7 and not all(_YEAR.fullmatch(g) for g in groups):
            return True
    return False


def normalise(text: str) -> str | None:
    """The form a query is counted under: casefolded, whitespace collapsed; None when
    it is too short, too long or looks private (``looks_private``)."""
    key = " ".join((text or "").casefold().split())
    if not MIN_CHARS <= len(key) <= MAX_CHARS or looks_private(key):
        return None
    return key


def is_plain(query: Query) -> bool:
    """A person's own words: plain words (no search syntax, no ``field:`` values), no
    facet values or years, first page, default order (so paging and facet clicks are
    not counted again)."""
    if not (query.text.strip() and not query.filters and not query.has_years
            and query.page == 1 and query.sort == "relevance"):
        return False
    parsed = parse(query.text)
    return parsed.simple and not parsed.notices


@dataclass(frozen=True)
class Frequent:
    """A query as counted: ``languages`` maps each interface language to its count."""
    text: str
    count: int
    days: int
    last_day: str
    languages: dict[str, int]

    def count_in(self, language: str) -> int:
        return self.languages.get(language, 0)


class QueryLog:
    """The counts in ``path``; see the module's docstring for what is kept."""

    def __init__(self, path: Path, *, min_days: int = 3, min_count: int = 25,
                 keep_days: int = 365, rare_days: int = 30):
        self.path = Path(path)
        self.min_days, self.min_count = min_days, min_count
        self.keep_days, self.rare_days = keep_days, rare_days
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        self._migrated = False
        self._suggested: dict[str, Frequent] | None = None
        self._ranks: dict[str, list[Frequent]] = {}     # language -> suggested, ranked
        self._loaded = 0.0
        self._loaded_forgets: int | None = None
        self._pruned_on: str | None = None

    @classmethod
    def of(cls, settings) -> QueryLog:
        return cls(settings.data_dir / FILE_NAME, min_days=settings.querylog_min_days,
                   min_count=settings.querylog_min_count,
                   keep_days=settings.querylog_keep_days,
                   rare_days=settings.querylog_rare_days)

    def _open(self, busy: float = OPERATOR_BUSY_SECONDS) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=busy, isolation_level=None,
                               check_same_thread=False)
        try:
            # Counts may lose the last moments to a power cut; a write need not wait
            # for the disk (in WAL mode a commit is then not synced).
            conn.execute("PRAGMA synchronous = NORMAL")
            if not self._migrated:
                with self._lock:
                    conn.execute("PRAGMA journal_mode = WAL")    # readers never wait
                    migrations.migrate(conn, SCHEMA)
                    self._migrated = True
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection of its own, for reading and for operators' commands."""
        with closing(self._open()) as conn:
            yield conn

    def close(self) -> None:
        """Close the connection searches write through (opened again when needed)."""
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None

    # -- recording ------------------------------------------------------------------

    def record(self, text: str, language: str, day: dt.date | None = None) -> bool:
        """Count ``text`` searched in ``language`` on ``day`` (today, UTC); False when
        it is not counted (``normalise``) or the write failed (logged, never raised)."""
        key = normalise(text)
        if key is None:
            return False
        day = day or dt.datetime.now(dt.UTC).date()
        day_text = day.isoformat()
        prune = False
        # One connection kept open for the searches' writes: opening and closing the
        # last one would checkpoint the WAL to disk at every search.
        if not self._write_lock.acquire(timeout=BUSY_SECONDS):
            log.warning("query not counted", extra={"fields": {
                "event": "querylog-write-busy"}})
            return False
        try:
            if self._writer is None:
                self._writer = self._open(BUSY_SECONDS)
            conn = self._writer
            conn.execute(
                "INSERT INTO seen (text, language, day, count) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (text, language, day) DO UPDATE SET count = count + 1",
                (key, language[:8], day_text))
            if self._suggested is not None and key not in self._suggested:
                count, days = conn.execute(
                    "SELECT SUM(count), COUNT(DISTINCT day) FROM seen WHERE text = ?",
                    (key,)).fetchone()
                if self._enough(count, days):
                    self._suggested = None       # read again at the next suggestion
            if self._pruned_on != day_text:      # once a day: anything to prune?
                self._pruned_on = day_text
                oldest = conn.execute("SELECT MIN(day) FROM seen").fetchone()[0]
                cutoff = day - dt.timedelta(days=min(self.keep_days, self.rare_days))
                prune = oldest is not None and oldest < cutoff.isoformat()
        except (sqlite3.Error, OSError, migrations.SchemaTooNew) as exc:
            log.warning("query not counted", extra={"fields": {
                "event": "querylog-write-failed", "error": str(exc)}})
            return False
        finally:
            self._write_lock.release()
        if prune:       # off the request path
            threading.Thread(target=self._prune_quietly, name="querylog-prune",
                             daemon=True).start()
        return True

    def _enough(self, count: int, days: int) -> bool:
        return days >= self.min_days or count >= self.min_count

    def frequent_enough(self, query: Frequent) -> bool:
        """Whether ``query`` is searched often enough to be suggested (if it still
        finds public documents: ``has_public_hits``)."""
        return self._enough(query.count, query.days) and not looks_private(query.text)

    # -- reading --------------------------------------------------------------------

    def counted(self, *, language: str | None = None, pattern: str | None = None
                ) -> list[Frequent]:
        """Every query counted, most frequent first; only those counted in
        ``language`` (their count in it first) or matching the glob ``pattern``."""
        where, args = "", []
        if pattern:
            where, args = "WHERE text GLOB ?", [_glob(pattern)]
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT text, language, SUM(count), MAX(day) FROM seen {where} "
                "GROUP BY text, language", args).fetchall()
            days = dict(conn.execute(
                f"SELECT text, COUNT(DISTINCT day) FROM seen {where} GROUP BY text", args))
        return _ranked(_merge(rows, days), language)

    def suggested(self, language: str = "en") -> list[Frequent]:
        """The queries frequent enough to suggest, those counted in ``language`` first,
        then by count; [] when the log cannot be read (logged)."""
        forgets = self._forgets()
        with self._lock:
            found, loaded = self._suggested, self._loaded
            if forgets is not None and forgets != self._loaded_forgets:
                found = None
        if found is None or time.monotonic() - loaded > REFRESH_SECONDS:
            try:
                found = {f.text: f for f in self.counted() if self.frequent_enough(f)}
            except (sqlite3.Error, OSError, migrations.SchemaTooNew) as exc:
                log.warning("query log not read", extra={"fields": {
                    "event": "querylog-read-failed", "error": str(exc)}})
                found = {}
            with self._lock:
                self._suggested, self._loaded, self._ranks = found, time.monotonic(), {}
                self._loaded_forgets = forgets
        with self._lock:
            ranked = self._ranks.get(language) if self._suggested is found else None
        if ranked is None:
            ranked = _ranked(list(found.values()), language)
            with self._lock:
                if self._suggested is found:
                    self._ranks[language] = ranked
        return ranked

    def _forgets(self) -> int | None:
        """How many times operators forgot queries (None if it cannot be read now)."""
        if not self._write_lock.acquire(timeout=BUSY_SECONDS):
            return None
        try:
            if self._writer is None:
                self._writer = self._open(BUSY_SECONDS)
            return self._writer.execute("SELECT count FROM forgets").fetchone()[0]
        except (sqlite3.Error, OSError, migrations.SchemaTooNew):
            return None      # suggested() says so when it reads
        finally:
            self._write_lock.release()

    # -- operators ------------------------------------------------------------------

    def forget(self, pattern: str) -> int:
        """Delete every query matching the glob ``pattern`` (case ignored: ``*smith*``);
        returns how many queries were forgotten."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                gone = conn.execute(
                    "SELECT COUNT(DISTINCT text) FROM seen WHERE text GLOB ?",
                    (_glob(pattern),)).fetchone()[0]
                conn.execute("DELETE FROM seen WHERE text GLOB ?", (_glob(pattern),))
                # Servers read this at each suggestion and drop what they had read.
                conn.execute("UPDATE forgets SET count = count + 1")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        self._suggested = None
        return gone

    def prune(self, today: dt.date | None = None) -> int:
        """Drop counts older than ``keep_days`` and the queries not frequent enough to
        suggest that were last seen more than ``rare_days`` ago; returns the rows
        deleted."""
        today = today or dt.datetime.now(dt.UTC).date()
        keep = (today - dt.timedelta(days=self.keep_days)).isoformat()
        rare = (today - dt.timedelta(days=self.rare_days)).isoformat()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                old = conn.execute("DELETE FROM seen WHERE day < ?", (keep,)).rowcount
                rare_rows = conn.execute(
                    "DELETE FROM seen WHERE text IN (SELECT text FROM seen GROUP BY text "
                    "HAVING MAX(day) < ? AND COUNT(DISTINCT day) < ? AND SUM(count) < ?)",
                    (rare, self.min_days, self.min_count)).rowcount
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        self._suggested = None
        return old + rare_rows

    def _prune_quietly(self) -> None:
        try:
            self.prune()
        except (sqlite3.Error, OSError, migrations.SchemaTooNew) as exc:
            log.warning("query log not pruned", extra={"fields": {
                "event": "querylog-prune-failed", "error": str(exc)}})


def _glob(pattern: str) -> str:
    """An operator's pattern as SQLite GLOB reads it, matched against casefolded
    queries; a pattern without wildcards (* ? [) matches queries containing it."""
    pattern = " ".join(pattern.casefold().split())
    if not any(c in pattern for c in "*?["):
        pattern = f"*{pattern}*"
    return pattern


def _merge(rows, days: dict[str, int]) -> list[Frequent]:
    by_text: dict[str, dict] = {}
    for text, language, count, last_day in rows:
        entry = by_text.setdefault(text, {"count": 0, "last": "", "languages": {}})
        entry["count"] += count
        entry["last"] = max(entry["last"], last_day)
        entry["languages"][language] = count
    return [Frequent(text, e["count"], days.get(text, 0), e["last"], e["languages"])
            for text, e in by_text.items()]


def _ranked(found: list[Frequent], language: str | None) -> list[Frequent]:
    if language is None:
        return sorted(found, key=lambda f: (-f.count, f.text))
    return sorted(found, key=lambda f: (f.count_in(language) == 0, -f.count_in(language),
                                        -f.count, f.text))


# -- does a query still find public documents? -------------------------------------

_checked: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_checked_lock = threading.Lock()


def has_public_hits(engine: SearchEngine, text: str,
                    hidden: frozenset[str] = frozenset()) -> bool:
    """Whether ``text``, as typed (no respelling), finds a document an anonymous
    visitor may see and curators have not hidden; remembered per index generation."""
    vocabulary = engine.vocabulary(None)          # one object per generation
    with _checked_lock:
        known = _checked.setdefault(vocabulary, {}).setdefault(hidden, {})
        if text in known:
            return known[text]
    parsed = expand(parse(text))
    found = parsed.query is not None and engine.match(MatchRequest(
        query=parsed, limit=0, facets=(), hidden=hidden, viewer=None)).total > 0
    with _checked_lock:
        known[text] = found
    return found
