"""English that escaped translation on a page: the visible texts of an HTML page (text
nodes, and the attributes people read: placeholder, title, aria-label, alt, a button's
value) that are an English message of the interface's catalogue whose translation in
the page's language differs. Helper of tests/web/test_french_pages.py and
tests/uploads/test_french_pages.py."""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html
from babel.messages.pofile import read_po

from searchhub import resources

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
_READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


def _normal(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=8)
def english_messages(lang: str) -> tuple[frozenset[str], tuple[tuple[re.Pattern, str], ...]]:
    """The catalogue's English messages that ``lang`` writes otherwise: those without
    values as they are, those with values as patterns (their values any text; only
    when they hold two English words besides, so that "%(name)s: %(problem)s" matches
    nothing of a document's own)."""
    with (resources.translations_dir() / lang / "LC_MESSAGES" / "messages.po").open(
            "rb") as f:
        catalog = read_po(f)
    exact, patterns = set(), []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings or "<" in msgid:       # the same in that language; markup
                continue
            if "%(" not in msgid:
                exact.add(_normal(msgid))
            elif len(re.findall(r"[A-Za-z]{3,}", _PLACEHOLDER.sub("", msgid))) >= 2:
                pieces = _PLACEHOLDER.split(_normal(msgid))
                patterns.append((re.compile(".+?".join(map(re.escape, pieces))), msgid))
    return frozenset(exact), tuple(patterns)


def visible_texts(html: str) -> list[str]:
    """The texts a person reads on the page: text nodes outside scripts and styles, and
    the attributes shown to them."""
    tree = lxml.html.fromstring(html)
    texts = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue                                      # comments
        if el.tag not in ("script", "style", "template") and el.text:
            texts.append(el.text)
        if el.tail:
            texts.append(el.tail)
        texts += [el.get(name) for name in _READ_ATTRIBUTES if el.get(name)]
        if el.tag == "input" and el.get("type") in ("submit", "button") and el.get("value"):
            texts.append(el.get("value"))
    return [t for t in map(_normal, texts) if t]


def untranslated(html: str, lang: str) -> list[tuple[str, str]]:
    """(text, English message) for every visible text of ``html`` that is a message of
    the catalogue left in English on a ``lang`` page."""
    exact, patterns = english_messages(lang)
    found = []
    for text in visible_texts(html):
        if text in exact:
            found.append((text, text))
            continue
        found += [(text, msgid) for pattern, msgid in patterns if pattern.fullmatch(text)]
    return found
