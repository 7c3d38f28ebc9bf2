"""Crawl state and run history in SQLite (``<data_dir>/crawl.sqlite``).

For every URL a source has listed: its status, validators (ETag, Last-Modified,
sitemap lastmod), content hash, text fingerprint, document id, first and last seen,
last error and error count, for how many runs it has been missing, and whether it is
a dead link (and when to ask it again). Every run is
recorded with its per-source counts and failures.

The state is cache-like: the index is the truth for what is searchable, so a lost
or stale row costs a re-fetch, never a wrong answer. The schema carries a version
and migrates forward; nothing is ever dropped at start-up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from indexer.report import COUNT_KEYS
from searchhub.migrations import Schema, migrate

#: The crawl state's file in the data folder.
CRAWL_DB = "crawl.sqlite"

#: Forward migrations, in order: version n is reached by running MIGRATIONS[n - 1].
MIGRATIONS: tuple[str, ...] = (
    # 1: URLs, runs, their per-source counts and failures.
    """
    CREATE TABLE urls (
        url TEXT NOT NULL,
        source_id TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'new',   -- indexed | duplicate | failed | gone | skipped
        etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        lastmod TEXT NOT NULL DEFAULT '',      -- what the sitemap or feed said
        content_hash TEXT NOT NULL DEFAULT '',
        fingerprint TEXT NOT NULL DEFAULT '',  -- hash of the normalised text (duplicates)
        simhash INTEGER NOT NULL DEFAULT 0,    -- of its word shingles (near-duplicates)
        band0 INTEGER NOT NULL DEFAULT 0,      -- the simhash's four 16-bit bands
        band1 INTEGER NOT NULL DEFAULT 0,
        band2 INTEGER NOT NULL DEFAULT 0,
        band3 INTEGER NOT NULL DEFAULT 0,
        doc_id TEXT NOT NULL DEFAULT '',       -- its own id, or the id it was merged into
        links TEXT NOT NULL DEFAULT '',        -- JSON list of links (crawl re-runs on 304)
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        last_error TEXT NOT NULL DEFAULT '',
        error_count INTEGER NOT NULL DEFAULT 0,
        missing_runs INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (source_id, url)
    );
    CREATE INDEX urls_fingerprint ON urls (fingerprint);
    CREATE INDEX urls_band0 ON urls (band0);
    CREATE INDEX urls_band1 ON urls (band1);
    CREATE INDEX urls_band2 ON urls (band2);
    CREATE INDEX urls_band3 ON urls (band3);
    CREATE INDEX urls_doc ON urls (doc_id);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL,                 -- running | finished | interrupted
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        trigger TEXT NOT NULL DEFAULT 'manual'
    );
    CREATE TABLE run_sources (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        source_id TEXT NOT NULL,
        added INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        merged INTEGER NOT NULL DEFAULT 0,
        removed INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (run_id, source_id)
    );
    CREATE TABLE failures (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        source_id TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        location TEXT NOT NULL,
        reason TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX failures_run ON failures (run_id, source_id);
    """,
    # 2: links to formats nothing extracts are counted; a failure keeps its exception.
    """
    ALTER TABLE run_sources ADD COLUMN unsupported INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE failures ADD COLUMN error_type TEXT NOT NULL DEFAULT '';
    ALTER TABLE failures ADD COLUMN traceback TEXT NOT NULL DEFAULT '';
    """,
    # 3: dead links (404, 410, no connection) are remembered, retried with backoff and
    # counted as known_dead, not as new failures.
    """
    ALTER TABLE urls ADD COLUMN dead_reason TEXT NOT NULL DEFAULT '';   -- '' while alive
    ALTER TABLE urls ADD COLUMN dead_checks INTEGER NOT NULL DEFAULT 0; -- runs found dead
    ALTER TABLE urls ADD COLUMN dead_retry_run INTEGER NOT NULL DEFAULT 0; -- asked again
                                                     -- from this run of its source on
    ALTER TABLE run_sources ADD COLUMN known_dead INTEGER NOT NULL DEFAULT 0;
    """,
    # 4: a feed entry's record (its title and date, JSON), for the entry is listed from
    # here once it leaves the feed's window (``discover.feed.remembered``).
    """
    ALTER TABLE urls ADD COLUMN record TEXT NOT NULL DEFAULT '';
    """,
)
SCHEMA = Schema("crawl state", MIGRATIONS)
SCHEMA_VERSION = SCHEMA.version

#: Texts whose simhashes differ in at most this many of 64 bits are the same report.
NEAR_DUPLICATE_BITS = 3

__all__ = ["COUNT_KEYS", "CRAWL_DB", "SCHEMA_VERSION", "CrawlState", "UrlState",
           "crawl_db_path"]


def crawl_db_path(data_dir: Path | str) -> Path:
    """Where the crawl state and the runs of the data folder ``data_dir`` live."""
    return Path(data_dir) / CRAWL_DB


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class UrlState:
    url: str
    source_id: str
    status: str             # new | indexed | duplicate | variant (of its canonical
                            # page: doc_id) | failed | gone
    etag: str
    last_modified: str
    lastmod: str
    content_hash: str
    fingerprint: str
    simhash: int
    band0: int
    band1: int
    band2: int
    band3: int
    doc_id: str
    links: str
    first_seen: str
    last_seen: str
    last_error: str
    error_count: int
    missing_runs: int
    dead_reason: str = ""       # why it is a dead link (http-404, http-410, soft-404,
                                # connection)
    dead_checks: int = 0        # in how many runs in a row it was found dead
    dead_retry_run: int = 0     # the run of its source from which it is asked again
    record: str = ""            # a feed entry's record (JSON), kept for when it leaves
                                # the feed

    @property
    def link_list(self) -> list[str]:
        return json.loads(self.links) if self.links else []


class CrawlState:
    """The crawl-state database. One connection; not shared between threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()
        self._in_tx = False

    def _migrate(self) -> None:
        migrate(self.db, SCHEMA)

    def close(self) -> None:
        self.commit()
        self.db.close()

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions: URL updates are committed together with the index ----------

    def _begin(self) -> None:
        if not self._in_tx:
            self.db.execute("BEGIN")
            self._in_tx = True

    def commit(self) -> None:
        if self._in_tx:
            self.db.execute("COMMIT")
            self._in_tx = False

    # -- URLs ------------------------------------------------------------------

    def urls(self, source_id: str) -> dict[str, UrlState]:
        rows = self.db.execute("SELECT * FROM urls WHERE source_id = ?", (source_id,))
        return {r["url"]: UrlState(**dict(r)) for r in rows}

    def get(self, source_id: str, url: str) -> UrlState | None:
        row = self.db.execute("SELECT * FROM urls WHERE source_id = ? AND url = ?",
                              (source_id, url)).fetchone()
        return UrlState(**dict(row)) if row else None

    def record(self, source_id: str, url: str, **values) -> None:
        """Insert or update the row of ``url``: it was seen in this run."""
        self._begin()
        stamp = now_iso()
        values.setdefault("last_seen", stamp)
        values.setdefault("missing_runs", 0)
        if "links" in values and isinstance(values["links"], list):
            values["links"] = json.dumps(values["links"])
        if "simhash" in values:
            unsigned = values["simhash"] & (2**64 - 1)
            values["simhash"] = unsigned - 2**64 if unsigned >= 2**63 else unsigned
            for n in range(4):
                values[f"band{n}"] = (unsigned >> (16 * n)) & 0xFFFF if unsigned else 0
        self.db.execute("INSERT OR IGNORE INTO urls (url, source_id, first_seen, last_seen) "
                        "VALUES (?, ?, ?, ?)", (url, source_id, stamp, stamp))
        sets = ", ".join(f"{k} = ?" for k in values)
        self.db.execute(f"UPDATE urls SET {sets} WHERE source_id = ? AND url = ?",
                        (*values.values(), source_id, url))

    def failed(self, source_id: str, url: str, message: str) -> None:
        self._begin()
        self.record(source_id, url)
        self.db.execute("UPDATE urls SET last_error = ?, error_count = error_count + 1 "
                        "WHERE source_id = ? AND url = ?", (message, source_id, url))

    def missing(self, source_id: str, url: str) -> int:
        """``url`` was not listed in this run; returns for how many runs it has not been."""
        self._begin()
        self.db.execute("UPDATE urls SET missing_runs = missing_runs + 1 "
                        "WHERE source_id = ? AND url = ?", (source_id, url))
        row = self.db.execute("SELECT missing_runs FROM urls WHERE source_id = ? AND url = ?",
                              (source_id, url)).fetchone()
        return row[0] if row else 0

    def forget(self, source_id: str, url: str) -> None:
        self._begin()
        self.db.execute("DELETE FROM urls WHERE source_id = ? AND url = ?", (source_id, url))

    def duplicates_of(self, fingerprint: str, simhash: int = 0,
                      max_distance: int = NEAR_DUPLICATE_BITS) -> list[UrlState]:
        """Indexed URLs with the same text, or a simhash at most ``max_distance`` bits
        away (near-duplicates), exact matches first."""
        found = [UrlState(**dict(r)) for r in self.db.execute(
            "SELECT * FROM urls WHERE fingerprint = ? AND status = 'indexed'", (fingerprint,))]
        if simhash:
            unsigned = simhash & (2**64 - 1)
            bands = [(unsigned >> (16 * n)) & 0xFFFF for n in range(4)]
            near = self.db.execute(
                "SELECT * FROM urls WHERE status = 'indexed' AND simhash != 0 AND (band0 = ? "
                "OR band1 = ? OR band2 = ? OR band3 = ?)", bands)
            for r in near:
                row = UrlState(**dict(r))
                if row not in found and bin((row.simhash ^ simhash) & (2**64 - 1)).count(
                        "1") <= max_distance:
                    found.append(row)
        return found

    def merged_into(self, doc_id: str) -> list[UrlState]:
        rows = self.db.execute("SELECT * FROM urls WHERE doc_id = ? AND status = 'duplicate'",
                               (doc_id,))
        return [UrlState(**dict(r)) for r in rows]

    # -- runs ------------------------------------------------------------------

    def source_runs(self, source_id: str) -> int:
        """How many runs have recorded ``source_id`` (its run counter)."""
        return self.db.execute("SELECT COUNT(*) FROM run_sources WHERE source_id = ?",
                               (source_id,)).fetchone()[0]

    def start_run(self, trigger: str = "manual") -> int:
        self.commit()
        # A run that is still 'running' but whose lock we now hold was killed.
        self.db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        cur = self.db.execute(
            "INSERT INTO runs (started, status, pid, host, trigger) VALUES (?, 'running', ?, ?, ?)",
            (now_iso(), os.getpid(), socket.gethostname(), trigger))
        return int(cur.lastrowid)

    def record_source(self, run_id: int, source_id: str, counts: dict, error: str,
                      failures: list) -> None:
        self._begin()
        values = [int(counts.get(k, 0)) for k in COUNT_KEYS]
        marks = ", ".join("?" * (len(COUNT_KEYS) + 3))
        self.db.execute(
            f"INSERT OR REPLACE INTO run_sources (run_id, source_id, {', '.join(COUNT_KEYS)}, "
            f"error) VALUES ({marks})", (run_id, source_id, *values, error))
        self.db.execute("DELETE FROM failures WHERE run_id = ? AND source_id = ?",
                        (run_id, source_id))
        self.db.executemany(
            "INSERT INTO failures (run_id, source_id, doc_id, location, reason, message, "
            "error_type, traceback) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, source_id, f.doc_id, f.location, f.reason, f.message, f.error_type,
              f.traceback) for f in failures])
        self.commit()

    def finish_run(self, run_id: int) -> None:
        self.commit()
        self.db.execute("UPDATE runs SET finished = ?, status = 'finished' WHERE id = ?",
                        (now_iso(), run_id))

    def runs(self, limit: int = 20) -> list[dict]:
        """The latest runs, newest first, each with ``sources`` (counts and error)."""
        runs = [dict(r) for r in self.db.execute(
            "SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))]
        for run in runs:
            run["sources"] = [dict(r) for r in self.db.execute(
                "SELECT * FROM run_sources WHERE run_id = ? ORDER BY source_id", (run["id"],))]
            run["totals"] = {k: sum(s[k] for s in run["sources"]) for k in COUNT_KEYS}
        return runs

    def run_failures(self, run_id: int) -> list[dict]:
        return [dict(r) for r in self.db.execute(
            "SELECT * FROM failures WHERE run_id = ? ORDER BY source_id, location", (run_id,))]

    def source_health(self) -> dict[str, dict]:
        """Per source: the last run's counts and error, URL counts, failure rate, last error."""
        health: dict[str, dict] = {}
        for r in self.db.execute(
                "SELECT rs.*, r.started, r.finished, r.status AS run_status FROM run_sources rs "
                "JOIN runs r ON r.id = rs.run_id WHERE rs.run_id = (SELECT MAX(run_id) FROM "
                "run_sources WHERE source_id = rs.source_id)"):
            health[r["source_id"]] = {"last_run": dict(r)}
        for r in self.db.execute(
                "SELECT source_id, COUNT(*) AS urls, SUM(status = 'failed') AS failing, "
                "SUM(status = 'duplicate') AS duplicates FROM urls GROUP BY source_id"):
            entry = health.setdefault(r["source_id"], {})
            entry.update(urls=r["urls"], failing=r["failing"] or 0,
                         duplicates=r["duplicates"] or 0,
                         failure_rate=(r["failing"] or 0) / r["urls"] if r["urls"] else 0.0)
        for r in self.db.execute(
                "SELECT source_id, last_error, last_seen FROM urls u WHERE last_error != '' AND "
                "last_seen = (SELECT MAX(last_seen) FROM urls WHERE source_id = u.source_id AND "
                "last_error != '')"):
            health.setdefault(r["source_id"], {})["last_error"] = r["last_error"]
        return health
