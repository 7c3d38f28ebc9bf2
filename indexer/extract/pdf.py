"""PDF files, page by page, with pypdf.

The title is the metadata title when it looks like one (not a file name, a tool's
default or empty); otherwise the heading set in the largest font on the first page
(``pdf_title.heading_title``, from the font sizes pypdf reports while it extracts the
first two pages anyway); otherwise the first substantial line of text (``guess_title``).
A browser's title for a printed web page ("Print Entering the UK - GOV.UK") gives way
to the page's own heading when the heading is part of it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from indexer.dates import parse_date
from indexer.extract.base import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    Extracted,
    Format,
    ImageOnlyDocument,
)
from indexer.extract.pdf_title import (
    MAX_TITLE_CHARS,
    FontRuns,
    guess_title,
    heading_title,
    is_web_print_title,
    prefer_heading,
)
from indexer.extract.text import normalise_text

__all__ = ["MAX_TITLE_CHARS", "extract_pdf", "guess_title", "parse_pdf_date"]

#: Pages whose font sizes are collected to find the title: a cover and the page after.
TITLE_PAGES = 2

# Metadata titles that name the file or the tool rather than the document.
_JUNK_TITLE = re.compile(
    r"""^(
        untitled.*|sans\s+titre.*|sin\s+t[ií]tulo.*|no\s+title|title|document\d*|
        (microsoft\s+)?(word|powerpoint|excel)\s+-\s+.*|powerpoint\s+presentation|
        slide\s*\d*|presentation\d*|doc\d+|\d+|
        .*\.(docx?|pdf|indd|pptx?|xlsx?|rtf|odt|txt|qxp|ai|tmp)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_FILE_NAME_LIKE = re.compile(r"^[\w.%+-]+$")     # no spaces: "AAP_EN_final_0", "rpt-2024-v3"
_LETTERS = re.compile(r"[^\W\d_]")
_OFFICE_SUFFIX = re.compile(r"\.(docx?|pptx?|xlsx?|rtf|odt|indd)$", re.IGNORECASE)


def extract_pdf(data: bytes, *, max_pages: int | None = None) -> Extracted:
    """Text of each page (one entry per page, "" for a page without text) and metadata.

    Reads at most ``max_pages`` pages when given. Raises EncryptedDocument (needs a
    password), CorruptDocument (pypdf cannot parse it), EmptyDocument (no pages) or
    ImageOnlyDocument (no text on any page).
    """
    with warnings.catch_warnings():
        # pypdf reports recoverable damage as Python warnings; the damage that
        # matters shows up below as unreadable pages or errors.
        warnings.simplefilter("ignore")
        return _extract(data, max_pages)


def _extract(data: bytes, max_pages: int | None) -> Extracted:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _decrypt_with_empty_password(reader)
        page_count = len(reader.pages)
        info = _metadata(reader)
    except FileNotDecryptedError as exc:
        raise EncryptedDocument(f"the PDF is encrypted and cannot be read: {exc}") from exc
    except PyPdfError as exc:
        raise CorruptDocument(f"pypdf cannot parse this PDF: {exc}") from exc
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        # pypdf lets these escape on some malformed cross-reference tables and trailers.
        raise CorruptDocument(f"pypdf cannot parse this PDF ({type(exc).__name__}: {exc})") \
            from exc
    if page_count == 0:
        raise EmptyDocument("the PDF has no pages")

    warnings_: list[str] = []
    limit = page_count if max_pages is None else min(max_pages, page_count)
    if limit < page_count:
        warnings_.append(f"read only the first {limit} of {page_count} pages")
    title = info["title"]
    if " " in title:    # "Applications from overstayers.docx": a real title, saved as a file
        title = _OFFICE_SUFFIX.sub("", title)
    need_heading = _is_junk_title(title) or is_web_print_title(title)
    font_runs: list[FontRuns] = []
    pages: list[str] = []
    unreadable = 0
    for number in range(1, limit + 1):
        visitor = None
        if need_heading and number <= TITLE_PAGES:
            visitor = FontRuns()
            font_runs.append(visitor)
        try:
            raw = reader.pages[number - 1].extract_text(visitor_text=visitor) or ""
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the document
            unreadable += 1
            warnings_.append(f"page {number} unreadable: {type(exc).__name__}: {exc}")
            raw = ""
        pages.append(normalise_text(raw))

    if unreadable == limit:
        raise CorruptDocument(f"none of the {limit} pages could be read; {warnings_[-1]}")
    if not any(pages):
        raise ImageOnlyDocument(f"no text layer on any of {limit} pages; needs OCR")

    if need_heading:
        title = _title_from_pages(title, font_runs, pages)
    return Extracted(
        format="pdf",
        pages=pages,
        title=title,
        author=info["author"],
        date=info["date"],
        language=info["language"],
        page_count=page_count,
        warnings=warnings_,
    )


def _title_from_pages(metadata_title: str, font_runs: list[FontRuns], pages: list[str]) -> str:
    """The heading in the largest font, else the first substantial line; a web page's
    metadata title stays unless its own heading is part of it."""
    try:
        heading = heading_title(font_runs)
    except Exception:  # noqa: BLE001 - odd matrices or fonts must not lose the document
        heading = ""
    if not _is_junk_title(metadata_title):
        return heading if prefer_heading(metadata_title, heading) else metadata_title
    return heading or guess_title(next(page for page in pages if page))


def _decrypt_with_empty_password(reader: PdfReader) -> None:
    try:
        result = reader.decrypt("")
    except DependencyError as exc:
        raise EncryptedDocument(
            f"the PDF is encrypted with an algorithm this installation cannot open: {exc}"
        ) from exc
    if result == PasswordType.NOT_DECRYPTED:
        raise EncryptedDocument("the PDF is protected by a password; ask the publisher "
                                "for an unprotected copy")


def _metadata(reader: PdfReader) -> dict:
    meta = reader.metadata or {}
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else {}
    lang = root.get("/Lang") if hasattr(root, "get") else None
    return {
        "title": _clean_field(meta.get("/Title")),
        "author": _clean_field(meta.get("/Author")),
        "date": (parse_pdf_date(_clean_field(meta.get("/CreationDate")))
             or parse_pdf_date(_clean_field(meta.get("/ModDate")))),
        "language": _language_code(lang),
    }


def _clean_field(value: object) -> str:
    if hasattr(value, "get_object"):
        value = value.get_object()
    if value is None:
        return ""
    text = normalise_text(str(value)).replace("\n", " ")
    return text[:MAX_TITLE_CHARS]


def _language_code(value: object) -> str:
    """ "en-US" -> "en"; anything that is not a plain language tag -> ""."""
    if value is None:
        return ""
    primary = str(value).strip().split("-")[0].split("_")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


def parse_pdf_date(value: object) -> dt.date | None:
    """ "D:20231204103000+01'00'" -> 2023-12-04; None for missing or impossible dates."""
    return parse_date(value, plausible=True)


def _is_junk_title(title: str) -> bool:
    title = title.strip()
    if len(_LETTERS.findall(title)) < 3:
        return True
    if _JUNK_TITLE.match(title):
        return True
    return bool(_FILE_NAME_LIKE.match(title)) and ("_" in title or "%20" in title)


FORMAT = Format(
    "pdf", lambda data, where, max_pages: extract_pdf(data, max_pages=max_pages),
    document_type="Report", content_types=("application/pdf", "application/x-pdf"),
    suffixes=(".pdf",), recognise=lambda head: b"%pdf-" in head.lower())
