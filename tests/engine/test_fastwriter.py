"""The array-built segments hold exactly what Whoosh's own writer would write."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from whoosh import index as windex

from searchhub.engine import Engine
from searchhub.engine.schema import build_schema
from searchhub.engine.whoosh_engine import INDEX_NAME, _doc_to_fields
from searchhub.models import Document, Query

WORDS = ("migrant migrants workers labour recruitment fees return reintegration border "
         "asylum protection trafficking smuggling remittances diaspora climate displacement "
         "data health children gender integration governance").split()
FR = "travailleurs migrants retour réintégration frontière asile protection traite".split()
ES = "trabajadores migrantes retorno reintegración frontera asilo protección trata".split()


def make_docs(n: int, seed: int = 5) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        language, vocab = rng.choice([("en", WORDS), ("fr", FR), ("es", ES), ("zh", None)])
        if vocab is None:
            pages = ["国际移民组织 移民 劳工 返回 " * rng.randint(1, 3)]
            title = "移民报告"
        else:
            pages = [" ".join(rng.choices(vocab, k=rng.randint(5, 300)))
                     for _ in range(rng.randint(1, 3))]
            title = " ".join(rng.choices(vocab, k=4))
        docs.append(Document(
            f"doc-{i}", title, f"https://example.org/{i}", rng.choice(["a", "b"]),
            rng.choice(["IOM", "UNHCR", "ILO"]), pages, language,
            regions=rng.sample(["Africa", "Europe", "Asia"], rng.randint(0, 2)),
            themes=rng.sample(["Labour migration", "Return", "Health"], rng.randint(0, 2)),
            gcm_objectives=rng.sample(range(1, 24), rng.randint(0, 2)),
            date=dt.date(2015 + i % 10, 1 + i % 12, 1) if i % 5 else None,
            description="A note on " + title))
    return docs


def content(path) -> dict:
    """Everything a reader sees, keyed by document id rather than docnum."""
    ix = windex.open_dir(str(path), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        id_of = {docnum: stored["id"] for docnum, stored in reader.iter_docs()}
        live = set(id_of)
        postings = {}
        for fieldname, btext in reader.all_terms():
            fmt = reader.schema[fieldname].format
            matcher = reader.postings(fieldname, btext)
            rows = []
            while matcher.is_active():
                docnum = matcher.id()
                if docnum in live:
                    value = (tuple(matcher.value_as("positions")) if fmt.supports("positions")
                             else matcher.value_as("frequency"))
                    rows.append((id_of[docnum], round(matcher.weight(), 4), value))
                matcher.next()
            if rows:
                postings[fieldname, btext] = sorted(rows)
        # Stock Whoosh answers None for a length byte of 0 and 0 for a segment
        # without that field's column: both mean 0.
        lengths = {
            (id_of[docnum], name): reader.doc_field_length(docnum, name) or 0
            for docnum in live for name in reader.schema.scorable_names()}
        stored = {id_of[docnum]: fields for docnum, fields in reader.iter_docs()}
        meta = reader.column_reader("meta")
        metas = {id_of[docnum]: meta[docnum] for docnum in live}
        totals = {name: reader.field_length(name) for name in reader.schema.scorable_names()}
    ix.close()
    return {"postings": postings, "lengths": lengths, "stored": stored, "meta": metas,
            "totals": totals}


def whoosh_reference(path, docs) -> None:
    path.mkdir()
    ix = windex.create_in(str(path), build_schema(), indexname=INDEX_NAME)
    with ix.writer() as writer:
        for doc in docs:
            writer.add_document(**_doc_to_fields(doc))
    ix.close()


def _without_times(data: dict) -> dict:
    """Stored records carry the time they were indexed; everything else must match."""
    import json
    import zlib
    out = dict(data)
    out["stored"] = {}
    for doc_id, fields in data["stored"].items():
        record = json.loads(zlib.decompress(fields["doc"]))
        record.pop("indexed_at")
        out["stored"][doc_id] = {**fields, "doc": record}
    return out


@pytest.fixture
def docs():
    fixed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    out = make_docs(60)
    for doc in out:
        doc.indexed_at = fixed
    return out


def test_one_segment_equals_whoosh(tmp_path, docs):
    whoosh_reference(tmp_path / "whoosh", docs)
    with Engine(tmp_path / "fast") as engine, engine.writer() as writer:
        for doc in docs:
            writer.add(doc)
    expected, got = content(tmp_path / "whoosh"), content(tmp_path / "fast")
    assert len(expected["postings"]) > 200
    assert got["postings"].keys() == expected["postings"].keys()
    for key, rows in expected["postings"].items():
        assert got["postings"][key] == rows, key
    for part in ("lengths", "stored", "meta", "totals"):
        assert got[part] == expected[part], part


def test_merged_segments_equal_whoosh(tmp_path, docs):
    """Small commits make Whoosh's merge policy merge segments through
    ``add_reader``; replaced and deleted documents must not come back."""
    final = {doc.id: doc for doc in docs}
    with Engine(tmp_path / "fast") as engine:
        for start in range(0, 40, 4):
            with engine.writer() as writer:
                for doc in docs[start:start + 4]:
                    writer.add(doc)
        with engine.writer() as writer:       # replace some, delete some
            for doc in docs[40:]:
                writer.add(doc)
            for i in (1, 6, 13):
                replaced = make_docs(1, seed=100 + i)[0]
                replaced.id, replaced.indexed_at = f"doc-{i}", docs[0].indexed_at
                writer.add(replaced)
                final[replaced.id] = replaced
            for i in (2, 30):
                writer.delete(f"doc-{i}")
                del final[f"doc-{i}"]
        for start in range(0, 20, 5):         # more small commits: merges with deletions
            with engine.writer() as writer:
                for doc in docs[start + 3:start + 5]:
                    writer.add(doc)
                    final[doc.id] = doc
        segments = engine.index._segments()
        assert len(segments) < 15             # some were merged
        assert engine.count() == len(final)
        assert engine.search(Query("migrants")).total > 0
    whoosh_reference(tmp_path / "whoosh", list(final.values()))
    expected = _without_times(content(tmp_path / "whoosh"))
    got = _without_times(content(tmp_path / "fast"))
    assert got["postings"] == expected["postings"]
    for part in ("lengths", "stored", "meta"):
        assert got[part] == expected[part], part
