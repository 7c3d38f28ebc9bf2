"""Extractors: turn the bytes of one file or response into text and metadata.

Register a new format by adding its function to ``EXTRACTORS`` and teaching
``sniff_format`` to recognise it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from indexer.extract.base import EmptyDocument, Extracted, TooLarge, UnsupportedFormat
from indexer.extract.html import extract_html
from indexer.extract.pdf import extract_pdf
from indexer.extract.text import extract_text

#: Format name -> extractor; each takes the bytes and returns ``Extracted``.
EXTRACTORS: dict[str, Callable[..., Extracted]] = {
    "pdf": extract_pdf,
    "html": extract_html,
    "text": extract_text,
}

_SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text"}
_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
}


def sniff_format(data: bytes, filename_or_url: str, content_type: str | None = None) -> str:
    """ "pdf", "html" or "text", from the bytes first, then the content type, then the suffix.

    The bytes win because servers mislabel: a ".pdf" link that answers with an
    HTML login page is HTML. Raises UnsupportedFormat.
    """
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"%pdf-" in data[:1024].lower():
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if content_type:
        mime = content_type.split(";")[0].strip().lower()
        if mime in _CONTENT_TYPES:
            return _CONTENT_TYPES[mime]
    suffix = _suffix(filename_or_url)
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    raise UnsupportedFormat(
        f"cannot tell the format of {filename_or_url!r} (content type "
        f"{content_type or 'not given'}); supported: PDF, HTML and plain text"
    )


def extract(data: bytes, *, filename_or_url: str, content_type: str | None = None,
            max_bytes: int | None = None, max_pages: int | None = None) -> Extracted:
    """Check the size, sniff the format and run its extractor.

    Raises TooLarge, UnsupportedFormat or the extractor's ExtractionError.
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise TooLarge(f"{filename_or_url} is {len(data):,} bytes, over the limit of "
                       f"{max_bytes:,} bytes")
    if not data.strip():
        raise EmptyDocument(f"{filename_or_url} is empty ({len(data)} bytes)")
    fmt = sniff_format(data, filename_or_url, content_type)
    options: dict[str, object] = {}
    if fmt == "pdf":
        options["max_pages"] = max_pages
    elif fmt == "html" and "://" in filename_or_url:
        options["url"] = filename_or_url
    return EXTRACTORS[fmt](data, **options)


def _suffix(filename_or_url: str) -> str:
    path = urlsplit(filename_or_url).path if "://" in filename_or_url else filename_or_url
    return posixpath.splitext(unquote(path).replace("\\", "/"))[1].lower()


__all__ = ["EXTRACTORS", "extract", "extract_html", "extract_pdf", "extract_text",
           "sniff_format"]
