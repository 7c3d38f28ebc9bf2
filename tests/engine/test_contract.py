"""The contract of the engine seam (``searchhub.engine.base``): what every engine
must do, tested through the seam only. Add an engine to ENGINES and it must pass."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from searchhub.engine import Engine, IndexWriter, MatchRequest, SearchEngine
from searchhub.lexicon import expand
from searchhub.models import FACET_NAMES
from searchhub.query import Or, Phrase, Word
from searchhub.query_parser import parse

from .conftest import make_doc

#: name -> function making an empty engine from the test's fixtures (the OpenSearch
#: one is skipped, with the reason, where no cluster can be had).
ENGINES = {
    "whoosh": lambda request, tmp_path: Engine(tmp_path / "index"),
    "opensearch": lambda request, tmp_path: request.getfixturevalue("make_opensearch")(),
}


def _docs():
    return [
        make_doc("a", "asylum seekers at the border crossing", agency="UNHCR",
                 regions=["Africa"], date=dt.date(2019, 5, 1)),
        make_doc("b", "asylum asylum asylum procedures and asylum law", agency="IOM",
                 regions=["Europe"], date=dt.date(2021, 5, 1)),
        make_doc("c", "labour migration and recruitment fees", agency="ILO",
                 regions=["Asia"], countries=["Côte d'Ivoire"], date=dt.date(2020, 5, 1)),
        make_doc("d", "asylum in the Americas", agency="IOM", regions=["Americas", "Europe"],
                 date=dt.date(2018, 5, 1), source_id="other"),
    ]


@pytest.fixture(params=sorted(ENGINES))
def engine(request, tmp_path):
    made = ENGINES[request.param](request, tmp_path)
    with made.writer(timeout=5.0) as writer:
        for doc in _docs():
            writer.add(doc)
    yield made
    made.close()


def _match(engine, text="", **kwargs):
    kwargs.setdefault("limit", 50)
    parsed = parse(text)
    return engine.match(MatchRequest(query=parsed if parsed.query is not None else None,
                                     **kwargs))


def _ids(matches):
    return [m.id for m in matches.hits]


def test_is_a_search_engine(engine):
    assert isinstance(engine, SearchEngine)
    with engine.writer(timeout=5.0) as writer:
        assert isinstance(writer, IndexWriter)


def test_store_and_fetch(engine):
    assert engine.count() == 4
    assert engine.get("a").title == "Document a"
    assert engine.get("a").pages == ["asylum seekers at the border crossing"]
    assert engine.get("missing") is None
    assert engine.known() == {d.id: d.content_hash for d in _docs()}
    assert set(engine.known("other")) == {"d"}


def test_writes_show_only_after_commit_and_replace_by_id(engine):
    writer = engine.writer(timeout=5.0)
    writer.add(make_doc("a", "replaced text about visas", content_hash="new"))
    writer.add(make_doc("e", "a new document on visas"))
    writer.delete("c")
    engine.refresh()
    assert engine.count() == 4 and engine.get("e") is None
    writer.commit()
    engine.refresh()
    assert engine.count() == 4
    assert engine.get("a").text == "replaced text about visas"
    assert engine.get("c") is None
    assert set(_ids(_match(engine, "visas"))) == {"a", "e"}


def test_cancelled_writer_changes_nothing(engine):
    with pytest.raises(RuntimeError), engine.writer(timeout=5.0) as writer:
        writer.add(make_doc("e", "never committed"))
        raise RuntimeError
    engine.refresh()
    assert engine.get("e") is None and engine.count() == 4


def test_no_query_matches_every_document_newest_first(engine):
    matches = _match(engine)
    assert matches.total == 4
    assert _ids(matches) == ["b", "c", "a", "d"]
    assert all(m.score == 0 for m in matches.hits)


def test_scored_by_relevance_and_by_date(engine):
    by_score = _match(engine, "asylum")
    assert set(_ids(by_score)) == {"a", "b", "d"} and by_score.total == 3
    assert _ids(by_score)[0] == "b"                 # holds the word most often
    scores = [m.score for m in by_score.hits]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    assert _ids(_match(engine, "asylum", sort="newest")) == ["b", "a", "d"]


def test_window_of_the_ranking(engine):
    full = _ids(_match(engine))
    assert _ids(_match(engine, start=1, limit=2)) == full[1:3]
    past = _match(engine, start=10, limit=2)
    assert past.hits == [] and past.total == 4


def test_filters_and_disjunctive_facets(engine):
    matches = _match(engine, "asylum", filters={"agency": ["iom"]})
    assert set(_ids(matches)) == {"b", "d"} and matches.total == 2
    facets = {name: dict(values) for name, values in matches.facets.items()}
    assert set(facets) == set(FACET_NAMES)
    # The agency facet ignores its own filter, the others honour it.
    assert facets["agency"] == {"UNHCR": 1, "IOM": 2}
    assert facets["region"] == {"Europe": 2, "Americas": 1}
    assert all(count > 0 for values in matches.facets.values() for _, count in values)
    both = _match(engine, filters={"agency": ["IOM", "ILO"], "region": ["Europe"]})
    assert set(_ids(both)) == {"b", "d"}


def test_facet_values_compare_without_case_and_accents(engine):
    for value in ("cote d'ivoire", "CÔTE D'IVOIRE", "Côte d'Ivoire"):
        assert _ids(_match(engine, filters={"country": [value]})) == ["c"]
    assert _ids(_match(engine, 'country:"cote d\'ivoire"')) == ["c"]
    assert _ids(_match(engine, filters={"country": ["Cote"]})) == []


def test_curation_as_data(engine):
    hidden = _match(engine, "asylum", hidden=frozenset({"b"}))
    assert "b" not in _ids(hidden) and hidden.total == 2
    assert dict(hidden.facets["agency"]) == {"UNHCR": 1, "IOM": 1}
    weighted = _match(engine, "asylum", weights={"d": 1000.0})
    assert _ids(weighted)[0] == "d"
    pinned = _match(engine, "asylum", pinned=("a", "c"))    # c does not match: not shown
    assert _ids(pinned)[0] == "a" and pinned.hits[0].pinned and "c" not in _ids(pinned)
    assert not any(m.pinned for m in pinned.hits[1:])


def test_relaxed_when_no_document_holds_every_word(engine):
    strict = _match(engine, "asylum border")
    assert _ids(strict) == ["a"] and not strict.relaxed
    relaxed = _match(engine, "recruitment border")
    assert relaxed.relaxed and set(_ids(relaxed)) == {"a", "c"}


def test_a_word_no_document_holds_weighs_nothing_in_the_share(engine):
    # Three words or more: a document must hold words worth MIN_SHOULD_MATCH of the
    # query's information. "zzyzx" is in no document; before, it weighed as the
    # rarest word possible, and "procedures" alone (held by "b") fell short.
    found = _match(engine, "zzyzx recruitment procedures fees")
    assert set(_ids(found)) == {"b", "c"} and not found.relaxed
    # Left with two words, the query needs both, as if they were typed alone; it says
    # so when no document holds both.
    assert _ids(_match(engine, "zzyzx asylum border")) == ["a"]
    both = _match(engine, "zzyzx recruitment border")
    assert both.relaxed and set(_ids(both)) == {"a", "c"}
    # Two words typed stay "all of them".
    assert _match(engine, "zzyzx recruitment").relaxed


def test_vocabulary(engine):
    vocabulary = engine.vocabulary()
    assert "asylum" in set(vocabulary.words_from("a"))
    assert all(word.startswith("b") for word in vocabulary.words_from("b"))
    assert vocabulary.frequency("asylum") == 3
    assert vocabulary.frequency("nothing") == 0
    assert vocabulary.holds("asylum") and vocabulary.holds("Asylum")
    assert vocabulary.holds("crossings")                  # stemmed
    assert not vocabulary.holds("asylim")
    assert engine.vocabulary() is vocabulary              # same while unchanged
    with engine.writer(timeout=5.0) as writer:
        writer.add(make_doc("e", "zebra"))
    engine.refresh()
    assert engine.vocabulary() is not vocabulary
    assert "zebra" in set(engine.vocabulary().words_from("z"))


def test_each_hit_carries_the_words_it_matched(engine):
    hits = {m.id: m.terms for m in _match(engine, "asylum OR labour", limit=10).hits}
    assert hits == {"a": ("asylum",), "b": ("asylum",), "c": ("labour",), "d": ("asylum",)}
    # Plain words, relaxed: each hit holds one of the two.
    hits = {m.id: m.terms for m in _match(engine, "asylum migration", limit=10).hits}
    assert hits["c"] == ("migration",) and hits["a"] == ("asylum",)
    # Facet clauses and excluded words are not matched words.
    hits = {m.id: m.terms for m in _match(engine, "asylum agency:IOM -law", limit=10).hits}
    assert hits == {"d": ("asylum",)}
    # Nothing to match on: no words.
    assert all(m.terms == () for m in _match(engine, "", limit=10).hits)


def test_lower_weighted_alternatives_of_a_plain_clause(engine):
    """A lexicon-expanded plain query (``searchhub.lexicon``): each clause an Or of the
    typed word and weaker alternatives; a document holding only an alternative matches,
    ranks below those holding the typed word, and says which words it matched."""
    plain = parse("asylum")
    clause = Or((Word("text", "asylum"),
                 Phrase("text", ("labour", "migration"), 1, 0.05),
                 Word("text", "recruitment", 0.1)))
    parsed = dataclasses.replace(plain, query=clause, clauses=(clause,),
                                 related=("labour", "migration", "recruitment"))
    matches = engine.match(MatchRequest(query=parsed, limit=10))
    assert _ids(matches)[-1] == "c" and set(_ids(matches)) == {"a", "b", "c", "d"}
    terms = {m.id: set(m.terms) for m in matches.hits}
    assert terms["c"] == {"labour", "migration", "recruitment"}
    assert terms["a"] == {"asylum"}


@pytest.fixture(params=sorted(ENGINES))
def synonyms(request, tmp_path):
    """Two documents as long as each other, one holding two names of a thing."""
    made = ENGINES[request.param](request, tmp_path)
    with made.writer(timeout=5.0) as writer:
        writer.add(make_doc("both", "tent shelter", title="Note"))
        writer.add(make_doc("one", "shelter camp", title="Note"))
        writer.add(make_doc("none", "camp food", title="Note"))
    yield made
    made.close()


def test_alternatives_with_a_tie_score_the_best_of_them_plus_a_share_of_the_rest(synonyms):
    """``Or.tie`` (the lexicon's alternatives of one term): a document scores the best
    of the items it matches plus ``tie`` times the others, not their sum (dis_max)."""
    plain = parse("tent")

    def scores(tie):
        clause = Or((Word("text", "tent"), Word("text", "shelter")), tie)
        parsed = dataclasses.replace(plain, query=clause, clauses=(clause,))
        return {m.id: m.score for m in synonyms.match(MatchRequest(query=parsed, limit=10)).hits}

    summed, best, shared = scores(None), scores(0.0), scores(0.5)
    assert set(summed) == set(best) == set(shared) == {"both", "one"}
    shelter = summed["one"]              # "shelter" alone, in a document as long
    tent = summed["both"] - shelter      # the rarer word: the better of the two
    assert tent > shelter > 0
    assert best["one"] == pytest.approx(shelter, rel=1e-3)
    assert best["both"] == pytest.approx(tent, rel=1e-3)
    assert shared["both"] == pytest.approx(tent + 0.5 * shelter, rel=1e-3)


@pytest.fixture(params=sorted(ENGINES))
def bilingual(request, tmp_path):
    """An English report that also holds French, a French note and an English one."""
    made = ENGINES[request.param](request, tmp_path)
    with made.writer(timeout=5.0) as writer:
        writer.add(make_doc("both", "asylum report", languages=["en", "fr"]))
        writer.add(make_doc("fr", "asile", language="fr", languages=["fr"]))
        writer.add(make_doc("en", "asylum"))          # declared: no languages detected
    yield made
    made.close()


def test_a_document_is_found_under_each_of_its_languages(bilingual):
    assert set(_ids(_match(bilingual, filters={"language": ["fr"]}))) == {"both", "fr"}
    assert set(_ids(_match(bilingual, filters={"language": ["en"]}))) == {"both", "en"}
    assert dict(_match(bilingual).facets["language"]) == {"en": 2, "fr": 2}


def test_a_corrected_language_is_a_documents_only_one(bilingual):
    matches = _match(bilingual, facet_values={"both": {"language": ["es"]}})
    assert dict(matches.facets["language"]) == {"en": 1, "fr": 1, "es": 1}
    fixed = _match(bilingual, filters={"language": ["fr"]},
                   facet_values={"both": {"language": ["es"]}})
    assert _ids(fixed) == ["fr"]


@pytest.fixture(params=sorted(ENGINES))
def romance(request, tmp_path):
    """A Spanish and an English report on the same thing, and an English one on another."""
    made = ENGINES[request.param](request, tmp_path)
    with made.writer(timeout=5.0) as writer:
        writer.add(make_doc("es", "la vulnerabilidad económica de las familias",
                            language="es", languages=["es"]))
        writer.add(make_doc("en", "the economic vulnerability of families"))
        writer.add(make_doc("other", "floods destroyed the harvest"))
    yield made
    made.close()


def test_a_spanish_query_finds_the_english_report_through_cognates(romance):
    """``searchhub.cognates``: "vulnerabilidad económica" is also searched as English
    "vulnerability", "economic" (in English documents only), weaker than the typed words."""
    parsed = expand(parse("vulnerabilidad económica"))
    matches = romance.match(MatchRequest(query=parsed, limit=10))
    assert _ids(matches) == ["es", "en"]
    assert {"vulnerability", "economic"} <= set(matches.hits[1].terms)
