"""One address per page: URLs are normalised before they are fetched or compared, and
a page's ``<link rel="canonical">`` names the address its document is shown under.

``normalise`` drops the fragment, folds ``index.html``/``index.htm`` into the folder
URL, lowercases the scheme and host, drops a default port and a ``;jsessionid=`` path
parameter, and drops the query parameters that only track or highlight
(``DROP_PARAMS``, globs, extended per source by ``drop_params``), keeping the others
and their order as written. ``canonical`` reads the canonical link of an HTML page and
accepts it only on the page's own site.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

#: Query parameters that never change what a page is: tracking, highlighting, sessions.
DROP_PARAMS = ("utm_*", "highlight", "hilite", "fbclid", "gclid", "dclid", "gbraid",
               "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "_gl", "igshid",
               "ref_src", "sessionid", "session_id", "phpsessid", "jsessionid",
               "cfid", "cftoken")
_INDEX_PAGES = ("index.html", "index.htm")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_JSESSIONID = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)


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
    path = _JSESSIONID.sub("", parts.path) or "/"
    head, _, last = path.rpartition("/")
    if last.lower() in _INDEX_PAGES:
        path = head + "/"
    patterns = [p.lower() for p in drop]
    kept = [pair for pair in parts.query.split("&") if pair and not any(
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


def canonical(root, base: str) -> str:
    """The page's ``<link rel="canonical">`` as an absolute URL, or "" when it has none,
    or names another site or a scheme other than http(s). ``root``: the parsed page."""
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


def parse_html(data: bytes, base: str):
    """The page's element tree, or None if it cannot be parsed."""
    try:
        return lxml.html.fromstring(data, base_url=base)
    except (etree.ParserError, ValueError):
        return None


def canonical_of(data: bytes, content_type: str | None, base: str,
                 norm: Callable[[str], str] = normalise) -> str:
    """The normalised canonical URL an HTML page names on its own site, or ""."""
    ctype = (content_type or "").lower()
    if not ("html" in ctype or (not ctype and data.lstrip()[:1] == b"<")):
        return ""
    root = parse_html(data, base)
    found = canonical(root, base) if root is not None else ""
    return norm(found) if found else ""
