"""Build the demo corpus: corpus/demo/src/**/*.toml -> PDF, HTML and text files.

Each source file describes one document (agency, filename, format, language,
title, author, date, type, pages). Output goes to corpus/demo/<agency folder>/.
The generated files are committed, so searchhub itself never needs fpdf2;
re-run this script after editing a source:

    .venv/bin/python corpus/demo/build_demo.py

The build is deterministic: creation dates come from the source `date`, so an
unchanged source yields byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import html
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
SRC_DIR = DEMO_DIR / "src"

FORMATS = ("pdf", "html", "txt")

# Core PDF fonts (no embedding) cover windows-1252; anything outside it is
# mapped to a close ASCII form so the text stays readable and extractable.
PDF_ENCODING = "windows-1252"
_ASCII_FALLBACK = str.maketrans({"\u2011": "-", "\u2212": "-", "\u202f": " ", "\u2009": " "})


@dataclass(frozen=True)
class DemoDocument:
    """One demo document as described by its source file."""

    source: Path
    agency: str
    filename: str
    format: str
    language: str
    title: str
    author: str
    date: dt.date
    type: str
    pages: tuple[str, ...]

    @property
    def folder(self) -> str:
        return agency_folder(self.agency)

    @property
    def output(self) -> Path:
        return DEMO_DIR / self.folder / self.filename


def agency_folder(agency: str) -> str:
    """Folder name of an agency: "UN DESA" -> "undesa"."""
    return agency.lower().replace(" ", "")


def load_document(path: Path) -> DemoDocument:
    """Read one source file; raise ValueError naming the file if it is malformed."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    try:
        doc = DemoDocument(
            source=path,
            agency=data["agency"],
            filename=data["filename"],
            format=data["format"],
            language=data["language"],
            title=data["title"],
            author=data["author"],
            date=dt.date.fromisoformat(data["date"]),
            type=data["type"],
            pages=tuple(p.strip() for p in data["pages"]),
        )
    except KeyError as exc:
        raise ValueError(f"{path}: missing key {exc}") from exc
    if doc.format not in FORMATS:
        raise ValueError(f"{path}: format must be one of {FORMATS}, not {doc.format!r}")
    if not doc.filename.endswith("." + doc.format):
        raise ValueError(f"{path}: filename {doc.filename!r} does not end in .{doc.format}")
    if not doc.pages:
        raise ValueError(f"{path}: no pages")
    return doc


def load_documents(src_dir: Path = SRC_DIR) -> list[DemoDocument]:
    """All source documents, sorted by path so the build order is stable."""
    return [load_document(p) for p in sorted(src_dir.rglob("*.toml"))]


def blocks(text: str) -> list[tuple[str, str]]:
    """Split page text into ("h", heading), ("li", item) and ("p", paragraph) blocks."""
    out: list[tuple[str, str]] = []
    for chunk in text.split("\n\n"):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("## "):
            out.append(("h", chunk[3:].strip()))
        elif chunk.startswith("- "):
            for item in chunk.split("\n- "):
                out.append(("li", " ".join(item.removeprefix("- ").split())))
        else:
            out.append(("p", " ".join(chunk.split())))
    return out


# --- PDF -----------------------------------------------------------------


def pdf_text(text: str) -> str:
    text = text.translate(_ASCII_FALLBACK)
    return text.encode(PDF_ENCODING, errors="replace").decode(PDF_ENCODING)


def render_pdf(doc: DemoDocument) -> bytes:
    from fpdf import FPDF  # build-time dependency only

    class DemoPDF(FPDF):
        def footer(self) -> None:  # called by fpdf2 on every page
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="C")

    created = dt.datetime.combine(doc.date, dt.time(9, 0), tzinfo=dt.UTC)
    pdf = DemoPDF(format="A4")
    pdf.core_fonts_encoding = PDF_ENCODING
    pdf.set_creation_date(created)
    pdf.set_title(pdf_text(doc.title))
    pdf.set_author(pdf_text(doc.author))
    pdf.set_subject(pdf_text(doc.type))
    pdf.set_lang(doc.language)
    pdf.set_creator("searchhub demo corpus builder")
    pdf.set_producer("fpdf2")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    for number, page in enumerate(doc.pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "I", 8)
        pdf.cell(0, 5, pdf_text(f"{doc.author} | {doc.title}"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        if number == 1:
            pdf.set_font("Helvetica", "B", 16)
            pdf.multi_cell(0, 8, pdf_text(doc.title), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 9)
            pdf.cell(0, 6, pdf_text(f"{doc.author} - {doc.date.isoformat()}"),
                     new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        for kind, text in blocks(page):
            if kind == "h":
                pdf.ln(2)
                pdf.set_font("Helvetica", "B", 12)
                pdf.multi_cell(0, 6, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
            elif kind == "li":
                pdf.set_font("Helvetica", "", 10.5)
                pdf.multi_cell(0, 5.5, pdf_text("- " + text), new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font("Helvetica", "", 10.5)
                pdf.multi_cell(0, 5.5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
    return bytes(pdf.output())


# --- HTML ----------------------------------------------------------------

# Per-agency site chrome, so the extractor has real boilerplate to strip.
SITES = {
    "iom": ("International Organization for Migration", "iom.example.org"),
    "unhcr": ("UNHCR, the UN Refugee Agency", "unhcr.example.org"),
    "ilo": ("International Labour Organization", "ilo.example.org"),
    "unodc": ("United Nations Office on Drugs and Crime", "unodc.example.org"),
    "undp": ("United Nations Development Programme", "undp.example.org"),
    "ohchr": ("Office of the High Commissioner for Human Rights", "ohchr.example.org"),
    "undesa": ("UN Department of Economic and Social Affairs, Population Division",
               "undesa.example.org"),
    "oecd": ("Organisation for Economic Co-operation and Development", "oecd.example.org"),
}

CHROME = {
    "en": {
        "nav": ["Home", "About us", "Our work", "Publications", "Data and research",
                "News and stories", "Careers", "Contact"],
        "skip": "Skip to main content",
        "cookie": "We use cookies to improve your experience on our website and to "
                  "collect anonymous statistics. By continuing to browse, you agree to "
                  "our use of cookies.",
        "accept": "Accept all cookies",
        "settings": "Cookie settings",
        "crumb": "Publications",
        "share": "Share this page",
        "related": "Related content",
        "related_items": ["Annual report", "Data portal", "Press releases"],
        "newsletter": "Subscribe to our newsletter",
        "footer": ["Privacy policy", "Terms of use", "Fraud alert", "Accessibility",
                   "Sitemap"],
        "rights": "All rights reserved.",
        "published": "Published",
    },
    "fr": {
        "nav": ["Accueil", "Qui sommes-nous", "Nos activités", "Publications",
                "Données et recherche", "Actualités", "Carrières", "Contact"],
        "skip": "Aller au contenu principal",
        "cookie": "Nous utilisons des cookies pour améliorer votre expérience sur notre "
                  "site et établir des statistiques anonymes. En poursuivant votre "
                  "navigation, vous acceptez leur utilisation.",
        "accept": "Accepter tous les cookies",
        "settings": "Paramètres des cookies",
        "crumb": "Publications",
        "share": "Partager cette page",
        "related": "Contenus associés",
        "related_items": ["Rapport annuel", "Portail de données", "Communiqués de presse"],
        "newsletter": "Abonnez-vous à notre lettre d'information",
        "footer": ["Politique de confidentialité", "Conditions d'utilisation",
                   "Alerte à la fraude", "Accessibilité", "Plan du site"],
        "rights": "Tous droits réservés.",
        "published": "Publié le",
    },
    "es": {
        "nav": ["Inicio", "Quiénes somos", "Nuestro trabajo", "Publicaciones",
                "Datos e investigación", "Noticias", "Empleo", "Contacto"],
        "skip": "Ir al contenido principal",
        "cookie": "Utilizamos cookies para mejorar su experiencia en nuestro sitio web y "
                  "elaborar estadísticas anónimas. Si continúa navegando, acepta su uso.",
        "accept": "Aceptar todas las cookies",
        "settings": "Configuración de cookies",
        "crumb": "Publicaciones",
        "share": "Compartir esta página",
        "related": "Contenido relacionado",
        "related_items": ["Informe anual", "Portal de datos", "Comunicados de prensa"],
        "newsletter": "Suscríbase a nuestro boletín",
        "footer": ["Política de privacidad", "Condiciones de uso", "Alerta de fraude",
                   "Accesibilidad", "Mapa del sitio"],
        "rights": "Todos los derechos reservados.",
        "published": "Publicado el",
    },
}


#: Hosts the "related" links of a page point to besides the partners' own: a mapped-only
#: platform of corpus/platforms.toml and a host no platform maps.
RELATED_ELSEWHERE = ("data.iom.example.org", "www.migration-network.example.net")


def related_href(doc: DemoDocument, i: int) -> str:
    """The i-th "related" link of a page: to other partners' platforms, so that the
    platforms' interlinkage graph of the demo is not empty (deterministic)."""
    folders = list(SITES)
    if i == 2:
        host = RELATED_ELSEWHERE[len(doc.filename) % 2]
    else:
        host = SITES[folders[(folders.index(doc.folder) + 1 + i) % len(folders)]][1]
    return f"https://{host}/related/{doc.filename.removesuffix('.html')}-{i}"


def render_html(doc: DemoDocument) -> bytes:
    esc = html.escape
    site_name, host = SITES[doc.folder]
    ui = CHROME[doc.language]
    body: list[str] = []
    for page in doc.pages:
        items: list[str] = []
        for kind, text in blocks(page):
            if kind != "li" and items:
                body.append("      <ul>\n" + "\n".join(items) + "\n      </ul>")
                items = []
            if kind == "h":
                body.append(f"      <h2>{esc(text)}</h2>")
            elif kind == "li":
                items.append(f"        <li>{esc(text)}</li>")
            else:
                body.append(f"      <p>{esc(text)}</p>")
        if items:
            body.append("      <ul>\n" + "\n".join(items) + "\n      </ul>")
    nav = "\n".join(f'        <li><a href="/{i}">{esc(n)}</a></li>'
                    for i, n in enumerate(ui["nav"]))
    footer = "\n".join(f'        <li><a href="/legal/{i}">{esc(n)}</a></li>'
                       for i, n in enumerate(ui["footer"]))
    related = "\n".join(f'        <li><a href="{related_href(doc, i)}">{esc(n)}</a></li>'
                        for i, n in enumerate(ui["related_items"]))
    date = doc.date.isoformat()
    article = "\n".join(body)
    page = f"""<!DOCTYPE html>
<html lang="{doc.language}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(doc.title)} | {esc(site_name)}</title>
  <meta name="author" content="{esc(doc.author)}">
  <meta name="date" content="{date}">
  <meta name="dc.type" content="{esc(doc.type)}">
  <meta property="og:title" content="{esc(doc.title)}">
  <meta property="og:site_name" content="{esc(site_name)}">
  <link rel="canonical" href="https://{host}/{doc.filename.removesuffix('.html')}">
  <link rel="stylesheet" href="/static/site.css">
  <script src="/static/analytics.js" defer></script>
</head>
<body>
  <a class="skip-link" href="#main">{esc(ui["skip"])}</a>
  <div class="cookie-banner" role="dialog" aria-label="Cookies">
    <p>{esc(ui["cookie"])}</p>
    <button type="button">{esc(ui["accept"])}</button>
    <button type="button">{esc(ui["settings"])}</button>
  </div>
  <header class="site-header">
    <a class="logo" href="/">{esc(site_name)}</a>
    <nav aria-label="Main">
      <ul>
{nav}
      </ul>
    </nav>
    <form class="search" action="/search"><input type="search" name="q"></form>
  </header>
  <main id="main">
    <nav class="breadcrumb">
      <a href="/">{esc(ui["nav"][0])}</a> &rsaquo;
      <a href="/publications">{esc(ui["crumb"])}</a>
    </nav>
    <article>
      <h1>{esc(doc.title)}</h1>
      <p class="byline">{esc(ui["published"])} <time datetime="{date}">{date}</time>
        &middot; {esc(doc.author)}</p>
{article}
    </article>
    <aside class="share">
      <h2>{esc(ui["share"])}</h2>
      <a href="#">X</a> <a href="#">LinkedIn</a> <a href="#">Facebook</a>
    </aside>
    <aside class="related">
      <h2>{esc(ui["related"])}</h2>
      <ul>
{related}
      </ul>
    </aside>
  </main>
  <footer class="site-footer">
    <p>{esc(ui["newsletter"])}</p>
    <ul>
{footer}
    </ul>
    <p>&copy; {doc.date.year} {esc(site_name)}. {esc(ui["rights"])}</p>
  </footer>
</body>
</html>
"""
    return page.encode("utf-8")


# --- plain text ----------------------------------------------------------


def render_txt(doc: DemoDocument) -> bytes:
    lines = [doc.title, "", f"{doc.author} - {doc.date.isoformat()}", ""]
    for page in doc.pages:
        for kind, text in blocks(page):
            lines.extend([text if kind != "li" else "- " + text, ""])
    return "\n".join(lines).encode("utf-8")


RENDERERS = {"pdf": render_pdf, "html": render_html, "txt": render_txt}


def build(documents: list[DemoDocument]) -> list[Path]:
    """Write every document; return the paths written. Refuses duplicate outputs."""
    seen: dict[Path, Path] = {}
    for doc in documents:
        if doc.output in seen:
            raise ValueError(f"{doc.source} and {seen[doc.output]} both write {doc.output}")
        seen[doc.output] = doc.source
    for doc in documents:
        doc.output.parent.mkdir(parents=True, exist_ok=True)
        doc.output.write_bytes(RENDERERS[doc.format](doc))
    return list(seen)


def main() -> int:
    try:
        written = build(load_documents())
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} documents under {DEMO_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
