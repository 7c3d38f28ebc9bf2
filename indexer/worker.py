"""The extract and enrich stages, in a worker process: a ``Task`` (one item, with the
content the parent fetched) becomes an ``Outcome`` (a ``Document``, or "unchanged").

Everything here runs in the spawned workers of ``pool.py``; ``init_worker`` loads the
taxonomy once per worker. Raises ``ExtractionError`` (a ``FetchError`` when the item
may not or cannot be read, or when a page read over HTTP says it is not there: a
soft 404), which the parent reports as the document's failure, or, for a soft 404,
as it does a 404.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from indexer.dates import parse_date
from indexer.discover.base import Item, Source
from indexer.enrich import enrich, normalise_themes
from indexer.enrich.taxonomy import Taxonomy, load_taxonomy
from indexer.extract import document_type, extract
from indexer.extract.base import ExtractionError
from indexer.extract.links import outlinks
from indexer.extract.text import without_emphasis
from indexer.fetch import Fetched, FetchError, FetchOptions, fetch
from searchhub.models import Document
from searchhub.text import language_code

#: The type of a catalogue record indexed from its own text (no file to extract).
RECORD_TYPE = "Report"
#: Texts shorter than this many words are not compared for duplicates.
FINGERPRINT_MIN_WORDS = 30

_TAXONOMY: Taxonomy | None = None


def init_worker(taxonomy_dir: str) -> None:
    """Run once in each worker process before its first task."""
    global _TAXONOMY
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


def make_task(item: Item, source: Source, known_hash: str, fetch_options: FetchOptions,
              force: bool, fetched: Fetched | None) -> Task:
    return Task(item, source.name, source.agency, source.defaults, known_hash, fetch_options,
                force, fetched, dict(source.options.get("themes_map") or {}),
                source.options.get("unmapped_themes", "keep"))


def content_hash(data: bytes, record: dict) -> str:
    """What decides whether a document changed: its bytes, and its catalogue fields."""
    digest = hashlib.sha256(data).hexdigest()
    if record:
        digest = hashlib.sha256(
            digest.encode() + json.dumps(record, sort_keys=True).encode()).hexdigest()
    return digest


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
        # A record's own text may carry Markdown emphasis (ReliefWeb's): shown plain.
        pages = [without_emphasis(record.get("text", ""))]
        fmt, kind = "record", RECORD_TYPE
        links = []
    else:
        fetched = task.fetched or fetch(item.location, task.fetch_options)
        digest = content_hash(fetched.data, record)
        if digest == task.known_hash and not task.force:
            return Outcome("unchanged", content_hash=digest)
        extracted = extract(fetched.data, filename_or_url=item.location,
                            content_type=fetched.content_type,
                            max_bytes=task.fetch_options.max_bytes)
        if extracted.not_found and task.fetched is not None:
            # A 200 that says the page is not there: no document, a 404 (decide._gone).
            raise FetchError(f"the page answers 200 but says \"{extracted.not_found[:120]}\" "
                             "(a soft 404)", "soft-404")
        pages = extracted.pages
        fmt, kind = extracted.format, document_type(extracted.format)
        links = outlinks(fetched.data, extracted.format, item.url or item.location,
                         fetched.content_type)

    defaults = task.defaults
    title = (without_emphasis(record.get("title") or "")
             or (extracted.title if extracted else "")
             or _name_from_location(item.location or item.url))
    language = _language_code(record.get("language", "")) or defaults.get("language", "") or "und"
    doc = Document(
        id=item.doc_id,
        title=" ".join(title.split())[:500],
        url=_public_link(item),
        source_id=item.source_id,
        agency=record.get("agency") or task.agency,
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
        gcm_objectives=[int(n) for n in record.get("gcm_objectives")
                        or defaults.get("gcm_objectives", [])],
        type=record.get("type") or defaults.get("type") or kind,
        date=parse_date(record.get("date")) or (extracted.date if extracted else None),
        author=record.get("author") or (extracted.author if extracted else ""),
        description=(without_emphasis(record.get("description") or "")
                     or (extracted.description if extracted else "")),
        format=fmt,
        content_hash=digest,
        location=item.location,
        platform=defaults.get("platform") or item.source_id,
        links=links,
        # An upload's record says its own (indexer.discover.uploads); else the source's.
        visibility=list(record.get("visibility") or defaults.get("visibility") or []),
    )
    enrich(doc, _TAXONOMY, declared=extracted.language if extracted else "")
    if doc.language == "und" and extracted and extracted.language:
        doc.language = extracted.language[:2].lower()
    return Outcome("changed", doc, digest, *text_fingerprint(doc.text))


def _public_link(item: Item) -> str:
    """The link searchers get: a web URL, never a path or ``file:`` URL of this server
    (a document without one is linked to its document page)."""
    for url in (item.url, item.location):
        if url.startswith(("http://", "https://")):
            return url
    return ""


def _as_list(value) -> list[str]:
    if not value:
        return []
    return list(value) if isinstance(value, list) else [str(value)]


def _language_code(value: str) -> str:
    """A catalogue's language ("French", "francés", "fr-FR") as its ISO 639-1 code."""
    value = (value or "").strip()
    if not value:
        return ""
    code = language_code(value)
    if code:
        return code
    if re.fullmatch(r"[a-z]{2}([-_][a-z]{2,4})?", value.lower()):
        return value[:2].lower()
    return ""


def _name_from_location(location: str) -> str:
    path = urlsplit(location).path if "://" in location else location
    name = PurePosixPath(unquote(path)).name or location
    return re.sub(r"[_+]+|%20", " ", name.rsplit(".", 1)[0]).strip() or location
