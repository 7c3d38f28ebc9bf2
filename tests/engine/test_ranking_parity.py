"""The ranking ideas both engines express the same way, checked on each (scores compared
as ratios, which leave out how each engine encodes document lengths): words side by
side multiply a score by 1 + PROXIMITY, a quoted phrase scores as its words times
PHRASE_WEIGHT, rarity counts every document, a word lacking costs its share."""

from __future__ import annotations

import pytest

from searchhub.engine.opensearch_query import PROXIMITY
from searchhub.engine.schema import (
    K1,
    OWN_LANGUAGE_ENOUGH,
    B,
    missing_word_factors,
    share_weights,
)
from searchhub.engine.whoosh_engine import PROXIMITY as WHOOSH_PROXIMITY
from searchhub.query import PHRASE_WEIGHT

from .conftest import make_doc, search


def _scores(engine, text: str) -> dict[str, float]:
    return {hit.document.id: hit.score for hit in search(engine, text).hits}


def _others(count: int) -> list:
    """Documents on something else, so that the words of a test's query are rare."""
    return [make_doc(f"other{i}", f"Labour rights and recruitment fees in country {i}.",
                     title=f"Other {i}") for i in range(count)]


def test_both_engines_weigh_proximity_alike():
    assert PROXIMITY == WHOOSH_PROXIMITY


def test_words_side_by_side_multiply_the_score(make_any_engine):
    # The same words and lengths: only the order differs, so BM25 scores are equal.
    engine = make_any_engine([
        make_doc("together", "health care offered nearby", title="Report alpha"),
        make_doc("apart", "health offered nearby care", title="Report gamma"),
    ])
    scores = _scores(engine, "health care")
    assert scores["together"] / scores["apart"] == pytest.approx(1 + PROXIMITY, rel=1e-3)


def test_a_stop_word_between_still_counts_as_side_by_side(make_any_engine):
    # Whoosh numbers the words left after stop words: "care for migrants" holds
    # "care migrants" side by side.
    engine = make_any_engine([
        make_doc("together", "care for migrants offered nearby", title="Report alpha"),
        make_doc("apart", "migrants offered for nearby care", title="Report gamma"),
    ])
    scores = _scores(engine, "care migrants")
    assert scores["together"] / scores["apart"] == pytest.approx(1 + PROXIMITY, rel=1e-3)


def test_each_pair_counts_for_its_share(make_any_engine):
    engine = make_any_engine([
        make_doc("one", "health care offered daily nearby", title="Report alpha"),
        make_doc("none", "health offered daily nearby care", title="Report gamma"),
    ])
    # Pairs (health, care) and (care, offered): "one" holds both, "none" neither.
    scores = _scores(engine, "health care offered")
    assert scores["one"] / scores["none"] == pytest.approx(1 + PROXIMITY, rel=1e-3)
    # Pairs (health, care), (care, nearby): "one" holds the first only.
    scores = _scores(engine, "health care nearby")
    assert scores["one"] / scores["none"] == pytest.approx(1 + PROXIMITY / 2, rel=1e-3)


def test_a_phrase_scores_as_its_words_weighted(make_any_engine):
    engine = make_any_engine([
        make_doc("a", "health care offered nearby", title="Report alpha"),
        make_doc("b", "health offered nearby care", title="Report gamma"),
    ])
    # Each word once: the phrase is as frequent as its words.
    phrase = _scores(engine, '"health care"')
    assert set(phrase) == {"a"}
    # The plain query: the same words' scores, times 1 + PROXIMITY for the pair.
    plain = _scores(engine, "health care")
    assert phrase["a"] / plain["a"] == pytest.approx(PHRASE_WEIGHT / (1 + PROXIMITY), rel=1e-3)


def test_rarity_counts_every_document_as_in_whoosh(make_engine, make_opensearch):
    # "camp" in one French document among few: OpenSearch's BM25 alone would count its
    # rarity among the French documents only.
    # (No stop words: the engines' lists differ, and with them the lengths.)
    docs = [make_doc("fr", "camp réfugiés", language="fr"),
            make_doc("en1", "camp people"),
            make_doc("en2", "camp families"),
            make_doc("en3", "nothing kind"),
            make_doc("en4", "nothing similar")]
    whoosh = make_engine(docs)
    opensearch = make_opensearch()
    with opensearch.writer() as writer:
        for doc in docs:
            writer.add(doc)
    ratios = []
    for engine in (whoosh, opensearch):
        scores = _scores(engine, "camp")
        ratios.append(scores["fr"] / scores["en1"])
    assert ratios[1] == pytest.approx(ratios[0], rel=1e-3)


def test_typographic_apostrophe_in_english(make_any_engine):
    engine = make_any_engine([make_doc("a", "Refugee camps of Cox’s Bazar"),
                              make_doc("b", "Refugee camps elsewhere")])
    assert [h.document.id for h in search(engine, "Cox's Bazar").hits] == ["a"]


FRENCH_CLIMATE = ("Le changement climatique pousse à la migration dans la région ; le rapport "
                  "étudie comment les gens partent quand la terre s'assèche, avec des "
                  "partenaires.")


def _climate(make_any_engine, english: int):
    """A French note, ``english`` English reports on climate and migration, and twenty
    documents on something else. The French note matches the English words through
    the French stemmer, and scores above the English reports on those alone."""
    docs = [make_doc("fr", FRENCH_CLIMATE, title="Note fr", language="fr")]
    docs += [make_doc(f"en{i}", f"Climate change drives migration in region {i}; the "
                      "report studies how migration grows as the climate changes.",
                      title=f"Note en{i}") for i in range(english)]
    docs += _others(20)
    return make_any_engine(docs)


def test_documents_in_the_querys_language_rank_first_when_they_answer_it(make_any_engine):
    assert OWN_LANGUAGE_ENOUGH == 5
    engine = _climate(make_any_engine, english=5)
    ids = [h.document.id for h in search(engine, "climate change and migration").hits]
    assert ids[-1] == "fr" and len(ids) == 6


def test_other_languages_keep_their_place_when_the_querys_does_not_answer_it(
        make_any_engine):
    # Four English reports are fewer than enough: the French note keeps its score.
    engine = _climate(make_any_engine, english=4)
    ids = [h.document.id for h in search(engine, "climate change and migration").hits]
    assert ids[0] == "fr" and len(ids) == 5


def test_a_phrase_matches_across_the_stop_words_of_each_gap(make_any_engine):
    # The parser drops "to", "the" and "of": three stop words in two gaps.
    engine = make_any_engine([
        make_doc("convention", "The Convention relating to the Status of Refugees was "
                 "adopted in 1951.", title="Report alpha"),
        make_doc("scattered", "The Convention on refugees relating to trade, its status "
                 "unclear.", title="Report gamma"),
    ])
    ids = [h.document.id for h in
           search(engine, '"Convention relating to the Status of Refugees"').hits]
    assert ids == ["convention"]


def test_chinese_typed_without_spaces_finds_its_words_apart(make_any_engine):
    # "上海电子商务" (Shanghai e-commerce) as one run: its bigram 海电, where the two
    # words meet, is in neither document; the first holds the other four.
    engine = make_any_engine([
        make_doc("ecommerce", "上海的电子商务发展很快。", title="报告", language="zh"),
        make_doc("shanghai", "上海的天气很好。", title="天气", language="zh"),
    ])
    ids = [h.document.id for h in search(engine, "上海电子商务").hits]
    assert ids == ["ecommerce"]


def test_a_misspelt_word_counts_as_the_word_it_stands_for(make_any_engine):
    # "kakumma" is in no document: its respelling "kakuma" weighs what the word typed
    # right would, so the document holding it keeps its score and its place.
    engine = make_any_engine([
        make_doc("kakuma", "Kakuma hosts many families; the settlement grew this year.",
                 title="Report one"),
        make_doc("camp", "The refugee camp and its host community share water.",
                 title="Report two"),
        *_others(10),
    ])
    right = _scores(engine, "kakuma refugee camp")
    typed = _scores(engine, "kakumma refugee camp")
    assert set(typed) == {"kakuma", "camp"}
    assert typed == pytest.approx(right, rel=1e-3)


def test_a_hyphenated_compound_is_found_only_as_one(make_any_engine):
    # "non-refoulement": "non" and "refoulement" apart, or "non" alone, are not what was
    # asked for; written as one word it is. Each has the principle's other words.
    engine = make_any_engine([
        make_doc("hyphen", "The principle of non-refoulement binds every State.",
                 title="Report one"),
        make_doc("joined", "The principle of nonrefoulement binds every State.",
                 title="Report two"),
        make_doc("apart", "The principle holds: no refoulement, non-binding advice aside.",
                 title="Report three"),
        make_doc("non", "The principle of non-binding advice binds no State.",
                 title="Report four"),
        *_others(10),
    ])
    found = _scores(engine, "non-refoulement principle")
    plain = _scores(engine, "non refoulement principle")
    assert set(found) == {"hyphen", "joined"}
    assert {"hyphen", "apart", "non"} <= set(plain)
    # The phrase weighs what its words would: the same score as the plain query's.
    assert found["hyphen"] == pytest.approx(plain["hyphen"], rel=1e-3)


def test_a_compound_of_two_terms_finds_its_translation_after_its_own_language(
        make_any_engine):
    # "UE-OIM" is the EU and IOM: an English report on the "EU-IOM" initiative answers
    # a French query, after the French report holding the compound and before an
    # English one naming the EU alone (shorter, so it would lead on BM25 otherwise).
    engine = make_any_engine([
        make_doc("fr", "Évaluation de l'initiative UE-OIM pour la réintégration des migrants.",
                 title="Initiative UE-OIM", language="fr"),
        make_doc("en", "Evaluation of the EU-IOM Joint Initiative for migrant "
                       "protection and reintegration in the Sahel.",
                 title="EU-IOM Joint Initiative"),
        make_doc("eu", "EU reintegration grants.", title="Grants"),
        *_others(10),
    ])
    ranked = [hit.document.id for hit in search(engine, "réintégration UE-OIM").hits]
    assert ranked[:2] == ["fr", "en"]
    assert "eu" not in ranked or ranked.index("eu") > ranked.index("en")


def test_a_stop_word_typed_in_capitals_hides_no_document_of_the_querys_language(
        make_any_engine):
    # "WHO" is an English stop word: the index drops it from English documents, so a
    # query keeping it found only the French one holding "WHO" and "guidelines".
    engine = make_any_engine([
        make_doc("en", "WHO guidelines on migrant health care in transit countries.",
                 title="Guidelines on migrant health"),
        make_doc("fr", "Les guidelines de la WHO sur la santé des migrants en transit.",
                 title="Santé des migrants", language="fr"),
        *_others(10),
    ])
    assert {"en", "fr"} <= {h.document.id for h in search(engine, "WHO guidelines").hits}


def test_an_acronym_the_index_drops_is_searched_as_its_expansion(make_any_engine):
    # "WHO" typed in capitals names the World Health Organization: a document naming it
    # so ranks first; one writing only "WHO" (dropped from it) is still found on its
    # other words, and the French one under "OMS".
    engine = make_any_engine([
        make_doc("named", "The World Health Organization guidelines on migrant health "
                 "in transit countries.", title="Guidelines on migrant health"),
        make_doc("acronym", "WHO guidelines on migrant health in transit countries, "
                 "with partners.", title="Guidelines on migrant health"),
        make_doc("plain", "Guidelines on migrant health in transit countries, with "
                 "partners and donors.", title="Guidelines on migrant health"),
        make_doc("fr", "Les lignes directrices de l'OMS sur la santé des migrants.",
                 title="Santé des migrants", language="fr"),
        make_doc("other", "The World Health Organization opened an office.",
                 title="News"),
        *_others(10),
    ])
    ranked = [h.document.id for h in search(engine, "WHO guidelines migrant health").hits]
    assert ranked[0] == "named"
    assert {"acronym", "plain"} <= set(ranked)
    # Alone, it is the query: no "only very common words", every naming of it found.
    page = search(engine, "WHO")
    assert {h.document.id for h in page.hits} == {"named", "fr", "other"}
    assert not page.notices
    # Not in a query typed all in capitals, nor typed in lower case.
    assert _scores(engine, "WHO GUIDELINES") == _scores(engine, "GUIDELINES")
    assert _scores(engine, "who guidelines") == _scores(engine, "guidelines")


def test_a_word_the_index_drops_in_every_language_hides_no_document(make_any_engine):
    # "us" is on the list Whoosh drops in every language besides that language's own:
    # a query keeping it found only a document of no known language holding "US".
    engine = make_any_engine([
        make_doc("en", "Migrants in the US face new rules at the border with Mexico.",
                 title="Migrants in the US"),
        make_doc("und", "Migrants US border report.", title="Report", language="und"),
        *_others(10),
    ])
    assert "en" in {h.document.id for h in search(engine, "migrants in the US").hits}


def test_a_chinese_query_typed_without_spaces_finds_english_and_chinese_documents(
        make_any_engine):
    # "Climate change and migration", typed as Chinese is, without spaces: its lexicon
    # terms are searched apart, and in their translations.
    engine = make_any_engine([
        make_doc("en", "Climate change drives migration from the dry north. The report "
                 "was written with partners in the region.", title="Report one"),
        make_doc("zh", "报告指出，气候变化使农业收入下降，许多家庭因此考虑移民到城市。",
                 title="报告", language="zh"),
        make_doc("other", "Refugees in Chad receive emergency aid. The report was written "
                 "with partners in the region.", title="Report two"),
    ])
    assert [h.document.id for h in search(engine, "气候变化与移民").hits] == ["zh", "en"]


@pytest.mark.parametrize("query", ["беженцев в Кении", "اللاجئون في كينيا"])
def test_a_russian_or_arabic_query_finds_the_english_report(make_any_engine, query):
    # Inflected Russian and Arabic with its article: the lexicon's refugee and Kenya.
    engine = make_any_engine([
        make_doc("kenya", "Refugees in Kenya receive emergency aid in the camps. The report "
                 "was written with partners in the region.", title="Report one"),
        make_doc("chad", "Refugees in Chad receive emergency aid. The report was written "
                 "with partners in the region.", title="Report two"),
        make_doc("other", "Labour rights and recruitment fees in Kenya.", title="Report three"),
    ])
    assert [h.document.id for h in search(engine, query).hits][0] == "kenya"


def test_long_documents_are_discounted_alike(make_any_engine):
    """BM25's length normalisation is ``schema.B`` in both engines (OpenSearch's index
    similarity; Lucene's default of 0.75 had ranked long instruments below short news
    in OpenSearch only): a word once in a document of 200 words scores what the formula
    says against the same word once in a document of 10."""
    filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed eiusmod "
    engine = make_any_engine([
        make_doc("short", "asylum " + filler, title="Alpha"),
        make_doc("long", "asylum " + filler * 20, title="Beta"),
    ])
    scores = _scores(engine, "asylum")
    short, long = 12, 202            # words of each body: its title and its text
    avg = (short + long) / 2

    def tf_part(length):             # BM25's tf part for one occurrence
        return (K1 + 1) / (1 + K1 * (1 - B + B * length / avg))

    expected = tf_part(long) / tf_part(short)
    assert scores["long"] / scores["short"] == pytest.approx(expected, rel=0.06)
    # Lucene's default (0.75) would give a ratio a third lower.
    assert expected > 1.3 * (1 + K1 * (1 - 0.75 + 0.75 * short / avg)) / (
        1 + K1 * (1 - 0.75 + 0.75 * long / avg))


def test_a_document_lacking_a_word_loses_that_words_share(make_any_engine):
    # Invented words: no lexicon term, no stop word, never side by side. "part" lacks
    # "mespara"; searched for the two words it holds, nothing is missing (both are
    # required).
    engine = make_any_engine([
        make_doc("all", "zorvath report daily quillon notes mespara", title="Report alpha"),
        make_doc("part", "zorvath report daily quillon notes today", title="Report gamma"),
        make_doc("rare", "mespara only here", title="Report delta"),
        *_others(6),
    ])
    three = _scores(engine, "zorvath quillon mespara")
    two = _scores(engine, "zorvath quillon")
    live = engine.count()
    weights, share = share_weights([2, 2, 2], live)
    assert share < 1.0
    expected = missing_word_factors(weights)[2]
    assert expected < 0.95
    assert three["part"] / two["part"] == pytest.approx(expected, rel=1e-3)
    assert three["all"] > three["part"]
