"""What a program can check in a translation: every catalogue keeps the placeholders and
markup of its English message, gives a plural message as many forms as its language has,
and writes Chinese and Arabic punctuation in their own script. (That every message is
translated and compiled is test_i18n.py's.)"""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from searchhub import resources
from searchhub.web.i18n import LANGUAGES

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]

#: %(name)s, %s, {name}, an HTML tag or entity: what the code or the page fills in.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-zA-Z][^>]*>|&\w+;")
#: A CJK character next to an ASCII , . : ; ? ! ( or ) (ASCII stays right in examples
#: and code, which are set off by spaces or backticks).
ZH_ASCII = re.compile(r"[\u4e00-\u9fff][,.:;?!()]|[,:;?!()][\u4e00-\u9fff]")
#: An Arabic letter next to a Latin comma or question mark (، and ؟ are Arabic's).
AR_LATIN = re.compile(r"[\u0600-\u06ff] ?[,?]|[,?] ?[\u0600-\u06ff]")


def _catalog(lang: str):
    with (resources.translations_dir() / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_placeholders_and_plural_forms(lang):
    catalog = _catalog(lang)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            forms = message.string
            if len(forms) != catalog.num_plurals:
                wrong.append((message.id[0], f"{len(forms)} forms, not {catalog.num_plurals}"))
            # A form for one count may leave the number out ("the first word"); the
            # last form, the general one, says everything the English plural says.
            expected = _placeholders(message.id[1])
            if forms and _placeholders(forms[-1]) != expected:
                wrong.append((message.id[1], forms[-1]))
            if any(not set(_placeholders(form)) <= set(expected) for form in forms):
                wrong.append((message.id[1], forms))
        elif _placeholders(message.string) != _placeholders(message.id):
            wrong.append((message.id, message.string))
    assert not wrong, f"{lang}: {wrong}"


@pytest.mark.parametrize("lang, script", [("zh", ZH_ASCII), ("ar", AR_LATIN)])
def test_chinese_and_arabic_punctuation_is_their_own(lang, script):
    catalog = _catalog(lang)
    wrong = []
    for message in catalog:
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            # Placeholders and `commands` are not running text.
            text = re.sub(r"`[^`]*`", "", PLACEHOLDER.sub("", form or ""))
            if message.id and script.search(text):
                wrong.append(form)
    assert not wrong, f"{lang}: {wrong}"
