"""HTML pages: main text and metadata with trafilatura, a crude fallback without it."""

from __future__ import annotations

import codecs
import datetime as dt
import html as html_lib
import re

import lxml.etree
import lxml.html
import trafilatura

from indexer.extract.base import EmptyDocument, Extracted
from indexer.extract.text import normalise_text

#: Longest title kept.
MAX_TITLE_CHARS = 300

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]{2,3})\b""",
                        re.IGNORECASE)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)",
                              re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z!][^>]*>?")


def extract_html(data: bytes | str, *, url: str | None = None) -> Extracted:
    """Main text (without navigation and boilerplate) and metadata of one page.

    Titles are plain text, never markup. Raises EmptyDocument when the page holds
    no text at all.
    """
    markup = data if isinstance(data, str) else decode_html(data)
    language = _declared_language(markup)
    result = None
    if markup.strip():
        result = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False,
            include_tables=True, deduplicate=False,
        )
    if result is not None and (result.text or "").strip():
        text = normalise_text(result.text)
        meta = result
        warnings_: list[str] = []
    else:
        text = _fallback_text(markup)
        meta = trafilatura.extract_metadata(markup, default_url=url) if text else None
        warnings_ = ["main-text extraction found nothing; used the whole page text"]
    if not text:
        raise EmptyDocument("the page holds no text (only markup, scripts or images)")

    title = plain_text(getattr(meta, "title", None) or "") or _first_heading(markup)
    title = without_site_name(title, plain_text(getattr(meta, "sitename", None) or ""),
                              getattr(meta, "hostname", None) or "")
    return Extracted(
        format="html",
        pages=[text],
        title=title[:MAX_TITLE_CHARS],
        author=plain_text(getattr(meta, "author", None) or ""),
        date=_parse_date(getattr(meta, "date", None)),
        language=language,
        description=plain_text(getattr(meta, "description", None) or ""),
        page_count=1,
        warnings=warnings_,
    )


_TITLE_SEPARATOR = re.compile(r"\s+(?:[-|\u2013\u2014\u00b7\u2022]|::)\s+")
_SEPARATOR_CHARS = " -|:\u2013\u2014\u00b7\u2022"
_NOT_ALNUM = re.compile(r"[\W_]+")
#: A site name has at most this many words; a title keeps at least this many letters.
SITE_NAME_WORDS = 6
MIN_TITLE_LETTERS = 10


def without_site_name(title: str, sitename: str = "", hostname: str = "") -> str:
    """The title without the site's name that pages append or prepend to it
    ("Streit ums Feuerholz - www.AussenGedanken.de" -> "Streit ums Feuerholz").

    Only an end segment that names the site is removed: its ``og:site_name`` (or the
    start of it: "The Tico Times | Costa Rica News | ..."), its host name, or the
    host's main label ("Rosa-Luxemburg-Stiftung" on rosalux.de). A title that would
    keep fewer than ten letters stays whole."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    site = _key(sitename)
    if site == _key(title):                     # no site's name: the title again
        site = ""
    host = hostname.lower().removeprefix("www.")
    names = {k for k in (site, _key(host), _key(host.rsplit(".", 1)[0])) if k}
    label = _key(host.split(".")[0]) if host else ""

    def names_site(segment: str) -> bool:
        key = _key(segment.strip().lower().removeprefix("www."))
        if not key or len(segment.split()) > SITE_NAME_WORDS:
            return False
        return (key in names or (len(key) >= 5 and site.startswith(key))
                or (len(label) >= 5 and key.startswith(label)))

    kept = []
    if names_site(parts[-1]):
        kept.append(title[:title.rfind(parts[-1])])
    if names_site(parts[0]):
        kept.append(title[title.find(parts[0]) + len(parts[0]):])
    for candidate in kept:
        candidate = candidate.strip(_SEPARATOR_CHARS)
        if sum(c.isalpha() for c in candidate) >= MIN_TITLE_LETTERS:
            return candidate
    return title


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def decode_html(data: bytes) -> str:
    """Bytes to str using the BOM or the declared meta charset, else UTF-8 with replacement."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    match = _META_CHARSET.search(data[:4096])
    encoding = "utf-8"
    if match:
        try:
            encoding = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            encoding = "utf-8"
    # Pages labelled Latin-1 are in practice Windows-1252 (as browsers assume).
    if encoding in ("latin-1", "iso8859-1", "ascii"):
        encoding = "cp1252"
    return data.decode(encoding, errors="replace")


def plain_text(value: str) -> str:
    """Markup to one line of plain text: scripts dropped, tags removed, entities decoded."""
    value = _SCRIPT_OR_STYLE.sub(" ", value)
    value = _TAG.sub("", value)
    value = html_lib.unescape(value)
    value = _TAG.sub("", value)    # tags that were written as entities: &lt;b&gt;
    return " ".join(normalise_text(value).split())


def _declared_language(markup: str) -> str:
    match = _HTML_LANG.search(markup[:10000])
    return match.group(1).lower() if match else ""


def _parse_date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _tree(markup: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return None


def _fallback_text(markup: str) -> str:
    """All visible text of the page: crude (keeps menus) but never markup or script."""
    tree = _tree(markup)
    if tree is None:
        return ""
    for element in tree.xpath("//script|//style|//noscript|//template|//head"):
        element.drop_tree()
    block_tags = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
                  "article", "header", "footer", "nav", "ul", "ol", "table", "blockquote"}
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in block_tags:
            element.tail = "\n" + (element.tail or "")
    return normalise_text(tree.text_content())


def _first_heading(markup: str) -> str:
    tree = _tree(markup)
    if tree is None:
        return ""
    for path in ("//title", "//h1"):
        for element in tree.xpath(path):
            text = plain_text(element.text_content())
            if text:
                return text
    return ""
