"""Language identification with langdetect, deterministic and bounded in cost."""

from __future__ import annotations

import functools
import re

from langdetect import DetectorFactory
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

#: Below this many letters a guess is worthless: ("und", 0.0).
MIN_LETTERS = 20
#: Characters read from the start of the text, and from its middle.
HEAD_CHARS = 5000
MIDDLE_CHARS = 2000

_LETTER = re.compile(r"[^\W\d_]")
_URL_OR_EMAIL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
# langdetect's codes that differ from ISO 639-1.
_CODE_MAP = {"zh-cn": "zh", "zh-tw": "zh"}


@functools.cache
def _factory() -> DetectorFactory:
    DetectorFactory.seed = 0     # langdetect samples n-grams at random; fix the draw
    init_factory()               # loads the language profiles once (~1 s)
    from langdetect.detector_factory import _factory as factory
    return factory


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code of ``text`` and langdetect's probability for it.

    Reads a sample (the start and a slice of the middle), so cost does not grow
    with length. The same text always gives the same answer. Returns ("und", 0.0)
    for text with fewer than MIN_LETTERS letters or no recognisable language.
    """
    sample = _sample(text)
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return "und", 0.0
    detector = _factory().create()     # fresh per call: no state carried between texts
    detector.append(sample)
    try:
        best = detector.get_probabilities()
    except LangDetectException:
        return "und", 0.0
    if not best:
        return "und", 0.0
    code = _CODE_MAP.get(best[0].lang, best[0].lang)
    return code, round(best[0].prob, 4)


def _sample(text: str) -> str:
    """What the detector reads: the prose of (the start and a slice of the middle of)
    ``text``. Lines of commands and code are left out (a French manual's commands are
    English-looking words, and outnumbered its prose); where another script than Latin
    holds a good share of the letters, Latin-script words are left out too (the names
    of commands in a Russian or Chinese page)."""
    text = _URL_OR_EMAIL.sub(" ", text)
    prose = "\n".join(line for line in text.splitlines() if not _is_code(line))
    if len(_LETTER.findall(prose)) >= MIN_LETTERS:
        text = prose
    if len(text) > HEAD_CHARS + MIDDLE_CHARS:
        middle = len(text) // 2
        text = text[:HEAD_CHARS] + "\n" + text[middle:middle + MIDDLE_CHARS]
    letters = _LETTER.findall(text)
    other = sum(1 for c in letters if not c.isascii() and not _LATIN.match(c))
    if letters and other >= OTHER_SCRIPT_SHARE * len(letters):
        text = _LATIN_WORD.sub(" ", text)
    return text


#: A line of commands or code: a prompt, a statement keyword, an assignment, markup,
#: braces or a comment opener at its start ...
_CODE_START = re.compile(
    r"""^\s*(?:[$#%>]\s|>>>|\.\.\.\s|PS\s?[A-Z]:|[A-Za-z]:\\|sudo\s|export\s|def\s|class\s
    |import\s|from\s\S+\s+import\s|return\b|(?:for|if|elif|while|with)\s.*:\s*$
    |[{}\[\]();]+\s*$|[\w.\[\]"']+\s*[-+*/]?=\s|</?[A-Za-z][\w-]*[\s>]|//|/\*|\*/|@\w+
    |(?:[a-z][\w.-]*\s+){0,2}--?[a-z][\w-]*)""", re.VERBOSE)
#: ... or a line where symbols, or words of identifiers (snake_case, dotted.names,
#: --options, paths), make up much of it.
_SYMBOLS = frozenset("{}[]()<>=;/\\|$#@*&%^~`_:")
_IDENTIFIER = re.compile(r"^(?:--?\w|\S*[_./:=]\S*\w)")
CODE_SYMBOL_SHARE = 0.08
CODE_IDENTIFIER_SHARE = 0.3
#: Letters of another script than Latin above this share: the Latin words are code.
OTHER_SCRIPT_SHARE = 0.25
_LATIN = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")
_LATIN_WORD = re.compile(r"\b[A-Za-z\u00c0-\u024f][\w\u00c0-\u024f.'-]*")


def _is_code(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if _CODE_START.match(stripped):
        return True
    chars = [c for c in stripped if not c.isspace()]
    if sum(c in _SYMBOLS for c in chars) > CODE_SYMBOL_SHARE * len(chars):
        return True
    words = stripped.split()
    return sum(bool(_IDENTIFIER.match(w)) for w in words) >= CODE_IDENTIFIER_SHARE * len(words)
