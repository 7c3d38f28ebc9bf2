"""Language identification with langdetect, by paragraph, deterministic and bounded in
cost.

``detect`` reads the prose of a text (code, commands, tables of numbers, URLs and
boilerplate left out), asks langdetect the language of each paragraph and lets the
paragraphs vote, weighed by their letters: the winner is the document's language, its
share of the vote the confidence, and every language with a good share is one the
document contains. Han, kana and Hangul decide Chinese, Japanese and Korean by script
(langdetect takes Chinese titles for Korean). ``title_languages`` reads the languages a
title's tag says its document is published in ("[EN/FR]", as ReliefWeb writes it).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from langdetect import DetectorFactory
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

from searchhub.stopwords import stopword_counts
from searchhub.text import HAN, HANGUL, KANA

#: Below this many letters a guess is worthless: ("und", 0.0). A Han, kana or Hangul
#: character counts CJK_LETTER_WEIGHT letters (one stands for a word or a syllable).
MIN_LETTERS = 20
CJK_LETTER_WEIGHT = 4
#: Characters read from the start of the text, and from its middle.
HEAD_CHARS = 5000
MIDDLE_CHARS = 2000
#: Stop words of its declared language a paragraph must hold to count for it unasked.
DECLARED_STOPWORDS = 5
#: A text longer than this is read line by line near its start and its middle only.
LONG_TEXT = 4 * (HEAD_CHARS + MIDDLE_CHARS)
#: Paragraphs with fewer letters join the next one before the vote (a heading alone
#: says little); at most MAX_PARAGRAPHS are asked, the shortest merged first.
PARAGRAPH_LETTERS = 80
MAX_PARAGRAPHS = 16
#: A language with this share of the vote (and MIN_OTHER_LETTERS letters) is one the
#: document contains.
OTHER_SHARE = 0.15
MIN_OTHER_LETTERS = 100

_LETTER = re.compile(r"[^\W\d_]")
_URL_OR_EMAIL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\[([^\]]*)\]\([^)]*\)")
# langdetect's codes that differ from ISO 639-1.
_CODE_MAP = {"zh-cn": "zh", "zh-tw": "zh"}


@dataclass(frozen=True)
class Detection:
    """A text's language (ISO 639-1, "und" when unknown), the confidence in it (0 to 1:
    the share of the prose's letters voting for it, times langdetect's probability) and
    the languages it contains, the main one first."""

    language: str
    confidence: float
    languages: tuple[str, ...]
    #: The letters of prose that voted (CJK characters weighed), and each language's
    #: share of the vote, in the order of ``languages``.
    letters: int = field(default=0, compare=False)
    shares: tuple[float, ...] = field(default=(), compare=False)


UNDETERMINED = Detection("und", 0.0, ())
#: A page's declared language (``<html lang>``) wins over the vote when it is among the
#: languages the vote found and the winner has less than this share ...
DECLARED_PRIOR = 0.75
#: ... or when fewer letters of prose voted than this (a page of navigation and a line:
#: langdetect took "Serveur HTTP Apache Version 2.4" for German).
SHORT_PROSE = 150


def with_declared(found: Detection, declared: str) -> Detection:
    """``found`` with a page's ``declared`` language (its ``<html lang>``, "" when none)
    as the main one where the vote cannot tell against it: the page holds it and the
    vote is split (a French title page quoting English titles at length), or there is
    too little prose to vote. A clear vote stands: a template that says "en" over
    French prose with English commands does not make the page English."""
    declared = declared[:2].lower()
    if (found.language in ("und", declared) or not declared.isalpha()
            or declared not in _iso_639_1()):
        return found
    shares = dict(zip(found.languages, found.shares, strict=False))
    if declared in found.languages and found.confidence < DECLARED_PRIOR:
        languages = (declared, *(lang for lang in found.languages if lang != declared))
    elif found.letters < SHORT_PROSE:
        languages = (declared,)
    else:
        return found
    return Detection(declared, shares.get(declared, 0.0), languages, found.letters,
                     tuple(shares.get(lang, 0.0) for lang in languages))


@functools.cache
def _factory() -> DetectorFactory:
    DetectorFactory.seed = 0     # langdetect samples n-grams at random; fix the draw
    init_factory()               # loads the language profiles once (~1 s)
    from langdetect.detector_factory import _factory as factory
    return factory


def other_languages(text: str, declared: str) -> tuple[str, ...]:
    """The languages besides ``declared`` that ``text`` holds, by the vote of ``detect``;
    a paragraph whose stop words plainly show the declared language counts for it
    without asking langdetect, so a document in the language it declares costs little
    (a ReliefWeb report: 31 ms -> 14 ms)."""
    def classify(paragraph: str) -> tuple[str, float]:
        if _plainly_in(paragraph, declared):
            return declared, 1.0
        return classify_paragraph(paragraph)
    found = vote(prose_paragraphs(text), classify)
    return tuple(lang for lang in found.languages if lang != declared)


def _plainly_in(paragraph: str, language: str) -> bool:
    """Whether ``paragraph`` holds DECLARED_STOPWORDS stop words of ``language`` and at
    least twice as many as of any other language with a list (French and Spanish share
    "de", "la", "en", "que"). False for a language without a list."""
    counts = stopword_counts(paragraph)
    own = counts.pop(language, 0)
    return own >= DECLARED_STOPWORDS and all(own >= 2 * n for n in counts.values())


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code of ``text`` and the confidence in it (see ``detect``)."""
    found = detect(text)
    return found.language, found.confidence


def detect(text: str) -> Detection:
    """The language of ``text`` by a vote of its paragraphs.

    Reads a sample (the prose near the start and the middle): past LONG_TEXT only
    those lines are read one by one, so a long text costs little more than a short
    one (1 MB: 0.15 s; 3 MB: 0.3 s). The same text always gives the same answer.
    UNDETERMINED for text with fewer than MIN_LETTERS letters of prose or no
    recognisable language.
    """
    return vote(prose_paragraphs(text))


def prose_paragraphs(text: str) -> list[str]:
    """The paragraphs of prose of (a bounded sample of) ``text`` that vote."""
    return _paragraphs(_sample(text))


def vote(paragraphs: list[str],
         classify: Callable[[str], tuple[str, float]] | None = None) -> Detection:
    """The languages of ``paragraphs``, each asked of ``classify`` (text -> (ISO 639-1
    code or "und", probability); langdetect by default), weighed by its letters."""
    classify = classify or classify_paragraph
    votes: Counter[str] = Counter()
    letters: Counter[str] = Counter()
    total = 0
    for paragraph in paragraphs:
        weight = _letter_weight(paragraph)
        total += weight
        language, probability = classify(paragraph)
        if language != "und":
            votes[language] += weight * probability
            letters[language] += weight
    if total < MIN_LETTERS or not votes:
        return UNDETERMINED
    ranked = sorted(votes, key=lambda lang: (-votes[lang], lang))
    main = ranked[0]
    others = [lang for lang in ranked[1:] if votes[lang] >= OTHER_SHARE * total
              and letters[lang] >= MIN_OTHER_LETTERS]
    languages = (main, *others)
    return Detection(main, round(votes[main] / total, 4), languages, total,
                     tuple(round(votes[lang] / total, 4) for lang in languages))


def classify_paragraph(paragraph: str) -> tuple[str, float]:
    """(language, probability) of one paragraph; CJK scripts decide by themselves."""
    han, kana, hangul = (len(p.findall(paragraph)) for p in (HAN, KANA, HANGUL))
    cjk = han + kana + hangul
    if cjk * CJK_LETTER_WEIGHT >= 0.5 * _letter_weight(paragraph):
        if hangul > kana and hangul >= 0.3 * cjk:
            return "ko", 1.0
        return ("ja", 1.0) if kana >= 0.1 * cjk else ("zh", 1.0)
    detector = _factory().create()     # fresh per call: no state carried between texts
    detector.append(paragraph)
    try:
        best = detector.get_probabilities()
    except LangDetectException:
        return "und", 0.0
    if not best:
        return "und", 0.0
    return _CODE_MAP.get(best[0].lang, best[0].lang), best[0].prob


#: A title's tag of the languages its document is published in ("[EN/FR]", "(EN/AR/FR)"),
#: as ReliefWeb and UN bodies write it: two codes or more, separated by slashes.
_TITLE_TAG = re.compile(r"[\[(]\s*([A-Za-z]{2}(?:\s*/\s*[A-Za-z]{2})+)\s*[\])]")
#: The codes such tags use besides ISO 639-1's: "SP" Spanish, "CH" Chinese.
_TAG_CODES = {"sp": "es", "ch": "zh"}


def title_languages(title: str) -> tuple[str, ...]:
    """The languages a title's tag says its document is published in ("[EN/AR]",
    "[EN/AR/CH/FR/SP]"): a tag of ISO 639-1 codes that names English among them, as
    every tag of the real ReliefWeb reports does; "(NE/NG)" (Niger, Nigeria) and
    "[CH/FR]" are no tag. Empty when the title names none. (A title in two languages
    either side of " / " is not read: langdetect takes short English halves for Italian.)"""
    out: list[str] = []
    for match in _TITLE_TAG.finditer(title):
        codes = [_TAG_CODES.get(code, code)
                 for code in re.split(r"\s*/\s*", match.group(1).lower())]
        if "en" in codes and all(code in _iso_639_1() for code in codes):
            out += codes
    return tuple(dict.fromkeys(out))


@functools.cache
def _iso_639_1() -> frozenset[str]:
    from babel import Locale

    return frozenset(code for code in Locale("en").languages if len(code) == 2)


def _letter_weight(text: str) -> int:
    letters = len(_LETTER.findall(text))
    cjk = sum(len(p.findall(text)) for p in (HAN, KANA, HANGUL))
    return letters + (CJK_LETTER_WEIGHT - 1) * cjk


def _sample(text: str) -> str:
    """What the detector reads: the prose of (the start and a slice of the middle of)
    ``text``. URLs, e-mail addresses, fenced code blocks, inline code, lines of
    commands and code, tables of numbers and boilerplate are left out (a French
    manual's commands are English-looking words, and outnumbered its prose)."""
    text = _URL_OR_EMAIL.sub(lambda m: m.group(1) or " ", text)
    lines = text.splitlines()
    repeated = _repeated_lines(lines)
    in_block = _code_block_lines(lines)
    if len(text) > LONG_TEXT:
        # Only the lines near the start and the middle are read line by line (the cost
        # stays bounded): the prose of each, as below.
        head = _prose(lines, 0, HEAD_CHARS, in_block, repeated)
        middle = _prose(lines, len(text) // 2, MIDDLE_CHARS, in_block, repeated)
        if _letter_weight(head + middle) >= MIN_LETTERS:
            return head + "\n\n" + middle
        return text[:HEAD_CHARS] + "\n\n" + text[len(text) // 2:][:MIDDLE_CHARS]
    prose = _prose(lines, 0, len(text), in_block, repeated)
    if _letter_weight(prose) >= MIN_LETTERS:
        text = prose
    if len(text) > HEAD_CHARS + MIDDLE_CHARS:
        middle = len(text) // 2
        text = text[:HEAD_CHARS] + "\n\n" + text[middle:middle + MIDDLE_CHARS]
    return text


def _prose(lines: list[str], start: int, chars: int, in_block: set[int],
           repeated: set[str]) -> str:
    """The prose of ``lines`` (joined by newlines) from character ``start`` on, at most
    ``chars`` characters of it: a line of code, a table row, a line repeated as
    boilerplate or inside a fenced block becomes an empty line."""
    first, at = 0, 0
    while first < len(lines) and at + len(lines[first]) + 1 <= start:
        at += len(lines[first]) + 1
        first += 1
    kept: list[str] = []
    size = 0
    for i in range(first, len(lines)):
        line = lines[i][start - at if i == first else 0:][:chars]
        line = _without_inline_code(line)
        if i in in_block or _is_code(line) or _is_not_prose(line) \
                or line.strip() in repeated:
            line = ""
        kept.append(line)
        size += len(line) + 1
        if size >= chars:
            break
    return "\n".join(kept)[:chars]


def _paragraphs(text: str) -> list[str]:
    """The paragraphs that vote: blocks between blank lines, a short one joined to the
    next, and the shortest neighbours merged until at most MAX_PARAGRAPHS remain; in a
    paragraph mostly of another script than Latin, Latin-script words are left out
    (the names of commands in a Russian or Chinese page)."""
    merged: list[str] = []
    pending = ""
    for block in re.split(r"\n\s*\n", text):
        block = (pending + "\n" + block).strip() if pending else block.strip()
        if _letter_weight(block) < PARAGRAPH_LETTERS:
            pending = block
        else:
            merged.append(block)
            pending = ""
    if pending:
        if merged and _letter_weight(pending) < MIN_LETTERS:
            merged[-1] += "\n" + pending
        else:
            merged.append(pending)
    weights = [_letter_weight(p) for p in merged]
    while len(merged) > MAX_PARAGRAPHS:
        sizes = [a + b for a, b in pairwise(weights)]
        i = sizes.index(min(sizes))
        merged[i:i + 2] = [merged[i] + "\n" + merged[i + 1]]
        weights[i:i + 2] = [sizes[i]]
    return [_without_latin_words(p) for p in merged]


def _without_latin_words(paragraph: str) -> str:
    """``paragraph`` without its Latin-script words where another script holds a good
    share of its letters: there they are names of commands or programs."""
    letters = _LETTER.findall(paragraph)
    other = sum(1 for c in letters if not c.isascii() and not _LATIN.match(c))
    if letters and other >= OTHER_SCRIPT_SHARE * len(letters):
        return _LATIN_WORD.sub(" ", paragraph)
    return paragraph


#: A line of commands or code: a prompt, a statement keyword, an assignment, markup,
#: braces or a comment opener at its start ...
_CODE_START = re.compile(
    r"""^\s*(?:[$#%>]\s|>>>|\.\.\.\s|PS\s?[A-Z]:|[A-Za-z]:\\|sudo\s|export\s|def\s|class\s
    |import\s|from\s\S+\s+import\s|return\b|(?:for|if|elif|while|with)\s.*:\s*$
    |[{}\[\]();]+\s*$|[\w.\[\]"']+\s*[-+*/]?=\s|</?[A-Za-z][\w-]*[\s>]|//|/\*|\*/|@\w+
    |(?:[a-z][\w.-]*\s+){0,2}--?[a-z][\w-]*
    # declarations: const x = ..., function f(, interface Props {, fn main() ...
    |(?:const|let|var|val)\s+(?:[\w$]+|[\[{][^=]*[\]}])\s*[:=]
    |(?:async\s+)?function\s*\*?\s*[\w$]*\s*[(<]
    |(?:interface|type|struct|enum|trait)\s+[\w$]+(?:<[^>]*>)?\s*(?:[{=]|extends\b)
    |(?:pub\s+)?fn\s+\w+\s*[(<]
    # a typed name or an object's property: name?: Type, key: 'value', count: 3,
    |[\w$]+\??:\s*(?:['"`\[{(\d-]|true\b|false\b|null\b|[\w$.<>\[\]|]+\s*[,;]?\s*$)
    # a string literal or a name alone, as in a list of arguments: 'Some Name', or name,
    |(['"`])[^'"`]*\1\s*[,;:)\]]*\s*$|[\w$.]+\s*[,;]\s*$
    # a line left open for the next: f(, {, [, =>
    |.*(?:[({\[]|=>)\s*$)""", re.VERBOSE)
#: ... or a line where symbols, or words of identifiers (snake_case, camelCase,
#: dotted.names, --options, paths), make up much of it.
_SYMBOLS = frozenset("{}[]()<>=;/\\|$#@*&%^~`_:")
_IDENTIFIER = re.compile(r"^\W*(?:--?\w|\S*[_./:=]\S*\w|[a-z]+[A-Z]|[A-Z]+[a-z]+[A-Z])")
CODE_SYMBOL_SHARE = 0.08
CODE_IDENTIFIER_SHARE = 0.3
#: Letters of another script than Latin above this share: the Latin words are code.
OTHER_SCRIPT_SHARE = 0.25
_LATIN = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")
_LATIN_WORD = re.compile(r"\b[A-Za-z\u00c0-\u024f][\w\u00c0-\u024f.'-]*")
#: A row of a table of numbers: digits make up this share of its characters or more.
NUMBER_SHARE = 0.3
#: Boilerplate: lines that say nothing of the document's language (notices, page
#: furniture), and any short line seen three times or more (running headers and
#: footers).
_BOILERPLATE = re.compile(
    r"©|\(c\)\s*\d{4}|all rights reserved|copyright|cookies?\b|privacy policy"
    r"|terms of (?:use|service)|skip to (?:main )?content|^page \d+(?: of \d+)?$"
    r"|^\d+\s*/\s*\d+$", re.IGNORECASE)
REPEATED_LINE = 3


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
    # Chinese and Japanese write no spaces: a line is one "word" beside a name, unless
    # its characters count (two of them for a word)
    count = len(words) + sum(len(p.findall(stripped)) for p in (HAN, KANA)) // 2
    return sum(bool(_IDENTIFIER.match(w)) for w in words) >= CODE_IDENTIFIER_SHARE * count


#: Inline code (`name`, ``name``, reST's :role:`name`) and emphasis marks (*word*,
#: **word**): the code is a name, not a word of the language, and its marks made a
#: line of prose look like code.
_INLINE_CODE = re.compile(r"(?::[\w:.-]+:)?(`+)[^`\n]+?\1")
_EMPHASIS = re.compile(r"(\*{1,2})(?=\S)([^*\n]+?)(?<=\S)\1")


def _without_inline_code(line: str) -> str:
    return _EMPHASIS.sub(r"\2", _INLINE_CODE.sub(" ", line))


#: Fences of code blocks in a text that kept its markup: Markdown's ``` and ~~~, and
#: AsciiDoc's ---- and .... after a block attribute such as [source,console] (a line
#: of dashes alone is as often a rule or a heading's underline).
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_ASCIIDOC_BLOCK = re.compile(r"^\[(?:source|listing|literal)\b[^\]]*\]$")
_ASCIIDOC_FENCE = re.compile(r"^(?:-{4,}|\.{4,})$")


def _code_block_lines(lines: list[str]) -> set[int]:
    """Indices of the lines of fenced code blocks, fences included (a Markdown block
    left open runs to the end, as Markdown reads it)."""
    inside: set[int] = set()
    fence = ""
    previous = ""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if fence:
            inside.add(i)
            if stripped == fence or (fence[0] in "`~" and len(stripped) >= len(fence)
                                     and set(stripped) == {fence[0]}):
                fence = ""
        elif opening := _FENCE.match(stripped):
            fence = opening.group(1)
            inside.add(i)
        elif _ASCIIDOC_FENCE.match(stripped) and _ASCIIDOC_BLOCK.match(previous):
            fence = stripped
            inside.add(i)
        previous = stripped or previous
    return inside


def _is_not_prose(line: str) -> bool:
    """A row of a table of numbers, or a line of boilerplate."""
    stripped = line.strip()
    if not stripped:
        return False
    chars = [c for c in stripped if not c.isspace()]
    if sum(c.isdigit() for c in chars) >= NUMBER_SHARE * len(chars):
        return True
    return len(stripped) < 200 and bool(_BOILERPLATE.search(stripped))


def _repeated_lines(lines: list[str]) -> set[str]:
    counts = Counter(s for s in (line.strip() for line in lines) if 3 < len(s) <= 100)
    return {s for s, n in counts.items() if n >= REPEATED_LINE}
