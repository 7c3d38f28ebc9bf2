"""Taking a member's file or URL in: check its size and type (by its bytes), keep it by
content hash under the data folder, read its text with the indexer's own extractors,
and offer what enrichment finds as suggestions.

A file is kept at ``<data>/uploads/ab/<sha256>.<suffix>``, written to a temporary file,
flushed to disk and renamed, so a kill leaves either the whole file or none; the
indexer reads that file (a Word file too: ``indexer.extract.docx`` is a registered
format).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from indexer.extract import docx as docx_format
from indexer.extract import extract, sniff_format
from indexer.extract.base import Extracted, ExtractionError
from searchhub.errors import SearchhubError
from searchhub.notice import notice

#: The suffix a kept file of each type gets (the indexer tells a file's type by it).
SUFFIXES = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}


class UploadRefused(SearchhubError):
    """A file or URL that cannot be taken: too large, of a type the template does not
    accept, unreadable. ``reason`` is the indexer's short code where it gave one; the
    message is a notice (searchhub.notice) where it is ours, the indexer's English else."""

    status = 400

    def __init__(self, message: str, reason: str = "refused"):
        super().__init__(message)
        self.reason = reason


@dataclass
class Received:
    """A file taken in: where it is kept, its hash, type and extracted text."""

    sha256: str
    file_type: str
    name: str
    path: Path
    extracted: Extracted
    suggestions: dict[str, object] = field(default_factory=dict)


def file_type(data: bytes, name: str) -> str:
    """The type of ``data`` from its bytes (pdf, docx, html, text); the name's suffix
    only confirms. Raises UploadRefused."""
    suffix = os.path.splitext(name.lower())[1]
    if docx_format.recognise(data):
        return "docx"
    if suffix == ".docx" or data.startswith(b"PK\x03\x04"):
        raise UploadRefused(notice("%(name)s is not a Word .docx file", name=name),
                            "unsupported-format")
    head = data[:1024]
    if b"%pdf-" in head.lower():
        return "pdf"
    if suffix == ".pdf":
        raise UploadRefused(notice("%(name)s is not a PDF: it does not start as one does",
                                   name=name), "unsupported-format")
    try:
        found = sniff_format(data, name)
    except ExtractionError as exc:
        raise UploadRefused(exc.message, exc.reason) from None
    if found == "text" and (b"\x00" in head or not _is_text(data)):
        raise UploadRefused(notice("%(name)s is not a text file", name=name),
                            "unsupported-format")
    return found


def _is_text(data: bytes) -> bool:
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= 65536 - 4      # a character cut at the end of the sample
    return True


def check(data: bytes, name: str, *, max_bytes: int, allowed: tuple[str, ...]) -> str:
    """The size first, then the type: its name (pdf, docx, html, text). Raises
    UploadRefused; nothing is kept."""
    if len(data) > max_bytes:
        raise UploadRefused(notice("%(name)s is %(size)s MiB, over the limit of %(limit)s MiB",
                                   name=name, size=round(len(data) / 2**20, 1),
                                   limit=round(max_bytes / 2**20, 1)), "too-large")
    if not data.strip():
        raise UploadRefused(notice("%(name)s is empty", name=name), "empty")
    kind = file_type(data, name)
    if kind not in allowed:
        raise UploadRefused(notice("%(name)s is a %(kind)s file; this workstream accepts "
                                   "%(allowed)s", name=name, kind=kind,
                                   allowed=", ".join(allowed)), "unsupported-format")
    return kind


def read_text(data: bytes, name: str, kind: str) -> Extracted:
    """The text and metadata the indexer's extractors find; the indexer's reason when
    it cannot (corrupt, encrypted, image-only, empty)."""
    try:
        return extract(data, filename_or_url=name + ("" if name.lower().endswith(
            SUFFIXES[kind]) else SUFFIXES[kind]))
    except ExtractionError as exc:
        raise UploadRefused(notice("%(name)s: %(problem)s", name=name, problem=exc.message),
                            exc.reason) from None


def kept_path(folder: Path, sha256: str, kind: str) -> Path:
    return folder / sha256[:2] / (sha256 + SUFFIXES[kind])


def indexed_path(folder: Path, sha256: str, kind: str) -> Path:
    """What the indexer reads: the kept file (a Word file's too)."""
    return kept_path(folder, sha256, kind)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` whole or not at all: a temporary file beside it,
    flushed to disk, renamed over it, then the folder flushed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def keep(folder: Path, data: bytes, name: str, *, max_bytes: int,
         allowed: tuple[str, ...]) -> Received:
    """Check, read and keep one file. Raises UploadRefused before anything is kept."""
    kind = check(data, name, max_bytes=max_bytes, allowed=allowed)
    extracted = read_text(data, name, kind)
    sha = hashlib.sha256(data).hexdigest()
    path = kept_path(folder, sha, kind)
    if not path.exists():
        write_atomically(path, data)
    return Received(sha, kind, name, path, extracted)


def fetch_url(url: str, *, max_bytes: int, user_agent: str, timeout: float) -> tuple[bytes,
                                                                                    str]:
    """The bytes at ``url`` and its file name, through the indexer's fetcher (robots.txt,
    size limit, the private-address guard). Raises UploadRefused."""
    from indexer.fetch import Fetcher, FetchError, HttpPolicy

    fetcher = Fetcher(HttpPolicy(user_agent=user_agent, timeout=timeout, max_bytes=max_bytes,
                                 retries=0))
    try:
        fetched = fetcher.get(url)
    except ExtractionError as exc:           # FetchError and TooLarge
        reason = exc.reason if isinstance(exc, FetchError) else getattr(exc, "reason", "")
        raise UploadRefused(notice("%(name)s: %(problem)s", name=url, problem=exc.message),
                            reason or "fetch-failed") from None
    finally:
        fetcher.close()
    name = fetched.final_url.rstrip("/").rsplit("/", 1)[-1] or "page"
    if "." not in name and "html" in (fetched.content_type or ""):
        name += ".html"
    return fetched.data, name


def suggest(doc_id: str, extracted: Extracted, taxonomy) -> dict[str, object]:
    """What enrichment finds in the text (title, date, language, regions, countries,
    themes, GCM objectives), for the member to confirm or correct."""
    from indexer.enrich import enrich
    from searchhub.models import Document

    doc = Document(id=doc_id, title=extracted.title, url="", source_id="uploads", agency="",
                   pages=extracted.pages,
                   language=(extracted.language or "")[:2].lower() or "und")
    enrich(doc, taxonomy)
    return {"title": " ".join(doc.title.split())[:500],
            "date": extracted.date.isoformat() if extracted.date else "",
            "language": "" if doc.language == "und" else doc.language,
            "regions": list(doc.regions), "countries": list(doc.countries),
            "themes": list(doc.themes),
            "gcm_objectives": [str(n) for n in doc.gcm_objectives]}
