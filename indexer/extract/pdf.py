"""PDF files, page by page, with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from indexer.extract.base import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    Extracted,
    ImageOnlyDocument,
)
from indexer.extract.text import normalise_text

#: Longest title kept, from metadata or guessed from the first page.
MAX_TITLE_CHARS = 200

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
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_LETTERS = re.compile(r"[^\W\d_]")
_OFFICE_SUFFIX = re.compile(r"\.(docx?|pptx?|xlsx?|rtf|odt|indd)$", re.IGNORECASE)
# First-page lines that are furniture, not the title.
_NOT_A_TITLE_LINE = re.compile(
    r"^(page \d+|p\. ?\d+|(conducted|prepared|published|commissioned) by\b|"
    r"(last )?updated\b|actualizad[oa]\b|mis à jour\b|table of contents|contents$|"
    r"sommaire$|[íi]ndice$|draft$|confidential$)",
    re.IGNORECASE,
)


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
    pages: list[str] = []
    unreadable = 0
    for number in range(1, limit + 1):
        try:
            raw = reader.pages[number - 1].extract_text() or ""
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the document
            unreadable += 1
            warnings_.append(f"page {number} unreadable: {type(exc).__name__}: {exc}")
            raw = ""
        pages.append(normalise_text(raw))

    if unreadable == limit:
        raise CorruptDocument(f"none of the {limit} pages could be read; {warnings_[-1]}")
    if not any(pages):
        raise ImageOnlyDocument(f"no text layer on any of {limit} pages; needs OCR")

    title = info["title"]
    if " " in title:    # "Applications from overstayers.docx": a real title, saved as a file
        title = _OFFICE_SUFFIX.sub("", title)
    if _is_junk_title(title):
        title = guess_title(next(page for page in pages if page))
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
    if value is None:
        return None
    match = _PDF_DATE.match(str(value).strip())
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if 1900 <= date.year <= dt.date.today().year + 1 else None


def _is_junk_title(title: str) -> bool:
    title = title.strip()
    if len(_LETTERS.findall(title)) < 3:
        return True
    if _JUNK_TITLE.match(title):
        return True
    return bool(_FILE_NAME_LIKE.match(title)) and ("_" in title or "%20" in title)


def guess_title(first_page: str) -> str:
    """The first substantial line of a page, with up to two lines that continue it.

    "Substantial" means at least two words and eight letters, so page numbers,
    running headers such as "IOM" and dates are skipped; a blank line, a change
    between capitals and mixed case, or a sentence (a full stop) ends the title.
    """
    lines = [line.strip() for line in first_page.split("\n")]
    for index, line in enumerate(lines):
        if (len(line.split()) < 2 or len(_LETTERS.findall(line)) < 8
                or _NOT_A_TITLE_LINE.match(line)):
            continue
        parts = [line]
        for following in lines[index + 1:index + 3]:
            joined = " ".join(parts)
            if (not following or joined.endswith((".", ";")) or following.endswith(".")
                    or not following[0].isalpha()
                    or len(joined) + len(following) > 160
                    or line.isupper() != following.isupper()):
                break
            parts.append(following)
        return " ".join(parts)[:MAX_TITLE_CHARS]
    return ""
