"""Files: a local folder of the files a registered format reads (PDF, HTML, text).

A document's link is ``public_url`` (where the folder is published on the web) joined
with its path in the folder, URL-quoted; without ``public_url`` it has none, and
visitors are sent to its document page: a ``file:`` URL would be a dead link for
them and show the server's folders.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from urllib.parse import quote

from indexer.discover.base import DiscoveryError, Item, Kind, Source
from indexer.extract import FORMATS
from searchhub.models import document_id


def default_include() -> list[str]:
    """Without ``include``: every file suffix a registered format claims."""
    return [f"*{suffix}" for fmt in FORMATS.values() for suffix in fmt.suffixes]


def discover(source: Source, ctx=None) -> Iterator[Item]:
    root = source.path()
    if not root.is_dir():
        raise DiscoveryError(f"folder {root} does not exist or is not a folder")
    include = source.options.get("include") or default_include()
    exclude = source.options.get("exclude") or []
    pattern = "**/*" if source.options.get("recursive", True) else "*"
    public = str(source.options.get("public_url") or "")
    if public and not public.endswith("/"):
        public += "/"
    for path in sorted(root.glob(pattern)):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        name = path.name
        if not any(fnmatch.fnmatch(name.lower(), g.lower()) or fnmatch.fnmatch(rel, g)
                   for g in include):
            continue
        if any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel, g) for g in exclude):
            continue
        yield Item(source.id, document_id(source.id, rel), str(path),
                   public + quote(rel) if public else "")


def _validate(where: str, entry: dict) -> list[str]:
    url = entry.get("public_url")
    if url is not None and not (isinstance(url, str)
                                and url.startswith(("http://", "https://"))):
        return [f"{where}: public_url must be the http(s) URL the folder's files are "
                f"published at, not {url!r}"]
    return []


KIND = Kind("files", discover, required=("path",),
            optional=("include", "exclude", "recursive", "public_url"), validate=_validate)
