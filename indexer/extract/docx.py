"""Word .docx files (python-docx): the paragraphs and table cells as one page, the
title, author and date of the file's core properties.

Registered in ``extract.FORMATS``: a crawled link to a .docx, a folder's .docx and a
member's upload (``searchhub.uploads``) are read alike, as format "docx". Told by its
content type or suffix: its bytes are a zip, recognised only whole (``recognise``), not
from the first kilobyte the registry sniffs.
"""

from __future__ import annotations

import io
import zipfile

from indexer.extract.base import CorruptDocument, EmptyDocument, Extracted, Format

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def recognise(data: bytes) -> bool:
    """A zip archive holding ``word/document.xml`` (the first bytes alone say "zip")."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def extract_docx(data: bytes, where: str, max_pages: int | None = None) -> Extracted:
    """The text of a .docx. Raises CorruptDocument or EmptyDocument."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocument(f"{where} is not a readable Word file: {exc}") from None
    paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                paragraphs.append(" | ".join(cells))
    if not paragraphs:
        raise EmptyDocument(f"{where} holds no text")
    core = document.core_properties
    title = (core.title or "").strip() or next(
        (p.text.strip() for p in document.paragraphs
         if p.text.strip() and p.style is not None and p.style.name.startswith(("Title",
                                                                                 "Heading"))),
        "")
    created = core.created.date() if core.created else None
    return Extracted("docx", ["\n\n".join(paragraphs)], title=title,
                     author=(core.author or "").strip(), date=created,
                     language=(core.language or "").strip(), page_count=1)


FORMAT = Format("docx", extract_docx, "Report", (CONTENT_TYPE,), (".docx",), None)
