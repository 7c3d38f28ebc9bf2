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
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from indexer.discover import DiscoveryError, Item, discover
from indexer.extract import extract
from indexer.extract.base import ExtractionError
from indexer.fetch import FetchOptions, fetch
from indexer.pool import run_tasks
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
    progress: bool = False


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


@dataclass
class RunReport:
    sources: list[SourceReport] = field(default_factory=list)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    finished: dt.datetime | None = None

    def total(self, key: str) -> int:
        return sum(s.counts[key] for s in self.sources)

    @property
    def failed(self) -> int:
        return self.total("failed") + sum(1 for s in self.sources if s.error)

    def as_dict(self) -> dict:
        return {
            "started": self.started.isoformat(timespec="seconds"),
            "finished": self.finished.isoformat(timespec="seconds") if self.finished else None,
            "totals": {k: self.total(k) for k in ("added", "updated", "unchanged", "removed",
                                                  "failed")},
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


@dataclass
class Outcome:
    status: str                 # "changed" | "unchanged"
    document: Document | None = None
    content_hash: str = ""


def process(task: Task) -> Outcome:
    """Turn one Item into a Document, or say it is unchanged. Raises ExtractionError."""
    from indexer.enrich import enrich

    item = task.item
    record = item.record
    extracted = None
    if record.get("text") or not item.location:
        if not record.get("text") and not record.get("title"):
            raise ExtractionError("the record has neither text nor a link to fetch")
        content = json.dumps(record, sort_keys=True).encode("utf-8")
        content_hash = hashlib.sha256(content).hexdigest()
        if content_hash == task.known_hash and not task.force:
            return Outcome("unchanged", content_hash=content_hash)
        pages = [record.get("text", "")]
        fmt = "record"
    else:
        fetched = fetch(item.location, task.fetch_options)
        content_hash = hashlib.sha256(fetched.data).hexdigest()
        if record:
            content_hash = hashlib.sha256(
                content_hash.encode() + json.dumps(record, sort_keys=True).encode()).hexdigest()
        if content_hash == task.known_hash and not task.force:
            return Outcome("unchanged", content_hash=content_hash)
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
        themes=list(record.get("themes") or defaults.get("themes", [])),
        gcm_objectives=[int(n) for n in defaults.get("gcm_objectives", [])],
        type=record.get("type") or defaults.get("type") or FORMAT_TYPES[fmt],
        date=_parse_date(record.get("date")) or (extracted.date if extracted else None),
        author=record.get("author") or (extracted.author if extracted else ""),
        description=record.get("description") or (extracted.description if extracted else ""),
        format=fmt,
        content_hash=content_hash,
        location=item.location,
    )
    enrich(doc, _TAXONOMY)
    if doc.language == "und" and extracted and extracted.language:
        doc.language = extracted.language[:2].lower()
    return Outcome("changed", doc, content_hash)


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
        on_event: Callable[[dict], None] | None = None) -> RunReport:
    """Index ``sources`` into ``engine``; returns what happened, per source."""
    report = RunReport()
    workers = options.workers or os.cpu_count() or 1
    fetch_options = FetchOptions(options.max_bytes, options.http_timeout, options.user_agent)
    emit = on_event or (lambda event: None)
    writer = None
    for source in sources:
        sreport = SourceReport(source.id)
        report.sources.append(sreport)
        known = engine.known(source.id)
        try:
            items = list(discover(source))
        except DiscoveryError as exc:
            sreport.error = str(exc)
            emit({"event": "source-failed", "source": source.id, "error": str(exc)})
            continue
        seen = {item.doc_id for item in items}
        tasks = ((item.doc_id, Task(item, source.name, source.agency, source.defaults,
                                    known.get(item.doc_id, ""), fetch_options, force))
                 for item in items)
        by_id = {item.doc_id: item for item in items}
        progress = _progress(len(items), source.id, options.progress)
        for doc_id, ok, result in run_tasks(process, tasks, workers=min(workers, len(items) or 1),
                                            timeout=options.document_timeout,
                                            initializer=_init_worker,
                                            initargs=(str(options.taxonomy_dir),)):
            progress.update(1)
            item = by_id[doc_id]
            if not ok:
                reason = getattr(result, "reason", type(result).__name__.lower())
                message = getattr(result, "message", None) or str(result)
                if not isinstance(result, ExtractionError):
                    reason = {"TaskTimeout": "timeout", "WorkerDied": "worker-died"}.get(
                        type(result).__name__, "error")
                sreport.counts["failed"] += 1
                sreport.failures.append(Failure(doc_id, item.location or item.url, reason,
                                                message))
                emit({"event": "failed", "source": source.id, "id": doc_id, "reason": reason,
                      "message": message})
                continue
            if result.status == "unchanged":
                sreport.counts["unchanged"] += 1
                emit({"event": "unchanged", "source": source.id, "id": doc_id})
                continue
            if writer is None:
                writer = engine.writer(timeout=30)
            status = "updated" if doc_id in known else "added"
            writer.add(result.document)
            sreport.counts[status] += 1
            emit({"event": status, "source": source.id, "id": doc_id,
                  "quality": result.document.quality})
            if writer.pending >= options.commit_every:
                writer.commit()
                writer = None
        progress.close()
        for gone in sorted(set(known) - seen):
            if writer is None:
                writer = engine.writer(timeout=30)
            writer.delete(gone)
            sreport.counts["removed"] += 1
            emit({"event": "removed", "source": source.id, "id": gone})
    if writer is not None:
        writer.commit()
    report.finished = dt.datetime.now(dt.UTC)
    return report


class _NoProgress:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, label: str, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return _NoProgress()
    from tqdm import tqdm
    return tqdm(total=total, desc=label, unit="doc", leave=False)
