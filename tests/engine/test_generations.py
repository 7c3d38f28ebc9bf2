"""A new index generation reuses what its unchanged segments already gave."""

from __future__ import annotations

from io import BytesIO

from whoosh.filedb.structfile import BufferFile

from .conftest import ids, make_doc, search
from .test_fastwriter import make_docs


def facet_table(result) -> dict:
    return {name: [(fv.value, fv.count, fv.selected) for fv in values]
            for name, values in result.facets.items()}


def test_facets_over_several_segments_equal_one_segment(make_engine):
    docs = make_docs(90, seed=11)
    single = make_engine(docs)
    several = make_engine(docs[:30])
    for start in (30, 60):
        with several.writer() as writer:
            for doc in docs[start:start + 30]:
                writer.add(doc)
        several.refresh()
    assert len(several.snapshot().leaves) == 3
    for kwargs in ({}, {"filters": {"agency": ["IOM"]}},
                   {"filters": {"theme": ["Health", "Return"], "region": ["Africa"]}},
                   {"filters": {"year": ["2016"]}}):
        for text in ("", "migrants", "retour"):
            one, many = search(single, text, **kwargs), search(several, text, **kwargs)
            assert many.total == one.total, (text, kwargs)
            assert facet_table(many) == facet_table(one), (text, kwargs)
            assert sorted(ids(many)) == sorted(ids(one))


def test_facet_values_of_a_new_segment_join_the_old_ones(make_engine):
    engine = make_engine([make_doc("a", "labour migration", agency="IOM")])
    with engine.writer() as writer:
        writer.add(make_doc("b", "labour migration", agency="ILO"))
        writer.add(make_doc("c", "labour migration", agency="IOM"))
    engine.refresh()
    counts = {fv.value: fv.count for fv in search(engine, "labour").facets["agency"]}
    assert counts == {"IOM": 2, "ILO": 1}
    assert sorted(ids(search(engine, "labour", filters={"agency": ["IOM"]}))) == ["a", "c"]


def test_searching_copies_no_segment_file(make_engine):
    """Whoosh would copy each file of a compound segment into memory when it opens
    it; searches read the postings from the memory map instead (only stream reads
    make a copy: the terms file's header is read so when a segment opens)."""
    engine = make_engine(make_docs(40, seed=3))
    for text in ("migrants workers", '"return reintegration"', "migr*", "asylum -border"):
        search(engine, text)
    files = [leaf._terms._postfile for leaf, _, _ in engine.snapshot().leaves]
    assert files and all(isinstance(f, BufferFile) for f in files)
    assert [f for f in files if any(isinstance(v, BytesIO) for v in vars(f).values())] == []
