"""Extractors on PDFs, HTML and text built here, and on the real corpus (e2e)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from indexer.discover.files import default_include
from indexer.enrich.language import detect_language
from indexer.extract import (
    FORMATS,
    document_type,
    extract,
    is_document_link,
    is_unsupported_content,
    is_unsupported_link,
    sniff_format,
)
from indexer.extract.base import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    Extracted,
    ExtractionError,
    Format,
    ImageOnlyDocument,
    TooLarge,
    UnsupportedFormat,
)
from indexer.extract.html import extract_html, plain_text, without_site_name
from indexer.extract.pdf import extract_pdf, guess_title, parse_pdf_date
from indexer.extract.pdf_title import FontRuns, heading_title, is_date, is_furniture
from indexer.extract.text import extract_text, normalise_text, without_emphasis

REAL_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-real"


def make_pdf(pages: list[str | None], *, title: str | None = None, author: str | None = None,
             created: dt.datetime | None = None) -> bytes:
    """A PDF with one page per entry: text, "" for a blank page, None for a drawing only."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    if title is not None:
        pdf.set_title(title)
    if author is not None:
        pdf.set_author(author)
    if created is not None:
        pdf.set_creation_date(created)
    for text in pages:
        pdf.add_page()
        if text is None:
            pdf.rect(20, 20, 100, 60, style="F")
        elif text:
            pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def encrypt(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password, owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PAGES = [
    "Labour migration in West Africa\nA study of seasonal workers and their families.",
    "Second page: remittances sent home by migrant workers.",
    "Third page: recommendations on fair recruitment.",
]


# --- PDF --------------------------------------------------------------------------------

def test_pdf_keeps_one_entry_per_page_with_known_text():
    extracted = extract_pdf(make_pdf(PAGES))
    assert extracted.format == "pdf"
    assert extracted.page_count == 3
    assert len(extracted.pages) == 3
    assert "remittances sent home" in extracted.pages[1]
    assert "fair recruitment" in extracted.pages[2]
    assert extracted.warnings == []


def test_pdf_blank_page_stays_in_place_as_empty_string():
    extracted = extract_pdf(make_pdf([PAGES[0], "", PAGES[2]]))
    assert extracted.pages[1] == ""
    assert "fair recruitment" in extracted.pages[2]


def test_pdf_metadata_title_author_and_date():
    data = make_pdf(PAGES, title="Seasonal Work in the Sahel", author="Jane Doe",
                    created=dt.datetime(2021, 3, 4, 10, 0, tzinfo=dt.UTC))
    extracted = extract_pdf(data)
    assert extracted.title == "Seasonal Work in the Sahel"
    assert extracted.author == "Jane Doe"
    assert extracted.date == dt.date(2021, 3, 4)


@pytest.mark.parametrize("junk", ["Microsoft Word - report_final.docx", "untitled",
                                  "AAP_EN_Evaluation_Brief_final_0", "report.pdf", "", "123"])
def test_pdf_junk_metadata_title_falls_back_to_first_page(junk):
    extracted = extract_pdf(make_pdf(PAGES, title=junk))
    assert extracted.title == "Labour migration in West Africa"


def test_pdf_title_saved_as_office_file_name_keeps_the_words():
    extracted = extract_pdf(make_pdf(PAGES, title="Applications from overstayers.docx"))
    assert extracted.title == "Applications from overstayers"


def test_guess_title_skips_furniture_and_joins_continuation_lines():
    page = "1\nPage 1 of 13\nEVALUATION BRIEF\nEVALUATION OF IOM ACCOUNTABILITY TO\n" \
           "AFFECTED POPULATIONS\nInternational Organization for Migration"
    assert guess_title(page) == \
        "EVALUATION BRIEF EVALUATION OF IOM ACCOUNTABILITY TO AFFECTED POPULATIONS"
    assert guess_title("Evaluation of IOM Accountability\nto Affected Populations\n"
                       "IOM CENTRAL EVALUATION") == \
        "Evaluation of IOM Accountability to Affected Populations"
    assert guess_title("12\n\n2024") == ""


# --- PDF titles from font sizes ----------------------------------------------------------

BODY = ("Migrant workers crossing the region send remittances home every month, and "
        "their families spend them on schooling, health care and housing. ") * 6


def layout_pdf(pages: list[list[tuple[float, str, str]]], *, title: str | None = None) -> bytes:
    """A PDF with one page per entry, each a list of (font size, style, text) blocks."""
    pdf = FPDF()
    if title is not None:
        pdf.set_title(title)
    for blocks in pages:
        pdf.add_page()
        for size, style, text in blocks:
            pdf.set_font("Helvetica", style, size)
            pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())


def test_pdf_title_is_the_largest_font_not_the_header_date_or_authors():
    data = layout_pdf([[
        (8, "", "Quarterly Bulletin of the Migration Observatory"),
        (10, "", "12 March 2024"),
        (26, "B", "Seasonal Work in the Sahel"),
        (12, "", "Jane Doe, Amadou Diallo, Marie Curie and John Smith"),
        (11, "", BODY),
    ]])
    extracted = extract_pdf(data)
    assert extracted.title == "Seasonal Work in the Sahel"
    # The line heuristic alone would have taken the running header.
    assert guess_title(extracted.pages[0]) == "Quarterly Bulletin of the Migration Observatory"


def test_pdf_title_joins_the_lines_of_a_wrapped_title():
    data = layout_pdf([[
        (9, "", "Template Version: 08/2022"),
        (22, "B", "Labour Migration and Remittances in West Africa: Evidence from Three "
                  "Corridors"),
        (14, "", "Authors: Jane Doe and John Smith"),
        (11, "", BODY),
    ]], title="Microsoft Word - final_v3.docx")
    extracted = extract_pdf(data)
    assert len(extracted.pages[0].split("\n")[1]) < 60          # the title did wrap
    assert extracted.title == ("Labour Migration and Remittances in West Africa: Evidence "
                               "from Three Corridors")


def test_pdf_short_label_takes_the_subtitle_below_it():
    data = layout_pdf([[
        (26, "B", "EVALUATION BRIEF"),
        (14, "B", "EVALUATION OF THE MIGRATION DATA STRATEGY"),
        (11, "", BODY),
    ]])
    assert extract_pdf(data).title == "EVALUATION BRIEF: EVALUATION OF THE MIGRATION DATA STRATEGY"


def test_pdf_cover_without_big_text_gives_the_title_on_page_two():
    data = layout_pdf([
        [(10, "", "IOM"), (10, "", "Geneva, 2024")],
        [(24, "B", "Return and Reintegration in the Horn of Africa"), (11, "", BODY)],
    ])
    assert extract_pdf(data).title == "Return and Reintegration in the Horn of Africa"


def test_pdf_without_font_size_variation_falls_back_to_the_first_line():
    data = layout_pdf([[(11, "", "Page 1 of 3"), (11, "", "LABOUR MIGRATION IN WEST AFRICA"),
                        (11, "", BODY)]])
    assert extract_pdf(data).title == "LABOUR MIGRATION IN WEST AFRICA"


def test_pdf_good_metadata_title_wins_over_the_big_heading():
    data = layout_pdf([[(26, "B", "Annual Overview"), (11, "", BODY)]],
                      title="Seasonal Work in the Sahel")
    assert extract_pdf(data).title == "Seasonal Work in the Sahel"


def test_pdf_printed_web_page_title_gives_way_to_its_heading():
    data = layout_pdf([[(8, "", "10/24/25, 3:05 PM Print Entering the UK - GOV.UK"),
                        (28, "B", "Entering the UK"), (20, "B", "1. Overview"),
                        (12, "", BODY)]], title="Print Entering the UK - GOV.UK")
    assert extract_pdf(data).title == "Entering the UK"


def raw_pdf(content: bytes) -> bytes:
    """A one-page PDF with a hand-written content stream; Helvetica is /F1."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    stream = DecodedStreamObject()
    stream.set_data(content)
    page.replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BODY_OP = b"/F1 12 Tf 1 0 0 1 50 650 Tm (Body text line of the odd page) Tj"


@pytest.mark.parametrize("heading", [
    b"/F1 0 Tf 0 0 0 0 0 0 Tm (Zero size heading text)",               # degenerate matrix
    b"/F9 30 Tf 1 0 0 1 50 700 Tm (Heading in a missing font)",         # no such font
    b"/F1 30 Tf 1 2 3 Tm (Heading after a short matrix)",               # too few operands
    b"/F1 -30 Tf 1 0 0 -1 50 700 Tm (Upside down heading)",            # 180 degrees
    b"/F1 30 Tf 99999999999999999999 0 0 99999999999999999999 50 700 Tm (Huge heading)",
    b"/F1 (x) Tf 1 0 0 1 50 700 Tm (Heading with a string for a size)",
    b"/F1 30 Tf 0 1 -1 0 300 300 Tm (Rotated heading running up the page)",
])
def test_pdf_odd_font_sizes_and_matrices_never_raise(heading):
    extracted = extract_pdf(raw_pdf(b"BT " + heading + b" Tj " + BODY_OP + b" ET"))
    assert "Body text line" in extracted.pages[0]
    assert isinstance(extracted.title, str)


def test_font_runs_survive_garbage_from_the_visitor():
    runs = FontRuns()
    runs("Title", None, None, None, None)                      # no matrices at all
    runs("Text", [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0], object(), float("nan"))
    runs("", [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0], {}, 12)
    assert heading_title([runs]) == ""
    assert heading_title([]) == ""
    assert heading_title([FontRuns()]) == ""


@pytest.mark.parametrize("line", [
    "Page 1 of 13", "12 March 2024", "Viernes 25 de julio de 2025 DIARIO OFICIAL",
    "[19-04-2023]", "9th July 2025", "A/RES/73/8", "United Nations A/RES/73/8", "ES/2019/07",
    "Template Version: 08/2022", "Version 10.0", "Author: Neil Dillon, Data Conscious Ltd",
    "Written by: Katie Kuschminder, Sarah Adeyinka", "Seventy-third session", "Agenda item 43",
    "Resolution adopted by the General Assembly", "GENERAL ASSEMBLY", "SPECIAL ISSUE 255",
    "Kenya Gazette Supplement No. 25", "SECRETARIA DE GOBERNACION", "Table of contents",
    "2. Executive summary", "Stephen Ladek, Nur Abdelkhaliq Zamora, Scott Cameron, Siobhan "
    "Green, and Caitlin Procter", "https://www.gov.uk/uk-border-control/print",
])
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "Seasonal Work in the Sahel", "Meta-evaluation of IOM evaluations 2020–2024",
    "THE REFUGEES (GENERAL) REGULATIONS, 2024", "Peace, Justice and Strong Institutions",
    "Evaluation of UNHCR’s data use and information management approaches",
    "Migration in Kenya. A Country Profile", "March of the Migrants",
])
def test_title_lines_are_not_furniture(line):
    assert not is_furniture(line)
    assert not is_date(line)


@pytest.mark.parametrize(("raw", "expected"), [
    ("D:20231204103000+01'00'", dt.date(2023, 12, 4)),
    ("D:2019", dt.date(2019, 1, 1)),
    ("20200229", dt.date(2020, 2, 29)),
    ("D:20231304", None),
    ("yesterday", None),
    (None, None),
])
def test_parse_pdf_date(raw, expected):
    assert parse_pdf_date(raw) == expected


def test_pdf_max_pages_reads_only_the_first_pages_and_says_so():
    extracted = extract_pdf(make_pdf(PAGES), max_pages=2)
    assert len(extracted.pages) == 2
    assert extracted.page_count == 3
    assert extracted.warnings == ["read only the first 2 of 3 pages"]


def test_pdf_with_drawing_only_is_image_only():
    with pytest.raises(ImageOnlyDocument, match="no text layer on any of 2 pages; needs OCR"):
        extract_pdf(make_pdf([None, ""]))


def test_pdf_with_user_password_is_encrypted():
    with pytest.raises(EncryptedDocument, match="password") as info:
        extract_pdf(encrypt(make_pdf(PAGES), "secret"))
    assert info.value.reason == "encrypted"


def test_pdf_encrypted_with_empty_password_still_opens():
    extracted = extract_pdf(encrypt(make_pdf(PAGES), ""))
    assert "fair recruitment" in extracted.pages[2]


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_corrupt(fraction):
    data = make_pdf(PAGES)
    with pytest.raises(CorruptDocument, match="pypdf cannot parse"):
        extract_pdf(data[:int(len(data) * fraction)])


def test_random_bytes_with_pdf_header_are_corrupt():
    noise = random.Random(7).randbytes(3000)
    with pytest.raises(CorruptDocument):
        extract_pdf(b"%PDF-1.7\n" + noise)


def test_pdf_without_pages_is_empty():
    out = io.BytesIO()
    PdfWriter().write(out)
    with pytest.raises(EmptyDocument, match="no pages"):
        extract_pdf(out.getvalue())


# --- Text clean-up ----------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "clean"), [
    ("migra-\ntion policy", "migration policy"),
    ("Franco-\nGerman border", "Franco-\nGerman border"),     # capital: a real hyphen
    ("a  lot   of\t\tspaces", "a lot of spaces"),
    ("nul\x00 and\x07 bell\x1b", "nul and bell"),
    ("soft\u00adhyphen and zero\u200bwidth", "softhyphen and zerowidth"),
    ("Cafe\u0301", "Café"),                                     # NFC
    ("line one   \n\n\n\n  line two\r\nthree", "line one\n\nline two\nthree"),
])
def test_normalise_text(raw, clean):
    assert normalise_text(raw) == clean


# --- HTML -------------------------------------------------------------------------------

ARTICLE = " ".join(
    f"Paragraph {i}: migrants crossing the Darien gap need shelter, water and medical care, "
    "and host communities need support to receive them with dignity." for i in range(8)
)
PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Shelter &amp; care <mark>on the route</mark><script>alert(1)</script></title>
<meta name="description" content="How shelters help migrants on the move.">
<meta name="author" content="Ana Pérez">
<meta property="article:published_time" content="2023-05-17T08:00:00Z">
<script>var tracking = "do not index me";</script>
<style>body {{ color: red }}</style>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us menu</a></li></ul></nav>
<article><h1>Shelter and care on the route</h1>
<p>{ARTICLE}</p>
<p>Local authorities opened three new centres in 2023.</p>
</article>
<footer>Copyright footer text. Cookie settings. Privacy policy.</footer>
</body></html>"""


def test_html_main_text_without_boilerplate_or_script():
    extracted = extract_html(PAGE.encode("utf-8"), url="https://example.org/news/shelter")
    assert extracted.format == "html"
    assert len(extracted.pages) == 1
    assert "Darien gap" in extracted.text
    assert "three new centres" in extracted.text
    for boilerplate in ("About us menu", "Cookie settings", "do not index me", "color: red"):
        assert boilerplate not in extracted.text


def test_html_metadata_and_plain_text_title():
    extracted = extract_html(PAGE.replace("<h1>Shelter and care on the route</h1>", ""))
    assert extracted.title == "Shelter & care on the route"    # no <mark>, no script
    assert extracted.language == "en"
    assert extracted.date == dt.date(2023, 5, 17)
    assert extracted.description == "How shelters help migrants on the move."
    assert extracted.author == "Ana Pérez"


def test_html_title_from_escaped_markup_in_og_title_is_plain():
    page = PAGE.replace("<title>", '<meta property="og:title" content="A &lt;mark&gt;b'
                                   '&lt;/mark&gt; &lt;script&gt;x()&lt;/script&gt;c"><title>')
    assert extract_html(page).title == "A b c"


def test_html_title_loses_the_site_name():
    page = PAGE.replace("<h1>Shelter and care on the route</h1>", "")
    page = page.replace('<meta charset="utf-8">',
                        '<meta charset="utf-8"><meta property="og:site_name" content="Route News">')
    page = page.replace("<title>Shelter &amp; care <mark>on the route</mark>",
                        "<title>Shelter &amp; care on the route | Route News")
    assert extract_html(page, url="https://example.org/a").title == "Shelter & care on the route"


@pytest.mark.parametrize(("title", "sitename", "host", "expected"), [
    ("Streit ums Feuerholz - www.AussenGedanken.de", "AussenGedanken", "aussengedanken.de",
     "Streit ums Feuerholz"),                                        # the host name
    ("«Wir waren 40 Tage in Quarantäne» - Rosa-Luxemburg-Stiftung", "Rosaluxstiftung",
     "www.rosalux.de", "«Wir waren 40 Tage in Quarantäne»"),          # the host's label
    ("GOV.UK | Entering the United Kingdom", "GOV.UK", "www.gov.uk",
     "Entering the United Kingdom"),                                 # in front
    ("Migrants in Costa Rica – The Tico Times", "The Tico Times | Costa Rica News", "",
     "Migrants in Costa Rica"),                                      # the start of og:site_name
    ("News | UNHCR", "UNHCR", "unhcr.org", "News | UNHCR"),          # too little left
    ("Klimakonferenz - DRK: Immer mehr Menschen", "DRK e.V.", "drk.de",
     "Klimakonferenz - DRK: Immer mehr Menschen"),                   # not a site name
    ("Migration in Libya - A Report", "Migration in Libya - A Report", "x.org",
     "Migration in Libya - A Report"),                               # og:site_name = title
    ("Return - Reintegration in West Africa", "", "", "Return - Reintegration in West Africa"),
])
def test_without_site_name(title, sitename, host, expected):
    assert without_site_name(title, sitename, host) == expected


def test_plain_text_strips_tags_scripts_and_escaped_tags():
    assert plain_text("A <mark>b</mark> <script>x()</script>c &lt;b&gt;d&lt;/b&gt; &amp; e") \
        == "A b c d & e"


def test_html_decodes_declared_charset():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=iso-8859-1"><title>Migración</title></head><body><p>'
            + "Política migratoria en México y Guatemala. " * 20 + "</p></body></html>")
    extracted = extract_html(page.encode("latin-1"))
    assert "Política migratoria en México" in extracted.text
    assert extracted.title == "Migración"


@pytest.mark.parametrize("declaration", [
    b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n',
    b"\xef\xbb\xbf<?xml version='1.0' encoding='utf-8'?>",      # after a byte order mark
])
def test_xhtml_with_an_xml_declaration_is_read(declaration):
    # DocBook's XHTML (the Debian Reference) and many older sites begin so: lxml refuses
    # a decoded page that declares an encoding, and every such page came out empty.
    page = declaration + (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
        '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Chapitre 1. '
        'Didacticiels</title><meta http-equiv="Content-Type" content="text/html; '
        'charset=UTF-8"/></head><body><div class="chapter"><h1>Chapitre 1</h1><p>'
        + "Les réfugiés et les migrants arrivés à la frontière reçoivent une aide. " * 20
        + "</p></div></body></html>").encode("utf-8")
    extracted = extract_html(page)
    assert "Les réfugiés et les migrants arrivés" in extracted.text
    assert extracted.title.startswith("Chapitre 1")


def test_a_language_declared_on_the_first_block_counts():
    # DocBook declares it on its first division, not on <html>.
    page = ('<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Guide</title></head>'
            '<body><div xml:lang="fr" class="book"><p><span lang="en">Howto</span> '
            + "Ce guide explique comment construire un paquet Debian. " * 10
            + "</p></div></body></html>").encode("utf-8")
    assert extract_html(page).language == "fr"
    assert extract_html(page.replace(b'<html xmlns', b'<html lang="es" xmlns')).language \
        == "es"


def test_short_html_falls_back_to_page_text():
    page = b"<html><head><title>Contact</title></head><body><div>Write to us.</div>" \
           b"<script>var x = 1;</script></body></html>"
    extracted = extract_html(page)
    assert "Write to us." in extracted.text
    assert "var x" not in extracted.text
    assert extracted.title == "Contact"


@pytest.mark.parametrize("page", [b"", b"<html><head><script>x()</script></head><body> </body>"
                                  b"</html>", b"<html><body><img src='a.png'></body></html>"])
def test_html_without_text_is_empty(page):
    with pytest.raises(EmptyDocument):
        extract_html(page)


# --- Text files -------------------------------------------------------------------------

def test_text_utf8_title_is_first_non_empty_line():
    extracted = extract_text("\n\n  Rapport sur la migration  \nCorps du texte: été.".encode())
    assert extracted.title == "Rapport sur la migration"
    assert extracted.pages == ["Rapport sur la migration\nCorps du texte: été."]


def test_text_falls_back_to_cp1252_and_truncates_title():
    extracted = extract_text("Política “migratoria” ".encode("cp1252") + b"x" * 300)
    assert extracted.title.startswith("Política “migratoria”")
    assert len(extracted.title) == 200


def test_empty_text_file():
    with pytest.raises(EmptyDocument):
        extract_text(b" \n\t ")


# --- Registry ---------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "name", "content_type", "expected"), [
    (b"%PDF-1.7 ...", "download", None, "pdf"),
    (b"<html>...", "https://example.org/report.pdf", "application/pdf", "html"),  # bytes win
    (b"\xef\xbb\xbf  <!DOCTYPE HTML><p>", "page", None, "html"),
    (b"anything", "page", "text/html; charset=utf-8", "html"),
    (b"anything", "https://example.org/a/b.PDF?x=1", None, "pdf"),
    (b"anything", "report%20final.htm", None, "html"),
    (b"anything", "notes.txt", None, "text"),
    (b"anything", "notes", "text/plain", "text"),
])
def test_sniff_format(data, name, content_type, expected):
    assert sniff_format(data, name, content_type) == expected


def test_sniff_format_rejects_unknown():
    with pytest.raises(UnsupportedFormat, match="photo.jpg"):
        sniff_format(b"\xff\xd8\xff", "photo.jpg", "image/jpeg")


def test_extract_dispatches_through_the_registry():
    assert set(FORMATS) == {"pdf", "html", "text", "docx"}
    assert extract(make_pdf(PAGES), filename_or_url="a.pdf", max_pages=1).pages[0] \
        .startswith("Labour migration")
    assert extract(PAGE.encode(), filename_or_url="https://example.org/x").format == "html"
    assert extract(b"Hello\nworld", filename_or_url="a.txt").title == "Hello"


def test_extract_checks_size_before_anything():
    with pytest.raises(TooLarge, match="2,000 bytes, over the limit of 1,000"):
        extract(b"%PDF" + b"x" * 1996, filename_or_url="big.pdf", max_bytes=1000)


# --- Real corpus ------------------------------------------------------------------------

def _real_files(kind: str) -> list[str]:
    folder = REAL_CORPUS / kind
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@functools.cache
def _extract_real(kind: str, name: str):
    """Extracted, or the ExtractionError; the first pages are enough to judge."""
    try:
        return extract((REAL_CORPUS / kind / name).read_bytes(), filename_or_url=name,
                       max_pages=12)
    except ExtractionError as exc:
        return exc


IMAGE_ONLY = {"1971-10-25_GA_Resolution_2758_ru.pdf"}
FRENCH = ("CS1137-CS1138_Evaluation%20Brief", "CS1137-CS1138_Evaluation%20ToR",
          "CS1137-CS1138_Inception%20Report")
SPANISH = ("27Razones", "28Proteccion", "Ley_de_Migracion", "lineamientos", "GUIA")
MIXED = ("CS1137-CS1138_Management%20Response%20Plan",)

real = pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason=f"{REAL_CORPUS} not present")


def _expected_language(name: str) -> str | None:
    if name.startswith(FRENCH):
        return "fr"
    if name.startswith(SPANISH):
        return "es"
    if name.startswith(MIXED):
        return None
    return "en"


@pytest.mark.e2e
@real
@pytest.mark.parametrize("name", _real_files("pdf"))
def test_real_pdf_gives_text_or_image_only(name):
    result = _extract_real("pdf", name)
    if name in IMAGE_ONLY:
        assert isinstance(result, ImageOnlyDocument), result
        assert "needs OCR" in result.message
        return
    assert not isinstance(result, ExtractionError), f"{name}: {result}"
    assert len(result.text) > 500
    assert result.title
    assert len(result.pages) == min(12, result.page_count)
    expected = _expected_language(name)
    if expected:
        assert detect_language(result.text)[0] == expected


# Titles read off each document's first page (pypdf text and font sizes, checked by hand).
REAL_TITLES = {
    # metadata title kept
    "1951-Refugee Convention-1967-protocol (UNHCR Mandate).pdf":
        "The 1951 Convention and 1967 Protocol relating to the Status of Refugees",
    # 32 pt title below "Conducted by:" and the list of authors (was the author list)
    "Info_Mngt_eval_2019.pdf":
        "Evaluation of UNHCR’s data use and information management approaches",
    # 12 pt bold below the masthead and "Resolution adopted by ..." (was "United Nations
    # A/RES/73/8")
    "A_RES_73_8-EN.pdf": "Necessity of ending the economic, commercial and financial embargo "
                         "imposed by the United States of America against Cuba",
    # 22 pt above "IOM CENTRAL EVALUATION / July 2025" (was that running line)
    "Meta-evaluation%202020-2024%20report%20-%20clean.pdf":
        "Meta-evaluation of IOM evaluations 2020–2024",
    # 14 pt heading drawn last in the page, below the date and a disclaimer (was the
    # disclaimer)
    "27Razones_humanitarias.pdf.pdf": "AUTORIZACIÓN RESIDENCIA TEMPORAL POR CIRCUNSTANCIAS "
                                      "EXCEPCIONALES POR RAZONES HUMANITARIAS",
    # 14 pt over a 11 pt body, footer "Template Version: 08/2022" (was that footer)
    "CS1137-CS1138_Management%20Response%20Plan_Javier%20SANCHEZ%20MARTI.pdf":
        "Evaluation finale indépendante du projet « Renforcement du dialogue binational entre "
        "Haïti et la République dominicaine pour promouvoir la cohésion sociale dans la zone "
        "frontalière »",
    # browser print: metadata "Print Entering the UK - GOV.UK", heading 32 pt
    "Entering the UK - GOV.UK.pdf": "Entering the UK",
    # no size contrast: line heuristic past the gazette header and the parent Act
    "THE-REFUGEES-GENERAL-REGULATIONS-2024.pdf": "THE REFUGEES (GENERAL) REGULATIONS, 2024",
    "lineamientos-visas-25-jul-2025.pdf":
        "LINEAMIENTOS Generales para la expedición de visas que emiten las secretarías de "
        "Gobernación y de Relaciones Exteriores",
}


@pytest.mark.e2e
@pytest.mark.parametrize("name", sorted(REAL_TITLES))
def test_real_pdf_title(corpus_real, name):
    result = _extract_real("pdf", name)
    assert not isinstance(result, ExtractionError), f"{name}: {result}"
    assert result.title == REAL_TITLES[name]


@pytest.mark.e2e
@real
@pytest.mark.parametrize("name", _real_files("html"))
def test_real_html_gives_text_in_its_language(name):
    result = _extract_real("html", name)
    assert not isinstance(result, ExtractionError), f"{name}: {result}"
    assert len(result.text) > 500
    assert "<" not in result.title
    language, _ = detect_language(result.text)
    if name.startswith("legrandcontinent"):
        assert language == "fr"
    elif name.startswith(("aussengedanken", "awo", "bundespolizei", "drk", "lsvd", "rosalux")):
        assert language == "de"
    else:
        assert language == "en"
    assert result.language in ("", language)      # the declared one agrees when present


def test_each_format_says_the_document_type_it_maps_to():
    assert {name: document_type(name) for name in FORMATS} == {
        "pdf": "Report", "html": "Web page", "text": "Text", "docx": "Report"}


@pytest.mark.parametrize(("url", "document", "unsupported"), [
    ("https://example.org/files/report.PDF", True, False),
    ("https://example.org/notes.txt?download=1", True, False),
    ("https://example.org/files/brief.docx", True, False),    # Word: read as uploads are
    ("https://example.org/files/brief.doc", False, True),
    ("https://example.org/files/slides.pptx", False, True),
    ("https://example.org/data/export.zip", False, True),
    ("https://example.org/img/map.png", False, True),
    ("https://example.org/src/tool.py", False, True),
    ("https://example.org/page.html", False, False),      # a page: followed, not a file
    ("https://example.org/news/2024/item", False, False),
    ("https://example.org/people/john.smith", False, False),
])
def test_links_to_files_are_documents_or_unsupported(url, document, unsupported):
    assert is_document_link(url) is document
    assert is_unsupported_link(url) is unsupported


def test_unsupported_content_is_told_by_bytes_and_label():
    assert is_unsupported_content(b"PK\x03\x04...", "application/vnd.openxmlformats-"
                                  "officedocument.presentationml.presentation")
    assert not is_unsupported_content(b"PK\x03\x04...", "application/vnd.openxmlformats-"
                                      "officedocument.wordprocessingml.document")
    assert is_unsupported_content(b"\x89PNG...", "image/png")
    # A PDF labelled as an image is still a PDF; unknown labels are tried.
    assert not is_unsupported_content(b"%PDF-1.7 ...", "image/png")
    assert not is_unsupported_content(b"<html>", "text/html")
    assert not is_unsupported_content(b"data", "application/x-something")


def test_a_new_format_is_one_registration(monkeypatch):
    """Registering a format is enough: its suffix, content type and document type
    follow, and its links stop being unsupported."""
    assert is_unsupported_link("https://example.org/brief.odt")

    def extract_odt(data: bytes, where: str, max_pages: int | None) -> Extracted:
        return Extracted(format="odt", pages=[data.decode()], title=where)

    ctype = "application/vnd.oasis.opendocument.text"
    monkeypatch.setitem(FORMATS, "odt", Format("odt", extract_odt, "Report",
                                               (ctype,), (".odt",)))
    assert not is_unsupported_link("https://example.org/brief.odt")
    assert is_document_link("https://example.org/brief.odt")
    assert sniff_format(b"PK...", "download", ctype) == "odt"
    assert extract(b"Word text", filename_or_url="brief.odt").pages == ["Word text"]
    assert document_type("odt") == "Report"
    assert "*.odt" in default_include()          # a files source reads them too


def test_a_word_file_is_a_registered_format():
    ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert sniff_format(b"PK\x03\x04...", "download", ctype) == "docx"
    assert sniff_format(b"PK\x03\x04...", "https://example.org/brief.docx") == "docx"
    assert "*.docx" in default_include()          # a files source reads them too


@pytest.mark.parametrize(("text", "plain"), [
    ("Strategy (2 October 2017) **Overview**", "Strategy (2 October 2017) Overview"),
    ("**Key figures** and *more* text", "Key figures and more text"),
    ("attention in the debate?**", "attention in the debate?"),   # unpaired bold marker
    ("5*3 = 15", "5*3 = 15"),
    ("Libya* and Niger*", "Libya* and Niger*"),                   # footnote marks
    ("a * b", "a * b"),
    ("__init__ and snake_case", "__init__ and snake_case"),
])
def test_markdown_emphasis_is_dropped_and_nothing_else(text, plain):
    assert without_emphasis(text) == plain
