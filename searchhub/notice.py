"""Notices about how a search was read ("Only the first 30 words of your query were
used."): English text that also remembers its message and values, so that the web
page can show it in the interface's language while the JSON API and the CLI keep the
English text, the same in every language (docs/api.md says so).

``notice`` and ``plural_notice`` are the markers ``pybabel extract`` finds (Makefile,
``make translations``); searchhub.web.i18n.translate_notice translates them.
"""

from __future__ import annotations


class Notice(str):
    """A notice: the English text, as a ``str`` (JSON and templates see only that),
    with ``msgid``, ``plural`` and ``values`` for translating it. Integer values are
    counts and floats decimals of one digit (both formatted for the locale when
    translated); years are given as text."""

    msgid: str
    plural: str | None
    values: dict[str, object]

    def __new__(cls, msgid: str, plural: str | None = None, **values: object) -> Notice:
        english = plural if plural is not None and values.get("num") != 1 else msgid
        self = super().__new__(cls, english % values if values else english)
        self.msgid, self.plural, self.values = msgid, plural, values
        return self

    def __reduce__(self):
        return _rebuild, (self.msgid, self.plural, self.values)


def _rebuild(msgid: str, plural: str | None, values: dict) -> Notice:
    return Notice(msgid, plural, **values)


def notice(msgid: str, **values: object) -> Notice:
    """A notice whose English text is ``msgid % values``."""
    return Notice(msgid, **values)


def plural_notice(singular: str, plural: str, num: int, **values: object) -> Notice:
    """A notice about ``num`` things: ``singular`` when it is 1, else ``plural``."""
    return Notice(singular, plural, num=num, **values)
