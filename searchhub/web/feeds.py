"""A search as a feed and as a file: Atom (to follow a query), CSV, RIS and BibTeX
(for reference managers), and the OpenSearch description that lets a browser add the
site as a search engine. Each takes the same parameters as ``/search``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from flask import Blueprint, Response, request, url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from searchhub.models import Document, Hit
from searchhub.search import query_from_params

from . import document_link, services, source_href
from .curate import current_view

bp = Blueprint("feeds", __name__)

#: Hits one export holds at most (the first ones, in the search's order).
EXPORT_LIMIT = 500
FEED_ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"


def _hits(limit: int, *, newest: bool = False) -> tuple[list[Hit], int]:
    """The first ``limit`` hits of the search the request's parameters describe."""
    svc = services()
    params = MultiDict(request.args)
    if newest and "sort" not in params:
        params["sort"] = "newest"
    size = min(limit, svc.settings.max_page_size)
    params.setlist("page_size", [str(size)])
    hits: list[Hit] = []
    page, total = 1, 0
    while len(hits) < limit:
        params.setlist("page", [str(page)])
        query, _ = query_from_params(params, default_page_size=size,
                                     max_page_size=svc.settings.max_page_size)
        view = current_view()
        result = svc.engine.search(query, curation=view)
        total = result.total
        if result.query.page != page or not result.hits:
            break
        for hit in result.hits:       # corrections show at once, as on the search page
            hit.document = view.correct(hit.document)
        hits.extend(result.hits)
        page += 1
    return hits[:limit], total


def _page_url(doc: Document) -> str:
    return url_for("documents.document", doc_id=doc.id, _external=True)


def _plain(snippet: str) -> str:
    return Markup(snippet).striptags()


def _search_url(endpoint: str = "search.search") -> str:
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    return url_for(endpoint, _external=True, **args)


# -- Atom ---------------------------------------------------------------------------

@bp.route("/search.atom")
def atom():
    hits, _ = _hits(FEED_ENTRIES, newest=True)
    q = request.args.get("q", "").strip()
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = _xml_safe(text)
        return element

    sub(feed, "title", f"searchhub: {q}" if q else "searchhub: newest documents")
    sub(feed, "id", _search_url())
    sub(feed, "link", rel="self", href=_search_url("feeds.atom"),
        type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=_search_url(), type="text/html")
    stamps = [_stamp(hit.document) for hit in hits]
    sub(feed, "updated", max(stamps, default=_iso(dt.datetime.now(dt.UTC))))
    sub(sub(feed, "author"), "name", "searchhub")
    for hit, stamp in zip(hits, stamps, strict=True):
        doc = hit.document
        entry = sub(feed, "entry")
        sub(entry, "id", _page_url(doc))
        sub(entry, "title", doc.title or doc.id)
        sub(entry, "updated", stamp)
        if doc.date:
            sub(entry, "published", _iso(doc.date))
        sub(entry, "link", rel="alternate", href=_page_url(doc), type="text/html")
        if source_href(doc.url):
            sub(entry, "link", rel="related", href=doc.url)
        sub(sub(entry, "author"), "name", doc.author or doc.agency)
        for theme in doc.themes:
            sub(entry, "category", term=theme)
        sub(entry, "summary", doc.description or _plain(hit.snippet))
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body,
                    mimetype="application/atom+xml")


def _iso(value: dt.date | dt.datetime) -> str:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _stamp(doc: Document) -> str:
    return _iso(doc.indexed_at or doc.date or dt.datetime(1970, 1, 1, tzinfo=dt.UTC))


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Text XML 1.0 can hold (extracted text may carry control characters)."""
    return _XML_INVALID.sub("", str(text))


# -- files for reference managers -----------------------------------------------------

def _download(body: str, mimetype: str, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="searchhub-results.{extension}"')
    return response


CSV_COLUMNS = ("id", "title", "agency", "date", "language", "type", "regions", "countries",
               "themes", "gcm_objectives", "author", "url", "page")


@bp.route("/search.csv")
def export_csv():
    hits, _ = _hits(EXPORT_LIMIT)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        doc = hit.document
        writer.writerow([_cell(v) for v in (
            doc.id, doc.title, doc.agency, doc.date.isoformat() if doc.date else "",
            doc.language, doc.type, "; ".join(doc.regions), "; ".join(doc.countries),
            "; ".join(doc.themes), "; ".join(str(n) for n in doc.gcm_objectives),
            doc.author, document_link(doc), _page_url(doc))])
    return _download(out.getvalue(), "text/csv", "csv")


def _cell(value: str) -> str:
    """A value a spreadsheet shows as text, never runs as a formula."""
    value = _xml_safe(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


RIS_TYPES = {"Evaluation": "RPRT", "Report": "RPRT", "Policy brief": "RPRT",
             "Legal document": "LEGAL", "Web page": "ELEC", "Dataset": "DATA"}


@bp.route("/search.ris")
def export_ris():
    hits, _ = _hits(EXPORT_LIMIT)
    return _download("".join(_ris(hit.document) for hit in hits),
                     "application/x-research-info-systems", "ris")


def _ris(doc: Document) -> str:
    lines = [("TY", RIS_TYPES.get(doc.type, "GEN")), ("TI", doc.title or doc.id)]
    authors = [a.strip() for a in re.split(r";|\band\b", doc.author or "") if a.strip()]
    lines += [("AU", a) for a in authors]
    lines.append(("A2" if authors else "AU", doc.agency))
    lines.append(("PB", doc.agency))
    if doc.date:
        lines += [("PY", str(doc.date.year)), ("DA", doc.date.strftime("%Y/%m/%d"))]
    lines += [("KW", t) for t in doc.themes]
    lines += [("LA", doc.language), ("UR", document_link(doc)), ("ID", doc.id)]
    if doc.description:
        lines.append(("AB", doc.description))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines if value
                   or tag == "ER")


def _one_line(value: str) -> str:
    return " ".join(_xml_safe(value).split())


@bp.route("/search.bib")
def export_bibtex():
    hits, _ = _hits(EXPORT_LIMIT)
    keys: set[str] = set()
    return _download("\n".join(_bibtex(hit.document, keys) for hit in hits),
                     "application/x-bibtex", "bib")


_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
                "#": r"\#", "_": r"\_", "$": r"\$", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}"}


def _bib(value: str) -> str:
    return "".join(_BIB_SPECIAL.get(c, c) for c in _one_line(value))


def _bibtex(doc: Document, keys: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "", doc.agency)[:12] or "doc"
    key = f"{base}{doc.date.year if doc.date else ''}_{re.sub(r'[^A-Za-z0-9]+', '', doc.id)}"
    while key in keys:
        key += "x"
    keys.add(key)
    kind = "techreport" if doc.type in ("Report", "Evaluation", "Policy brief") else "misc"
    fields = [("title", doc.title or doc.id),
              ("author", " and ".join(
                  a.strip() for a in (doc.author or "").split(";") if a.strip())
               or "{" + doc.agency + "}")]
    fields.append(("institution" if kind == "techreport" else "publisher", doc.agency))
    if doc.date:
        fields += [("year", str(doc.date.year)), ("month", str(doc.date.month))]
    fields += [("url", document_link(doc)), ("language", doc.language),
               ("keywords", ", ".join(doc.themes)), ("abstract", doc.description)]
    body = ",\n".join(
        f"  {name} = {{{value if name == 'author' and value.startswith('{') else _bib(value)}}}"
        for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}\n"


# -- OpenSearch description ---------------------------------------------------------

@bp.route("/opensearch.xml")
def opensearch():
    ns = "http://a9.com/-/spec/opensearch/1.1/"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}OpenSearchDescription")
    for tag, text in (("ShortName", "searchhub"),
                      ("Description", "Search the publications of the UN Network on "
                                      "Migration's partners"),
                      ("InputEncoding", "UTF-8")):
        ET.SubElement(root, f"{{{ns}}}{tag}").text = text
    for mimetype, endpoint in (("text/html", "search.search"),
                               ("application/atom+xml", "feeds.atom"),
                               ("application/json", "api.search")):
        template = url_for(endpoint, _external=True) + "?q={searchTerms}"
        ET.SubElement(root, f"{{{ns}}}Url", type=mimetype, template=template)
    ET.SubElement(root, f"{{{ns}}}Url", type="application/opensearchdescription+xml",
                  rel="self", template=url_for("feeds.opensearch", _external=True))
    body = ET.tostring(root, encoding="unicode")
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body,
                    mimetype="application/opensearchdescription+xml")


def export_links() -> Iterator[tuple[str, str]]:
    """(label, URL) of the current search as a feed and as files, for the page."""
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    for label, endpoint in (("Atom feed", "feeds.atom"), ("CSV", "feeds.export_csv"),
                            ("RIS", "feeds.export_ris"), ("BibTeX", "feeds.export_bibtex")):
        yield label, url_for(endpoint, **args)
