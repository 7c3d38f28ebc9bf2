"""A run with the curation database: curators' corrections survive re-indexing, and
image-only PDFs become automatic flags (hooks asked for by issue 4)."""

from __future__ import annotations

from pipeline_helpers import LOREM_EN, files_registry, make_pdf
from pypdf import PdfWriter

from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub import database
from searchhub.curation import store


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
    report = run(engine, sources, options, curation=conn)
    assert report.total("added") == 1
    assert engine.get("docs-fees.pdf").title == "Recruitment fees in the Gulf (2019)"
    flags = conn.execute("SELECT doc_id, reason, origin FROM flags").fetchall()
    assert ("docs-scan.pdf", "image-only", "automatic") in [tuple(f) for f in flags]
    # Re-extracted (forced), the document keeps the curator's correction.
    run(engine, sources, options, curation=conn, force=True)
    assert engine.get("docs-fees.pdf").title == "Recruitment fees in the Gulf (2019)"
    conn.close()
