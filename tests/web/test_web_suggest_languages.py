"""/api/suggest in the six interface languages: labels in Arabic, Russian and Chinese
(with Arabic normalised and Chinese matched inside its unspaced words), each label
naming the facet filter it stands for."""

from __future__ import annotations

import pytest


def _suggest(client, q, lang):
    response = client.get("/api/suggest", query_string={"q": q, "lang": lang})
    assert response.status_code == 200 and response.is_json
    return response.get_json()["suggestions"]


def _theme(text, value):
    return {"text": text, "kind": "theme", "filter": {"name": "theme", "value": value}}


def test_arabic_labels_whatever_the_vowel_marks_hamza_and_article(client):
    labour = _theme("هجرة اليد العاملة", "Labour migration")
    assert labour in _suggest(client, "هجرة", "ar")
    # ta marbuta typed as ha, vowel marks and a tatweel typed or not
    assert labour in _suggest(client, "هجره", "ar")
    assert labour in _suggest(client, "هِجْرَة الـيد", "ar")
    # a word is found without its article: "اتجار" begins "الاتجار بالأشخاص"
    trafficking = _suggest(client, "اتجار", "ar")
    assert _theme("الاتجار بالأشخاص", "Trafficking in persons") in trafficking
    # alef with hamza typed as bare alef
    assert _theme("الاتجار بالأشخاص", "Trafficking in persons") in _suggest(
        client, "الاشخاص", "ar")
    # only Arabic labels and terms, not the English ones
    assert all(not s["text"].isascii() for s in _suggest(client, "لاجئ", "ar"))
    assert _suggest(client, "لاجئ", "ar")


def test_russian_labels_and_objectives(client):
    found = _suggest(client, "трудов", "ru")
    assert _theme("Трудовая миграция", "Labour migration") in found
    assert {"text": "Данные для научно обоснованной политики", "kind": "objective",
            "filter": {"name": "gcm", "value": "1"}} in _suggest(client, "ДАННЫЕ", "ru")
    # "ё" and "е" are the same letter to a reader of Russian
    assert _theme("Возвращение и реинтеграция", "Return and reintegration") in _suggest(
        client, "возвращёние", "ru")


def test_chinese_labels_begin_with_or_hold_what_is_typed(client):
    assert _suggest(client, "劳务", "zh")[0] == _theme("劳务移民", "Labour migration")
    # no spaces part Chinese words: "务移民" is inside "劳务移民", "运移" inside "偷运移民"
    # (not "移民" itself: the lexicon's own "移民…" terms begin with it, come first and
    # fill the list)
    assert _theme("劳务移民", "Labour migration") in _suggest(client, "务移民", "zh")
    assert _theme("偷运移民", "Migrant smuggling") in _suggest(client, "运移", "zh")
    assert {"text": "数据促进循证政策", "kind": "objective",
            "filter": {"name": "gcm", "value": "1"}} in _suggest(client, "数据", "zh")
    assert _suggest(client, "移", "zh") == []      # one character is too little


def test_titles_in_arabic_and_chinese(make_app, make_doc):
    app = make_app([make_doc("ar-1", "تقرير الهجرة الدولية", "نص", language="ar"),
                    make_doc("zh-1", "国际移民报告", "文本", language="zh")])
    client = app.test_client()
    assert {"text": "تقرير الهجرة الدولية", "kind": "title"} in _suggest(
        client, "الدوليه", "ar")
    assert {"text": "国际移民报告", "kind": "title"} in _suggest(client, "移民报告", "zh")


@pytest.mark.parametrize(("typed", "lang"), [("mig", "en"), ("migra", "fr"), ("migra", "es")])
def test_taxonomy_labels_come_before_the_lexicons_terms(client, typed, lang):
    # The lexicon holds dozens of terms beginning "migra…": the themes (each a filter)
    # come first, not pushed out of the list by them.
    kinds = [s["kind"] for s in _suggest(client, typed, lang)]
    labels = [i for i, kind in enumerate(kinds) if kind in ("theme", "region", "objective")]
    assert "theme" in kinds and "term" in kinds
    assert labels == list(range(len(labels)))          # all of them first
