"""A run with curation: curators' corrections survive re-indexing, and image-only PDFs
become automatic flags (hooks asked for by issue 4). The indexer gets curation as data
and reports back as data; ``searchhub.curation.runs`` reads and writes the database."""

from __future__ import annotations

from pipeline_helpers import LOREM_EN, files_registry, make_pdf
from pypdf import PdfWriter

from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub import database
from searchhub.curation import runs, store
from searchhub.curation.handoff import CurationInput


def test_corrections_applied_and_failures_flagged(tmp_path, engine, options):
    folder = tmp_path / "docs"
    make_pdf(folder / "fees.pdf", [LOREM_EN * 3], title="Recruitment fees")
    blank = PdfWriter()
    blank.add_blank_page(width=200, height=200)
    with (folder / "scan.pdf").open("wb") as fh:
        blank.write(fh)
    sources = load_sources(files_registry(tmp_path, folder))
    conn = database.connect(tmp_path / "curation.sqlite")
    store.act(conn, "cora", "correct", "docs-fees.pdf",
              value={"fields": {"title": "Recruitment fees in the Gulf (2019)"},
                     "before": {"title": "Recruitment fees"}})
    curation = runs.load_input(conn)
    assert isinstance(curation, CurationInput)
    report = run(engine, sources, options, curation=curation)
    assert report.total("added") == 1
    assert engine.get("docs-fees.pdf").title == "Recruitment fees in the Gulf (2019)"
    assert [f.reason for s in report.sources for f in s.failures] == ["image-only"]
    assert conn.execute("SELECT count(*) FROM flags").fetchone()[0] == 0   # not by the run
    runs.after_run(conn, engine, report, {s.id: s.agency for s in sources})
    flags = conn.execute("SELECT doc_id, reason, origin FROM flags").fetchall()
    assert ("docs-scan.pdf", "image-only", "automatic") in [tuple(f) for f in flags]
    assert ("docs-fees.pdf", "little-text", "automatic") in [tuple(f) for f in flags]
    # Re-extracted (forced), the document keeps the curator's correction.
    run(engine, sources, options, curation=runs.load_input(conn), force=True)
    assert engine.get("docs-fees.pdf").title == "Recruitment fees in the Gulf (2019)"
    conn.close()


def test_a_run_writes_queued_corrections_of_documents_it_did_not_change(tmp_path, engine,
                                                                          options):
    folder = tmp_path / "docs"
    make_pdf(folder / "fees.pdf", [LOREM_EN * 3], title="Recruitment fees")
    sources = load_sources(files_registry(tmp_path, folder))
    conn = database.connect(tmp_path / "curation.sqlite")
    runs.after_run(conn, engine, run(engine, sources, options,
                                     curation=runs.load_input(conn)), {})
    store.act(conn, "cora", "correct", "docs-fees.pdf",
              value={"fields": {"agency": "UNDP"}, "before": {"agency": "ILO"}})
    report = run(engine, sources, options, curation=runs.load_input(conn))
    assert report.total("unchanged") == 1 and engine.get("docs-fees.pdf").agency == "ILO"
    assert runs.after_run(conn, engine, report, {})["rewritten"] == ["docs-fees.pdf"]
    assert engine.get("docs-fees.pdf").agency == "UNDP"
    assert store.pending_rewrites(conn) == {}
    conn.close()
