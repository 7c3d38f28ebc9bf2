"""Catalogue exports: CSV, JSON or JSON Lines records with a field mapping."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

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
        url = mapped.get("url", "")
        location = url if (not mapped.get("text") and url) else ""
        yield Item(source.id, document_id(source.id, rid), location, url, mapped)
