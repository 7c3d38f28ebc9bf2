"""The migration lexicon: terms found in a plain query, their synonyms and
translations added as lower-weight alternatives; and what a search then finds."""

from __future__ import annotations

import json
import tomllib
from concurrent.futures import ThreadPoolExecutor

import pytest
import snowballstemmer

import searchhub.lexicon as lexicon_module
from searchhub.dictionary import Dictionary
from searchhub.engine import Engine
from searchhub.engine.base import MatchRequest
from searchhub.engine.translate import translate
from searchhub.lexicon import (
    ALTERNATIVES_TIE,
    LANGUAGES,
    MAX_ALTERNATIVES,
    OTHER_RESPELLING_SHARE,
    RESPELLING_BOOST,
    SYNONYM_BOOST,
    TRANSLATION_BOOST,
    Lexicon,
    bundled_lexicon,
    expand,
    load_lexicon,
    match_key,
    with_respellings,
)
from searchhub.models import Document, Query
from searchhub.query import PHRASE_WEIGHT, And, AndNot, Or, Phrase, Word, surface_words, walk
from searchhub.query_parser import analyse, parse
from searchhub.resources import bundled_lexicon_file

LEXICON = """
[[concept]]
id = "idp"
en = ["internally displaced persons", "IDP"]
fr = ["personnes déplacées internes", "déplacés internes"]
es = ["desplazados internos"]

[[concept]]
id = "repatriation"
en = ["voluntary repatriation"]
fr = ["rapatriement volontaire"]
"""


def _doc(doc_id, text, language):
    return Document(doc_id, f"Report {doc_id}", f"http://x/{doc_id}", "s", "IOM", [text],
                    language)


def _indexed(tmp_path, *docs: Document) -> Engine:
    """A Whoosh index in ``tmp_path`` holding ``docs``."""
    engine = Engine(tmp_path / "index")
    with engine.writer() as writer:
        for doc in docs:
            writer.add(doc)
    return engine


def _lexicon_of(tmp_path, toml: str) -> Lexicon:
    """The lexicon a TOML text of concepts (as corpus/lexicon.toml) makes."""
    path = tmp_path / "lexicon.toml"
    path.write_text(toml, encoding="utf-8")
    return load_lexicon(path)


@pytest.fixture
def lexicon(tmp_path):
    return _lexicon_of(tmp_path, LEXICON)


def test_an_acronym_gains_its_expansion_and_translations(lexicon):
    # Without the general dictionary: "camps", no term of this lexicon, stays as typed.
    parsed = expand(parse("IDP camps"), lexicon, Dictionary({}))
    idp, camps = parsed.clauses
    assert camps == Word("text", "camps")
    assert isinstance(idp, Or) and idp.items[0] == Word("text", "idp")
    # The alternatives count only where the typed word is missing.
    assert idp.items[1].negative == Word("text", "idp")
    alternatives = idp.items[1].positive.items
    # The synonym in the query's language first, weighing more than translations.
    assert alternatives[0] == Phrase("text", ("internally", "displaced", "persons"), 1,
                                     SYNONYM_BOOST / 3, "en")
    # Each searched in its own language's documents only.
    assert Phrase("text", ("desplazados", "internos"), 1, TRANSLATION_BOOST / 2,
                  "es") in alternatives
    assert all(a.boost < 1.0 for a in alternatives)
    # Typed words stay the words shown and spell-checked; the others are related.
    assert parsed.words == ("idp", "camps")
    assert {"internally", "déplacées", "desplazados"} <= set(parsed.related)


def test_a_multi_word_term_is_found_across_its_clauses_plural_and_accents_aside(lexicon):
    parsed = expand(parse("rapatriements volontaires des refugies"), lexicon, Dictionary({}))
    first, second, third = parsed.clauses
    assert first.items[1].positive == second.items[1].positive
    # A phrase scores as the sum of its words: each weighs its share.
    assert first.items[1].positive == Phrase("text", ("voluntary", "repatriation"), 1,
                                             TRANSLATION_BOOST / 2, "en")
    assert third == Word("text", "refugies")
    assert parsed.query == Or(parsed.clauses)


def test_a_translation_is_searched_in_its_own_languages_fields_only(lexicon):
    query = translate(expand(parse("IDP"), lexicon)).query
    fields = {field for field, text in query.all_terms() if text.startswith("desplaz")}
    assert fields == {"title_es", "body_es"}
    # What was typed is searched in every language's fields.
    assert {field for field, text in query.all_terms() if text == "idp"} >= {
        "body_en", "body_fr", "body_es", "body_xx"}


def test_a_spelling_two_languages_share_is_searched_in_the_documents_of_each(tmp_path):
    lexicon = _lexicon_of(tmp_path, '[[concept]]\nid = "migration"\nen = ["migration"]\n'
                                    'fr = ["migration"]\nes = ["migración"]\n')
    alternatives = expand(parse("migración"), lexicon).clauses[0].items[1].positive.items
    assert {(a.text, a.language) for a in alternatives} == {("migration", "en"),
                                                           ("migration", "fr")}
    engine = _indexed(
        tmp_path,
        _doc("fr", "La migration de main-d'oeuvre vers les pays du Golfe a "
             "doublé en dix ans selon le rapport.", "fr"),
        _doc("en", "Labour migration to the Gulf countries doubled in ten "
             "years, the report says.", "en"),
        _doc("other", "Les pluies ont doublé en dix ans selon le rapport.", "fr"),
    )
    parsed = expand(parse("migración"), lexicon)
    found = {m.id for m in engine.match(MatchRequest(parsed, limit=10)).hits}
    assert found == {"fr", "en"}
    engine.close()


def test_queries_with_syntax_or_no_term_are_unchanged(lexicon):
    for text in ('"IDP" camps', "IDP OR camps", "title:IDP", "health care", ""):
        assert expand(parse(text), lexicon) == parse(text)


def test_the_bundled_lexicon(tmp_path):
    lexicon = bundled_lexicon()
    # Countries in six languages, from the taxonomy's table and Babel's CLDR data.
    libya: dict[str, tuple[str, ...]] = {}
    for term in lexicon.concepts["country-LBY"]:
        libya.setdefault(term.language, term.words)     # each language's first term
    assert libya["fr"] == ("libye",) and libya["ru"] == ("ливия",)
    assert set(libya) == {"en", "fr", "es", "ar", "ru", "zh"}
    # A demonym is searched as its country, whose name stays the preferred term.
    mexican = expand(parse("Mexican law"), lexicon).clauses[0].items[1].positive.items
    assert Word("text", "mexique", TRANSLATION_BOOST, "fr") in mexican
    assert Word("text", "mexico", SYNONYM_BOOST, "en") in mexican
    for text in ("TPS", "AVRR", "GCM", "IDP"):
        alternatives = expand(parse(text), lexicon).clauses[0].items[1].positive.items
        spellings = {(a.text,) if isinstance(a, Word) else a.words for a in alternatives}
        assert 0 < len(spellings) <= MAX_ALTERNATIVES
        assert any(isinstance(a, Phrase) for a in alternatives), text
    # Every concept names its idea in English, French and Spanish at least.
    data = tomllib.loads(bundled_lexicon_file().read_text(encoding="utf-8"))
    for concept in data["concept"]:
        assert {"en", "fr", "es"} <= set(concept), concept["id"]
    # And in Arabic, Russian and Chinese, but for glossary terms whose official wording
    # we could not establish (better none than a guess a reader of the language would
    # not type), and the short form of a region whose labels come from the taxonomy:
    # listed, so that a concept added without them is noticed.
    partial = {c["id"] for c in data["concept"] if not {"ar", "ru", "zh"} <= set(c)}
    assert partial == {"absconding", "assisted-migration", "disengaged-combatant",
                       "genuine-marriage", "primary-caregiver", "qualified-national",
                       "refugee-sur-place", "secondary-inspection", "region-asia-pacific"}


def test_a_query_finds_documents_in_other_languages_below_its_own(tmp_path):
    filler = " The report was written with partners in the region."
    engine = _indexed(
        tmp_path,
        _doc("fr", "Les déplacés internes du Darfour reçoivent une aide d'urgence. Le "
             "rapport a été écrit avec des partenaires de la région.", "fr"),
        _doc("en", "Internally displaced persons in Darfur receive emergency aid." + filler,
             "en"),
        _doc("other", "Refugees in Chad receive emergency aid." + filler, "en"),
    )
    page = engine.search(Query("déplacés internes"))
    assert [h.document.id for h in page.hits] == ["fr", "en"]
    # The English hit is highlighted on what it matched, not on the typed words.
    assert "<mark>" in page.hits[1].snippet.lower() and "displaced" in page.hits[1].snippet
    assert page.suggestion is None
    engine.close()


def test_a_spanish_query_finds_an_english_report_through_cognates_below_spanish_ones(tmp_path):
    filler = " The report was written with partners in the region over the year."
    engine = _indexed(
        tmp_path,
        _doc("en", "The vulnerability and the economic situation of families." + filler,
             "en"),
        _doc("es", "La vulnerabilidad y la situación económica de las familias. El "
             "informe fue escrito con socios de la región.", "es"),
        _doc("other", "Floods in the north destroyed the harvest." + filler, "en"),
    )
    page = engine.search(Query("vulnerabilidad económica"))
    assert [h.document.id for h in page.hits] == ["es", "en"]
    assert "<mark>" in page.hits[1].snippet
    engine.close()


def test_agencies_and_places_are_found_under_their_names_in_other_languages(tmp_path):
    """The partner agencies by their acronyms and names, and places that reports name
    often, in each of the six languages."""
    filler = " The report was written with partners in the region."
    engine = _indexed(
        tmp_path,
        _doc("undp", "UNDP country programme evaluation in Liberia." + filler, "en"),
        _doc("ilo", "International Labour Organization survey of migrant workers."
             + filler, "en"),
        _doc("camp", "Rohingya refugees in the camps of Cox's Bazar." + filler, "en"),
        _doc("other", "Programme evaluation of migrant workers in Liberia's camps."
             + filler, "en"),
    )

    def first(text):
        return engine.search(Query(text)).hits[0].document.id

    assert first("evaluación del programa del PNUD en Liberia") == "undp"
    assert first("ПРООН Либерия") == "undp"
    assert first("OIT travailleurs migrants") == "ilo"
    assert first("منظمة العمل الدولية") == "ilo"
    assert first("اللاجئون الروهينغا في كوكس بازار") == "camp"
    assert first("беженцы рохинджа в Кокс-Базаре") == "camp"
    assert first("科克斯巴扎尔的罗兴亚难民") == "camp"
    engine.close()


def test_a_misspelt_rare_word_still_finds_its_documents(tmp_path):
    engine = _indexed(
        tmp_path,
        _doc("kakuma", "Firewood disputes around Kakuma and its neighbours.", "en"),
        _doc("other", "Firewood markets in Nairobi.", "en"),
    )
    page = engine.search(Query("Kakumma firewood"))
    assert [h.document.id for h in page.hits][0] == "kakuma"
    assert page.suggestion == "kakuma firewood"
    assert "<mark>Kakuma</mark>" in page.hits[0].snippet
    # A correct query is searched as typed, with no respelling added.
    assert with_respellings(parse("Kakuma firewood"), {}) == parse("Kakuma firewood")
    assert [h.document.id for h in engine.search(Query("Kakuma firewood")).hits][0] == "kakuma"
    engine.close()


def test_a_respelling_counts_only_without_the_typed_word():
    parsed = with_respellings(parse("kakumma camp"), {"kakumma": ("kakuma",)}, Lexicon([]))
    first, second = parsed.clauses
    assert first == Or((Word("text", "kakumma"),
                        AndNot(Word("text", "kakuma", RESPELLING_BOOST), Word("text", "kakumma"))))
    assert second == Word("text", "camp") and parsed.related == ("kakuma",)
    assert parsed.words == ("kakumma", "camp")


def test_every_respelling_counts_the_likeliest_most():
    parsed = with_respellings(parse("protecion internacional"),
                              {"protecion": ("protection", "proteccion")}, Lexicon([]))
    first = parsed.clauses[0]
    assert first == Or((Word("text", "protecion"), AndNot(
        Or((Word("text", "protection", RESPELLING_BOOST),
            Word("text", "proteccion", RESPELLING_BOOST * OTHER_RESPELLING_SHARE)),
           ALTERNATIVES_TIE),
        Word("text", "protecion"))))
    assert parsed.related == ("protection", "proteccion")


def test_a_respelling_that_is_a_term_brings_its_translations(tmp_path):
    # "Lybia" is one letter from Spanish "Libia": the English report naming "Libya"
    # is found through the term's alternatives, as if "Libia" had been typed.
    engine = _indexed(
        tmp_path,
        _doc("en", "The evacuation of refugees from Libya to Niger resumed.", "en"),
        _doc("es", "Refugiados en Libia esperan una salida del país.", "es"),
        _doc("other", "The evacuation of the flooded district began.", "en"),
    )
    page = engine.search(Query("evacuation Lybia"))
    assert [h.document.id for h in page.hits][:1] == ["en"]
    assert "<mark>Libya</mark>" in page.hits[0].snippet
    engine.close()
    respelt = with_respellings(parse("Lybia"), {"lybia": ("libia",)})
    found = {(n.text, n.language) for n in walk(respelt.query) if isinstance(n, Word)}
    assert {("libia", None), ("libya", "en"), ("libye", "fr")} <= found


def test_region_labels_are_searched_in_six_languages():
    lexicon = bundled_lexicon()
    pacific = {t.language for t in lexicon.concepts["region-asia-pacific"]}
    assert pacific == {"en", "fr", "es", "ar", "ru", "zh"}
    alternatives = expand(parse("Asie-Pacifique"), lexicon).clauses[0].items[1].positive.items
    assert Phrase("text", ("asia", "pacific"), 1, TRANSLATION_BOOST / 2, "en") in alternatives
    assert "region-global" not in lexicon.concepts


def test_one_clause_per_word_inflections_aside(lexicon):
    parsed = expand(parse("évaluation des évaluations migrants"), lexicon)
    typed = [next(n for n in walk(c) if isinstance(n, Word)) for c in parsed.clauses]
    assert typed == [Word("text", "évaluation"), Word("text", "migrants")]
    assert parsed.words == ("évaluation", "évaluations", "migrants")   # all highlighted


def test_a_query_without_function_words_takes_its_terms_language(lexicon):
    assert parse("IDP Darfur").language is None
    assert expand(parse("IDP Darfur"), lexicon).language == "en"
    assert expand(parse("déplacés internes Darfour"), lexicon).language == "fr"
    # Terms of two languages, or none: still unknown.
    assert expand(parse("IDP rapatriement volontaire"), lexicon).language is None
    assert expand(parse("Darfur camps"), lexicon).language is None
    # Function words decide first.
    assert expand(parse("les IDP du Darfour"), lexicon).language == "fr"


def test_a_chinese_query_typed_without_spaces_is_split_at_the_lexicons_terms():
    lexicon = bundled_lexicon()
    # "climate change and migration": two terms and the function word between them.
    parsed = expand(parse("气候变化与移民"))
    assert parsed.words == ("气候变化", "移民") and parsed.language == "zh"
    assert parsed.pairs == (("气候变化", "移民"),)
    assert {"climate", "change", "changement", "climatique"} <= set(parsed.related)
    # "refugees in Kenya": a country name; a leading function word goes too.
    assert lexicon.segment("在肯尼亚的难民") == ["肯尼亚", "难民"]
    # What lies between terms stays a word; a run naming no term stays whole.
    assert lexicon.segment("肯尼亚难民署办事处") == ["肯尼亚", "难民署", "办事处"]
    assert lexicon.segment("抗疫的") == ["抗疫的"]
    assert expand(parse("抗疫")) == parse("抗疫")
    # Question words go: "how to apply for asylum", "what is non-refoulement".
    assert expand(parse("如何申请庇护")).words == ("申请", "庇护")
    assert expand(parse("什么是不驱回")).words == ("不驱回",)
    assert lexicon.segment("为什么") == ["为什么"]          # nothing else: kept
    # Function characters together between terms go too; a word holding one stays.
    assert lexicon.segment("在移民与在难民") == ["移民", "难民"]
    assert lexicon.segment("难民和平") == ["难民", "和平"]



def test_russian_and_arabic_words_match_terms_whatever_their_endings_and_clitics():
    # "refugees (genitive) in Kenya (prepositional)": беженцы and Кения of the lexicon.
    parsed = expand(parse("беженцев в Кении"))
    assert parsed.language == "ru" and {"refugee", "kenya"} <= set(parsed.related)
    # "the refugees (nominative) in Kenya"; "migration and climate change", the
    # conjunction written onto the word ("وتغير").
    assert {"refugee", "kenya"} <= set(expand(parse("اللاجئون في كينيا")).related)
    assert {"migration", "climate", "change"} <= set(expand(parse("الهجرة وتغير المناخ")).related)
    # "for entering the United Kingdom": the preposition written onto a word without
    # its article ("لدخول"), which the light stemmer leaves; a name that begins with
    # one of those letters ("ليبيا", Libya) is still itself.
    assert {"entry", "united", "kingdom"} <= set(expand(parse("لدخول المملكة المتحدة")).related)
    assert "libya" in expand(parse("ليبيا")).related
    # "for the refugees": the article's ل and the word's own are one ("للاجئين").
    assert "refugee" in expand(parse("مخيم للاجئين")).related
    # English plurals still match as before; an unrelated Russian word names nothing.
    assert "réfugié" in expand(parse("refugees")).related
    assert expand(parse("погода")) == parse("погода")


def test_russian_words_are_stemmed_right_from_many_threads_at_once():
    # The web server's threads build and read the lexicon at once; a Snowball stemmer
    # holds the word it works on, so sharing one unguarded gave wrong stems and errors.
    endings = ["ами", "ого", "ему", "ыми", "ость", "ения", "ский", "ов", "ей", "ах"]
    words = [f"{stem}{i}{ending}" for i, stem in enumerate(["беженц", "мигрант", "границ",
                                                            "перемещен", "ввоз"] * 300)
             for ending in endings]
    reference = snowballstemmer.stemmer("russian")
    expected = [reference.stemWord(w) for w in words]
    lexicon_module._russian_stem.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(lexicon_module._russian_stem, words, chunksize=50))
    assert found == expected


def test_a_compounds_words_keep_their_clauses_and_alternatives():
    # "Royaume-Uni" is a country of the lexicon: each of its two clauses becomes the
    # phrase (or the word written joined), its alternatives kept where it is missing.
    parsed = expand(parse("visa au Royaume-Uni"))
    bound = Or((Phrase("text", ("royaume", "uni"), 1, 1.0 / (PHRASE_WEIGHT * 2)),
                Word("text", "royaumeuni")))
    assert len(parsed.clauses) == 3 and "visa" in surface_words(parsed.clauses[0].items[0])
    for clause in parsed.clauses[1:]:
        assert isinstance(clause, Or) and clause.items[0] == bound
        alternatives = clause.items[1]
        assert isinstance(alternatives, AndNot) and alternatives.negative == bound
        assert "kingdom" in {w for node in walk(alternatives.positive)
                             for w in surface_words(node)}
    assert {"kingdom", "royaumeuni"} <= set(parsed.related)


def test_a_misspelt_word_of_a_compound_is_left_as_typed():
    parsed = with_respellings(expand(parse("non-refoulment principle")),
                              {"refoulment": ("refoulement",)})
    assert parsed.clauses[:2] == expand(parse("non-refoulment principle")).clauses[:2]


def test_a_compound_of_two_terms_is_found_through_an_alternative_of_each():
    # "OIM" names the organisation and "évaluation" the concept, each alone: where the
    # compound "OIM-évaluation" is missing, a document must hold an alternative of
    # both, searched once (in the first clause), as the words' alternatives would be.
    parsed = expand(parse("rapport OIM-évaluation"))
    bound = Or((Phrase("text", ("oim", "évaluation"), 1, 1.0 / (PHRASE_WEIGHT * 2)),
                Word("text", "oimévaluation")))
    first, second = parsed.clauses[1:]
    assert second == bound
    assert isinstance(first, Or) and first.items[0] == bound
    joint = first.items[1]
    assert isinstance(joint, AndNot) and joint.negative == bound
    assert isinstance(joint.positive, And) and len(joint.positive.items) == 2
    oim, evaluation = ({w for node in walk(part) for w in surface_words(node)}
                       for part in joint.positive.items)
    assert "iom" in oim and "evaluación" not in oim
    assert "evaluación" in evaluation and "iom" not in evaluation
    assert {"iom", "evaluación", "oimévaluation"} <= set(parsed.related)


def test_a_compound_with_a_word_the_lexicon_lacks_keeps_no_alternatives():
    # "anti-trafficking": "anti" has no other words, so "trafficking"'s alone would
    # find any document on trafficking, not what the compound says.
    parsed = expand(parse("anti-trafficking programme"))
    bound = Or((Phrase("text", ("anti", "trafficking"), 1, 1.0 / (PHRASE_WEIGHT * 2)),
                Word("text", "antitrafficking")))
    assert parsed.clauses[:2] == (bound, bound)
    assert "traite" not in parsed.related


#: How a Glossary term qualified in parentheses is written in the lexicon: each
#: wording must be a term. Any other Glossary term must be a term as it is written.
GLOSSARY_WORDINGS = {
    "Best interests of the child (principle of)": ("best interests of the child",),
    "Caregiver (customary primary)": ("primary caregiver", "customary caregiver"),
    "Migrant stock (international)": ("international migrant stock", "migrant stock"),
    "Secondary migration/movement": ("secondary migration", "secondary movement"),
    "Smuggler (of migrants)": ("smuggler of migrants", "smuggler"),
    "Trafficker (human)": ("human trafficker", "trafficker"),
}
#: Glossary terms left out on purpose: a term expands every query holding it, and
#: these are everyday words (or name something else as often).
GLOSSARY_LEFT_OUT = {
    "Bail": "an everyday word, and a French one (a lease)",
    "Discrimination": "an everyday word; \"discrimination against migrants\" is a term",
    "Foreigner": "an everyday word; the lexicon names migrants and non-nationals",
    "Fraud": "an everyday word; \"fraudulent document\" is a term",
    "Guarantee": "an everyday word",
    "Jurisdiction": "an everyday word of law, its translations too (\"compétence\")",
    "Protection": "an everyday word; \"international protection\" and others are terms",
    "Race": "an everyday word",
    "Screening process": "\"screening\" is mostly health screening; no settled translation",
    "Significant medical condition": "everyday words; no settled French or Spanish term",
    "Tourist": "an everyday word",
    "Transit": "an everyday word; \"transit country\", \"transit visa\" are terms",
}


def test_the_terms_of_the_migration_glossary_are_terms_of_the_lexicon(corpus_real):
    # The IOM Glossary on Migration's terms, as the real corpus holds them.
    glossary = json.loads((corpus_real / "meta" / "migration.json").read_text(encoding="utf-8"))
    terms = [entry["term"] for entry in glossary]
    lexicon = bundled_lexicon()
    # A query matches a term whatever its language: "expulsion" is the French and
    # Spanish term of "deportation", so an English query for it is expanded too.
    keys = {term.key for concept in lexicon.concepts.values() for term in concept}
    missing = [(term, wording) for term in terms if term not in GLOSSARY_LEFT_OUT
               for wording in GLOSSARY_WORDINGS.get(term, (term,))
               if match_key(analyse(wording, "en")) not in keys]
    assert missing == []
    # Every exception names a term of the Glossary, and no term is both.
    assert set(GLOSSARY_LEFT_OUT) | set(GLOSSARY_WORDINGS) <= set(terms)
    assert not set(GLOSSARY_LEFT_OUT) & set(GLOSSARY_WORDINGS)
    # A term left out is not one: it would expand every query holding the word.
    assert not [term for term in GLOSSARY_LEFT_OUT if match_key(analyse(term, "en")) in keys]


@pytest.mark.parametrize(("query", "english"), [
    ("charge de la preuve", ("burden", "proof")),
    ("droit international coutumier", ("customary", "international", "law")),
    ("visa de transit", ("transit", "visa")),
    ("trafiquant d'êtres humains", ("human", "trafficker")),
    ("justicia transicional", ("transitional", "justice")),
    ("migrante objeto de tráfico ilícito", ("smuggled", "migrant")),
    ("grupo delictivo organizado", ("organized", "criminal", "group")),
    ("residencia habitual", ("habitual", "residence")),
])
def test_a_french_or_spanish_glossary_term_finds_its_english_translation(query, english):
    parsed = expand(parse(query))
    alternatives = {node.words if isinstance(node, Phrase) else (node.text,)
                    for clause in parsed.clauses for node in walk(clause)
                    if isinstance(node, Phrase | Word) and node.language == "en"}
    assert english in alternatives


@pytest.mark.parametrize("query", ["الرقة", "النازحون من الرقة", "الرقي"])
def test_an_arabic_word_sharing_a_short_terms_stem_is_not_that_term(query):
    # Raqqa and "progress" are not slavery, though "الرق" (slavery) stems as they do.
    assert "slavery" not in expand(parse(query)).related
    assert "slavery" in expand(parse("العبودية")).related


def test_every_term_of_the_lexicon_typed_as_a_query_finds_its_concept():
    # A term is read with its own language's stop words, as a query in that language
    # is: "штамп о выезде", "trabajador por cuenta propia", "high seas" each find their
    # concept's other terms.
    data = tomllib.loads(bundled_lexicon_file().read_text(encoding="utf-8"))
    lexicon = bundled_lexicon()
    unfound = [text for entry in data["concept"]
               if sum(len(entry.get(lang, [])) for lang in LANGUAGES) > 1
               for lang in LANGUAGES for text in entry.get(lang, [])
               if not expand(parse(text), lexicon).related]
    assert unfound == []


def test_an_acronyms_bonus_leaves_typo_tolerance_to_the_other_words():
    parsed = expand(parse("WHO guidlines"))
    assert parsed.acronyms == ("who",)
    respelled = with_respellings(parsed, {"guidlines": ("guidelines",)})
    assert "guidelines" in {n.text for n in walk(respelled.query) if isinstance(n, Word)}
    # The acronym's expansion is a bonus on the clause, not a clause of its own.
    assert len(respelled.clauses) == 1
    assert any(isinstance(n, Phrase) and n.words == ("world", "health", "organization")
               for n in walk(respelled.query))
    # Hits are marked on the expansion they hold, never on "who" ("those who fled").
    assert "who" not in parsed.related and "organization" in parsed.related


def test_a_russian_name_in_any_case_finds_its_country():
    # Snowball stems "Йемен" to "йем" but "Йемене" to "йемен": the inflected name is
    # looked up again under its stem's stem.
    lexicon = bundled_lexicon()
    for text, country in [("холера в Йемене", "yemen"), ("беженцы в Пакистане", "pakistan"),
                          ("беженцы из Судана", "sudan"), ("Йемен", "yemen")]:
        assert country in expand(parse(text), lexicon).related, text
    # Only the query's word is stemmed again: "суда" (a court's) is not Sudan.
    related = expand(parse("суда"), lexicon).related
    assert "sudan" not in related and "soudan" not in related and "courts" in related


def test_a_plural_in_es_or_a_feminine_finds_its_term():
    lexicon = bundled_lexicon()
    assert "mangrove" in expand(parse("restauración de manglares"), lexicon).related
    assert "refugee" in expand(parse("réfugiées"), lexicon).related
    # The word as typed comes first: "refugee" is its own term, not "refuge".
    assert "réfugié" in expand(parse("refugee"), lexicon).related


def test_territories_the_country_table_leaves_out_are_named_in_six_languages():
    lexicon = bundled_lexicon()
    names = {t.language: t.text for t in lexicon.concepts["territory-VG"]}
    assert set(names) == set(LANGUAGES) and names["es"] == "Islas Vírgenes Británicas"
    related = expand(parse("préstamos para las Islas Vírgenes Británicas"), lexicon).related
    assert {"british", "virgin", "islands"} <= set(related)
    # Countries the table holds stay one concept each; unions and "unknown" are no place.
    assert "territory-FR" not in lexicon.concepts and "country-FRA" in lexicon.concepts
    assert not {"territory-EU", "territory-UN", "territory-ZZ"} & set(lexicon.concepts)


COLLOQUIAL = """
[[concept]]
id = "cash-assistance"
en = ["cash transfers", "cash assistance"]
fr = ["transferts monétaires"]

[[colloquial]]
concept = "cash-assistance"
en = ["money instead of food", "handing out money"]
fr = ["distribution d'argent"]
"""


@pytest.fixture
def colloquial(tmp_path):
    return _lexicon_of(tmp_path, COLLOQUIAL)


def _searched(parsed) -> set[tuple[str, str | None]]:
    """(word, language) of every full-text leaf of ``parsed``'s query."""
    return {(w, n.language) for n in walk(parsed.query) for w in surface_words(n)}


def test_an_everyday_wording_finds_its_concepts_terms(colloquial):
    parsed = expand(parse("handing out money instead of food to families"), colloquial)
    searched = _searched(parsed)
    assert {("cash", "en"), ("transfers", "en"), ("transferts", "fr")} <= searched
    # what was typed is searched as typed, and nothing else of the wordings
    assert ("food", None) in searched and ("families", None) in searched
    assert not {w for w, _ in searched} & {"argent", "distribution"}


def test_an_everyday_wording_is_never_searched_for_its_concept(colloquial):
    parsed = expand(parse("cash transfers"), colloquial)
    words = {w for w, _ in _searched(parsed)}
    assert "transferts" in words
    assert not words & {"money", "handing", "instead", "argent"}
    alternatives = colloquial.alternatives(colloquial.terms(("cash", "transfers")))
    assert alternatives and not any(term.colloquial for term, _ in alternatives)


def test_an_everyday_query_finds_the_report_that_names_the_thing_formally(tmp_path,
                                                                           colloquial):
    engine = _indexed(
        tmp_path,
        _doc("cash", "Cash transfers reached 4,000 households in the camps "
             "this month, replacing in-kind rations.", "en"),
        _doc("story", "Families queue for food at the market; money is short "
             "and prices rose again.", "en"),
        _doc("fr", "Les transferts monétaires ont remplacé les rations.", "fr"),
    )
    query = "money instead of food"
    plain = [m.id for m in engine.match(MatchRequest(parse(query), limit=10)).hits]
    assert plain == ["story"]                       # without the lexicon
    found = [m.id for m in engine.match(MatchRequest(expand(parse(query), colloquial),
                                                      limit=10)).hits]
    assert set(found) == {"story", "cash", "fr"}
    engine.close()


def test_the_bundled_everyday_wordings_name_concepts_the_lexicon_holds():
    data = tomllib.loads(bundled_lexicon_file().read_text(encoding="utf-8"))
    concepts = {entry["id"] for entry in data["concept"]}
    lexicon = bundled_lexicon()
    for entry in data["colloquial"]:
        assert entry["concept"] in concepts, entry
        for language in LANGUAGES:
            for text in entry.get(language, []):
                words = tuple(analyse(text, language))
                found = lexicon.terms(words)
                assert any(t.concept == entry["concept"] for t in found), (text, language)
                # A wording of several words must not shrink to one everyday word once
                # its stop words are gone ("no rain" would make every "rain" a drought).
                assert len(words) > 1 or len(text.replace("-", " ").split()) == 1, text


def test_a_country_alias_that_is_a_word_names_no_country():
    # "EAU" (Émirats arabes unis) is the French for water.
    assert {t.concept for t in bundled_lexicon().terms(("eau",))} == {"water"}
    assert "country-ARE" in {t.concept for t in bundled_lexicon().terms(("uae",))}


@pytest.mark.parametrize("query, concept", [
    ("victims of Colombia's armed conflict", "country-COL"),     # a possessive
    ("Colombia\u2019s conflict", "country-COL"),                  # typographic apostrophe
    ("feux de forêt au Chili", "wildfire"),                        # French plural in -x
    ("feux de forêt au Chili", "country-CHL"),
])
def test_a_term_is_found_under_its_possessive_and_french_plurals(query, concept):
    lexicon = bundled_lexicon()
    parsed = parse(query)
    found = {t.concept for _, _, terms in lexicon.find(parsed.words) for t in terms}
    assert concept in found


def test_french_plurals_in_x_are_looked_up_as_their_singular(tmp_path):
    lexicon = _lexicon_of(tmp_path, '[[concept]]\nid = "h"\n'
                                    'fr = ["hôpital régional", "niveau de l\'eau"]\n'
                                    'en = ["regional hospital"]\n')
    assert lexicon.find(("hôpitaux", "régionaux"))
    assert lexicon.find(("niveaux", "eaux"))
    assert not lexicon.find(("hôpitaux", "nationaux"))


def test_a_name_typed_with_a_possessive_finds_the_documents_of_every_language(tmp_path):
    # English's stemmer drops "'s"; the Spanish analyzer would keep "colombia's", which
    # no Spanish document holds.
    engine = _indexed(
        tmp_path,
        _doc("es", "Las víctimas del conflicto en Colombia recibieron becas para "
             "estudiar en la universidad.", "es"),
        _doc("en", "Colombia's universities offered places to the victims of "
             "the conflict.", "en"),
        _doc("fr", "Les écoles du Tchad ont rouvert après les vacances.", "fr"),
    )
    for query in ("Colombia's", "Colombia\u2019s"):
        assert {h.document.id for h in engine.search(Query(query)).hits} == {"es", "en"}
    engine.close()


def test_the_last_terms_of_a_long_query_are_translated_too():
    # Every term of this query has alternatives in six languages: the budget of the
    # whole query (MAX_EXPANDED) must reach the last one, often the most telling.
    parsed = expand(parse("education and job training for victims of Colombia's armed "
                          "conflict"), dictionary=Dictionary({}))
    *_, armed, conflict = parsed.clauses
    for clause in (armed, conflict):
        items = clause.items[1].positive.items
        assert any(getattr(i, "words", ()) == ("conflicto", "armado") for i in items), items


def test_a_region_or_smaller_place_names_the_countries_it_covers():
    places = {q: expand(parse(q)).places for q in (
        "sécheresse au Sahel", "Lake Chad displacement", "refugiados en Kakuma",
        "migración en el Norte de Centroamérica", "réfugiés au Congo", "RDC", "Europe")}
    assert {"Niger", "Mali", "Chad"} <= set(places["sécheresse au Sahel"])
    assert "Kenya" not in places["sécheresse au Sahel"]
    # The longest term wins: "Lake Chad" is the basin, not the country alone.
    assert set(places["Lake Chad displacement"]) == {"Cameroon", "Chad", "Niger", "Nigeria"}
    assert places["refugiados en Kakuma"] == ("Kenya",)
    assert set(places["migración en el Norte de Centroamérica"]) \
        == {"Guatemala", "Honduras", "El Salvador"}
    # A name two countries share is about both; each one's own name about it alone,
    # the table's French and Spanish aliases too.
    assert set(places["réfugiés au Congo"]) == {"Congo", "Democratic Republic of the Congo"}
    assert places["RDC"] == ("Democratic Republic of the Congo",)
    for official in ("réfugiés en République du Congo", "refugiados en la República del Congo"):
        assert expand(parse(official)).places == ("Congo",), official
    # A continent names no countries: a document on one of fifty is not about Europe.
    assert places["Europe"] == ()


def test_the_countries_of_the_lexicons_places_are_in_the_taxonomy():
    data = tomllib.loads(bundled_lexicon_file().read_text(encoding="utf-8"))
    lexicon = bundled_lexicon()
    entries = [(e["id"], e["countries"]) for e in data["concept"] if "countries" in e]
    entries += [(e["name"], e["countries"]) for e in data["shared_name"]]
    assert len(entries) > 20
    for name, codes in entries:
        assert codes and len(codes) == len(set(codes)), name
        for code in codes:
            assert f"country-{code}" in lexicon.place_names, (name, code)
