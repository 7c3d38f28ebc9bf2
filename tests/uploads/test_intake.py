"""Taking a file in: its type told by its bytes, the size checked before anything is
kept, the indexer's reason for a corrupt file, kept whole by content hash."""

from __future__ import annotations

import hashlib

import pytest

from indexer.extract import extract
from indexer.extract.base import ExtractionError
from searchhub.uploads import intake

from .conftest import make_docx, make_pdf

ALL = ("pdf", "docx", "html", "text")


def test_types_by_their_bytes():
    assert intake.file_type(make_pdf("Hello migrants"), "anything.bin") == "pdf"
    assert intake.file_type(make_docx("T", ["Some text"]), "upload") == "docx"
    assert intake.file_type(b"<!doctype html><html><p>Hi</p></html>", "page.html") == "html"
    assert intake.file_type(b"Plain words about migration.", "notes.txt") == "text"
    for data, name in ((b"Plain words", "fake.pdf"), (b"PK\x03\x04 not word", "a.docx"),
                       (b"\x00\x01\x02binary", "data.txt")):
        with pytest.raises(intake.UploadRefused):
            intake.file_type(data, name)


def test_size_and_type_are_checked_before_anything_is_kept(tmp_path):
    folder = tmp_path / "uploads"
    with pytest.raises(intake.UploadRefused) as err:
        intake.keep(folder, b"x" * 101, "big.txt", max_bytes=100, allowed=ALL)
    assert err.value.reason == "too-large"
    with pytest.raises(intake.UploadRefused) as err:
        intake.keep(folder, make_pdf("A report"), "r.pdf", max_bytes=10**6,
                    allowed=("docx",))
    assert err.value.reason == "unsupported-format"
    assert not folder.exists()


def test_a_corrupt_file_gets_the_indexers_reason(tmp_path):
    broken = make_pdf("A report on labour migration " * 20)[:300]
    with pytest.raises(ExtractionError) as indexer_err:
        extract(broken, filename_or_url="broken.pdf")
    with pytest.raises(intake.UploadRefused) as err:
        intake.keep(tmp_path, broken, "broken.pdf", max_bytes=10**6, allowed=ALL)
    assert err.value.reason == indexer_err.value.reason
    assert indexer_err.value.message in err.value.message
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_docx_is_kept_by_content_hash_and_read_as_itself(tmp_path):
    data = make_docx("Return report", ["Reintegration of returnees in Senegal. " * 5])
    received = intake.keep(tmp_path, data, "return.docx", max_bytes=10**6, allowed=ALL)
    sha = hashlib.sha256(data).hexdigest()
    assert received.path == tmp_path / sha[:2] / f"{sha}.docx"
    assert received.path.read_bytes() == data
    assert received.extracted.format == "docx" and "Senegal" in received.extracted.text
    assert received.extracted.title == "Return report"
    assert intake.indexed_path(tmp_path, sha, "docx") == received.path   # the indexer's
    again = intake.keep(tmp_path, data, "copy.docx", max_bytes=10**6, allowed=ALL)
    assert again.path == received.path
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [f"{sha}.docx"]


def test_a_refusal_for_size_says_the_sizes_in_english_decimals(tmp_path):
    with pytest.raises(intake.UploadRefused) as err:
        intake.check(b"x" * (2**20 // 5), "big.txt", max_bytes=2**20 // 10, allowed=ALL)
    assert str(err.value.message) == "big.txt is 0.2 MiB, over the limit of 0.1 MiB"
