"""The outgoing links of a document, for the interlinkages of partner platforms:
``<a>``/``<area>`` links of an HTML page and the link annotations of a PDF (pypdf).
Absolute http(s) URLs without fragments, each once, in document order; a document
that cannot be read for links has none (its extraction reports what is wrong)."""

from __future__ import annotations

import io
from urllib.parse import urldefrag, urljoin

from indexer.discover.urls import document_base, parse_html

#: At most this many links are kept per document.
MAX_LINKS = 500


def outlinks(data: bytes, fmt: str, base: str, content_type: str | None = None) -> list[str]:
    """The links of a document of format ``fmt`` (pdf, html; others have none), read
    relative to ``base``; ``content_type``: the header it came with (its charset)."""
    if fmt == "html":
        hrefs, base = _html_hrefs(data, base, content_type)
    elif fmt == "pdf":
        hrefs = _pdf_uris(data)
    else:
        return []
    links, seen = [], set()
    for href in hrefs:
        href = (href or "").strip()
        if not href or href.startswith(("mailto:", "javascript:", "tel:", "#")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        if url.startswith(("http://", "https://")) and url not in seen:
            seen.add(url)
            links.append(url)
            if len(links) >= MAX_LINKS:
                break
    return links


def _html_hrefs(data: bytes, base: str, content_type: str | None) -> tuple[list[str], str]:
    """A page's link targets, and the base they are read against (its ``<base href>``)."""
    root = parse_html(data, base, content_type)
    if root is None:
        return [], base
    return [el.get("href") for el in root.iter("a", "area")], document_base(root, base)


def _pdf_uris(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    uris = []
    try:
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action is not None and action.get_object().get("/URI"):
                    uris.append(str(action.get_object()["/URI"]))
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError):
        return uris
    return uris
