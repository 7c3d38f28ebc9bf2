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
    text = _URL_OR_EMAIL.sub(" ", text)
    if len(text) <= HEAD_CHARS + MIDDLE_CHARS:
        return text
    middle = len(text) // 2
    return text[:HEAD_CHARS] + "\n" + text[middle:middle + MIDDLE_CHARS]
