"""Plain-text files, and the text clean-up every extractor shares."""

from __future__ import annotations

import re
import unicodedata

from indexer.extract.base import EmptyDocument, Extracted, Format
from indexer.extract.encoding import decode

#: Longest title taken from the first line of a text file.
MAX_TITLE_CHARS = 200

_SPACES = re.compile(r"[^\S\n]+")               # whitespace other than newlines
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# A word broken at a line end: "migra-\ntion". Only joined when the next line
# starts in lower case, so "Franco-\nGerman" and list dashes stay as they are.
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])[-\u00ad]\n(?=[^\W\d_])")
# C0/C1 control characters except tab and newline, plus invisible format
# characters that break words in the index (soft hyphen, zero-width, BOM).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")


# Markdown emphasis, as catalogue exports carry it (ReliefWeb's bodies, and titles
# with the body's first heading glued on: "... (2 October 2017) **Overview**"): the
# markers, never the words. Bold first; an italic's stars must hug its words and
# stand outside words, so "5*3", "Libya* and Niger*" and a lone "*" stay.
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")


def without_emphasis(text: str) -> str:
    """``text`` without Markdown's bold and italic markers (``**x**``, ``*x*``; not
    ``__x__``, which names code more often than it bolds), and without a bold marker
    left unpaired."""
    text = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))
    return text.replace("**", "")


def normalise_text(text: str) -> str:
    """Clean extracted text: NFC, no control characters, single spaces, joined hyphenation.

    Paragraph breaks survive as at most one blank line; lines are trimmed.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _HYPHEN_BREAK.sub(_join_if_lower, text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def _join_if_lower(match: re.Match[str]) -> str:
    following = match.string[match.end()]
    return "" if following.islower() else match.group(0)


def extract_text(data: bytes) -> Extracted:
    """A text file (decoded by ``encoding.decode``) as one page; the title is its first
    non-empty line.

    Raises EmptyDocument when the file holds no text.
    """
    text = normalise_text(decode(data))
    if not text:
        raise EmptyDocument("the text file is empty or holds only whitespace")
    first_line = next(line for line in text.split("\n") if line.strip())
    return Extracted(
        format="text",
        pages=[text],
        title=first_line.strip()[:MAX_TITLE_CHARS],
        page_count=1,
    )


FORMAT = Format("text", lambda data, where, max_pages: extract_text(data),
                document_type="Text", content_types=("text/plain",), suffixes=(".txt",),
                textual=True)
