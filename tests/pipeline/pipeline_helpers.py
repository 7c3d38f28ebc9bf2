"""Builders for small real corpora: PDFs made with fpdf2, HTML and text files."""

from __future__ import annotations

import json
from pathlib import Path

from fpdf import FPDF

from indexer.sources import load_sources


def make_pdf(path: Path, pages: list[str], title: str = "", author: str = "") -> Path:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def make_html(path: Path, title: str, body: str, lang: str = "en", date: str = "") -> Path:
    meta = f'<meta name="date" content="{date}">' if date else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<!doctype html><html lang='{lang}'><head><title>{title}</title>{meta}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/about'>About us</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        f"<footer>Copyright notice and contact details</footer></body></html>",
        encoding="utf-8")
    return path


def registry(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def web_sources(tmp_path: Path, kind: str, *, id: str = "partner",
                name: str = "Partner platform", agency: str = "IOM", **options) -> list:
    """The sources of ``tmp_path/sources.toml`` holding one web source of ``kind``: its
    ``options`` as TOML values (``url``, ``urls``, ``max_depth``...), private addresses
    allowed unless an option says otherwise (the test platform is on 127.0.0.1)."""
    options = {"allow_private": True, **options}
    fields = {"id": id, "name": name, "agency": agency, "kind": kind, **options}
    body = "[[source]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in fields.items())
    return load_sources(registry(tmp_path / "sources.toml", body))


def files_registry(tmp_path: Path, folder: Path, *, extra: str = "") -> Path:
    """``tmp_path/sources.toml`` with one files source "docs" (ILO) over ``folder``."""
    return registry(tmp_path / "sources.toml", f"""
[[source]]
id = "docs"
name = "Docs"
agency = "ILO"
kind = "files"
path = "{folder}"
{extra}""")


LOREM_EN = ("Migrant workers in the construction sector face recruitment fees and debt. "
            "Labour migration governance requires fair recruitment, social protection and "
            "access to justice for migrant workers and their families. ")


def counts(report) -> dict:
    """The first source's non-zero counts of a run report."""
    return {k: v for k, v in report.sources[0].counts.items() if v}


def found(engine, words: str) -> set[str]:
    """The last parts of the URLs of the documents a search for ``words`` finds."""
    from searchhub.models import Query

    return {h.document.url.rsplit("/", 1)[1] for h in engine.search(Query(words)).hits}
