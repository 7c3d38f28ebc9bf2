"""Our index is a Whoosh index: what ``FastSegmentWriter`` writes, opened by stock
Whoosh in a fresh process, holds the same terms, term and block statistics,
postings, stored fields, lengths and search results as what Whoosh's own writer
writes from the same documents, in another fresh process.

Neither stock process loads more of searchhub than ``searchhub.engine.schema``
(the field formats pickled into the index, Whoosh's extension point for them),
and both check that Whoosh's classes are Whoosh's own."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from searchhub.engine import Engine
from searchhub.engine.analysis import group_for
from searchhub.engine.schema import body_field
from searchhub.engine.whoosh_engine import _doc_to_fields
from searchhub.models import Document

from .test_fastwriter import make_docs

#: Run first in each stock process: only the field formats of searchhub are loaded,
#: and Whoosh's classes are unpatched.
STOCK_CHECK = """
import sys
def check_stock():
    from whoosh.codec.whoosh3 import W3PerDocReader
    from whoosh.filedb.structfile import BufferFile
    loaded = sorted(m for m in sys.modules if m.startswith("searchhub"))
    allowed = {"searchhub", "searchhub.engine", "searchhub.engine.schema",
               "searchhub.engine.analysis", "searchhub.models", "searchhub.text"}
    assert set(loaded) <= allowed, loaded
    for cls, names in ((BufferFile, ("__init__", "close")),
                       (W3PerDocReader, ("_cached_reader", "doc_field_length"))):
        for name in names:
            assert getattr(cls, name).__module__.startswith("whoosh."), (cls, name)
"""

STOCK_WRITE = STOCK_CHECK + """
import pickle
from whoosh import index
from searchhub.engine.schema import build_schema
with open(sys.argv[1], "rb") as f:
    records = pickle.load(f)
ix = index.create_in(sys.argv[2], build_schema(), indexname="documents")
with ix.writer() as writer:
    for fields in records:
        writer.add_document(**fields)
ix.close()
check_stock()
"""

STOCK_READ = STOCK_CHECK + """
import json, pickle, zlib
from whoosh import index
from whoosh.qparser import MultifieldParser

def dump(folder, queries):
    ix = index.open_dir(folder, indexname="documents")
    out = {"terms": {}, "postings": {}}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        id_of = {docnum: stored["id"] for docnum, stored in reader.iter_docs()}
        for fieldname in reader.indexed_field_names():
            fmt = reader.schema[fieldname].format
            positions = fmt.supports("positions")
            for btext in reader.lexicon(fieldname):
                key = f"{fieldname}:{btext.decode('utf-8')}"
                info = reader.term_info(fieldname, btext)
                out["terms"][key] = (round(info.weight(), 6), info.doc_frequency(),
                                     info.min_length(), info.max_length(),
                                     round(info.max_weight(), 6))
                rows = []
                matcher = reader.postings(fieldname, btext)
                while matcher.is_active():
                    value = (tuple(matcher.value_as("positions")) if positions
                             else matcher.value_as("frequency"))
                    rows.append((id_of[matcher.id()], round(matcher.weight(), 6), value,
                                 matcher.block_min_length(), matcher.block_max_length(),
                                 round(matcher.block_max_weight(), 6)))
                    matcher.next()
                out["postings"][key] = rows
        stored = {}
        for docnum, fields in reader.iter_docs():
            fields = dict(fields)
            record = json.loads(zlib.decompress(fields.pop("doc")))
            stored[fields["id"]] = (fields, record)
        out["stored"] = stored
        meta = reader.column_reader("meta")
        out["meta"] = {id_of[n]: meta[n] for n in id_of}
        scorable = list(reader.schema.scorable_names())
        out["lengths"] = {(id_of[n], name): reader.doc_field_length(n, name) or 0
                          for n in id_of for name in scorable}
        out["totals"] = {name: reader.field_length(name) for name in scorable}
        out["counts"] = (reader.doc_count(), reader.doc_count_all())
        fields = [name for name in ix.schema.names() if name.startswith(("title_", "body_"))]
        parser = MultifieldParser(fields, ix.schema)
        out["results"] = {
            text: [(hit["id"], round(hit.score, 5)) for hit in
                   searcher.search(parser.parse(text), limit=None)]
            for text in queries}
    ix.close()
    return out

queries = json.loads(sys.argv[1])
result = {name: dump(folder, queries) for name, folder in zip(("a", "b"), sys.argv[2:4])}
check_stock()
with open(sys.argv[4], "wb") as f:
    pickle.dump(result, f)
"""

QUERIES = ["migrants", "asylum protection", "return OR reintegration", '"labour migrants"',
           "migra*", "travailleurs", "trabajadores migrantes", "移民", "climate NOT health",
           "title:border", "agency:IOM", "refugees", "displacement", "Sudan", "remittances",
           "strasse", "Ærø", "السودان"]


def _run(script: str, *args) -> None:
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]


def _stock_fields(doc: Document) -> dict:
    """What our writer is given, with the body as text for Whoosh's analyzer
    (our writer takes the terms it computed itself)."""
    fields = _doc_to_fields(doc)
    fields[body_field(group_for(doc.language))] = doc.title + "\n" + doc.text
    return fields


def build_and_compare(tmp_path: Path, docs: list[Document]) -> dict:
    fixed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for doc in docs:
        doc.indexed_at = fixed
    with Engine(tmp_path / "fast") as engine, engine.writer() as writer:
        for doc in docs:
            writer.add(doc)
    records = tmp_path / "records.pickle"
    records.write_bytes(pickle.dumps([_stock_fields(doc) for doc in docs]))
    (tmp_path / "whoosh").mkdir()
    _run(STOCK_WRITE, records, tmp_path / "whoosh")
    out = tmp_path / "dump.pickle"
    _run(STOCK_READ, json.dumps(QUERIES), tmp_path / "fast", tmp_path / "whoosh", out)
    dumps = pickle.loads(out.read_bytes())
    ours, whoosh = dumps["a"], dumps["b"]
    assert ours["terms"].keys() == whoosh["terms"].keys()
    for key, stats in whoosh["terms"].items():
        assert ours["terms"][key] == stats, key
    for key, rows in whoosh["postings"].items():
        assert ours["postings"][key] == rows, key
    for part in ("stored", "meta", "lengths", "totals", "counts", "results"):
        assert ours[part] == whoosh[part], part
    return whoosh


def test_generated_text_equals_whoosh(tmp_path):
    docs = make_docs(150, seed=11)
    docs[0].pages = ["Straße Ærø Øresund œuvre naïve café " * 3]      # folding
    docs[1].pages = ["word " * 400]                                  # several blocks
    docs[2].language, docs[2].pages = "ar", ["الهجرة واللاجئين في السودان"]
    # Stop words before the first word kept shift its position in Whoosh's numbering.
    docs[3].language, docs[3].title, docs[3].pages = "en", "The return of migrants", ["x"]
    docs[4].language, docs[4].title, docs[4].pages = "en", "", ["A review of the migrants"]
    whoosh = build_and_compare(tmp_path, docs)
    assert len(whoosh["terms"]) > 300
    assert any(len(rows) > 128 for rows in whoosh["postings"].values())   # multi-block
    assert all(whoosh["results"][q] for q in ("migrants", '"labour migrants"', "migra*", "strasse"))


@pytest.mark.e2e
def test_real_corpus_equals_whoosh(tmp_path, corpus_real):
    """Every sixth ReliefWeb report of ../shared/corpus-real (English, French, Spanish):
    about 230 real documents; Whoosh's own writer on all 1,386 took minutes."""
    reports = corpus_real / "meta" / "reliefweb-reports.jsonl"
    docs = []
    lines = [line for line in reports.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines[::6]:
        record = json.loads(line)
        docs.append(Document(
            f"reliefweb-{record['id']}", record.get("title") or "", "", "reliefweb", "OCHA",
            [record.get("text") or ""], (record.get("language") or "en")[:2].lower(),
            themes=list(record.get("themes") or [])))
    whoosh = build_and_compare(tmp_path, docs)
    assert whoosh["counts"][0] == len(docs) > 200
    assert len({doc.language for doc in docs}) >= 3
    assert sum(bool(hits) for hits in whoosh["results"].values()) >= 10
