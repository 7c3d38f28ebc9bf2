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


def _records(source: Source) -> Iterator[dict[str, Any]]:
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


def discover(source: Source) -> Iterator[Item]:
    id_field = source.options["id_field"]
    seen: set[str] = set()
    for record in _records(source):
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
