"""Text conventions shared by the indexer and the search: accent folding, Arabic
normalisation and light stemming, and language names. One definition each, so that
enrichment, indexing, queries, spelling and facets agree on what "the same word" is."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: A word, as the analyzers and the query parser read it: letters and digits, with
#: inner dots and apostrophes ("U.N.", "l'immigration"), and the Arabic vowel marks
#: inside it (not letters to ``\w``; the Arabic analyzer removes them).
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670"
WORD = rf"[\w{_ARABIC_MARKS}]+(?:[.'’][\w{_ARABIC_MARKS}]+)*"

#: Scripts, each one definition: Han (Chinese, and Japanese kanji), kana (Japanese),
#: Hangul (Korean), Cyrillic, Arabic.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
KANA = re.compile("[\u3040-\u30ff]")
HANGUL = re.compile("[\uac00-\ud7af\u1100-\u11ff]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
ARABIC = re.compile("[\u0600-\u06ff]")

#: A French elided article or pronoun before an apostrophe ("l'OIM", "d'asile",
#: "qu'il"): not part of the word, as Lucene's French elision filter reads it
#: (OpenSearch's mapping gives its elision filter this same list).
ELIDED = ("c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu")
_ARTICLES = "|".join(sorted(ELIDED, key=len, reverse=True))
_ELISION = re.compile(rf"^(?:{_ARTICLES})['’](?=\w)", re.IGNORECASE)


def unelide(word: str) -> str:
    """``word`` without a leading French elision: "l'évaluation" -> "évaluation"."""
    return _ELISION.sub("", word, count=1) if "'" in word or "’" in word else word


_POSSESSIVE = re.compile(r"(?<=\w)['’]s$", re.IGNORECASE)


def without_possessive(word: str) -> str:
    """``word`` without an English possessive: "Colombia's" -> "Colombia". English's
    stemmer drops it, the other languages' analyzers keep it, so a query word typed so
    found the name only in English documents."""
    return _POSSESSIVE.sub("", word) if "'" in word or "’" in word else word


#: Letters that are not a base letter plus accents, and what they fold to.
_LETTERS = {"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o",
            "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
            "þ": "th", "Þ": "TH", "ħ": "h", "Ħ": "H", "ı": "i"}
#: Where folding applies: Latin letters with diacritics, lone combining
#: diacritics, full-width ASCII and Latin ligatures (ﬁ). Other scripts are left as they are (Korean
#: syllables would decompose into jamo; Devanagari vowel signs would be lost).
_RANGES = ((0x00C0, 0x024F), (0x1E00, 0x1EFF), (0x0300, 0x036F), (0xFF01, 0xFF5E),
           (0xFB00, 0xFB06))


@cache
def fold_table() -> dict[int, str]:
    """The ``str.translate`` table of ``fold``."""
    table: dict[int, str] = {}
    for low, high in _RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c)
                           and (c.isalnum() or not char.isalnum()))
            if base != char:
                table[code] = base
    table.update({ord(k): v for k, v in _LETTERS.items()})
    return table


def fold(text: str) -> str:
    """Accents and ligatures removed, case kept: "Côte d’Ivoire" -> "Cote d’Ivoire",
    "Straße" -> "Strasse", "Ærø" -> "AEro", "Łódź" -> "Lodz"."""
    if text.isascii():
        return text
    return text.translate(fold_table())


def facet_key(value: str) -> str:
    """What two facet values must share to be the same value: case and accents
    ignored ("cote d'ivoire" selects "Côte d'Ivoire")."""
    return fold(value).lower()


#: ISO 639-1 code -> the name people read first, then other names a catalogue may
#: give (English, French, Spanish; accents optional). "und": not known.
LANGUAGES: dict[str, tuple[str, ...]] = {
    "en": ("English", "anglais", "inglés"),
    "fr": ("French", "français", "francés"),
    "es": ("Spanish", "espagnol", "español"),
    "ar": ("Arabic", "arabe", "árabe"),
    "ru": ("Russian", "russe", "ruso"),
    "zh": ("Chinese", "chinois", "chino"),
    "pt": ("Portuguese",),
    "de": ("German",),
    "it": ("Italian",),
    "und": ("Unknown",),
}


def language_name(code: str) -> str:
    """The name of a language code, or the code itself when it has none here."""
    names = LANGUAGES.get(code)
    return names[0] if names else code


@cache
def _codes_by_name() -> dict[str, str]:
    return {fold(name).lower(): code for code, names in LANGUAGES.items() if code != "und"
            for name in names}


def language_code(name: str) -> str | None:
    """The code of a language name in any of its spellings ("Français", "frances"), or None."""
    return _codes_by_name().get(fold(name.strip()).lower())


# -- Arabic: Lucene's normalisation and light stemmer, as OpenSearch's arabic_normalization
# and arabic stemmer filters apply them, so both engines index the same terms --------------

#: Alef with madda or hamza -> bare alef; alef maqsura -> ya; ta marbuta -> ha; the
#: short vowels, tanwin, shadda and sukun and the tatweel removed; digits of other
#: scripts (Arabic-Indic) -> ASCII, as OpenSearch's decimal_digit filter.
_ARABIC_NORMAL = {0x0622: "\u0627", 0x0623: "\u0627", 0x0625: "\u0627", 0x0649: "\u064a",
                  0x0629: "\u0647", 0x0640: None,
                  **{code: None for code in range(0x064B, 0x0653)},
                  **{0x0660 + d: str(d) for d in range(10)},
                  **{0x06F0 + d: str(d) for d in range(10)}}
#: Prefixes (at most one removed, the first that fits) and suffixes (each removed in
#: turn when it fits): Lucene's ArabicStemmer, after normalisation.
_ARABIC_PREFIXES = ("\u0627\u0644", "\u0648\u0627\u0644", "\u0628\u0627\u0644",
                    "\u0643\u0627\u0644", "\u0641\u0627\u0644", "\u0644\u0644", "\u0648")
_ARABIC_SUFFIXES = ("\u0647\u0627", "\u0627\u0646", "\u0627\u062a",
                    "\u0648\u0646", "\u064a\u0646", "\u064a\u0647", "\u064a\u0629",
                    "\u0647", "\u0629", "\u064a")


def arabic_normalise(word: str) -> str:
    """``word`` with alef forms, ya, ta marbuta and digits unified and vowel marks
    and tatweel removed (Lucene's ArabicNormalizer and decimal_digit)."""
    return word.translate(_ARABIC_NORMAL)


def arabic_stem(word: str) -> str:
    """The light stem of an Arabic ``word``: normalised, then one article or
    conjunction prefix and the common suffixes removed while two letters remain
    (Lucene's ArabicStemmer, so it equals OpenSearch's arabic stemmer)."""
    word = arabic_normalise(word)
    for prefix in _ARABIC_PREFIXES:
        if len(word) >= len(prefix) + 2 and (len(prefix) > 1 or len(word) >= 4) \
                and word.startswith(prefix):
            word = word[len(prefix):]
            break
    for suffix in _ARABIC_SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[:-len(suffix)]
    return word
