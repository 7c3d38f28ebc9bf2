"""A crawled link to a Word .docx is indexed as an uploaded one is: its text, its
title, and "docx" as its format. Real HTTP on 127.0.0.1 (pytest-httpserver), a real
.docx (python-docx), real workers, a real index."""

from __future__ import annotations

import io

from pipeline_helpers import LOREM_EN, registry

from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub.models import Query

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(title: str, paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_crawl_indexes_a_partners_word_reports(tmp_path, engine, options, httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in (
        "/files/brief.docx", "/files/annex.docx", "/files/broken.docx", "/files/old.doc"))
    httpserver.expect_request("/pages/").respond_with_data(
        f"<html><head><title>Publications</title></head><body><main><h1>Publications</h1>"
        f"<p>{LOREM_EN * 3}</p><ul>{links}</ul></main></body></html>",
        content_type="text/html; charset=utf-8")
    httpserver.expect_request("/files/brief.docx").respond_with_data(
        _docx("Zanzibar seasonal workers brief", [
            "Seasonal agricultural workers between Tanzania and Kenya: recruitment, "
            "contracts and the portability of social protection. " * 10]),
        content_type=WORD)
    # Labelled as bytes only: the suffix says Word.
    httpserver.expect_request("/files/annex.docx").respond_with_data(
        _docx("Annex on remittance corridors", [
            "Remittance corridors and the cost of sending money home. " * 10]),
        content_type="application/octet-stream")
    httpserver.expect_request("/files/broken.docx").respond_with_data(
        b"PK\x03\x04 not really a Word file", content_type=WORD)
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "partner"
name = "Partner site"
agency = "IOM"
kind = "crawl"
urls = ["{httpserver.url_for("/pages/")}"]
prefixes = ["{httpserver.url_for('/pages/')}", "{httpserver.url_for('/files/')}"]
allow_private = true
"""))
    options = type(options)(**{**options.__dict__, "data_dir": tmp_path / "data"})
    report = run(engine, sources, options)

    counts = {k: v for k, v in report.sources[0].counts.items() if v}
    assert counts == {"added": 3, "failed": 1, "unsupported": 1}, report.sources[0].failures
    [failure] = report.sources[0].failures
    assert failure.location.endswith("/files/broken.docx")
    assert "not a readable Word file" in failure.message      # the extractor's reason
    found = {d.url: d for d in (engine.get(hit.document.id) for hit in
                                engine.search(Query("*", page_size=50)).hits)}
    brief = found[httpserver.url_for("/files/brief.docx")]
    assert brief.format == "docx"
    assert brief.title == "Zanzibar seasonal workers brief"
    assert "portability of social protection" in " ".join(brief.pages)
    assert found[httpserver.url_for("/files/annex.docx")].format == "docx"
    hits = engine.search(Query("zanzibar")).hits
    assert [hit.document.url for hit in hits] == [httpserver.url_for("/files/brief.docx")]
