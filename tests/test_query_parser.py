"""The query parser's output, engine-neutral: the tree each piece of syntax becomes."""

from __future__ import annotations

import re

import pytest

from searchhub.query import (
    And,
    AndMaybe,
    AndNot,
    Not,
    Or,
    Phrase,
    Prefix,
    Range,
    Wildcard,
    Word,
    surface_words,
    walk,
)
from searchhub.query_parser import MAX_CLAUSES, MAX_PAIRS, MAX_QUERY_CHARS, parse
from searchhub.stopwords import INDEX_STOPWORDS, STOPWORDS


def text(*words: str) -> tuple[Word, ...]:
    return tuple(Word("text", w) for w in words)


def test_plain_words_are_one_clause_each_with_neighbouring_pairs():
    parsed = parse("Health care for migrants, health")
    assert parsed.simple
    assert parsed.clauses == text("health", "care", "migrants")
    assert parsed.query == Or(text("health", "care", "migrants"))
    assert parsed.pairs == (("health", "care"), ("care", "migrants"))
    assert parsed.words == ("health", "care", "migrants")
    assert parsed.notices == ()


def test_one_plain_word():
    parsed = parse("Migration")
    assert parsed.query == Word("text", "migration")
    assert parsed.clauses == text("migration") and parsed.pairs == ()


def test_lowercase_operators_are_words_and_stop_words_go():
    assert parse("migration and return").clauses == text("migration", "return")
    assert parse("Not migration").clauses == text("migration")


def test_operators_and_their_precedence():
    m, r, s = text("migration", "return", "staff")
    assert parse("migration AND return").query == And((m, r))
    assert parse("migration OR return").query == Or((m, r))
    assert parse("migration NOT staff").query == And((m, Not(s)))
    assert parse("migration ANDNOT staff").query == AndNot(m, s)
    assert parse("migration ANDMAYBE return").query == AndMaybe(m, r)
    assert parse("NOT migration").query == Not(m)
    # AND binds tighter than OR; clauses side by side are joined by AND last.
    assert parse("staff OR migration AND return").query == Or((s, And((m, r))))
    assert parse("staff migration OR return").query == And((s, Or((m, r))))
    assert parse("migration OR return ANDNOT staff").query == AndNot(Or((m, r)), s)


def test_parentheses_group():
    c, d, f = text("climate", "drought", "flood")
    assert parse("climate AND (drought OR flood)").query == And((c, Or((d, f))))
    assert parse("((climate))").query == c
    assert parse("NOT (drought OR flood)").query == Not(Or((d, f)))


def test_plus_and_minus():
    m, r, h = text("migration", "return", "health")
    assert parse("migration -return").query == AndNot(m, r)
    assert parse("+migration +return").query == And((m, r))
    assert parse("+migration -return health").query == AndNot(AndMaybe(m, h), r)
    # A dash inside a word joins its parts; alone, it is punctuation.
    assert parse("re-integration").clauses == text("re", "integration")
    assert parse("migration - return").clauses == text("migration", "return")
    # Nothing left but what is excluded: nothing to search for.
    assert parse("-migration").query is None


def test_phrases():
    assert parse('"return and reintegration"').query == Phrase(
        "text", ("return", "reintegration"))
    assert parse('"health care"~3').query == Phrase("text", ("health", "care"), slop=3)
    assert parse('"Migration"').query == Word("text", "migration")
    assert parse('title:"visa requirements"').query == Phrase("title", ("visa", "requirements"))


def test_fields():
    assert parse("title:visa").query == Word("title", "visa")
    assert parse("body:visa").query == Word("text", "visa")
    assert parse("Agency:IOM").query == Word("agency", "iom")
    assert parse("organisation:IOM").query == Word("agency", "iom")
    assert parse('country:"South Sudan"').query == Word("country", "south sudan")
    assert parse("agency:IOM,UNHCR").query == And((Word("agency", "iom"),
                                                   Word("agency", "unhcr")))
    assert parse("title:(visa OR passport)").query == Or((Word("title", "visa"),
                                                          Word("title", "passport")))
    assert parse("reintegration agency:UNHCR").query == And((Word("text", "reintegration"),
                                                             Word("agency", "unhcr")))
    # Facet values are not words to highlight.
    assert parse("reintegration agency:UNHCR").words == ("reintegration",)


def test_ranges():
    assert parse("year:[2015 TO 2020]").query == Range("year", "2015", "2020")
    assert parse("year:{2015 TO 2020}").query == Range("year", "2015", "2020", True, True)
    assert parse("year:[2015 TO]").query == Range("year", "2015", None)
    assert parse("year:[TO 2015]").query == Range("year", None, "2015")
    assert parse("year:2019").query == Word("year", "2019")


def test_prefixes_wildcards_and_boosts():
    assert parse("Migra*").query == Prefix("text", "migra")
    assert parse("title:visa*").query == Prefix("title", "visa")
    assert parse("agency:IO*").query == Prefix("agency", "io")
    assert parse("migr?nt").query == Wildcard("text", "migr?nt")
    assert parse("mi*ra").query == Wildcard("text", "mi*ra")
    assert surface_words(Wildcard("text", "mi*ra")) == ("mi", "ra")
    assert parse("migration^2 return").query == And((Word("text", "migration", 2.0),
                                                     Word("text", "return")))
    assert parse("(migration return)^2").query == And((Word("text", "migration", 2.0),
                                                       Word("text", "return", 2.0)))
    for everything in ("*", "*:*", "**"):
        assert parse(everything).query is None


def test_question_mark_ends_a_question():
    parsed = parse("What documents do I need to enter the UK?")
    assert parsed.clauses == text("documents", "need", "enter", "uk")


def test_words_to_highlight_come_from_the_tree():
    assert parse('"health care" migrants NOT staff').words == (
        "health", "care", "migrants", "staff")
    assert parse("year:[2018 TO 2020] migration").words == ("migration",)


def test_language_of_the_query():
    assert parse("la migración laboral").language == "es"
    assert parse("trafic des migrants").language == "fr"
    assert parse("migration").language is None          # one word does not tell
    # ... unless a letter or an ending only one language has does.
    assert parse("migración").language == "es" and parse("vulnerabilidad").language == "es"
    assert parse("sécurité").language == "fr"
    assert parse("informalidad laboral").language == "es"


def test_question_words_tell_the_language_and_are_dropped():
    # "de" and "en" are French and Spanish alike: "combien" and "sont" decide, and the
    # French question keeps only what it asks about (before, it was read in no language
    # and "combien" and "sont" were searched, so the English report on deaths in the
    # Mediterranean was not found at all).
    asked = parse("Combien de migrants sont morts en Méditerranée ?")
    assert asked.language == "fr"
    assert asked.words == ("migrants", "morts", "méditerranée")
    assert parse("¿Dónde pedir asilo en Madrid?").language == "es"
    assert parse("How many migrants died in the Mediterranean?").language == "en"
    assert parse("retour volontaire depuis la Libye").language == "fr"
    assert parse("migrantes venezolanos en Colombia").language is None  # "en" alone


@pytest.mark.parametrize("query", ["NOT NOT x", "x NOT NOT", "x ANDNOT ANDNOT y",
                                   "migration AND OR return", "(" * 40 + "migration"])
def test_unreadable_syntax_is_read_as_words_with_a_notice(query):
    parsed = parse(query)
    assert any("could not be read as search syntax" in n for n in parsed.notices)
    assert parsed.simple and all(isinstance(c, Word) for c in parsed.clauses)
    assert not any(isinstance(node, Not) for node in walk(parsed.query))


@pytest.mark.parametrize("query", ["AND", "OR NOT", "NOT", "NOT AND", "the of and", '"the"'])
def test_nothing_to_search_for_says_so(query):
    parsed = parse(query)
    assert parsed.query is None
    assert any("only very common words" in n for n in parsed.notices)


@pytest.mark.parametrize("query", [
    '"return and reintegration', "(return OR staff", "return OR staff)", ")x(", "x (y",
    "migration AND", "OR migration", "ANDNOT migration"])
def test_dangling_syntax_is_tolerated(query):
    parsed = parse(query)
    assert parsed.notices == ()
    assert "migration" in parsed.words or "return" in parsed.words or "x" in parsed.words


@pytest.mark.parametrize("query", [
    "((((", "-", "+", "?", ":", "~2 ^3 {}[]", "[]{}^~", "\x00", "🙂🌍", "year:[2018 TO",
    "year:[abc TO def]", 'country:"South', "title:", "agency:", "x:y:z", "a\x00b",
    "\u202e😀", "%ff%fe", "x^", "x^abc", '"a b"~x', "))))((((", "NOT (", "( NOT )",
    "+-+-x", "-(x)", "AND NOT OR NOT", "[x TO y]", "title:[a TO b]"])
def test_hostile_input_gives_a_query(query):
    parsed = parse(query)
    assert parsed.query is None or list(walk(parsed.query))


def test_bounds():
    parsed = parse("migration " * 200)
    assert any("shortened" in n for n in parsed.notices)
    assert parsed.clauses == text("migration")
    many = parse(" ".join(f"w{i}" for i in range(100)))
    assert len(many.clauses) == MAX_CLAUSES and len(many.pairs) == MAX_PAIRS
    assert any(f"first {MAX_CLAUSES} words" in n for n in many.notices)
    assert len(parse("x" * (MAX_QUERY_CHARS + 5)).clauses[0].text) == MAX_QUERY_CHARS


def test_unknown_fields_are_words_with_a_notice():
    parsed = parse("foo:bar")
    assert parsed.clauses == text("foo", "bar")
    assert any("Unknown field foo" in n for n in parsed.notices)


def test_stop_words_are_whooshs():
    from whoosh.lang import stopwords_for_language

    snowball = frozenset().union(*(stopwords_for_language(lang)
                                   for lang in ("en", "fr", "es", "ru")))
    assert snowball <= STOPWORDS
    assert all(re.fullmatch("[\u0600-\u06ff]+", word) for word in STOPWORDS - snowball)
    # The English words Whoosh's StopFilter drops in every language besides its own.
    from whoosh.analysis.filters import STOP_WORDS
    assert frozenset(STOP_WORDS) == INDEX_STOPWORDS


def test_russian_and_arabic_function_words_go():
    assert parse("торговля людьми в Европе").clauses == text("торговля", "людьми", "европе")
    assert parse("اللاجئون في كينيا").clauses == text("اللاجئون", "كينيا")
    assert parse("كيف أطلب اللجوء؟").clauses == text("أطلب", "اللجوء")
    assert parse("Какие документы нужны для въезда в Великобританию?").clauses == text(
        "документы", "въезда", "великобританию")


def test_french_elisions_and_question_words_go():
    assert parse("Quels documents faut-il pour entrer au Royaume-Uni ?").clauses == text(
        "documents", "entrer", "royaume", "uni")
    assert parse("¿Cuántos niños migrantes fueron detenidos?").clauses == text(
        "niños", "migrantes", "detenidos")
    assert parse("méta-évaluation de l'OIM").clauses == text("méta", "évaluation", "oim")
    # English "how many" / "how much" ask as "combien" and "cuántos" do.
    assert parse("How many families were affected by the storm?").clauses == text(
        "families", "affected", "storm")
    assert parse("how much funding").words == ("funding",)
    assert parse("many").words == ("many",)
    # Only in the query's own language ("comment" is an English word too), and never
    # the last word standing.
    assert "comment" in parse("public comment on the migration rules").words
    assert parse("comment faut").words


def test_an_english_possessive_goes_from_the_word():
    assert parse("Colombia's armed conflict").clauses == text("colombia", "armed", "conflict")
    assert parse("Somalia\u2019s camps").clauses == text("somalia", "camps")
    # Only a final "'s" after letters: an elision inside a word stays what it is.
    assert parse("aujourd'hui").clauses == text("aujourd'hui")


def test_an_elided_article_says_french():
    assert parse("l'OIM Niger").language == "fr"


def test_a_query_in_a_cjk_script_is_in_its_language_even_as_one_word():
    assert parse("气候变化与移民").language == "zh"
    assert parse("難民 支援").language == "zh"           # Han alone reads as Chinese
    assert parse("難民キャンプ").language == "ja"
    assert parse("난민 캠프").language == "ko"
    assert parse("refugees").language is None
    assert parse("беженцы").language == "ru" and parse("اللاجئين").language == "ar"


@pytest.mark.parametrize("text,expected", [
    ("Qu'est-ce que le principe de non-refoulement ?", (("non", "refoulement"),)),
    ("visa au Royaume‑Uni", (("royaume", "uni"),)),           # a non-breaking hyphen
    ("COVID-19 mother-to-child", (("covid", "19"), ("mother", "child"))),
    ("refugees - and migrants", ()),                          # a dash between words
    ("EU-IOM Joint Initiative", (("eu", "iom"),)),            # "eu": French stop word only
    ("Qu'est-ce que l'OIM", ()),                              # "est", "ce" stop words
])
def test_hyphenated_compounds_are_recorded(text, expected):
    assert parse(text).compounds == expected


@pytest.mark.parametrize(("query", "found"), [
    ("WHO guidelines on migrant health", ("who",)),
    ("WHO", ("who",)),
    ("migrants in the US", ("us",)),
    ("les migrants aux US", ("us",)),
    ("WHO IS A REFUGEE", ()),              # all in capitals: no acronym to tell
    ("who is a refugee", ()),
    ("UNHCR report", ()),                  # no stop word: an ordinary clause
    ("What documents do I need", ()),      # one letter
])
def test_stop_words_typed_in_capitals_are_kept_as_acronyms(query, found):
    assert parse(query).acronyms == found


@pytest.mark.parametrize(("query", "words"), [
    # Another language's stop words are words here: Spanish "sea", "era", "el", French "eu".
    ("rescue at sea", ("rescue", "sea")),
    ("the era of migration", ("era", "migration")),
    ("refugees from El Salvador", ("refugees", "el", "salvador")),
    ("migration policy of the eu", ("migration", "policy", "eu")),
    # Even typed in capitals ("WHO"): the index drops it from that language's documents.
    ("WHO guidelines on migrant health", ("guidelines", "migrant", "health")),
    # And those the index drops in every language: "us", "may", "yet" (Whoosh's list).
    ("migrants in the US", ("migrants",)),
    ("floods in May 2024", ("floods", "2024")),
    ("les migrants aux US", ("migrants",)),
    ("الولايات المتحدة US", ("الولايات", "المتحدة", "us")),  # Arabic keeps all words
    ("THE MIGRATION REPORT", ("migration", "report")),
    ("WHO 移民健康", ("移民健康",)),
    ("title:(EU policy)", ("eu", "policy")),
    ("WHO AND guidelines", ("guidelines",)),
    ('"WHO guidelines" -draft', ("guidelines", "draft")),
    ("the* migration", ("migration",)),                       # a pattern of a stop word
    # The query's own language's stop words go, "les" with French's.
    ("Quelles sont les conditions du statut de réfugié", ("conditions", "statut", "réfugié")),
    ("los niños en la frontera", ("niños", "frontera")),
    # Of no known language: English's, and those of two lists or more ("son", "la").
    ("Mediterranean Sea crossings", ("mediterranean", "sea", "crossings")),
    ("la sea crossing", ("sea", "crossing")),
])
def test_a_query_drops_the_stop_words_of_its_own_language(query, words):
    assert parse(query).words == words
