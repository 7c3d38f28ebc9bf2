"""Phrases are found from each word's (document, position) keys, per segment."""

from __future__ import annotations

import random

import numpy as np
import pytest

from searchhub.engine.snapshot import phrase_docs

from .conftest import ids, make_doc, search


def keys(*pairs: tuple[int, int]) -> np.ndarray:
    return np.array(sorted((doc << 32) | pos for doc, pos in pairs), dtype=np.int64)


def test_words_must_follow_each_other_in_the_same_document():
    first = keys((0, 0), (0, 5), (1, 3), (2, 9))
    second = keys((0, 1), (1, 7), (2, 10), (3, 0))
    third = keys((0, 2), (2, 12))
    assert phrase_docs([first, second]).tolist() == [0, 2]
    assert phrase_docs([first, second, third]).tolist() == [0]
    assert phrase_docs([second, first]).tolist() == []          # order matters
    assert phrase_docs([first, keys()]).tolist() == []


def test_a_repeated_word_needs_two_occurrences_in_a_row():
    once = keys((0, 3), (1, 1), (1, 4))
    twice = keys((2, 3), (2, 4))
    assert phrase_docs([once, once]).tolist() == []
    assert phrase_docs([twice, twice]).tolist() == [2]


def test_slop_allows_that_many_positions_between_words():
    first = keys((0, 0), (1, 0), (2, 0))
    second = keys((0, 1), (1, 2), (2, 3))
    assert phrase_docs([first, second], 1).tolist() == [0]
    assert phrase_docs([first, second], 2).tolist() == [0, 1]
    assert phrase_docs([first, second], 3).tolist() == [0, 1, 2]
    assert phrase_docs([second, first], 3).tolist() == []


@pytest.mark.parametrize("slop", [1, 2, 3])
def test_same_documents_as_whooshs_span_matcher(make_engine, slop):
    """Random texts over a small vocabulary: every two- and three-word phrase finds
    what Whoosh's own phrase matcher finds, in each segment."""
    from whoosh import query as wq
    from whoosh.searching import Searcher

    rng = random.Random(slop)
    vocab = ["alpha", "beta", "gamma", "delta", "epsilon"]
    docs = [make_doc(f"r{i}", " ".join(rng.choices(vocab, k=rng.randint(1, 12))))
            for i in range(80)]
    engine = make_engine(docs[:40])
    with engine.writer() as writer:
        for doc in docs[40:]:
            writer.add(doc)
    snap = engine.snapshot()
    assert len(snap.leaves) == 2
    checked = 0
    for length in (2, 3):
        for _ in range(15):
            words = rng.choices(vocab, k=length)
            q = wq.Phrase("body_en", words, slop=slop)
            for leaf, _, _ in snap.leaves:
                expected = []
                with Searcher(leaf, fromindex=None, closereader=False) as searcher:
                    matcher = q.matcher(searcher)
                    while matcher.is_active():
                        expected.append(matcher.id())
                        matcher.next()
                assert snap.cache.phrase(leaf, q).tolist() == expected, (words, slop)
                checked += bool(expected)
    assert checked > 10


def test_phrases_over_segments_with_deletions(make_engine):
    engine = make_engine([
        make_doc("a", "Forced labour in agriculture."),
        make_doc("b", "Labour that is forced, and forced marriage."),
    ])
    with engine.writer() as writer:                  # a second segment
        writer.add(make_doc("c", "On forced labour and forced labour again."))
        writer.add(make_doc("d", "Forced to move far away; labour markets."))
    assert sorted(ids(search(engine, '"forced labour"'))) == ["a", "c"]
    assert ids(search(engine, '"labour in agriculture"')) == ["a"]
    with engine.writer() as writer:
        writer.delete("a")
    assert ids(search(engine, '"forced labour"')) == ["c"]
    assert sorted(ids(search(engine, "forced labour"))) == ["b", "c", "d"]
