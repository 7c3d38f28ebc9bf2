"""What every extractor returns, and the errors it may raise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


class ExtractionError(Exception):
    """A document that cannot be turned into text; ``reason`` is a short code."""

    reason = "extraction-failed"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EncryptedDocument(ExtractionError):
    reason = "encrypted"


class CorruptDocument(ExtractionError):
    reason = "corrupt"


class EmptyDocument(ExtractionError):
    reason = "empty"


class ImageOnlyDocument(ExtractionError):
    reason = "image-only"


class TooLarge(ExtractionError):
    reason = "too-large"


class UnsupportedFormat(ExtractionError):
    reason = "unsupported-format"


@dataclass
class Extracted:
    """Text and metadata found inside one file or HTTP response."""

    format: str                      # "pdf" | "html" | "text"
    pages: list[str]                 # one entry per PDF page; one for HTML and text
    title: str = ""
    author: str = ""
    date: dt.date | None = None
    language: str = ""               # declared language (HTML lang, PDF /Lang), if any
    description: str = ""
    page_count: int = 0
    warnings: list[str] = field(default_factory=list)   # e.g. "page 7 unreadable"
    # A page's title or heading saying it is not there, its text short: a soft 404
    # (``soft404.not_found_message``; HTML only).
    not_found: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)


@dataclass(frozen=True)
class Format:
    """One extractor's registration: everything the indexer needs to know of a format.

    ``extract(data, where, max_pages)`` turns the bytes read from ``where`` (a path or
    URL) into ``Extracted``; ``recognise(head)`` says whether the first bytes are this
    format (the bytes win over labels, which servers get wrong); ``content_types`` and
    ``suffixes`` are the labels it answers to; ``document_type`` is the type a document
    of this format gets when its source says none; a ``textual`` format is text in a
    charset, which a charset its Content-Type declares decodes (``encoding.as_utf8``)."""

    name: str
    extract: Callable[[bytes, str, int | None], Extracted]
    document_type: str
    content_types: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    recognise: Callable[[bytes], bool] | None = None
    textual: bool = False
