"""HTML pages: main text and metadata with trafilatura, a crude fallback without it."""

from __future__ import annotations

import copy
import html as html_lib
import re

import lxml.etree
import lxml.html
import trafilatura

from indexer.dates import parse_date
from indexer.extract.base import EmptyDocument, Extracted, Format
from indexer.extract.encoding import XML_DECLARATION, decode_markup
from indexer.extract.soft404 import is_short, not_found_message
from indexer.extract.text import normalise_text

#: Longest title kept.
MAX_TITLE_CHARS = 300

_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]{2,3})\b""",
                        re.IGNORECASE)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)",
                              re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z!][^>]*>?")


def extract_html(data: bytes | str, *, url: str | None = None) -> Extracted:
    """Text and metadata of one page, extracted with recall in mind (a search index
    needs every section a person can read, more than a reader view does).

    trafilatura finds the main text; when it keeps less than ``RECALL_SHARE`` of the
    words of the page's content (the page without its navigation, header, footer,
    sidebars and menus), the content text is indexed instead. Permalink marks ("¶")
    are dropped. Titles are plain text, never markup. A page whose title or first
    heading says it is not found and whose text is short says so in ``not_found`` (a
    soft 404: ``soft404``). Raises EmptyDocument when the page holds no text at all.
    """
    markup = data if isinstance(data, str) else decode_markup(data)
    language = _declared_language(markup)
    tree = _tree(markup)
    if tree is not None:
        _drop_permalinks(tree)
    result = None
    if tree is not None and markup.strip():
        result = trafilatura.bare_extraction(
            copy.deepcopy(tree), url=url, with_metadata=True, include_comments=False,
            include_tables=True, deduplicate=False, favor_recall=True,
        )
    main = normalise_text(result.text) if result is not None and result.text else ""
    region = main_region(tree) if tree is not None else None
    # Without a marked main region, the rest of a page is teasers, comments and menus
    # (a news site): trafilatura's judgement stands unless it found nothing.
    content = content_text(tree, region) if tree is not None and (
        region is not None or not main) else ""
    warnings_: list[str] = []
    dropped = _dropped_headings(region, main) if main and region is not None else []
    if main and not dropped and _words(main) >= RECALL_SHARE * _words(content):
        text = main
    else:
        text = content
        if dropped:
            warnings_.append(f"main-text extraction dropped {len(dropped)} section(s) "
                             f"(\"{dropped[0][:60]}\" ...); indexed the page's content text")
        elif main:
            warnings_.append(f"main-text extraction kept {_words(main)} of the page's "
                             f"{_words(content)} words; indexed the page's content text")
        else:
            warnings_.append("main-text extraction found nothing; used the page's content "
                             "text")
    text = _without_marks(text)
    if not text:
        raise EmptyDocument("the page holds no text (only markup, scripts or images)")
    meta = result if result is not None else (
        trafilatura.extract_metadata(markup, default_url=url) if text else None)

    title = _without_marks(plain_text(getattr(meta, "title", None) or "")) or _first_heading(
        markup)
    title = without_site_name(title, plain_text(getattr(meta, "sitename", None) or ""),
                              getattr(meta, "hostname", None) or "")
    # Read from what is at hand, the headings from the tree parsed above: only a page
    # of little text can be a soft 404.
    not_found = not_found_message(title, first_headings(tree, region), text) if (
        tree is not None and is_short(text)) else ""
    return Extracted(
        format="html",
        pages=[text],
        title=title[:MAX_TITLE_CHARS],
        author=plain_text(getattr(meta, "author", None) or ""),
        date=parse_date(getattr(meta, "date", None)),
        language=language,
        description=plain_text(getattr(meta, "description", None) or ""),
        page_count=1,
        warnings=warnings_,
        not_found=not_found,
    )


#: Below this share of the content's words, trafilatura's main text is not trusted.
RECALL_SHARE = 0.6
_WORD = re.compile(r"\w+")
#: Permalink marks that documentation generators put after headings (Sphinx "¶",
#: "🔗", "#" anchors) and that are no words of the text.
_MARK = "\u00b6\U0001f517"
_MARKS_AT_END = re.compile(rf"[ \t]*[{_MARK}]+[ \t]*$", re.MULTILINE)
#: class words of navigation and other boilerplate blocks.
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|menubar|breadcrumbs?|sidebar|sphinxsidebar"
    r"|footer|header|masthead|cookies?|cookie-banner|skip|skiplink|share|sharing|social"
    r"|related|subscribe|newsletter|pagination|pager)(?:$|[\s_-])", re.IGNORECASE)
#: ids that name a navigation block (an id is often a heading's slug: "file-menu" is a
#: section, so ids count only when they are one of these words).
_BOILERPLATE_IDS = {"nav", "navbar", "navigation", "menu", "mainmenu", "main-menu", "sidebar",
                    "footer", "header", "masthead", "breadcrumb", "breadcrumbs", "skip",
                    "site-header", "site-footer", "site-nav", "cookie-banner", "toc-sidebar"}
#: Elements that a class or id may mark as boilerplate (a heading's anchor of class
#: "header", a section with a heading's slug as id, are text).
_BLOCKS_BY_CLASS = {"div", "ul", "ol", "menu", "dialog", "iframe"}
_BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary",
                      "menu", "menubar"}
_BLOCK_TAGS = {"p", "div", "br", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
               "section", "article", "main", "ul", "ol", "dl", "table", "blockquote", "pre",
               "figcaption", "caption", "td", "th"}


#: A section counts as dropped when it holds this many words (teaser lists are headings
#: with a date or a line: they do not count) ...
SECTION_WORDS = 25
#: ... of which less than this share are words of the kept text ...
SECTION_KEPT = 0.5
#: ... and the dropped sections together hold this share of the kept text's words.
DROPPED_SHARE = 0.1
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _dropped_headings(region: lxml.html.HtmlElement, text: str) -> list[str]:
    """Headings of the main region's sections of real text whose words ``text`` mostly
    lacks: whole sections that main-text extraction left out (Sphinx pages lost 20 of
    34)."""
    sections: list[list] = [["", []]]          # heading, its words up to the next one
    for element in clean_region(region, region).iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in _HEADINGS:
            sections.append([_without_marks(" ".join(element.text_content().split())), []])
            sections[-1][1] += _WORD.findall((element.tail or "").lower())
            continue
        if element.getparent() is not None and element.getparent().tag in _HEADINGS:
            sections[-1][1] += _WORD.findall((element.tail or "").lower())
            continue
        sections[-1][1] += _WORD.findall(f"{element.text or ''} {element.tail or ''}".lower())
    kept = set(_WORD.findall(text.lower()))
    dropped = [(heading, len(words)) for heading, words in sections[1:]
               if len(words) >= SECTION_WORDS
               and sum(w in kept for w in words) < SECTION_KEPT * len(words)]
    if sum(n for _, n in dropped) < max(2 * SECTION_WORDS, DROPPED_SHARE * _words(text)):
        return []
    return [heading for heading, _ in dropped]


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _without_marks(text: str) -> str:
    return _MARKS_AT_END.sub("", text).strip()


def _drop_permalinks(tree: lxml.html.HtmlElement) -> None:
    """Remove the "¶" anchors that follow headings (Sphinx's ``a.headerlink`` and the
    like): they are no words, and they showed in titles and snippets."""
    for anchor in tree.xpath("//a[contains(concat(' ', normalize-space(@class), ' '), "
                             "' headerlink ')]"):
        anchor.drop_tree()
    for anchor in tree.xpath("//a[@href]"):
        label = (anchor.text_content() or "").strip()
        if label and all(c in _MARK or c == "#" for c in label) and (
                anchor.get("href") or "").startswith("#"):
            anchor.drop_tree()


def main_region(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The region a page marks as its main content: ``<main>``, ``role="main"`` or its
    one ``<article>``; None when it marks none."""
    found = tree.xpath("//main") or tree.xpath("//*[@role='main']")
    if not found:
        articles = tree.xpath("//article")
        found = articles if len(articles) == 1 else []
    return found[0] if found else None


def clean_region(tree: lxml.html.HtmlElement,
                 region: lxml.html.HtmlElement | None = None) -> lxml.html.HtmlElement:
    """A copy of ``region`` (default: the body) without navigation, scripts and other
    boilerplate: nav, header, footer, aside, forms, menus, sidebars."""
    root = tree.getroottree().getroot()
    path = root.getroottree().getpath(region) if region is not None else None
    root = copy.deepcopy(root)
    region = root.getroottree().xpath(path)[0] if path else (
        (root.xpath("//body") or [root])[0])
    for element in region.xpath(".//script|.//style|.//noscript|.//template|.//nav|.//aside"
                                "|.//footer|.//header|.//form|.//button|.//select|.//svg"
                                "|.//*[@hidden]|.//*[@aria-hidden='true']"):
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(region.iter()):
        if not isinstance(element.tag, str) or element is region or (
                element.getparent() is None):
            continue
        role = (element.get("role") or "").lower()
        if role in _BOILERPLATE_ROLES or (element.tag in _BLOCKS_BY_CLASS and (
                _BOILERPLATE.search(element.get("class") or "")
                or (element.get("id") or "").lower() in _BOILERPLATE_IDS)):
            element.drop_tree()
    return region


def content_text(tree: lxml.html.HtmlElement,
                 region: lxml.html.HtmlElement | None = None) -> str:
    """The readable text of ``region`` (default: the body) without navigation, headings
    and lists kept, one block per line."""
    region = clean_region(tree, region)
    for element in region.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return normalise_text(region.text_content())


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


def plain_text(value: str) -> str:
    """Markup to one line of plain text: scripts dropped, tags removed, entities decoded."""
    value = _SCRIPT_OR_STYLE.sub(" ", value)
    value = _TAG.sub("", value)
    value = html_lib.unescape(value)
    value = _TAG.sub("", value)    # tags that were written as entities: &lt;b&gt;
    return " ".join(normalise_text(value).split())


#: Where an XHTML page declares its language when ``<html>`` does not: the first block
#: of its body (DocBook writes ``<div xml:lang="fr" class="book">``).
_BLOCK_LANG = re.compile(r"""<(?:body|div|main|article|section)\b[^>]*?\blang\s*=\s*["']?"""
                         r"""\s*([A-Za-z]{2,3})\b""", re.IGNORECASE)


def _declared_language(markup: str) -> str:
    head = markup[:10000]
    match = _HTML_LANG.search(head) or _BLOCK_LANG.search(head)
    return match.group(1).lower() if match else ""


def _tree(markup: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(XML_DECLARATION.sub("", markup, count=1))
    except (lxml.etree.ParserError, ValueError):
        return None


def first_headings(tree: lxml.html.HtmlElement,
                   region: lxml.html.HtmlElement | None = None) -> list[str]:
    """The text of the page's first ``h1`` and first ``h2``, and of the first of them
    in its main ``region`` (a page's first ``h1`` is often its site's name), in page
    order, each once."""
    elements = tree.xpath("(//h1)[1] | (//h2)[1]")
    if region is not None:
        elements += region.xpath("(.//h1 | .//h2)[1]")
    texts = (_without_marks(" ".join(e.text_content().split())) for e in elements)
    return list(dict.fromkeys(t for t in texts if t))


def _first_heading(markup: str) -> str:
    tree = _tree(markup)
    if tree is None:
        return ""
    for path in ("//title", "//h1"):
        for element in tree.xpath(path):
            text = _without_marks(plain_text(element.text_content()))
            if text:
                return text
    return ""


FORMAT = Format(
    "html",
    lambda data, where, max_pages: extract_html(data, url=where if "://" in where else None),
    document_type="Web page", content_types=("text/html", "application/xhtml+xml"),
    suffixes=(".html", ".htm", ".xhtml"),
    recognise=lambda head: head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(
        (b"<!doctype html", b"<html")), textual=True)
