"""One address per page: URLs are normalised before they are fetched or compared, and
a page's ``<link rel="canonical">`` names the address its document is shown under.
A page's ``<base href>`` is the base its relative links are read against, and its
robots directives (``robots_directives``) may keep it out of the index or its links
from being followed.

``normalise`` drops the fragment, folds ``index.html``/``index.htm`` into the folder
URL, lowercases the scheme and host, drops a default port and a ``;jsessionid=`` path
parameter, percent-encodes spaces and letters beyond ASCII as browsers do, and drops
the query parameters that only track or highlight (``DROP_PARAMS``, globs, extended per
source by ``drop_params``), keeping the others and their order as written.
``canonical`` reads the canonical link of an HTML page and accepts it only on the
page's own site.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from indexer.extract.encoding import XML_DECLARATION, decode_markup

#: Query parameters that never change what a page is: tracking, highlighting, sessions.
DROP_PARAMS = ("utm_*", "highlight", "hilite", "fbclid", "gclid", "dclid", "gbraid",
               "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "_gl", "igshid",
               "ref_src", "sessionid", "session_id", "phpsessid", "jsessionid",
               "cfid", "cftoken")
_INDEX_PAGES = ("index.html", "index.htm")
#: What stays as it is in a path and in a query; a space or a letter beyond ASCII is
#: percent-encoded as browsers send it ("Annual Report.pdf", "/ar/الهجرة"), so one
#: address is one string whether a page wrote it raw or encoded. Escapes already there
#: are kept.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/%:@!$'()*+,;=-._~?"
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_JSESSIONID = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
_REFRESH_URL = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]\s*url\s*=\s*(\S.*)$", re.IGNORECASE)
#: The robots directives acted on: ``none`` is both of the others.
NOINDEX, NOFOLLOW = "noindex", "nofollow"
#: Directives of X-Robots-Tag whose values hold a colon (not a crawler's name before it).
_COLON_DIRECTIVES = ("unavailable_after", "max-snippet", "max-image-preview",
                     "max-video-preview")
#: A quick look before parsing a page for its robots meta tags (``%s``: our crawler's
#: name).
_ROBOTS_META = rb"<meta[^>]{0,200}?name\s*=\s*[\"']?(?:robots|%s)\b"


def normalise(url: str, drop: Iterable[str] = DROP_PARAMS) -> str:
    """``url`` without the variations that do not change the page (see the module).
    Anything but an http(s) URL comes back as it is."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname
    if ":" in host:                      # an IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or str(port) == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    path = quote(_JSESSIONID.sub("", parts.path), safe=_PATH_SAFE) or "/"
    head, _, last = path.rpartition("/")
    if last.lower() in _INDEX_PAGES:
        path = head + "/"
    patterns = [p.lower() for p in drop]
    kept = [quote(pair, safe=_QUERY_SAFE) for pair in parts.query.split("&") if pair and not any(
        fnmatch.fnmatchcase(unquote(pair.split("=", 1)[0]).lower(), p) for p in patterns)]
    return urlunsplit((scheme, netloc, path, "&".join(kept), ""))


def normaliser(options: dict) -> Callable[[str], str]:
    """``normalise`` with a source's ``drop_params`` added to ``DROP_PARAMS``."""
    drop = DROP_PARAMS + tuple(str(p) for p in options.get("drop_params") or ())
    return lambda url: normalise(url, drop)


def same_site(a: str, b: str) -> bool:
    """Are two http(s) URLs on one host (a leading ``www.`` aside)?"""
    def host(url: str) -> str:
        name = (urlsplit(url).hostname or "").lower()
        return name[4:] if name.startswith("www.") else name
    return bool(host(a)) and host(a) == host(b)


def document_base(root, base: str) -> str:
    """The URL a page's relative links are read against: its first ``<base href>``
    (itself relative to ``base``, the address the page came from), else ``base``.
    Anything but an http(s) base is ignored."""
    for element in root.iter("base"):
        href = (element.get("href") or "").strip()
        if href:
            url = urljoin(base, href)
            return url if urlsplit(url).scheme in _DEFAULT_PORTS else base
    return base


def refresh_target(root, base: str) -> str:
    """Where a ``<meta http-equiv="refresh" content="0; url=...">`` sends the reader
    (an absolute URL), or "". Old sites move pages this way instead of redirecting:
    the target is a link to follow like any other."""
    for element in root.iter("meta"):
        if (element.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        found = _REFRESH_URL.search(element.get("content") or "")
        if found:
            url = urljoin(base, found.group(1).strip().strip("'\""))
            if urlsplit(url).scheme in _DEFAULT_PORTS:
                return url
    return ""


def canonical(root, base: str) -> str:
    """The page's ``<link rel="canonical">`` as an absolute URL, or "" when it has none,
    or names another site or a scheme other than http(s). ``root``: the parsed page;
    ``base``: the address it came from (its ``<base href>`` is applied here)."""
    base = document_base(root, base)
    for element in root.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        href = (element.get("href") or "").strip()
        if "canonical" not in rel or not href:
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme in _DEFAULT_PORTS and same_site(url, base):
            return url
        return ""
    return ""


def parse_html(data: bytes, base: str, content_type: str | None = None):
    """The page's element tree, or None if it cannot be parsed. Its bytes are decoded
    as its extraction decodes them (``encoding.decode_markup``: the header's charset,
    then its own), so links written in Arabic or Chinese come out as written."""
    markup = XML_DECLARATION.sub("", decode_markup(data, content_type), count=1)
    try:
        return lxml.html.fromstring(markup, base_url=base)
    except (etree.ParserError, ValueError):
        return None


def canonical_of(data: bytes, content_type: str | None, base: str,
                 norm: Callable[[str], str] = normalise) -> str:
    """The normalised canonical URL an HTML page names on its own site, or ""."""
    ctype = (content_type or "").lower()
    if not ("html" in ctype or (not ctype and data.lstrip()[:1] == b"<")):
        return ""
    root = parse_html(data, base, content_type)
    found = canonical(root, base) if root is not None else ""
    return norm(found) if found else ""


def robots_directives(data: bytes, content_type: str | None, header: str = "",
                      user_agent: str = "searchhub", root=None) -> frozenset[str]:
    """What a page's robots meta tags (``<meta name="robots">``, or one named after
    our crawler) and its ``X-Robots-Tag`` header (``header``, every value joined by
    commas; for any format, PDFs included) ask of a crawler: a set of ``NOINDEX``
    (not a document: leave it out of the index) and ``NOFOLLOW`` (do not follow its
    links). A header value or meta tag addressed to another crawler by name
    ("googlebot: noindex", ``<meta name="googlebot">``) is not for us. ``root``: the
    page's tree if the caller has parsed it already (``parse_html``)."""
    agent = user_agent.split("/", 1)[0].strip().lower() or "searchhub"
    found: set[str] = set()
    for line in header.split("\n"):
        target = None                   # the crawler named before the directives, if any
        for part in line.split(","):
            words = part.strip().lower()
            name, colon, rest = words.partition(":")
            if colon and name.strip() not in _COLON_DIRECTIVES and " " not in name.strip():
                target, words = name.strip(), rest.strip()
            if target in (None, agent):
                found |= _directives(words)
    ctype = (content_type or "").lower()
    is_html = "html" in ctype or (not ctype and data.lstrip()[:1] == b"<")
    if is_html and re.search(_ROBOTS_META % re.escape(agent.encode()), data, re.IGNORECASE):
        root = parse_html(data, "", content_type) if root is None else root
        for element in root.iter("meta") if root is not None else ():
            if (element.get("name") or "").strip().lower() in ("robots", agent):
                for part in (element.get("content") or "").split(","):
                    found |= _directives(part.strip().lower())
    return frozenset(found)


def _directives(word: str) -> set[str]:
    if word == "none":
        return {NOINDEX, NOFOLLOW}
    return {word} if word in (NOINDEX, NOFOLLOW) else set()
