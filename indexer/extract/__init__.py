"""Extractors: turn the bytes of one file or response into text and metadata.

The registry of formats. A new format is one module that defines its ``FORMAT``
(a ``base.Format``: extract function, content types, file suffixes, recognised
bytes, and the document type it maps to) plus one line in ``FORMATS`` below.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from indexer.extract import docx, html, pdf, text
from indexer.extract.base import EmptyDocument, Extracted, Format, TooLarge, UnsupportedFormat
from indexer.extract.encoding import as_utf8
from indexer.extract.html import extract_html
from indexer.extract.pdf import extract_pdf
from indexer.extract.text import extract_text

#: Format name -> its registration, in the order the bytes are tried.
FORMATS: dict[str, Format] = {f.name: f for f in (pdf.FORMAT, html.FORMAT, text.FORMAT,
                                                   docx.FORMAT)}



def _content_types() -> dict[str, str]:
    return {ctype: f.name for f in FORMATS.values() for ctype in f.content_types}


def _suffixes() -> dict[str, str]:
    return {suffix: f.name for f in FORMATS.values() for suffix in f.suffixes}


#: File suffixes of formats that partner sites link to and that are files, not pages.
#: A link with one of these that no registered format claims is "unsupported": crawls,
#: sitemaps and feeds skip it (and count it) instead of failing on it every run.
#: Registering a format that claims one of them is enough to have it indexed.
FILE_SUFFIXES = frozenset("""
    .pdf .txt .doc .docx .docm .dot .dotx .odt .rtf .xls .xlsx .xlsm .ods .csv .tsv .ppt
    .pptx .pps .ppsx .odp .epub .mobi .djvu .ps .eps .indd .pages .key .numbers
    .zip .gz .tgz .tar .bz2 .xz .7z .rar .jar .war .iso .dmg .exe .msi .apk .deb .rpm .bin
    .png .jpg .jpeg .gif .svg .webp .bmp .tif .tiff .ico .heic .psd .ai
    .mp3 .mp4 .m4a .m4v .wav .ogg .oga .webm .avi .mov .wmv .flv .mkv .mpg .mpeg
    .py .js .mjs .css .java .c .h .cpp .rb .go .rs .sh .bat .ps1 .swf .woff .woff2 .ttf
    .otf .eot .xml .json .ics .vcf .kml .kmz .gpx .shp .sav .dta .rdata .sql .db .sqlite
""".split())


def document_type(fmt: str) -> str:
    """The document type of a registered format ("Report" for a PDF)."""
    return FORMATS[fmt].document_type


def link_suffix(filename_or_url: str) -> str:
    """The lower-case suffix of a path or of a URL's path (".pdf"), or ""."""
    path = urlsplit(filename_or_url).path if "://" in filename_or_url else filename_or_url
    return posixpath.splitext(unquote(path).replace("\\", "/"))[1].lower()


def is_document_link(url: str) -> bool:
    """Does ``url`` name a file a registered format reads (not a page to follow)?"""
    suffix = link_suffix(url)
    return suffix in _suffixes() and suffix in FILE_SUFFIXES


def is_unsupported_link(url: str) -> bool:
    """Does ``url`` name a file of a format nothing here extracts (.doc, .zip, .png)?"""
    suffix = link_suffix(url)
    return suffix in FILE_SUFFIXES and suffix not in _suffixes()


def is_unsupported_content(data: bytes, content_type: str | None) -> bool:
    """Is this response of a format nothing here reads: bytes no format recognises,
    labelled as an image, audio, video, font, office file or archive? Unlabelled or
    unknown responses are not (extraction tries them and says what went wrong)."""
    head = data[:1024]
    if any(f.recognise is not None and f.recognise(head) for f in FORMATS.values()):
        return False
    mime = (content_type or "").split(";")[0].strip().lower()
    if not mime or mime in _content_types() or mime.startswith("text/"):
        return False
    return mime.startswith(("image/", "audio/", "video/", "font/")) or mime in (
        "application/msword", "application/zip", "application/gzip", "application/rtf",
        "application/x-zip-compressed", "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint", "application/epub+zip") or mime.startswith(
        ("application/vnd.openxmlformats", "application/vnd.oasis.opendocument"))


def sniff_format(data: bytes, filename_or_url: str, content_type: str | None = None) -> str:
    """The name of the registered format of ``data``, from the bytes first, then the
    content type, then the suffix.

    The bytes win because servers mislabel: a ".pdf" link that answers with an
    HTML login page is HTML. Raises UnsupportedFormat.
    """
    head = data[:1024]
    for fmt in FORMATS.values():
        if fmt.recognise is not None and fmt.recognise(head):
            return fmt.name
    if content_type:
        mime = content_type.split(";")[0].strip().lower()
        if mime in _content_types():
            return _content_types()[mime]
    suffix = link_suffix(filename_or_url)
    if suffix in _suffixes():
        return _suffixes()[suffix]
    supported = ", ".join(FORMATS)
    raise UnsupportedFormat(
        f"cannot tell the format of {filename_or_url!r} (content type "
        f"{content_type or 'not given'}); supported: {supported}"
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
    if FORMATS[fmt].textual:
        data = as_utf8(data, content_type)
    return FORMATS[fmt].extract(data, filename_or_url, max_pages)


__all__ = ["FILE_SUFFIXES", "FORMATS", "Format", "document_type", "extract", "extract_html",
           "extract_pdf", "extract_text", "is_document_link", "is_unsupported_content",
           "is_unsupported_link", "link_suffix", "sniff_format"]
