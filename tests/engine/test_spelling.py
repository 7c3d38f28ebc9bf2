"""Did you mean at a bounded cost: what is respelt, against what, and how much of it."""

from __future__ import annotations

from collections import Counter

from searchhub.engine import spelling
from searchhub.engine.spelling import Speller

VOCABULARY = {"migrant": 40, "migrants": 90, "migration": 120, "magnet": 3, "mitigation": 7,
              "reintegration": 12, "recruitment": 30, "remittances": 25}


def make_speller(vocabulary=VOCABULARY):
    asked: Counter[str] = Counter()

    def words_from(initial):
        asked[initial] += 1
        return sorted(w for w in vocabulary if w.startswith(initial))

    return Speller(words_from, lambda word: vocabulary.get(word, 0)), asked


def suggest(speller, words):
    return speller.suggest(words, known=lambda w: w in VOCABULARY, fold=str.lower)


def test_nearest_word_wins_and_a_swap_is_one_edit():
    speller, _ = make_speller()
    assert suggest(speller, ["migrnat"]) == {"migrnat": "migrant"}      # swap: 1 edit
    assert suggest(speller, ["remitances"]) == {"remitances": "remittances"}
    assert suggest(speller, ["reintegraton"]) == {"reintegraton": "reintegration"}


def test_between_equally_near_words_the_most_common_wins():
    speller, _ = make_speller({"migrants": 90, "migrantz": 2})
    assert speller.respell("migrantx") == "migrants"


def test_among_equally_near_words_the_one_with_the_typed_letters_in_order_wins():
    # Two edits each; "trafficking" only adds letters to "trafiking", "training" and
    # "tracking" change some, so the commoner "training" loses.
    speller, _ = make_speller({"training": 37, "tracking": 9, "trafficking": 5})
    assert speller.respell("trafiking") == "trafficking"


def test_a_search_tries_the_nearest_respellings_and_did_you_mean_names_one():
    vocabulary = {"protection": 128, "proteccion": 47, "protein": 2, "projection": 1}
    speller, _ = make_speller(vocabulary)
    # Both one edit away (English and Spanish); "protein" is two.
    assert speller.respellings("protecion") == ("protection", "proteccion")
    found = speller.alternatives(["protecion"], known=vocabulary.__contains__, fold=str.lower)
    assert found == {"protecion": ("protection", "proteccion")}
    assert speller.suggest(["protecion"], known=vocabulary.__contains__,
                           fold=str.lower) == {"protecion": "protection"}
    many = {f"abcdef{c}": 1 for c in "ghijk"}
    assert len(make_speller(many)[0].respellings("abcdefz")) == spelling.MAX_RESPELLINGS


def test_known_short_and_hopeless_words_are_left_alone():
    speller, _ = make_speller()
    assert suggest(speller, ["migrants", "mig", "qqqqqqqq", "mxxxxxxxxx"]) == {}


def test_a_long_word_never_reads_the_vocabulary():
    speller, asked = make_speller()
    for length in (spelling.MAX_WORD_CHARS + 1, 1000, 5000):
        assert suggest(speller, ["m" * length]) == {}
    assert not asked


def test_at_most_max_words_of_a_query_are_respelt():
    speller, _ = make_speller()
    typos = [f"migrant{c}" for c in "bcdfghjklpqrtvw"]          # each one edit from a word
    found = suggest(speller, typos)
    assert list(found) == typos[:spelling.MAX_WORDS]


def test_the_vocabulary_of_an_initial_is_read_once_per_generation():
    speller, asked = make_speller()
    for word in ["migrnat", "migrnats", "migratoin", "mitigaton", "migrnat"]:
        speller.respell(word)
    assert asked == Counter({"m": 1})
