"""Links to formats nothing extracts are skipped and counted, not failed; a document
that fails on an error nobody expected keeps its exception type and traceback in the
report, the runs database, `searchhub runs` and the log. Real HTTP on 127.0.0.1, real
workers, a real index."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pipeline_helpers import LOREM_EN, counts, make_pdf, registry
from platform_server import Static, xml
from platform_server import sitemap as make_sitemap

from indexer.pipeline import run
from indexer.sources import load_sources
from indexer.state import CrawlState, crawl_db_path
from searchhub.cli import main

SLIDES = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@pytest.fixture
def crawl_options(options, tmp_path):
    return type(options)(**{**options.__dict__, "data_dir": tmp_path / "data",
                            "http_timeout": 2.0})


def test_a_crawl_skips_and_counts_links_to_old_office_files_and_archives(tmp_path, engine,
                                                                   crawl_options, platform):
    p = platform
    p.page("/pages/", "Publications", LOREM_EN * 3,
           links=["/files/slides.pptx", "/files/old.doc", "/files/data.zip",
                  "/files/report.pdf", "/pages/photo"])
    p.routes["/files/slides.pptx"] = Static(b"PK\x03\x04 slides", SLIDES)
    p.routes["/files/report.pdf"] = Static(make_pdf(
        tmp_path / "r.pdf", ["Return and reintegration in West Africa. " * 20]).read_bytes(),
        "application/pdf")
    # A page address that answers with an image: no format reads it either.
    p.routes["/pages/photo"] = Static(b"\x89PNG\r\n\x1a\n....", "image/png")
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "site"
name = "Partner site"
agency = "IOM"
kind = "crawl"
urls = ["{p.base}/pages/index.html"]
prefixes = ["{p.base}/pages/", "{p.base}/files/"]
allow_private = true
"""))
    first = run(engine, sources, crawl_options)
    assert counts(first) == {"added": 2, "unsupported": 4}, first.sources[0].failures
    assert first.failed == 0 and first.sources[0].failures == []
    for path in ("/files/slides.pptx", "/files/old.doc", "/files/data.zip"):
        assert p.hits(path) == []                 # never requested
    second = run(engine, sources, crawl_options)
    assert counts(second) == {"unchanged": 2, "unsupported": 4}
    assert second.failed == 0                     # `searchhub index` exits 0
    with CrawlState(crawl_db_path(tmp_path / "data")) as state:
        assert state.runs(1)[0]["totals"]["unsupported"] == 4


def test_a_sitemap_counts_entries_nothing_extracts(tmp_path, engine, crawl_options,
                                                   platform):
    p = platform
    p.page("/pages/a.html", "Labour migration", LOREM_EN * 4)
    p.routes["/sitemap.xml"] = xml(make_sitemap(p.base, [
        ("/pages/a.html", ""), ("/files/annex.xlsx", ""), ("/files/slides.pptx", "")]))
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "maps"
name = "Partner sitemap"
agency = "ILO"
kind = "sitemap"
url = "{p.base}/sitemap.xml"
allow_private = true
"""))
    report = run(engine, sources, crawl_options)
    assert counts(report) == {"added": 1, "unsupported": 2}
    assert p.hits("/files/slides.pptx") == [] and p.hits("/files/annex.xlsx") == []


def test_an_unexpected_error_keeps_its_type_and_traceback(tmp_path, monkeypatch):
    """A catalogue record links to a folder: reading it raises IsADirectoryError,
    which no stage expects. The run goes on, and the failure says what happened."""
    monkeypatch.setenv("SEARCHHUB_WORKERS", "1")
    folder = tmp_path / "catalogue"
    (folder / "annexes").mkdir(parents=True)
    (folder / "note.txt").write_text("Labour note\n\n" + LOREM_EN * 3, encoding="utf-8")
    (folder / "export.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "1", "title": "Labour note", "link": "note.txt"},
        {"id": "2", "title": "Annexes", "link": "annexes"},
    ]), encoding="utf-8")
    registry(tmp_path / "sources.toml", f"""
[[source]]
id = "cat"
name = "Catalogue"
agency = "IOM"
kind = "catalog"
path = "{folder / 'export.jsonl'}"
format = "jsonl"
id_field = "id"
title_field = "title"
url_field = "link"
""")
    base = ["--data-dir", str(tmp_path / "data"), "--sources", str(tmp_path / "sources.toml")]
    runner = CliRunner()
    indexed = runner.invoke(main, [*base, "index", "--json"])
    assert indexed.exit_code == 1
    report = json.loads(indexed.stdout)
    assert report["totals"]["added"] == 1 and report["totals"]["failed"] == 1
    failure = report["sources"][0]["failures"][0]
    assert failure["reason"] == "error" and failure["error_type"] == "IsADirectoryError"
    assert "Traceback" in failure["traceback"] and "read_bytes" in failure["traceback"]

    # The log: one JSON object per line, each an event of a named module's logger.
    events = [json.loads(line) for line in indexed.stderr.splitlines()]
    added = [e for e in events if e["event"] == "added"]
    assert [(e["logger"], e["level"], e["source"]) for e in added] == [
        ("indexer.decide", "info", "cat")]
    [failed] = [e for e in events if e["event"] == "failed"]
    assert failed["level"] == "warning" and failed["error_type"] == "IsADirectoryError"
    assert "IsADirectoryError" in failed["traceback"]
    assert events[-1]["event"] == "run-finished"

    detail = json.loads(runner.invoke(main, [*base, "runs", "--run", "1", "--json"]).output)
    stored = detail[0]["failures"][0]
    assert stored["error_type"] == "IsADirectoryError"
    assert stored["traceback"] == failure["traceback"]
    text = runner.invoke(main, [*base, "runs", "--run", "1"]).output
    [line] = [line for line in text.splitlines() if "[error] cat:" in line]
    assert line.endswith("(IsADirectoryError)")
    assert "read_bytes" in text.split(line, 1)[1]        # the traceback, below it


def test_an_expected_failure_keeps_its_type_without_a_traceback(tmp_path, engine, options):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "docs"
name = "Docs"
agency = "ILO"
kind = "files"
path = "{folder}"
"""))
    [failure] = run(engine, sources, options).sources[0].failures
    assert (failure.reason, failure.error_type, failure.traceback) == (
        "empty", "EmptyDocument", "")
