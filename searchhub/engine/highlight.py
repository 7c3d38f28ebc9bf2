"""Snippets: the page of a document where a query matches best, and an escaped
excerpt of it with the matching words marked."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from .analysis import FOLD_FIRST, analyzer, group_for

SNIPPET_CHARS = 260


@lru_cache(maxsize=4096)
def _pattern(words: tuple[str, ...], language: str) -> re.Pattern | None:
    """A regex matching the query words as their stems in ``language``, so that
    "migrants" marks "migrant" and "Migration" marks "migration"."""
    group = group_for(language)
    stems = set()
    for word in words:
        for token in analyzer(group, fold=False)(word):
            if len(token.text) >= 2:
                stems.add(token.text)
        if group in FOLD_FIRST:
            # Matched folded ("détention" finds "detention"): marked so too.
            stems.update(t.text for t in analyzer(group)(word) if len(t.text) >= 2)
        stems.add(word.lower())
    stems = {s for s in stems if s}
    if not stems:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
    if group == "cjk":
        return re.compile(f"(?:{alternatives})", re.IGNORECASE)
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def best_page(pages: list[str], words: tuple[str, ...], language: str) -> int | None:
    """1-based number of the page with the most (and most varied) matches."""
    pattern = _pattern(words, language) if words else None
    if pattern is None or len(pages) < 2:
        return 1 if pages and pattern is not None and pattern.search(pages[0]) else None
    best, best_score = None, 0.0
    for number, page in enumerate(pages, start=1):
        found = [m.group().lower() for m in pattern.finditer(page)]
        if not found:
            continue
        score = len(set(found)) * 10 + min(len(found), 50)
        if score > best_score:
            best, best_score = number, score
    return best


def snippet(text: str, words: tuple[str, ...], language: str, fallback: str = "") -> Markup:
    """An escaped excerpt around the densest cluster of matches, matches in <mark>."""
    pattern = _pattern(words, language) if words else None
    matches = list(pattern.finditer(text)) if pattern is not None else []
    if not matches:
        source = fallback or text
        return escape(_trim(source[: SNIPPET_CHARS + 40], SNIPPET_CHARS))
    # Choose the window that holds the most distinct matched words.
    best_start, best_score = matches[0].start(), -1
    for i, first in enumerate(matches):
        seen = set()
        for m in matches[i:]:
            if m.end() - first.start() > SNIPPET_CHARS:
                break
            seen.add(m.group().lower())
        score = len(seen) * 100 + sum(1 for m in matches[i:i + 20]
                                     if m.end() - first.start() <= SNIPPET_CHARS)
        if score > best_score:
            best_start, best_score = first.start(), score
    start = max(0, best_start - 60)
    # Start on a word boundary.
    if start > 0:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 and best_start - space < 90 else start
    end = min(len(text), start + SNIPPET_CHARS)
    space = text.find(" ", end)
    end = space if 0 <= space < end + 30 else end
    window = " ".join(text[start:end].split())
    out = [Markup("… ") if start > 0 else Markup("")]
    last = 0
    for m in pattern.finditer(window):
        out.append(escape(window[last:m.start()]))
        out.append(Markup("<mark>") + escape(m.group()) + Markup("</mark>"))
        last = m.end()
    out.append(escape(window[last:]))
    if end < len(text):
        out.append(Markup(" …"))
    return Markup("").join(out)


def _trim(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"
