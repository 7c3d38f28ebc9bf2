"""A PDF's title from its first page: the text set in the largest font, else a line heuristic.

``FontRuns`` is handed to pypdf's ``page.extract_text(visitor_text=...)`` while the page
is extracted anyway, so it costs one callback per text run. pypdf reports every run
with the font size and the text and transformation matrices in force; the runs
concatenated are exactly the page text, so each output line is known with the size
its letters were set in. ``heading_title`` then does what title extractors such as
pdftitle or CrossRef's pdf-extract do: take the lines in the largest font (within
10 %), join those that follow each other down the page, and skip what is large but
is not a title: running headers and mastheads ("United Nations / General Assembly",
"DIARIO OFICIAL"), dates, document symbols ("A/RES/73/8"), author and contact lines,
page numbers and section headings. A short label in capitals ("EVALUATION BRIEF"), a
single word or one ending in a colon is completed with the emphasised line just below
it (or above it: "INDEPENDENT COUNTRY PROGRAMME EVALUATION" over "LIBERIA"). When no
line stands out from the body text by 15 % or more, it returns "" and the caller falls
back to ``guess_title``, the line heuristic, which shares the same list of furniture.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from indexer.extract.text import normalise_text

#: Longest title kept, from metadata or guessed from the first page.
MAX_TITLE_CHARS = 200

#: A line stands out as a heading when its font is this much larger than the body text.
BIG_FONT_RATIO = 1.15
#: Lines within this ratio of the largest font belong to the same title level.
SAME_LEVEL_RATIO = 0.9
#: Lines of one title follow each other within this many font sizes (baseline to baseline).
MAX_LINE_GAP = 2.6
#: A short label is completed with a line at most this many of its font sizes away.
MAX_SUBTITLE_GAP = 2.0
#: A first page with fewer letters than this is a cover; its title may be on page 2.
COVER_LETTERS = 200

_LETTERS = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_SPACES = re.compile(r"\s+")

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|"
    "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
    "septiembre|setiembre|octubre|noviembre|diciembre|januar|februar|märz|juni|juli|"
    "oktober|dezember"
)
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|"
    "jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|miercoles|jueves|viernes|"
    "sábado|sabado|domingo"
)
_CALENDAR = frozenset(_MONTHS.split("|") + _WEEKDAYS.split("|"))
_DATE_WORDS = _CALENDAR | frozenset("de del of the on le el du am den st nd rd th er o º".split())
_NUMERIC_DATE = re.compile(r"^\W*\d{1,4}(?:[./-]\d{1,2}){1,2}(?:[./-]\d{2,4})?\W*$")

# Lines that are furniture wherever they appear: labels, running heads, mastheads.
_FURNITURE = re.compile(
    r"""^(?:
        page\s*\d+(?:\s*(?:of|de|sur)\s*\d+)? | p\.\s?\d+ | \d+\s+(?:of|de|sur)\s+\d+\s*$ |
        (?:conducted|prepared|published|commissioned|submitted|written|edited|compiled|
           managed|produced)\s+(?:by|for)\b |
        (?:elaborado|preparado|realizado|publicado|pr[ée]par[ée]|r[ée]alis[ée]|publi[ée]|
           command[ée]|g[ée]r[ée])\s+(?:por|par)\b |
        (?:authors?|autor(?:es|as?)?|auteurs?|evaluators?|evaluator\(s\)|[ée]valuateur(?:s|\(s\))?|
           evaluador(?:es|as?)?|editors?|contacts?|tel|t[ée]l[ée]phone|phone|e-?mail|courriel|
           correo|by|por|par)\s*:.* |
        (?:last\s+)?updated\b | actualizad[oa]\b | mis\s+[àa]\s+jour\b |
        template(?:\s+version)?\b | version\s*:?\s*\d[\d.]*\s*$ |
        distr\b | original\s*:\s*\w+\s*$ | agenda\s+items?\b | [\w-]+\s+session\s*$ |
        resolution\s+adopted\s+by\s+the\s+general\s+assembly\b |
        r[ée]solution\s+adopt[ée]e\s+par\b | resoluci[óo]n\s+aprobada\s+por\b |
        special\s+issue\b | legal\s+notice\b | poder\s+(?:ejecutivo|legislativo|judicial)\s*$ |
        (?:https?://|www\.)\S* | \S+@\S+\s*$ |
        print\s*$ | draft\s*$ | confidential\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Whole lines that head a section, not a document (optionally numbered).
_SECTION_HEADING = re.compile(
    r"""^(?:table\s+of\s+contents|contents|sommaire|[íi]ndice|table\s+des\s+mati[èe]res|
        tabla\s+de\s+contenidos?|disclaimer|acknowledge?ments?|remerciements|agradecimientos|
        foreword|preface|pr[ée]face|avant-propos|pr[óo]logo|abstract|summary|
        executive\s+summary|r[ée]sum[ée]\s+analytique|resumen\s+ejecutivo|introduction|
        introducci[óo]n|background|overview|methodology|acronyms|abbreviations|
        list\s+of\s+(?:acronyms|abbreviations|tables|figures)|
        arrangement\s+of\s+(?:sections|regulations|rules|clauses|paragraphs)|
        acronyms\s+and\s+abbreviations)\s*:?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.)\s+(?=\S)")
# Mastheads of UN bodies, alone on a line once document symbols are taken out.
_MASTHEAD = re.compile(
    r"""^(?:united|nations|united\s+nations|nations\s+unies|naciones\s+unidas|general|
        assembly|general\s+assembly|assembl[ée]e\s+g[ée]n[ée]rale|asamblea\s+general|
        security\s+council|conseil\s+de\s+s[ée]curit[ée]|consejo\s+de\s+seguridad|
        economic\s+and\s+social\s+council|human\s+rights\s+council|limited|
        (?:united\s+nations\s+)?general\s+assembly)$""",
    re.IGNORECASE | re.VERBOSE,
)
_SYMBOL = re.compile(r"\b[A-Z]{1,6}(?:/[A-Z0-9][\w.\-]*)+")
# Short lines naming a gazette or an issuing authority, not the act it publishes.
_GAZETTE = re.compile(
    r"\b(?:gazette|diario\s+oficial|bolet[íi]n\s+oficial|journal\s+officiel|official\s+journal|"
    r"gaceta\s+oficial|supplement\s+no)\b",
    re.IGNORECASE,
)
_AUTHORITY = re.compile(
    r"^(?:secretar[ií]a|ministerio|ministry|minist[èe]re|department|d[ée]partement|"
    r"departamento)\b",
    re.IGNORECASE,
)
# "Migraciones. Puede obtener": a sentence ends inside the line.
_SENTENCE_BREAK = re.compile(r"[^\W\d_]{2,}\.\s+[¿¡\"“«]?[^\W\d_]")    # not "Migration? Who"
_CONTACT = re.compile(r"\S@\S|https?://|www\.", re.IGNORECASE)
_NAME_SPLIT = re.compile(r",|\s&\s|\s(?:and|y|et|und)\s")
# "(No. 10 of 2021)", "(Cap. 173)": under "THE REFUGEES ACT, 2021", the Act that an
# instrument is made under, printed above the instrument's own title.
_PARENT_ACT_NUMBER = re.compile(r"^\((?:act\s+)?(?:no|cap)\.?\s*\d+[^)]*\)$", re.IGNORECASE)
_RESOLUTION_NUMBER = re.compile(r"^\d{1,3}/\d{1,4}\.\s+")
_LEADING_JUNK = re.compile(r"^[^\w¿¡(\"“«‘'\[]+")
_TRAILING_JUNK = re.compile(r"[\s,;:–—-]+$")
_WEB_PRINT = re.compile(r"^(?:print|imprimir|imprimer)\b|\b[\w-]+\.(?:[a-z]{2,}|[A-Z]{2,})\b")


# --- Lines that are never a title -------------------------------------------------------

def is_date(line: str) -> bool:
    """ "9th July 2025", "Viernes 25 de julio de 2025", "19-04-2023": nothing but a date."""
    words = _WORD.findall(line.lower())
    if not words:
        return bool(_NUMERIC_DATE.match(line))
    if not all(word in _DATE_WORDS for word in words):
        return False
    return any(char.isdigit() for char in line) or any(word in _CALENDAR for word in words)


def is_name_list(line: str) -> bool:
    """ "Stephen Ladek, Nur Abdelkhaliq Zamora, Scott Cameron, and Caitlin Procter"."""
    if line.count(",") < 2:
        return False
    parts = [part.split() for part in _NAME_SPLIT.split(line)]
    parts = [part for part in parts if part]
    if len(parts) < 3 or sum(2 <= len(part) <= 4 for part in parts) < 2:
        return False
    return all(len(part) <= 4 and all(word[0].isupper() for word in part) for part in parts)


def is_furniture(line: str) -> bool:
    """A line that is page furniture or a label, never part of a title."""
    line = line.strip()
    if not line:
        return True
    unnumbered = _NUMBERED.sub("", line)
    if _FURNITURE.match(line) or _SECTION_HEADING.match(unnumbered) or is_date(line):
        return True
    words = line.split()
    if len(words) <= 10 and (_GAZETTE.search(line) or _CONTACT.search(line)):
        return True
    if len(words) <= 5 and _AUTHORITY.match(line):
        return True
    rest = _SPACES.sub(" ", _SYMBOL.sub(" ", line)).strip(" .,:;*()[]")
    if not _LETTERS.search(rest) or _MASTHEAD.match(rest) or is_date(rest):
        return True      # "A/RES/73/8", "United Nations A/RES/73/8", "ES/2019/07"
    return is_name_list(line)


def _starts_lowercase(line: str) -> bool:
    for char in line:
        if char.isalpha():
            return char.islower()
    return False


def _is_sentence(line: str) -> bool:
    """Body text: a sentence ends inside a longer line, or the line is very long.
    ("Migration in Kenya. A Profile" may be a title.)"""
    words = len(line.split())
    return words > 30 or words > 8 and bool(_SENTENCE_BREAK.search(line))


# --- Font runs -----------------------------------------------------------------------------

@dataclass
class Line:
    """Text on one line of the page in one font size; y grows up the page."""

    text: str
    size: float
    x: float
    y: float
    bold: bool
    width: float = 0.0      # estimated: half an em per character

    def beside(self, other: Line) -> bool:
        """Whether the two lines share no horizontal extent (two columns)."""
        slack = 0.5 * max(self.size, other.size)
        return (self.x + self.width + slack < other.x
                or other.x + other.width + slack < self.x)

    @property
    def letters(self) -> int:
        return len(_LETTERS.findall(self.text))


class FontRuns:
    """Collects pypdf's ``visitor_text`` calls for one page: pass the instance itself."""

    __slots__ = ("runs",)

    def __init__(self) -> None:
        self.runs: list[tuple[str, float, float, float, int, bool]] = []

    def __call__(self, text, cm, tm, font, font_size) -> None:
        if not text:
            return
        try:
            _, b, c, d, e, f = _multiply(tm, cm)
            size = abs(float(font_size)) * math.hypot(c, d)
            name = str(font.get("/BaseFont", "")) if hasattr(font, "get") else ""
        except Exception:  # noqa: BLE001 - a damaged run keeps its text, loses its size
            b, d, e, f, size, name = 0.0, 1.0, 0.0, 0.0, 0.0, ""
        if not math.isfinite(size + e + f):
            b, d, e, f, size = 0.0, 1.0, 0.0, 0.0, 0.0
        orientation = 0 if d > 1e-6 else 180 if d < -1e-6 else 90 if b > 0 else 270
        self.runs.append((text, size, e, f, orientation, bool(_BOLD_FONT.search(name))))

    def lines(self) -> list[Line]:
        """The page's lines, each split where the font size changes between words."""
        by_orientation: Counter = Counter()
        for text, _, _, _, orientation, _ in self.runs:
            by_orientation[orientation] += len(text)
        if not by_orientation:
            return []
        orientation = by_orientation.most_common(1)[0][0]     # sideways notes are left out
        lines: list[Line] = []
        pieces: list[tuple[str, float, float, float, bool]] = []
        for text, size, e, f, run_orientation, bold in self.runs:
            x, y = _page_position(e, f, run_orientation)
            parts = text.split("\n")
            for index, part in enumerate(parts):
                if index:
                    lines.extend(_split_by_size(pieces))
                    pieces = []
                if part and run_orientation == orientation:
                    # A later part of one run is on the next line down.
                    pieces.append((part, size, x, y - index * size * 1.2, bold))
        lines.extend(_split_by_size(pieces))
        return lines


def _multiply(m, n) -> tuple[float, ...]:
    return (
        m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _page_position(e: float, f: float, orientation: int) -> tuple[float, float]:
    """(across, up) in the reading frame of text set at ``orientation`` degrees."""
    if orientation == 0:
        return e, f
    if orientation == 180:
        return -e, -f
    if orientation == 90:
        return f, -e
    return -f, e


def _split_by_size(pieces: list[tuple[str, float, float, float, bool]]) -> list[Line]:
    """One output line -> Lines; a new one starts where the size changes at a space."""
    groups: list[list[tuple[str, float, float, float, bool]]] = []
    current_size = None
    for piece in pieces:
        text, size = piece[0], piece[1]
        has_letters = bool(_LETTERS.search(text))
        at_space = not groups or groups[-1][-1][0][-1:].isspace() or text[:1].isspace()
        if (groups and has_letters and current_size and at_space
                and not _similar(size, current_size, SAME_LEVEL_RATIO)):
            groups.append([piece])
            current_size = size
            continue
        if not groups:
            groups.append([])
        groups[-1].append(piece)
        if has_letters and current_size is None:
            current_size = size
    return [line for line in map(_line, groups) if line is not None]


def _line(group: list[tuple[str, float, float, float, bool]]) -> Line | None:
    text = _SPACES.sub(" ", "".join(piece[0] for piece in group)).strip()
    if not text:
        return None
    by_size: Counter = Counter()
    bold_letters = 0
    total = 0
    for piece_text, size, _, _, bold in group:
        count = len(_LETTERS.findall(piece_text))
        by_size[round(size, 1)] += count or 0.001 * len(piece_text.strip())
        total += count
        bold_letters += count if bold else 0
    anchor = next((piece for piece in group if _LETTERS.search(piece[0])), group[0])
    left = min(piece[2] for piece in group)
    right = max(piece[2] + 0.5 * piece[1] * len(piece[0]) for piece in group)
    return Line(text=text, size=by_size.most_common(1)[0][0], x=left, y=anchor[3],
                bold=total > 0 and bold_letters * 2 >= total, width=max(right - left, 0.0))


def _similar(a: float, b: float, ratio: float) -> bool:
    small, big = sorted((a, b))
    return big > 0 and small >= big * ratio


# --- The title -------------------------------------------------------------------------

def body_size(pages: list[list[Line]]) -> float:
    """The font size most letters on these pages are set in."""
    letters: Counter = Counter()
    for lines in pages:
        for line in lines:
            letters[round(line.size * 2) / 2] += line.letters
    return letters.most_common(1)[0][0] if letters else 0.0


def heading_title(pages: list[FontRuns]) -> str:
    """The title set in the largest font on the first page (or the second, after a
    sparse cover); "" when the font sizes do not single one out."""
    lines = [runs.lines() for runs in pages[:2]]
    if not lines:
        return ""
    body = body_size(lines)
    if body <= 0:
        return ""
    title = _page_heading(lines[0], body)
    if not title and len(lines) > 1 and sum(line.letters for line in lines[0]) < COVER_LETTERS:
        title = _page_heading(lines[1], body)
    return title


def _is_seed(line: Line) -> bool:
    """Whether a line can start a title: words, not furniture, not a sentence."""
    return (any(len(word) >= 4 for word in _WORD.findall(line.text))
            and not _starts_lowercase(line.text) and not is_furniture(line.text)
            and not _NUMBERED.match(line.text) and not _is_sentence(line.text))


def _has_substance(text: str) -> bool:
    return len(text.split()) >= 2 and len(_LETTERS.findall(text)) >= 8


def _page_heading(lines: list[Line], body: float) -> str:
    ordered = sorted((line for line in lines if line.size > 0), key=lambda ln: (-ln.y, ln.x))
    used: set[int] = set()
    for _ in range(6):      # a few tries: a garbled or too-short big line is passed over
        seeds = [ln for ln in ordered if id(ln) not in used and _is_seed(ln)]
        if not seeds:
            return ""
        top = max(ln.size for ln in seeds)
        if top < body * BIG_FONT_RATIO:
            return ""
        seed = next(ln for ln in seeds if ln.size >= top * SAME_LEVEL_RATIO)
        block = _block(ordered, seed, top * SAME_LEVEL_RATIO)
        used.update(id(ln) for ln in block)
        text = _join(block)
        if _is_label(text):
            extra, above = _subtitle(ordered, block, body)
            if extra:
                used.update(id(ln) for ln in extra)
                text = _join(extra + block if above else block + extra, parts=True)
        title = clean_title(text)
        if _has_substance(title):
            return title
    return ""


def _is_label(text: str) -> bool:
    """A short block that needs its subtitle: "EVALUATION BRIEF", "Final Report:",
    "LIBERIA" (a mixed-case "Entering the UK" stands alone)."""
    words = text.split()
    return len(words) <= 3 and (text.isupper() or len(words) == 1 or text.endswith(":"))


def _block(ordered: list[Line], seed: Line, min_size: float) -> list[Line]:
    """The seed and the lines that continue it down the page at the same level."""
    block = [seed]
    start = ordered.index(seed)
    for line in ordered[start + 1:]:
        last = block[-1]
        gap = last.y - line.y
        if gap > MAX_LINE_GAP * max(last.size, line.size):
            break
        if (line.size < min_size or line.size > seed.size / SAME_LEVEL_RATIO
                or line.beside(last)):
            continue        # smaller text or another column beside the title
        if is_furniture(line.text) and _LETTERS.search(line.text):
            break
        if _NUMBERED.match(line.text) or _is_sentence(line.text):
            break
        block.append(line)
    return block


def _subtitle(ordered: list[Line], block: list[Line], body: float) -> tuple[list[Line], bool]:
    """The emphasised lines just below a short label (or, failing that, just above)."""
    size = max(line.size for line in block)
    first, last = ordered.index(block[0]), ordered.index(block[-1])
    below = next((ln for ln in ordered[last + 1:]
                  if ln not in block and not ln.beside(block[-1])), None)
    above = next((ln for ln in reversed(ordered[:first])
                  if ln not in block and not ln.beside(block[0])), None)
    for neighbour, is_above in ((below, False), (above, True)):
        if neighbour is None:
            continue
        anchor = block[0] if is_above else block[-1]
        if abs(anchor.y - neighbour.y) > MAX_SUBTITLE_GAP * size:
            continue
        if not _emphasised(neighbour, body) or not _is_seed(neighbour):
            continue
        lines = _run_of_lines(ordered, neighbour, upward=is_above)
        if _has_substance(_join(lines)):
            return lines, is_above
    return [], False


def _emphasised(line: Line, body: float) -> bool:
    return line.size >= body * 0.95 and (
        line.size >= body * BIG_FONT_RATIO or line.bold or line.text.isupper())


def _run_of_lines(ordered: list[Line], start: Line, *, upward: bool) -> list[Line]:
    """``start`` and the lines of the same size that continue it (up or down)."""
    run = [start]
    index = ordered.index(start)
    candidates = reversed(ordered[:index]) if upward else ordered[index + 1:]
    for line in candidates:
        edge = run[-1]
        if abs(edge.y - line.y) > MAX_LINE_GAP * max(edge.size, line.size):
            break
        if not _similar(line.size, start.size, SAME_LEVEL_RATIO) or line.beside(edge):
            continue
        if is_furniture(line.text) or _NUMBERED.match(line.text) or _is_sentence(line.text):
            break
        run.append(line)
    return list(reversed(run)) if upward else run


def _join(lines: list[Line], *, parts: bool = False) -> str:
    """The lines' text, stopping before a line that would go past MAX_TITLE_CHARS.

    Where capitals change to mixed case or back, or the size changes when ``parts``
    (a label and its subtitle), a new part begins: ": " joins it, or " – " when a
    part already holds a colon.
    """
    text = ""
    for index, line in enumerate(lines):
        if not index:
            text = line.text
            continue
        if len(text) + 1 + len(line.text) > MAX_TITLE_CHARS and _has_substance(text):
            break
        previous = lines[index - 1]
        new_part = (previous.text.isupper() != line.text.isupper()
                    or parts and not _similar(previous.size, line.size, SAME_LEVEL_RATIO))
        if not new_part or text.endswith((":", "-", "–", "—", "/")) or not _LETTERS.search(
                line.text) or not _LETTERS.search(previous.text):
            text += " " + line.text
        else:
            text += (" – " if ":" in text or ":" in line.text else ": ") + line.text
    return text


def clean_title(text: str) -> str:
    """Spaces, a resolution number ("73/8."), bullets and trailing colons out; at most
    MAX_TITLE_CHARS, cut at a space."""
    text = _SPACES.sub(" ", normalise_text(text)).strip()
    text = _RESOLUTION_NUMBER.sub("", text)
    text = _LEADING_JUNK.sub("", text)
    text = _TRAILING_JUNK.sub("", text)
    if len(text) > MAX_TITLE_CHARS:
        cut = text.rfind(" ", 0, MAX_TITLE_CHARS + 1)
        text = text[:cut if cut > MAX_TITLE_CHARS // 2 else MAX_TITLE_CHARS].rstrip(" ,;:")
    return text


def is_web_print_title(title: str) -> bool:
    """ "Print Entering the UK - GOV.UK": a browser's name for a printed web page."""
    return bool(_WEB_PRINT.search(title))


def prefer_heading(metadata_title: str, heading: str) -> bool:
    """Whether the page heading should replace a web page's metadata title: it is part
    of it and the rest only names the site or the print view."""
    if not heading or not metadata_title:
        return False
    meta, head = metadata_title.casefold(), heading.casefold()
    if head == meta or head not in meta:
        return False
    rest = meta.replace(head, " ", 1)
    return bool(_WEB_PRINT.search(rest)) and len(rest.split()) <= 4


# --- The line heuristic --------------------------------------------------------------

def guess_title(first_page: str) -> str:
    """The first substantial line of a page, with up to two lines that continue it.

    "Substantial" means at least two words and eight letters, so page numbers,
    running headers such as "IOM" and dates are skipped, and so is any line that
    ``is_furniture`` names (labels, mastheads, symbols, author lists), starts in
    lower case or holds the end of a sentence. A blank line, a change between
    capitals and mixed case, or a sentence (a full stop) ends the title; a short
    last line ending in a full stop ("Relaciones Exteriores.") still belongs to it.
    In legislation, the Act heading above its number ("THE REFUGEES ACT, 2021" over
    "(No. 10 of 2021)") is skipped for the instrument's own title below it.
    """
    lines = [line.strip() for line in first_page.split("\n")]
    for index, line in enumerate(lines):
        if (len(line.split()) < 2 or len(_LETTERS.findall(line)) < 8
                or is_furniture(line) or _starts_lowercase(line) or _is_sentence(line)):
            continue
        following_line = next((ln for ln in lines[index + 1:] if ln), "")
        if _PARENT_ACT_NUMBER.match(following_line):
            continue
        parts = [line]
        for following in lines[index + 1:index + 3]:
            joined = " ".join(parts)
            short_end = following.endswith(".") and len(following.split()) <= 4 \
                and "." not in joined
            if (not following or joined.endswith((".", ";"))
                    or (following.endswith(".") and not short_end)
                    or not following[0].isalpha()
                    or len(joined) + len(following) > 160
                    or line.isupper() != following.isupper()
                    or is_furniture(following)):
                break
            parts.append(following[:-1] if short_end else following)
            if short_end:
                break
        return clean_title(" ".join(parts))
    return ""
