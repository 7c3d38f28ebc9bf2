"""Bytes of a page or text file to str, the way a browser settles it, made sturdier:
a byte order mark; else UTF-8 when the bytes are valid UTF-8 (a legacy page is almost
never valid UTF-8 by accident, while a UTF-8 page that still declares its old charset
is common after a site moves to a new system); else the charsets declared, in order
(the HTTP header's, then the page's own ``<meta charset>``); else a guess from the bytes
(charset-normalizer: Windows-1251, GBK, Windows-1256... of pages declaring nothing);
else UTF-8 with replacement characters.

``as_utf8`` applies the HTTP header's charset before a format's extractor runs: the
bytes come back as UTF-8 behind a BOM, which every text extractor here reads first.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

#: The bytes a guess reads (a page's start says enough, and a guess costs more per byte
#: than anything else here).
GUESS_BYTES = 65536
#: Labels of Latin-1 that are, in practice, Windows-1252 (as browsers assume).
_LATIN1 = frozenset({"latin-1", "iso8859-1", "ascii"})
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)
#: An XML declaration ("<?xml version="1.0" encoding="UTF-8"?>", before the XHTML that
#: DocBook and many older sites publish): lxml refuses a str that declares an encoding.
XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def charset_of(content_type: str | None) -> str:
    """The ``charset`` parameter of a Content-Type header, or ""."""
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return ""


def decode(data: bytes, declared: Iterable[str] = ()) -> str:
    """``data`` as text (see the module); ``declared``: charset labels, first first."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for label in declared:
        encoding = _codec(label)
        if encoding in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
            continue                 # declared UTF-8, but the bytes say otherwise
        if encoding:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    guessed = _guess(data)
    if guessed:
        return data.decode(guessed, errors="replace")
    return data.decode("utf-8", errors="replace")


def decode_markup(data: bytes, content_type: str | None = None) -> str:
    """An HTML page as text: ``decode`` with the charsets its Content-Type header, its
    XML declaration and its own meta tag declare, in that order."""
    declared = [charset_of(content_type)]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(data[:4096])
        if match:
            declared.append(match.group(1).decode("ascii"))
    return decode(data, [label for label in declared if label])


def as_utf8(data: bytes, content_type: str | None) -> bytes:
    """``data`` re-encoded as UTF-8 behind a BOM when its Content-Type declares a
    charset (the header wins over what the page itself says, as in browsers, unless
    the bytes are valid UTF-8); ``data`` as it is otherwise."""
    charset = charset_of(content_type)
    if not charset or data.startswith(tuple(bom for bom, _ in _BOMS)):
        return data
    return codecs.BOM_UTF8 + decode(data, [charset]).encode("utf-8")


def _codec(label: str) -> str:
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return ""
    return "cp1252" if name in _LATIN1 else name


def _guess(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:GUESS_BYTES]).best()
    return _codec(best.encoding) if best is not None else ""
