"""Automatic quality signals that point curators at documents worth a look."""

from __future__ import annotations

import datetime as dt
import re

#: Fewer words than this in the whole document: "little-text".
LITTLE_TEXT_WORDS = 100
#: Below this language-detection probability: "low-language-confidence".
MIN_LANGUAGE_CONFIDENCE = 0.80
#: "garbled-text" when, over a sample of GARBLED_SAMPLE_CHARS characters, any of:
#: - replacement (U+FFFD) and private-use characters exceed this share of characters
#:   (a PDF font without a usable encoding map gives runs of them);
GARBLED_BAD_CHAR_SHARE = 0.01
#: - symbols and punctuation (not letters, digits or spaces) exceed this share
#:   (ordinary prose has 3-6 %, tables of figures stay under 20 %);
GARBLED_SYMBOL_SHARE = 0.30
#: - one- and two-letter words exceed this share of words: letter-spaced text such as
#:   "p ro t o c o l" (English prose has ~25 %, French and Spanish ~35 %).
GARBLED_SHORT_WORD_SHARE = 0.55
#: ...but only with at least this many words to judge from.
GARBLED_MIN_WORDS = 50
#: Share of one-letter words on a page above which it is letter-spaced: prose has
#: 2-10% (a, y, à, I); the UNHCR booklet's letter-spaced cover has 54%.
LETTER_SPACED_SHARE = 0.40
GARBLED_SAMPLE_CHARS = 50_000

QUALITY_CODES = ("no-text", "little-text", "garbled-text", "low-language-confidence",
                 "no-title", "no-date")

_LETTER_WORD = re.compile(r"[^\W\d_]+")
_BAD_CHARS = re.compile(r"[\ufffd\ue000-\uf8ff]")
_SYMBOL = re.compile(r"[^\w\s]")
_LEADERS = re.compile(r"(?:[.…·_\-]\s?){4,}")      # dot leaders of tables of contents


def quality_signals(title: str, pages: list[str], language_confidence: float,
                    date: dt.date | None) -> list[str]:
    """The QUALITY_CODES that apply to a document, in that order."""
    text = "\n\n".join(pages)
    signals = []
    words = len(text.split())
    if words == 0:
        signals.append("no-text")
    elif words < LITTLE_TEXT_WORDS:
        signals.append("little-text")
    if words and (is_garbled(text) or any(is_letter_spaced(page) for page in pages)):
        signals.append("garbled-text")
    if language_confidence < MIN_LANGUAGE_CONFIDENCE:
        signals.append("low-language-confidence")
    if not title.strip():
        signals.append("no-title")
    if date is None:
        signals.append("no-date")
    return signals


def is_letter_spaced(page: str) -> bool:
    """Whether a page's text came out letter by letter ("p r o t o c o l"), as display
    type often does: its words cannot be found. Judged per page, because one such
    page (a cover) is lost in a long document's averages."""
    words = _LETTER_WORD.findall(page)
    if len(words) < GARBLED_MIN_WORDS:
        return False
    single = sum(1 for word in words if len(word) == 1)
    return single / len(words) > LETTER_SPACED_SHARE


def is_garbled(text: str) -> bool:
    """Whether text looks like a broken text layer rather than language (see constants)."""
    sample = text[:GARBLED_SAMPLE_CHARS]
    chars = len("".join(sample.split()))
    if chars == 0:
        return False
    if len(_BAD_CHARS.findall(sample)) / chars > GARBLED_BAD_CHAR_SHARE:
        return True
    words = _LETTER_WORD.findall(sample)
    if len(words) < GARBLED_MIN_WORDS:
        return False
    symbols = len(_SYMBOL.findall(_LEADERS.sub("", sample)))
    if symbols / chars > GARBLED_SYMBOL_SHARE:
        return True
    short = sum(1 for word in words if len(word) <= 2)
    return short / len(words) > GARBLED_SHORT_WORD_SHARE
