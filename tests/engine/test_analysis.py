"""Per-language stemming, CJK bigrams and accent folding, through real searches."""

from __future__ import annotations

import pytest

from searchhub.engine.analysis import analyzer

from .conftest import ids, make_doc, search


@pytest.mark.parametrize(("language", "indexed", "query"), [
    ("en", "Support for the migrant in transit", "migrants"),
    ("es", "Apoyo al migrante en tránsito", "migrantes"),
    ("fr", "Protection du réfugié à la frontière", "réfugiés"),
    ("ru", "Помощь каждому мигрант в пути", "мигранты"),
    # Whoosh's Arabic stemmer (ISRI) reduces words to their root: both are هجر.
    ("ar", "مساعدة كل مهاجر في الطريق", "المهاجرين"),
])
def test_inflected_query_finds_the_other_form(make_engine, language, indexed, query):
    engine = make_engine([
        make_doc("target", indexed, language=language),
        make_doc("other", "Weather report for the harbour", language="en"),
    ])
    result = search(engine, query)
    assert ids(result) == ["target"]
    assert result.suggestion is None


def test_arabic_stemmer_reduces_to_the_root():
    # Documenting a surprise: "migration" and "migrant" share the root هجر, so
    # each finds the other.
    stems = {tok.text for word in ("المهاجرين", "مهاجر", "الهجرة")
             for tok in analyzer("ar")(word)}
    assert stems == {"هجر"}


def test_chinese_word_inside_a_longer_run_is_found(make_engine):
    engine = make_engine([
        make_doc("zh", "国际移民组织发布了报告", language="zh"),
        make_doc("zh2", "天气预报", language="zh"),
    ])
    assert ids(search(engine, "移民")) == ["zh"]
    # Characters that occur, but not next to each other, do not match.
    assert search(engine, "移组").total == 0


def test_documents_of_unknown_language_are_not_stemmed(make_engine):
    # A surprise worth knowing: "und" documents go to the unstemmed group, so
    # only the exact (accent-folded) word finds them.
    engine = make_engine([make_doc("und", "migrants at the border", language="und")])
    assert ids(search(engine, "migrants")) == ["und"]
    assert search(engine, "migrant").total == 0


@pytest.mark.parametrize("query", ["migracion", "migración", "MIGRACIÓN"])
def test_accents_are_folded(make_engine, query):
    engine = make_engine([
        make_doc("es", "La migración laboral en la región", language="es"),
        make_doc("en", "Labour mobility in the region"),
    ])
    result = search(engine, query)
    assert ids(result) == ["es"]
    assert result.suggestion is None
