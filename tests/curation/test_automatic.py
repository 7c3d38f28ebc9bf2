"""Automatic flags: the indexer's quality signals and image-only PDFs reach the queue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from indexer.pipeline import RunOptions, run
from indexer.sources import load_sources
from searchhub.cli import main
from searchhub.engine import Engine
from searchhub.web import create_app

from .conftest import Browser

REPO = Path(__file__).resolve().parents[2]
PROSE = ("Migrants who return to their country of origin often need help to find work and "
         "housing. ") * 10


def _registry(tmp_path: Path, folder: Path, source_id: str = "partner") -> Path:
    registry = tmp_path / "sources.toml"
    registry.write_text(f'[[source]]\nid = "{source_id}"\nname = "A partner"\n'
                        f'agency = "IOM"\nkind = "files"\npath = "{folder}"\n',
                        encoding="utf-8")
    return registry


def _index_and_sync(tmp_path, registry, data_dir):
    engine = Engine(data_dir / "index")
    report = run(engine, load_sources(registry),
                 RunOptions(taxonomy_dir=REPO / "corpus" / "taxonomy", workers=2))
    engine.close()
    report_file = tmp_path / "run.json"
    report_file.write_text(json.dumps(report.as_dict()), encoding="utf-8")
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "--sources",
                                       str(registry), "curation", "sync", "--report",
                                       str(report_file)])
    assert result.exit_code == 0, result.output
    return report, result


def test_image_only_pdf_and_garbled_text_are_flagged(tmp_path, curator, data_dir):
    folder = tmp_path / "docs"
    folder.mkdir()
    blank = PdfWriter()
    blank.add_blank_page(width=200, height=200)
    with (folder / "scan.pdf").open("wb") as fh:
        blank.write(fh)
    (folder / "garbled.txt").write_text("Return report\n\n" + PROSE + "\ufffd" * 40,
                                        encoding="utf-8")
    (folder / "fine.txt").write_text("Return and reintegration, 2024-01-01\n\n" + PROSE,
                                     encoding="utf-8")
    registry = _registry(tmp_path, folder)
    report, result = _index_and_sync(tmp_path, registry, data_dir)
    assert [f.reason for s in report.sources for f in s.failures] == ["image-only"]

    browser = Browser(create_app({"data_dir": data_dir, "secret_key": "k",
                                  "sources": registry}).test_client()).login()
    browser.get("/curate?origin=automatic")
    reasons = {li.get("data-id"): browser.page.xpath(
        f"//li[@data-id='{li.get('data-id')}']//li/@data-reason")
        for li in browser.xpath("//li[@class='queue-item']")}
    assert "image-only" in reasons["partner-scan.pdf"]
    assert "garbled-text" in reasons["partner-garbled.txt"]
    assert "garbled-text" not in reasons.get("partner-fine.txt", [])
    # The scan was never indexed: the queue says so rather than losing the flag.
    assert browser.xpath("//li[@data-id='partner-scan.pdf']//p[contains(@class, 'orphan')]")

    # Syncing again raises nothing new; a dismissed automatic flag stays dismissed.
    again = CliRunner().invoke(main, ["--data-dir", str(data_dir), "curation", "sync"])
    assert again.output.startswith("0 new automatic flags")
    browser.submit("//li[@data-id='partner-garbled.txt']//form[@class='action-dismiss']",
                   status=302)
    CliRunner().invoke(main, ["--data-dir", str(data_dir), "curation", "sync"])
    browser.get("/curate?origin=automatic")
    assert not browser.xpath("//li[@data-id='partner-garbled.txt']")

    # The report: the share of the source's documents with open automatic flags.
    browser.get("/curate/report")
    cells = browser.xpath("//tr[@data-source='partner']/td")
    assert [td.text_content() for td in cells][:2] == ["partner", "2"]


@pytest.mark.e2e
def test_real_corpus_image_only_pdf_is_flagged(tmp_path, corpus_real, data_dir):
    # The two real PDFs with a quality problem and an ordinary one (the whole folder
    # is indexed by tests/e2e/test_real_corpus.py; here it would only cost minutes).
    folder = tmp_path / "pdf"
    folder.mkdir()
    for name in ("1971-10-25_GA_Resolution_2758_ru.pdf", "1971-09-29_A_L.632-EN.pdf",
                 "1951-Refugee Convention-1967-protocol (UNHCR Mandate).pdf"):
        (folder / name).symlink_to(corpus_real / "pdf" / name)
    registry = _registry(tmp_path, folder, "realpdf")
    report, _ = _index_and_sync(tmp_path, registry, data_dir)
    from searchhub import database
    conn = database.connect(data_dir / "curation.sqlite")
    flags = {(r["doc_id"], r["reason"]) for r in conn.execute(
        "SELECT * FROM flags WHERE origin = 'automatic'")}
    conn.close()
    assert ("realpdf-1971-10-25_GA_Resolution_2758_ru.pdf", "image-only") in flags
    # The UNHCR booklet's letter-spaced cover ("p r o t o c o l") is garbled text.
    assert ("realpdf-1951-Refugee Convention-1967-protocol (UNHCR Mandate).pdf",
            "garbled-text") in flags
    # Every quality signal of a real document is a flag.
    engine = Engine(data_dir / "index")
    signals = {(i, q) for i in engine.known("realpdf") for q in engine.get(i).quality}
    engine.close()
    assert signals <= flags
    assert not any(doc_id == "realpdf-1971-09-29_A_L.632-EN.pdf" for doc_id, _ in flags)
