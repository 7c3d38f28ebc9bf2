"""Catalogue exports: CSV, JSON or JSON Lines records with a field mapping."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from indexer.sources import Source
from searchhub.models import document_id

from . import DiscoveryError, Item

#: Mapping keys in the registry -> the name the pipeline uses for the value.
FIELDS = {"title_field": "title", "text_field": "text", "url_field": "url",
          "date_field": "date", "language_field": "language", "countries_field": "countries",
          "regions_field": "regions", "themes_field": "themes", "type_field": "type",
          "author_field": "author", "description_field": "description"}
LIST_FIELDS = {"countries", "regions", "themes"}


def _records(source: Source, ctx=None) -> Iterator[dict[str, Any]]:
    if source.options.get("url"):
        yield from _remote_records(source, ctx)
        return
    path = source.path()
    fmt = source.options["format"]
    try:
        if fmt == "csv":
            csv.field_size_limit(10**9)
            with path.open(encoding="utf-8-sig", newline="") as fh:
                yield from csv.DictReader(fh)
        elif fmt == "jsonl":
            with path.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh, start=1):
                    if line.strip():
                        try:
                            yield json.loads(line)
                        except json.JSONDecodeError as exc:
                            raise DiscoveryError(f"{path}: line {n} is not JSON: {exc}") from exc
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                # Common export shapes: {"data": [...]}, {"items": [...]}, {"records": [...]}
                data = next((v for k, v in data.items() if isinstance(v, list)), [])
            yield from data
    except FileNotFoundError:
        raise DiscoveryError(f"catalogue file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DiscoveryError(f"cannot read catalogue {path}: {exc}") from exc


#: Pages of a paginated JSON API read at most (a loop or a runaway API).
MAX_PAGES = 1000


def _dotted(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _remote_records(source: Source, ctx) -> Iterator[dict[str, Any]]:
    """Records of a CSV/JSON/JSONL export at a URL, or of a JSON API page after page:
    ``next_field`` names where each answer holds the next page's URL, or
    ``page_param`` is a query parameter counted up from ``page_start`` until a page
    holds no records. ``records_field`` names where the list is (dotted path)."""
    from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

    from . import fetch_listing

    fmt = source.options["format"]
    url = source.options["url"]
    page = int(source.options.get("page_start", 1))
    page_param = source.options.get("page_param")
    for _ in range(MAX_PAGES):
        page_url = url
        if page_param:
            parts = urlsplit(url)
            query = [(k, v) for k, v in parse_qsl(parts.query) if k != page_param]
            query.append((page_param, str(page)))
            page_url = urlunsplit(parts._replace(query=urlencode(query)))
        data = fetch_listing(source, ctx, page_url).data
        try:
            text = data.decode("utf-8-sig")
            if fmt == "csv":
                csv.field_size_limit(10**9)
                yield from csv.DictReader(text.splitlines())
                return
            if fmt == "jsonl":
                yield from (json.loads(line) for line in text.splitlines() if line.strip())
                return
            answer = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DiscoveryError(f"cannot read catalogue {page_url}: {exc}") from exc
        records_field = source.options.get("records_field")
        if records_field:
            records = _dotted(answer, records_field) or []
        elif isinstance(answer, dict):
            records = next((v for v in answer.values() if isinstance(v, list)), [])
        else:
            records = answer
        yield from records
        next_field = source.options.get("next_field")
        if next_field:
            following = _dotted(answer, next_field)
            if not following:
                return
            url = urljoin(page_url, str(following))
            page_param = None
        elif page_param and records:
            page += 1
        else:
            return
    raise DiscoveryError(f"catalogue {source.options['url']} has more than {MAX_PAGES} pages")


def _value(record: dict, name: str) -> Any:
    value = record.get(name)
    if isinstance(value, float) and value != value:   # NaN in pandas-made exports
        return None
    return value


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).replace(";", ",").split(",") if v.strip()]


def discover(source: Source, ctx=None) -> Iterator[Item]:
    id_field = source.options["id_field"]
    limit = int(source.options.get("max_documents") or 0)
    seen: set[str] = set()
    for record in _records(source, ctx):
        if limit and len(seen) >= limit:
            return
        if not isinstance(record, dict):
            continue
        rid = _value(record, id_field)
        if rid is None or str(rid).strip() == "":
            continue
        rid = str(rid).strip()
        if rid in seen:
            continue
        seen.add(rid)
        mapped: dict[str, Any] = {}
        for key, name in FIELDS.items():
            column = source.options.get(key)
            if column:
                value = _value(record, column)
                mapped[name] = _as_list(value) if name in LIST_FIELDS else (
                    "" if value is None else str(value).strip())
        url, refused = _link(source, mapped.get("url", ""))
        if url:
            mapped["url"] = url
        else:
            mapped.pop("url", None)
        item = Item(source.id, document_id(source.id, rid), "", url, mapped)
        if not mapped.get("text"):
            # A record without text is read from its link; a link that may not be read
            # fails this record (and only it) with the reason.
            item.location, item.refused = url, refused
        yield item


def _link(source: Source, value: str) -> tuple[str, str]:
    """The record's link as (what to read and show, why it is refused).

    A remote catalogue's links are URLs on the web: a relative one is resolved
    against the catalogue's URL, and anything but http(s) is refused. A local
    catalogue may also name files, but only inside the catalogue's own folder or the
    ``folders`` its source names (symbolic links resolved first): a partner's export
    never reaches the rest of the server's disk."""
    value = value.strip()
    if not value:
        return "", ""
    remote = source.options.get("url")
    if remote:
        url = urljoin(remote, value)
        if urlsplit(url).scheme in ("http", "https"):
            return url, ""
        return "", f"the link {value[:200]!r} is not an http(s) URL"
    scheme = urlsplit(value).scheme.lower()
    if scheme in ("http", "https"):
        return value, ""
    if scheme == "file":
        path = Path(url2pathname(urlsplit(value).path))
    elif scheme and len(scheme) > 1:              # "C:" is a drive, not a scheme
        return "", f"the link {value[:200]!r} is neither an http(s) URL nor a file"
    else:
        path = Path(value).expanduser()
    catalogue = source.path()
    if not path.is_absolute():
        path = catalogue.parent / path
    resolved = path.resolve()
    for folder in allowed_folders(source):
        if resolved.is_relative_to(folder):
            return str(resolved), ""
    return "", (f"the link {value[:200]!r} is outside the folders this catalogue may read "
                "(its own folder and the source's `folders`)")


def allowed_folders(source: Source) -> list[Path]:
    """The folders a local catalogue's records may name files in, resolved."""
    folders = [source.path().parent.resolve()]
    for entry in source.options.get("folders") or []:
        path = Path(str(entry)).expanduser()
        folders.append((path if path.is_absolute() else source.base_dir / path).resolve())
    return folders
