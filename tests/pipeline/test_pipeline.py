"""The indexing run end to end: real files, real HTTP on 127.0.0.1, a real index."""

from __future__ import annotations

import json
import threading
import time

import pytest
from pipeline_helpers import LOREM_EN, make_html, make_pdf, registry
from werkzeug import Response

from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub.models import Query


def _files_registry(tmp_path, folder):
    return load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "docs"
name = "Test documents"
agency = "ILO"
kind = "files"
path = "{folder}"
"""))


def _ids(engine, text):
    return [h.document.id for h in engine.search(Query(text, page_size=50)).hits]


def test_files_source_add_unchanged_update_remove(tmp_path, engine, options):
    folder = tmp_path / "docs"
    make_pdf(folder / "fees.pdf", ["Introduction to the study.", LOREM_EN * 3,
                                   "Annex: Nepal and Qatar corridors and remittances."],
             title="Recruitment fees in the Gulf", author="ILO Research")
    make_html(folder / "page.html", "Integration of refugees in Germany",
              "Refugees and asylum seekers in Germany need language courses.\n\n" * 5,
              date="2021-03-04")
    (folder / "note.txt").write_text("Border management note\n\nIntegrated border management "
                                     "and migrant smuggling along the Sahel routes.",
                                     encoding="utf-8")
    sources = _files_registry(tmp_path, folder)

    first = run(engine, sources, options)
    assert first.total("added") == 3 and first.failed == 0
    assert engine.count() == 3
    fees = engine.get(_ids(engine, "recruitment fees")[0])
    assert fees.title == "Recruitment fees in the Gulf"
    assert fees.agency == "ILO" and fees.format == "pdf" and len(fees.pages) == 3
    assert "Labour migration" in fees.themes
    page = engine.get(_ids(engine, "language courses")[0])
    assert page.date.isoformat() == "2021-03-04"
    assert "Germany" in page.countries and "Europe and Central Asia" in page.regions
    # The page of the PDF where the words are is reported with the hit.
    hit = engine.search(Query("Qatar corridors")).hits[0]
    assert hit.document.id == fees.id and hit.page_number == 3

    second = run(engine, sources, options)
    assert second.total("unchanged") == 3 and second.total("added") == 0

    (folder / "note.txt").write_text("Border management note, revised\n\nHuman trafficking "
                                     "and smuggling of migrants.", encoding="utf-8")
    (folder / "page.html").unlink()
    third = run(engine, sources, options)
    assert third.total("updated") == 1 and third.total("removed") == 1
    assert third.total("unchanged") == 1
    assert engine.count() == 2
    assert _ids(engine, "language courses") == []
    assert len(_ids(engine, "revised")) == 1


def test_bad_documents_are_reported_and_the_run_goes_on(tmp_path, engine, options):
    from pypdf import PdfWriter

    folder = tmp_path / "docs"
    make_pdf(folder / "good.pdf", [LOREM_EN * 2], title="A good report")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    (folder / "empty.pdf").write_bytes(b"")
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    with (folder / "encrypted.pdf").open("wb") as fh:
        writer.write(fh)
    blank = PdfWriter()
    blank.add_blank_page(width=200, height=200)
    with (folder / "scan.pdf").open("wb") as fh:
        blank.write(fh)
    huge = folder / "huge.pdf"
    make_pdf(huge, [LOREM_EN * 40] * 5)

    small = type(options)(**{**options.__dict__, "max_bytes": huge.stat().st_size - 1})
    report = run(engine, _files_registry(tmp_path, folder), small)
    reasons = {f.location.rsplit("/", 1)[1]: f.reason for s in report.sources
               for f in s.failures}
    assert reasons == {"corrupt.pdf": "corrupt", "empty.pdf": "empty",
                       "encrypted.pdf": "encrypted", "scan.pdf": "image-only",
                       "huge.pdf": "too-large"}
    assert all(f.message for s in report.sources for f in s.failures)
    assert report.total("added") == 1 and report.failed == 5
    assert engine.count() == 1


def test_missing_folder_fails_the_source_without_deleting(tmp_path, engine, options):
    folder = tmp_path / "docs"
    make_pdf(folder / "a.pdf", [LOREM_EN], title="Report A")
    sources = _files_registry(tmp_path, folder)
    run(engine, sources, options)
    (folder / "a.pdf").rename(tmp_path / "a.pdf")
    folder.rmdir()
    report = run(engine, sources, options)
    assert "does not exist" in report.sources[0].error
    assert report.failed == 1
    assert engine.count() == 1      # a temporary failure never deletes


def test_web_source_over_http(tmp_path, engine, options, threaded_server):
    # Threaded: the fetcher keeps two connections open to a host, and /slow must not
    # hold up the others.
    httpserver = threaded_server
    _no_robots(httpserver)
    pdf = make_pdf(tmp_path / "r.pdf", ["Cover page", "Remittances and diaspora bonds in Mexico "
                                        "and Guatemala. " * 20], title="Diaspora finance")
    httpserver.expect_request("/report.pdf").respond_with_data(
        pdf.read_bytes(), content_type="application/pdf")
    httpserver.expect_request("/news").respond_with_data(
        make_html(tmp_path / "n.html", "Flash floods displace families",
                  "Climate change and disasters displaced thousands of families in "
                  "Bangladesh.\n\n" * 6).read_text(), content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    httpserver.expect_request("/hostile").respond_with_data(
        "<html><head><title>Hi <script>alert(1)</script><mark>x</mark></title></head><body>"
        "<article><p>" + "Smuggling of migrants across the Mediterranean. " * 30 +
        "</p><script>document.write('evil')</script></article></body></html>",
        content_type="text/html")

    def slow(request):
        time.sleep(3)
        return Response("late", content_type="text/html")
    httpserver.expect_request("/slow").respond_with_handler(slow)
    urls = [httpserver.url_for(p) for p in ("/report.pdf", "/news", "/gone", "/hostile", "/slow")]
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "partner"
name = "Partner platform"
agency = "IOM"
kind = "web"
urls = {json.dumps(urls)}
allow_private = true
"""))
    quick = type(options)(**{**options.__dict__, "http_timeout": 1.0})
    report = run(engine, sources, quick)
    reasons = {f.location: f.reason for f in report.sources[0].failures}
    assert reasons == {urls[2]: "http-404", urls[4]: "timeout"}
    assert report.total("added") == 3
    hit = engine.search(Query("diaspora bonds")).hits[0]
    assert hit.document.url == urls[0] and hit.page_number == 2
    hostile = engine.get(engine.search(Query("Mediterranean")).hits[0].document.id)
    assert "<" not in hostile.title and "evil" not in hostile.text


def _no_robots(httpserver) -> None:
    """No robots.txt (404): nothing is disallowed. pytest-httpserver answers 500 to a
    path it does not know, and a robots.txt answering 5xx keeps the crawler away."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)


@pytest.fixture
def threaded_server():
    from pytest_httpserver import HTTPServer
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_a_page_that_never_comes_fails_within_the_document_timeout(tmp_path, engine, options,
                                                                  threaded_server):
    """A page still not sent after document_timeout fails as a timeout, even when
    http_timeout is longer: the run ends while the server still holds the page back.
    (Pages are fetched in the run's threads; a stuck extraction worker is killed by the
    pool, see tests/indexer/test_pool.py.)"""
    httpserver = threaded_server
    _no_robots(httpserver)
    release, answered = threading.Event(), threading.Event()

    def stuck(request):
        release.wait(60)        # far past document_timeout, short of http_timeout
        answered.set()
        return Response("late", content_type="text/html")
    httpserver.expect_request("/stuck").respond_with_handler(stuck)
    httpserver.expect_request("/fine").respond_with_data(
        "<html><body><article><p>" + "Labour migration and skills partnerships. " * 20 +
        "</p></article></body></html>", content_type="text/html")
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "partner"
name = "Partner"
agency = "OECD"
kind = "web"
urls = ["{httpserver.url_for('/stuck')}", "{httpserver.url_for('/fine')}"]
allow_private = true
"""))
    # 5 s: room for the fine page's fetch and first extraction (which loads the
    # language profiles) on a loaded machine.
    tight = type(options)(**{**options.__dict__, "http_timeout": 120, "document_timeout": 5})
    try:
        report = run(engine, sources, tight)
        assert not answered.is_set(), "the run waited for the stuck document"
    finally:
        release.set()
    assert {f.location: f.reason for f in report.sources[0].failures} == {
        httpserver.url_for("/stuck"): "timeout"}
    assert report.total("added") == 1


def test_catalog_records_with_text_and_with_links(tmp_path, engine, options, httpserver):
    _no_robots(httpserver)
    pdf = make_pdf(tmp_path / "e.pdf", ["Final evaluation of the reintegration programme in "
                                        "Ethiopia and Somalia. " * 15], title="Evaluation")
    httpserver.expect_request("/files/eval.pdf").respond_with_data(
        pdf.read_bytes(), content_type="application/pdf")
    export = tmp_path / "export.jsonl"
    records = [
        {"nid": "101", "title": "Flash update on displacement", "body": "Conflict displaced "
         "families in South Sudan and Sudan. " * 10, "lang": "English", "when": "2019-05-02",
         "theme": ["Displacement", "Protection"]},
        {"nid": "102", "title": "Évaluation finale", "body": "", "lang": "French",
         "link": httpserver.url_for("/files/eval.pdf")},
        {"nid": "101", "title": "duplicate id is ignored", "body": "x"},
        {"nid": "", "title": "no id", "body": "y"},
    ]
    export.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "rw"
name = "Catalogue"
agency = "OCHA"
kind = "catalog"
path = "{export}"
format = "jsonl"
id_field = "nid"
title_field = "title"
text_field = "body"
url_field = "link"
date_field = "when"
language_field = "lang"
themes_field = "theme"
allow_private = true
"""))
    report = run(engine, sources, options)
    assert report.total("added") == 2 and report.failed == 0
    record = engine.get("rw-101")
    assert record.language == "en" and record.date.isoformat() == "2019-05-02"
    assert record.themes == ["Displacement", "Protection"]   # catalogue fields win
    assert "South Sudan" in record.countries
    linked = engine.get("rw-102")
    assert linked.language == "fr"          # the catalogue's language wins over detection
    assert linked.format == "pdf" and "Ethiopia" in linked.text
    assert linked.url == httpserver.url_for("/files/eval.pdf")


def test_registry_reports_every_problem(tmp_path):
    from searchhub.errors import ConfigError

    path = registry(tmp_path / "s.toml", """
[[source]]
id = "a"
name = "A"
agency = "IOM"
kind = "ftp"

[[source]]
id = "b"
name = "B"
kind = "files"

[[source]]
id = "c"
name = "C"
agency = "IOM"
kind = "web"
urls = ["file:///etc/passwd"]
colour = "blue"

[[source]]
id = "d"
name = "D"
agency = "X"
kind = "catalog"
path = "x.csv"
format = "xml"
id_field = "id"
title_field = "t"
""")
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    text = "\n".join(info.value.problems)
    assert "unknown kind 'ftp'" in text
    assert "missing agency" in text
    assert "not an http(s) URL" in text
    assert "unknown key 'colour'" in text
    assert "format must be one of" in text
    assert "needs text_field or url_field" in text


def test_pages_declaring_their_language_in_xhtml_over_http(tmp_path, engine, options,
                                                           httpserver):
    """XHTML as DocBook publishes it, over HTTP: an XML declaration before the page (it
    was indexed as empty), the language on the first division, and an index page of one
    line that langdetect reads as German, where the declared French decides."""
    _no_robots(httpserver)
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<html '
            'xmlns="http://www.w3.org/1999/xhtml"><head><title>{title}</title></head>'
            '<body><div xml:lang="fr" class="book">{body}</div></body></html>')
    title_page = head.format(title="Guide du nouveau responsable Debian", body=(
        "<p>Ce document peut être utilisé selon les termes de la licence publique générale "
        "de GNU, version 2 ou suivante, et il a été traduit par des bénévoles. Il est fondé "
        "sur deux documents plus anciens, que leurs auteurs ont écrits en anglais il y a "
        "longtemps.</p><p>The "
        "New-Maintainer's Debian Packaging Howto, copyright 1997 Will Lowe. The rewrite of "
        "this tutorial document with updated contents and more practical examples is "
        "available as the Guide for Debian Maintainers, which you should read first. It "
        "explains how to build a package from upstream sources, how to check it and how "
        "to upload it to the archive once a sponsor has reviewed it.</p>"))
    index = head.format(title="Serveur HTTP", body="<p>Serveur HTTP Apache Version 2.4</p>")
    for path, page in (("/guide", title_page), ("/index", index)):
        httpserver.expect_request(path).respond_with_data(
            page.encode("utf-8"), content_type="application/xhtml+xml")
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "docs"
name = "Documentation"
agency = "IOM"
kind = "web"
urls = ["{httpserver.url_for('/guide')}", "{httpserver.url_for('/index')}"]
allow_private = true
"""))
    report = run(engine, sources, options)
    assert report.total("added") == 2 and report.failed == 0
    docs = {d.url.rsplit("/", 1)[1]: d for d in (engine.get(i) for i in engine.known())}
    assert docs["guide"].language == "fr" and "licence publique" in docs["guide"].text
    # Detection alone says German; the page says French.
    assert docs["index"].language == "fr" and docs["index"].languages == ["fr"]
