"""Themes and Global Compact for Migration (GCM) objectives, found by keyword."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping

from indexer.enrich.places import mentions_needed
from indexer.enrich.taxonomy import PhraseMatcher, Taxonomy, Tokens, fold, name_key

#: A theme's keywords must occur MIN_MENTIONS times, one more per WORDS_PER_MENTION
#: words of text (a 50-page report, ~25,000 words, needs 9), or once in the title.
MIN_MENTIONS = 2
WORDS_PER_MENTION = 3000
#: A keyword in the title weighs as much as this many in the text when ranking.
TITLE_WEIGHT = 10
MAX_THEMES = 6
MAX_OBJECTIVES = 5
#: "Objective 21" near "Global Compact" weighs this many keyword mentions, and is
#: enough on its own.
EXPLICIT_WEIGHT = 10
#: How far (characters) from "Objective N" the Global Compact must be named.
CONTEXT_CHARS = 300

_OBJECTIVE_NUMBERS = re.compile(
    r"\b(?:objectives?|objectifs?|objetivos?)\s*(?:n(?:\.?\s*[o°º])?\.?\s*|#\s*)?"
    r"(\d{1,2}(?:\s*(?:,|and|et|y|&|-|–)\s*\d{1,2}\b)*)",
    re.IGNORECASE,
)
_GCM_CONTEXT = re.compile(
    r"global compact|\bgcm\b|pacte mondial|\bpmm\b|pacto mundial|\bpmmor?\b",
    re.IGNORECASE,
)


def find_themes(title: str, text: str, taxonomy: Taxonomy) -> list[str]:
    """Labels of the themes ``title`` and ``text`` are about, most mentioned first."""
    ranked = _rank(taxonomy.theme_matcher, title, text, Counter())
    return [str(label) for label in ranked[:MAX_THEMES]]


def normalise_themes(values: Iterable[str], taxonomy: Taxonomy,
                     themes_map: Mapping[str, str] | None = None,
                     unmapped: str = "keep") -> list[str]:
    """Theme values from a source or a catalogue, in the taxonomy's vocabulary.

    A value named in ``themes_map`` (a source's value -> a theme label, or "" to
    drop it) becomes its target; otherwise a value that is a theme's label,
    label_fr, label_es or id becomes that theme's label. Both comparisons ignore
    case, accents and spacing. Any other value is kept as written when ``unmapped``
    is "keep" and left out when it is "drop". Duplicates collapse, order kept; an
    empty list means the source said nothing the taxonomy knows.
    """
    mapping = {name_key(value): target for value, target in (themes_map or {}).items()}
    out: list[str] = []
    for value in values:
        value = str(value).strip()
        key = name_key(value)
        if not key:
            continue
        if key in mapping:
            theme = mapping[key].strip()
        else:
            theme = taxonomy.theme_by_name.get(key) or (value if unmapped == "keep" else "")
        if theme and theme not in out:
            out.append(theme)
    return out


def find_gcm(title: str, text: str, taxonomy: Taxonomy) -> list[int]:
    """Numbers of the GCM objectives the document addresses, strongest first.

    Keywords count as for themes; an explicit "Objective 21" near a mention of the
    Global Compact counts on its own.
    """
    known = {objective.number for objective in taxonomy.objectives}
    explicit = Counter({number: count * EXPLICIT_WEIGHT
                        for number, count in detect_gcm_mentions(f"{title}\n{text}").items()
                        if number in known})
    ranked = _rank(taxonomy.objective_matcher, title, text, explicit)
    return [int(number) for number in ranked[:MAX_OBJECTIVES]]


def detect_gcm_mentions(text: str) -> Counter[int]:
    """Objective numbers named explicitly near the Global Compact, and how often.

    Reads "Objective 21", "objectifs 2 et 7", "objetivo n.º 5" in English, French and
    Spanish when "Global Compact", "GCM", "Pacte mondial" or "Pacto Mundial" appears
    within CONTEXT_CHARS characters.
    """
    folded = fold(text)
    mentions: Counter[int] = Counter()
    for match in _OBJECTIVE_NUMBERS.finditer(folded):
        window = folded[max(0, match.start() - CONTEXT_CHARS):match.end() + CONTEXT_CHARS]
        if not _GCM_CONTEXT.search(window):
            continue
        for number in re.findall(r"\d{1,2}", match.group(1)):
            if 1 <= int(number) <= 23:
                mentions[int(number)] += 1
    return mentions


def _rank(matcher: PhraseMatcher, title: str, text: str,
          explicit: Counter[int]) -> list[Hashable]:
    in_title = matcher.count(title)
    in_text = matcher.count(text)
    needed = mentions_needed(len(Tokens.of(text)), MIN_MENTIONS, WORDS_PER_MENTION)
    scores = {}
    for key in in_title.keys() | in_text.keys() | explicit.keys():
        if in_title[key] or explicit[key] or in_text[key] >= needed:
            scores[key] = TITLE_WEIGHT * in_title[key] + in_text[key] + explicit[key]
    return sorted(scores, key=lambda key: (-scores[key], str(key)))
