"""HTML extraction with recall in mind: every section of a documentation page, no
permalink marks, no menus; a news page's teasers stay out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.extract.html import extract_html

REAL_HTML = Path(__file__).resolve().parents[3] / "shared" / "corpus-real" / "html"

SECTIONS = {
    "File menu": ["New File creates a new file editing window",
                  "Open opens an existing file with an Open dialog"],
    "Edit menu": ["Undo reverts the last change to the current window",
                  "Redo restores the last undone change"],
    "Key bindings": ["Backspace deletes to the left and Delete to the right",
                     "Control Backspace deletes a word to the left"],
    "Automatic indentation": ["After a block opening statement the next line is indented",
                              "Certain keywords dedent the next line"],
    "Search and Replace": ["Any selection becomes a search target",
                           "Replace asks before each change"],
    "Completions": ["Completions are supplied for functions and classes",
                    "The completion box pops up after a delay"],
}


DETAILS = {
    "File menu": ["Untitled windows ask for a name when first saved to disk.",
                  "Recently used folders appear first; hidden ones stay hidden."],
    "Edit menu": ["Multiple consecutive reversals walk backwards through history.",
                  "Nothing happens when history holds no reverted modification."],
    "Key bindings": ["Mac keyboards label these keys differently, naturally.",
                     "Word boundaries follow identifier characters exactly."],
    "Automatic indentation": ["Colons open blocks; tabs become four spaces.",
                              "Return, break, continue, pass and raise close them."],
    "Search and Replace": ["Regular expressions, whole words and case matter optionally.",
                           "Wrapping around continues from the beginning afterwards."],
    "Completions": ["Attributes, modules and filenames appear likewise.",
                    "Typing further narrows alternatives; escape dismisses everything."],
}


def docs_page() -> str:
    """A page laid out as Sphinx lays out documentation: a related-links bar, a body
    marked role=main with sections of definition lists and "¶" heading links, and a
    sidebar with the contents and a search box."""
    sections = "".join(
        f'<section id="{title.lower().replace(" ", "-")}"><h2>{title}'
        f'<a class="headerlink" href="#{title.lower()}" title="Link to this heading">¶</a>'
        f"</h2><dl>" + "".join(f"<dt>{item.split()[0]}</dt><dd><p>{item}. {detail}</p></dd>"
                               for item, detail in zip(items, DETAILS[title], strict=True))
        + "</dl></section>"
        for title, items in SECTIONS.items())
    return ("<!doctype html><html lang='en'><head><title>IDLE ¶ — Python documentation"
            "</title></head><body>"
            "<div class='related' role='navigation'><ul><li><a href='/'>index</a></li>"
            "<li><a href='/modules'>modules</a></li><li>Report a bug</li></ul></div>"
            "<div class='document'><div class='body' role='main'>"
            "<section id='idle'><h1>IDLE<a class='headerlink' href='#idle'>¶</a></h1>"
            "<p>IDLE is the integrated development environment of the language.</p>"
            + sections + "</section></div></div>"
            "<div class='sphinxsidebar' role='navigation'><h3>Table of Contents</h3>"
            "<ul><li>File menu</li><li>Edit menu</li></ul><h3>Quick search</h3>"
            "<form><input name='q'></form></div>"
            "<div class='footer'>Copyright notice. Found a bug?</div></body></html>")


def test_every_section_of_a_documentation_page_is_kept():
    extracted = extract_html(docs_page(), url="https://docs.example.org/library/idle.html")
    text = extracted.pages[0]
    for title, items in SECTIONS.items():
        assert title in text
        for item in items:
            assert item in text
    assert "¶" not in text and extracted.title.startswith("IDLE") and "¶" not in (
        extracted.title)
    for boilerplate in ("Quick search", "Table of Contents", "Report a bug", "Copyright"):
        assert boilerplate not in text


def test_a_news_page_keeps_its_article_not_the_teasers_around_it():
    article = " ".join(f"Deportees described sentence {n} of their return home." for n in
                       range(40))
    teasers = "".join(f"<div class='teaser'><h3>Other story {n}</h3><p>{'Cricket and '*30}"
                      f"more on story {n}.</p></div>" for n in range(12))
    page = (f"<html><head><title>Deportees return home</title></head><body>"
            f"<div class='content'><h1>Deportees return home</h1><div class='entry'>"
            f"<p>{article}</p></div></div><div class='widgets'>{teasers}</div></body></html>")
    text = extract_html(page).pages[0]
    assert "sentence 39" in text
    assert "Other story 7" not in text


def _visible_words(markup: str) -> int:
    import lxml.html

    tree = lxml.html.fromstring(markup)
    region = (tree.xpath("//main") or tree.xpath("//*[@role='main']") or [None])[0]
    return len(re.findall(r"\w+", region.text_content())) if region is not None else 0


@pytest.mark.skipif(not REAL_HTML.is_dir(), reason="../shared/corpus-real is not here")
def test_real_pages_keep_titles_clean_and_text():
    for path in sorted(REAL_HTML.glob("*.html")):
        extracted = extract_html(path.read_bytes(), url="https://example.org/page")
        assert len(extracted.pages[0].split()) >= 150, path.name
        assert "¶" not in extracted.title, path.name
