"""Per-language stemming, CJK bigrams and accent folding, through real searches."""

from __future__ import annotations

import pytest

from searchhub.engine.analysis import analyzer
from searchhub.text import arabic_stem

from .conftest import ids, make_doc, search


@pytest.mark.parametrize(("language", "indexed", "query"), [
    ("en", "Support for the migrant in transit", "migrants"),
    ("es", "Apoyo al migrante en tránsito", "migrantes"),
    ("fr", "Protection du réfugié à la frontière", "réfugiés"),
    ("ru", "Помощь каждому мигрант в пути", "мигранты"),
    ("ru", "Денежные переводы трудящихся-мигрантов", "переводами мигрантам"),
    # The Arabic light stemmer takes the article and the plural ending off: مهاجر.
    ("ar", "مساعدة كل مهاجر في الطريق", "المهاجرين"),
])
def test_inflected_query_finds_the_other_form(make_any_engine, language, indexed, query):
    engine = make_any_engine([
        make_doc("target", indexed, language=language),
        make_doc("other", "Weather report for the harbour", language="en"),
    ])
    result = search(engine, query)
    assert ids(result) == ["target"]


@pytest.mark.parametrize(("indexed", "query"), [
    ("إحصاءات الهجرة الدولية", "احصاءات"),          # alef with hamza below / bare alef
    ("احصاءات الهجرة الدولية", "إحصاءات"),
    ("أحمد يزور مخيم اللاجئين", "احمد"),             # alef with hamza above
    ("مستشفى الولادة في المدينة", "مستشفي"),         # alef maqsura / ya
    ("تقرير عن الهجرة الدولية", "الهجره"),           # ta marbuta / ha
    ("المُهَاجِرُونَ في الطريق", "المهاجرون"),        # vowel marks in the text
    ("المهاجرون في الطريق", "المُهَاجِرُونَ"),        # ... or in the query
    ("المهـــاجرون في الطريق", "مهاجرون"),           # tatweel
    ("والمهاجرات في الطريق", "المهاجر"),             # wa- + al- prefix, -at suffix
])
def test_arabic_spelling_variants_find_each_other(make_any_engine, indexed, query):
    engine = make_any_engine([
        make_doc("ar", indexed, language="ar"),
        make_doc("ar2", "نشرة الطقس اليومية للمنطقة", language="ar"),
    ])
    assert ids(search(engine, query)) == ["ar"]


def test_arabic_light_stemmer_keeps_migrant_and_migration_apart():
    # Whoosh's own Arabic stemmer (ISRI) reduced both to the root هجر; the light
    # stemmer (Lucene's, as OpenSearch's) keeps the words apart.
    stems = {word: [tok.text for tok in analyzer("ar")(word)]
             for word in ("المهاجرين", "مهاجر", "الهجرة", "والمهاجرون", "٢٠٢٤")}
    assert stems == {"المهاجرين": ["مهاجر"], "مهاجر": ["مهاجر"], "الهجرة": ["هجر"],
                     "والمهاجرون": ["مهاجر"], "٢٠٢٤": ["2024"]}


@pytest.mark.parametrize(("word", "stem"), [
    ("وطن", "وطن"),            # wa- is taken off only a word of four letters or more,
    ("وزير", "زير"),           # even where it is not "and" ("minister"): as Lucene
    ("ولد", "ولد"),
    ("بالمدرسة", "مدرس"),      # bi- + al-, then -h (ta marbuta, normalised)
    ("للاجئين", "اجئ"),        # li- + al- (lam lam), then -in
    ("كتابها", "كتاب"),        # -ha
    ("مع", "مع"),              # two letters stay
])
def test_arabic_light_stemmer(word, stem):
    assert arabic_stem(word) == stem


def test_russian_inflections_share_a_stem():
    stems = {tok.text for word in ("мигрант", "мигранты", "мигрантов", "мигрантам")
             for tok in analyzer("ru")(word)}
    assert stems == {"мигрант"}


def test_chinese_word_inside_a_longer_run_is_found(make_engine):
    engine = make_engine([
        make_doc("zh", "国际移民组织发布了报告", language="zh"),
        make_doc("zh2", "天气预报", language="zh"),
    ])
    assert ids(search(engine, "移民")) == ["zh"]
    # Characters that occur, but not next to each other, do not match.
    assert search(engine, "移组").total == 0


def test_documents_of_unknown_language_are_not_stemmed(make_engine):
    # A surprise worth knowing: "und" documents go to the unstemmed group, so only
    # the exact (accent-folded) word matches them; "migrant" finds the document only
    # through its respelling (a word the index does not hold searches its nearest
    # known word), which the page offers as "did you mean".
    engine = make_engine([make_doc("und", "migrants at the border", language="und")])
    assert ids(search(engine, "migrants")) == ["und"]
    assert search(engine, "migrants").suggestion is None
    respelt = search(engine, "migrant")
    assert respelt.suggestion == "migrants"
    assert not engine.vocabulary().holds("migrant")


@pytest.mark.parametrize("query", ["migracion", "migración", "MIGRACIÓN"])
def test_accents_are_folded(make_engine, query):
    engine = make_engine([
        make_doc("es", "La migración laboral en la región", language="es"),
        make_doc("en", "Labour mobility in the region"),
    ])
    result = search(engine, query)
    assert ids(result) == ["es"]
    assert result.suggestion is None


def test_a_word_typed_with_accents_finds_english_documents_spelt_without(make_any_engine):
    # The English stemmer reads "é" as a consonant: folded after stemming, French
    # "réintégration" and "détention" stemmed apart from English "reintegration" and
    # "detention", so a French query never found the English reports naming them.
    engine = make_any_engine([
        make_doc("en", "Reintegration support after immigration detention in Libya."),
        make_doc("other", "Labour rights and recruitment fees."),
    ])
    for query in ("réintégration", "détention", "DÉTENTION"):
        found = search(engine, query)
        assert ids(found) == ["en"], query
        assert "<mark>" in found.hits[0].snippet, query


@pytest.mark.parametrize(("indexed", "query"), [
    ("Le rapport d'évaluation de l'OIM au Niger", "OIM évaluation"),
    ("Le rapport sur l'évaluation au Niger", "évaluations"),
])
def test_french_elisions_are_not_part_of_the_word(make_engine, indexed, query):
    engine = make_engine([
        make_doc("fr", indexed, language="fr"),
        make_doc("other", "Bulletin météo du port", language="fr"),
    ])
    assert ids(search(engine, query)) == ["fr"]


def test_elision_keeps_highlight_offsets_on_the_word():
    token = next(iter(analyzer("fr", fold=False)("l'évaluation", chars=True)))
    assert "l'évaluation"[token.startchar:token.endchar] == "évaluation"
