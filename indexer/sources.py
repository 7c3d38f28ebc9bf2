"""The source registry: which partner platforms and folders to index, and how.

``corpus/sources.toml`` lists ``[[source]]`` tables. Each kind (files, web,
catalog, ...) registers here with the keys it requires and accepts; adding a kind
is a new discover module plus one entry in ``KINDS``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchhub.errors import ConfigError

COMMON_REQUIRED = ("id", "name", "agency", "kind")
DEFAULT_KEYS = ("region", "countries", "themes", "language", "type")
COMMON_OPTIONAL = DEFAULT_KEYS + ("enabled", "description", "homepage", "gcm_objectives",
                                  "schedule", "max_documents")


@dataclass(frozen=True)
class Kind:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {
    "files": Kind("files", ("path",), ("include", "exclude", "recursive")),
    "web": Kind("web", ("urls",), ("allow_private",)),
    "catalog": Kind("catalog", ("path", "format", "id_field", "title_field"),
                    ("text_field", "url_field", "date_field", "language_field",
                     "countries_field", "regions_field", "themes_field", "type_field",
                     "author_field", "description_field", "allow_private")),
}

CATALOG_FORMATS = ("csv", "json", "jsonl")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass
class Source:
    id: str
    name: str
    agency: str
    kind: str
    options: dict[str, Any]
    defaults: dict[str, Any] = field(default_factory=dict)
    base_dir: Path = Path(".")
    enabled: bool = True

    def path(self, key: str = "path") -> Path:
        """An option that names a file or folder, relative to the registry's folder."""
        value = Path(str(self.options[key])).expanduser()
        return value if value.is_absolute() else (self.base_dir / value)


def load_sources(path: Path) -> list[Source]:
    """Read and validate the registry; raise ConfigError listing every problem."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path}: the source registry does not exist "
                           "(set SEARCHHUB_SOURCES or --sources)"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    entries = data.get("source", [])
    problems: list[str] = []
    if not isinstance(entries, list) or not entries:
        raise ConfigError([f"{path}: no [[source]] tables found"])
    sources: list[Source] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        where = f"{path}: source #{n}" + (f" ({entry.get('id')})" if entry.get("id") else "")
        missing = [k for k in COMMON_REQUIRED if not entry.get(k)]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        kind = KINDS.get(entry["kind"])
        if kind is None:
            problems.append(f"{where}: unknown kind {entry['kind']!r} "
                            f"(known: {', '.join(KINDS)})")
            continue
        if not _ID.match(str(entry["id"])):
            problems.append(f"{where}: id must be lowercase letters, digits, - or _")
        if entry["id"] in seen:
            problems.append(f"{where}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        allowed = set(COMMON_REQUIRED) | set(COMMON_OPTIONAL) | set(kind.required) | set(
            kind.optional)
        for key in entry:
            if key not in allowed:
                problems.append(f"{where}: unknown key {key!r} for kind {kind.name}")
        for key in kind.required:
            if key not in entry or entry[key] in ("", []):
                problems.append(f"{where}: kind {kind.name} needs {key!r}")
        problems.extend(_check_kind(where, kind.name, entry))
        defaults = {k: entry[k] for k in DEFAULT_KEYS if k in entry}
        if "gcm_objectives" in entry:
            defaults["gcm_objectives"] = entry["gcm_objectives"]
        options = {k: v for k, v in entry.items() if k not in COMMON_REQUIRED}
        sources.append(Source(entry["id"], entry["name"], entry["agency"], kind.name, options,
                              defaults, Path(path).resolve().parent,
                              bool(entry.get("enabled", True))))
    if problems:
        raise ConfigError(problems)
    return sources


def _check_kind(where: str, kind: str, entry: dict) -> list[str]:
    problems = []
    for key in ("countries", "themes", "gcm_objectives", "include", "exclude"):
        if key in entry and not isinstance(entry[key], list):
            problems.append(f"{where}: {key} must be a list")
    if kind == "web":
        urls = entry.get("urls", [])
        if not isinstance(urls, list):
            problems.append(f"{where}: urls must be a list")
        else:
            for url in urls:
                if not re.match(r"^https?://", str(url)):
                    problems.append(f"{where}: {url!r} is not an http(s) URL")
    if kind == "catalog" and entry.get("format") not in CATALOG_FORMATS:
        problems.append(f"{where}: format must be one of {', '.join(CATALOG_FORMATS)}")
    if kind == "catalog" and not (entry.get("text_field") or entry.get("url_field")):
        problems.append(f"{where}: a catalog needs text_field or url_field (or both)")
    return problems
