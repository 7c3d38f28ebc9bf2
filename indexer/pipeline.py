"""The indexing run: discover -> fetch -> extract -> enrich -> write.

Fetching, extraction and enrichment run in worker processes (one per core, with a
timeout per document that really stops a stuck worker); the parent writes to the
index and commits every ``commit_every`` documents, so a run killed halfway
leaves the last commit searchable and the next run skips what is already there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from indexer.discover import Item
from indexer.extract import extract
from indexer.extract.base import ExtractionError
from indexer.fetch import Fetched, FetchError, FetchOptions, fetch
from indexer.sources import Source
from searchhub.models import Document

log = logging.getLogger("searchhub.indexer")

LANGUAGE_NAMES = {
    "english": "en", "anglais": "en", "inglés": "en", "ingles": "en",
    "french": "fr", "français": "fr", "francais": "fr", "francés": "fr", "frances": "fr",
    "spanish": "es", "espagnol": "es", "español": "es", "espanol": "es",
    "arabic": "ar", "arabe": "ar", "árabe": "ar", "russian": "ru", "russe": "ru", "ruso": "ru",
    "chinese": "zh", "chinois": "zh", "chino": "zh", "portuguese": "pt", "german": "de",
    "italian": "it",
}
FORMAT_TYPES = {"pdf": "Report", "html": "Web page", "text": "Text", "record": "Report"}


@dataclass(frozen=True)
class RunOptions:
    """Everything a run needs, in one typed object."""

    taxonomy_dir: Path
    workers: int = 0
    document_timeout: float = 60.0
    max_bytes: int = 50 * 2**20
    http_timeout: float = 20.0
    user_agent: str = "searchhub"
    commit_every: int = 500
    commit_interval: float = 60.0   # seconds at most between two commits
    progress: bool = False
    #: Where crawl.sqlite and run.lock live; None keeps the crawl state in memory and
    #: takes no lock (a library call in a test).
    data_dir: Path | None = None
    lock_wait: float = 0.0          # seconds to wait for another run to finish
    host_delay: float = 1.0         # seconds between two requests to one host
    max_per_host: int = 2           # connections open at once to one host
    http_retries: int = 3
    gone_after_runs: int = 3        # runs a URL may be missing from its listing
    fetch_threads: int = 8

    def http_policy(self):
        from indexer.fetch import HttpPolicy
        return HttpPolicy(user_agent=self.user_agent,
                          timeout=min(self.http_timeout, self.document_timeout),
                          max_bytes=self.max_bytes, host_delay=self.host_delay,
                          max_per_host=self.max_per_host, retries=self.http_retries)


@dataclass
class Failure:
    doc_id: str
    location: str
    reason: str
    message: str


@dataclass
class SourceReport:
    source_id: str
    counts: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    error: str = ""          # the source as a whole could not be listed
    # For curation, with a CurationInput only: the written documents with quality
    # signals (or open automatic flags), and the re-crawl requests fulfilled.
    signals: list = field(default_factory=list)      # searchhub.curation.handoff.DocSignals
    recrawled: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    sources: list[SourceReport] = field(default_factory=list)
    run_id: int | None = None
    requests: int = 0               # HTTP requests sent to partner platforms
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    finished: dt.datetime | None = None

    def total(self, key: str) -> int:
        return sum(s.counts[key] for s in self.sources)

    @property
    def failed(self) -> int:
        return self.total("failed") + sum(1 for s in self.sources if s.error)

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "requests": self.requests,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": self.finished.isoformat(timespec="seconds") if self.finished else None,
            "totals": {k: self.total(k) for k in ("added", "updated", "unchanged", "merged",
                                                  "removed", "failed")},
            "sources": [{"id": s.source_id, "error": s.error, "counts": dict(s.counts),
                         "failures": [f.__dict__ for f in s.failures]} for s in self.sources],
        }


# -- in the worker process -------------------------------------------------------

_TAXONOMY = None


def _init_worker(taxonomy_dir: str) -> None:
    global _TAXONOMY
    from indexer.enrich.taxonomy import load_taxonomy
    _TAXONOMY = load_taxonomy(Path(taxonomy_dir))


@dataclass
class Task:
    item: Item
    source_name: str
    agency: str
    defaults: dict
    known_hash: str
    fetch_options: FetchOptions
    force: bool = False
    fetched: Fetched | None = None   # what the parent's polite fetcher already read
    themes_map: dict = field(default_factory=dict)   # the source's themes_map
    unmapped_themes: str = "keep"


@dataclass
class Outcome:
    status: str                 # "changed" | "unchanged"
    document: Document | None = None
    content_hash: str = ""
    fingerprint: str = ""       # of the normalised text: the same report elsewhere
    simhash: int = 0            # of its word shingles: nearly the same report elsewhere


def content_hash(data: bytes, record: dict) -> str:
    """What decides whether a document changed: its bytes, and its catalogue fields."""
    digest = hashlib.sha256(data).hexdigest()
    if record:
        digest = hashlib.sha256(
            digest.encode() + json.dumps(record, sort_keys=True).encode()).hexdigest()
    return digest


#: Texts shorter than this many words are not compared for duplicates.
FINGERPRINT_MIN_WORDS = 30


def text_fingerprint(text: str) -> tuple[str, int]:
    """A hash of the words of a text, so the same report in other markup, case or
    spacing (the same PDF, or a page on two platforms) is recognised; and a 64-bit
    simhash of its word triples, which differs in few bits for nearly the same text.
    ``("", 0)`` for texts too short to compare."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < FINGERPRINT_MIN_WORDS:
        return "", 0
    weights = [0] * 64
    for n in range(len(words) - 2):
        shingle = " ".join(words[n:n + 3]).encode("utf-8")
        value = int.from_bytes(hashlib.blake2b(shingle, digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if value >> bit & 1 else -1
    simhash = sum(1 << bit for bit in range(64) if weights[bit] > 0)
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest(), simhash or 1


def process(task: Task) -> Outcome:
    """Turn one Item into a Document, or say it is unchanged. Raises ExtractionError."""
    from indexer.enrich import enrich, normalise_themes

    item = task.item
    record = item.record
    extracted = None
    if item.refused:
        raise FetchError(item.refused, "link-refused")
    if record.get("text") or not item.location:
        if not record.get("text") and not record.get("title"):
            raise ExtractionError("the record has neither text nor a link to fetch")
        content = json.dumps(record, sort_keys=True).encode("utf-8")
        digest = hashlib.sha256(content).hexdigest()
        if digest == task.known_hash and not task.force:
            return Outcome("unchanged", content_hash=digest)
        pages = [record.get("text", "")]
        fmt = "record"
    else:
        fetched = task.fetched or fetch(item.location, task.fetch_options)
        digest = content_hash(fetched.data, record)
        if digest == task.known_hash and not task.force:
            return Outcome("unchanged", content_hash=digest)
        extracted = extract(fetched.data, filename_or_url=item.location,
                            content_type=fetched.content_type,
                            max_bytes=task.fetch_options.max_bytes)
        pages = extracted.pages
        fmt = extracted.format

    defaults = task.defaults
    title = (record.get("title") or (extracted.title if extracted else "")
             or _name_from_location(item.location or item.url))
    language = _language_code(record.get("language", "")) or defaults.get("language", "") or "und"
    doc = Document(
        id=item.doc_id,
        title=" ".join(title.split())[:500],
        url=item.url or item.location,
        source_id=item.source_id,
        agency=task.agency,
        pages=pages,
        language=language,
        regions=list(record.get("regions") or _as_list(defaults.get("region"))),
        countries=list(record.get("countries") or defaults.get("countries", [])),
        # The record's themes, else the source's, in the taxonomy's words; when none is
        # left, enrich() infers them from the text.
        themes=(normalise_themes(record.get("themes") or [], _TAXONOMY, task.themes_map,
                                 task.unmapped_themes)
                or normalise_themes(defaults.get("themes") or [], _TAXONOMY,
                                    task.themes_map, task.unmapped_themes)),
        gcm_objectives=[int(n) for n in defaults.get("gcm_objectives", [])],
        type=record.get("type") or defaults.get("type") or FORMAT_TYPES[fmt],
        date=_parse_date(record.get("date")) or (extracted.date if extracted else None),
        author=record.get("author") or (extracted.author if extracted else ""),
        description=record.get("description") or (extracted.description if extracted else ""),
        format=fmt,
        content_hash=digest,
        location=item.location,
    )
    enrich(doc, _TAXONOMY)
    if doc.language == "und" and extracted and extracted.language:
        doc.language = extracted.language[:2].lower()
    return Outcome("changed", doc, digest, *text_fingerprint(doc.text))


def _as_list(value) -> list[str]:
    if not value:
        return []
    return list(value) if isinstance(value, list) else [str(value)]


def _language_code(value: str) -> str:
    value = (value or "").strip().lower()
    if not value:
        return ""
    if value in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[value]
    if re.fullmatch(r"[a-z]{2}([-_][a-z]{2,4})?", value):
        return value[:2]
    return ""


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y",
                 "%B %d, %Y", "%Y-%m", "%Y")


def _parse_date(value) -> dt.date | None:
    if not value:
        return None
    text = str(value).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
        text = text[:10]
    if re.fullmatch(r"\d{4}\.0", text):        # years exported as floats
        text = text[:4]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _name_from_location(location: str) -> str:
    path = urlsplit(location).path if "://" in location else location
    name = PurePosixPath(unquote(path)).name or location
    return re.sub(r"[_+]+|%20", " ", name.rsplit(".", 1)[0]).strip() or location


# -- in the parent process -------------------------------------------------------


def run(engine, sources: list[Source], options: RunOptions, *, force: bool = False,
        on_event: Callable[[dict], None] | None = None, trigger: str = "manual",
        curation=None, lock=None) -> RunReport:
    """Index ``sources`` into ``engine``; returns what happened, per source.

    With ``options.data_dir`` the run takes the run lock (raising IndexBusy naming
    its holder, after waiting ``options.lock_wait`` seconds), keeps its crawl state in
    ``crawl.sqlite`` and is recorded there. With ``curation`` (a
    ``searchhub.curation.handoff.CurationInput``, plain data) curators' corrections are
    applied to each document written, documents curators asked to re-crawl are fetched
    again, and each SourceReport carries back ``signals`` and ``recrawled`` for the
    caller to write into curation (``searchhub.curation.runs.after_run``). ``lock``: a
    RunLock the caller already holds (it stays held)."""
    from indexer.fetch import Fetcher
    from indexer.incremental import RunWriter, SourceRun
    from indexer.lock import RunLock
    from indexer.state import CrawlState

    held = lock is not None
    if not held and options.data_dir is not None:
        lock = RunLock(options.data_dir)
        lock.acquire(wait=options.lock_wait, what=f"searchhub index ({trigger})")
    try:
        state = CrawlState(Path(options.data_dir) / "crawl.sqlite"
                           if options.data_dir is not None else Path(":memory:"))
        fetcher = Fetcher(options.http_policy())
        report = RunReport()
        report.run_id = state.start_run(trigger)
        writer = RunWriter(engine, state, options.commit_every, options.commit_interval)
        emit = on_event or (lambda event: None)
        try:
            for source in sources:
                sreport = SourceReport(source.id)
                report.sources.append(sreport)
                SourceRun(source, sreport, engine=engine, writer=writer, state=state,
                          fetcher=fetcher, options=options, force=force, emit=emit,
                          make_task=_make_task, process=process,
                          init_worker=_init_worker, curation=curation).run()
                writer.commit()
                state.record_source(report.run_id, source.id, sreport.counts, sreport.error,
                                    sreport.failures)
            writer.commit()
            state.finish_run(report.run_id)
        finally:
            writer.cancel()
            fetcher.close()
            state.close()
        report.requests = fetcher.requests
        report.finished = dt.datetime.now(dt.UTC)
        return report
    finally:
        if lock is not None and not held:
            lock.release()


def _make_task(item: Item, source: Source, known_hash: str, fetch_options: FetchOptions,
               force: bool, fetched: Fetched | None) -> Task:
    return Task(item, source.name, source.agency, source.defaults, known_hash, fetch_options,
                force, fetched, dict(source.options.get("themes_map") or {}),
                source.options.get("unmapped_themes", "keep"))


class _NoProgress:
    total: int | None = None

    def update(self, n: int) -> None:
        pass

    def refresh(self) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int | None, label: str, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return _NoProgress()
    from tqdm import tqdm
    return tqdm(total=total, desc=label, unit="doc", leave=False)
