"""The source registry: which partner platforms and folders to index, and how.

``corpus/sources.toml`` lists ``[[source]]`` tables. Each kind registers here once,
in ``KINDS``: its module in ``indexer/discover/`` defines a ``KIND`` (the keys it
requires and accepts, its own checks, its discover function). A new kind is that
module plus one entry in ``KINDS``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from indexer.discover import catalog, crawl, feed, files, sitemap, uploads, web
from indexer.discover.base import Context, Item, Kind, Source
from searchhub import visibility
from searchhub.errors import ConfigError

#: The source kinds, by name.
KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    files.KIND, web.KIND, catalog.KIND, sitemap.KIND, feed.KIND, crawl.KIND, uploads.KIND)}

COMMON_REQUIRED = ("id", "name", "agency", "kind")
DEFAULT_KEYS = ("region", "countries", "themes", "language", "type")
COMMON_OPTIONAL = DEFAULT_KEYS + ("enabled", "description", "homepage", "gcm_objectives",
                                  "schedule", "max_documents", "gone_after_runs",
                                  "themes_map", "unmapped_themes", "platform", "visibility")
#: What ``unmapped_themes`` does with a theme value neither in ``themes_map`` nor a
#: name of a taxonomy theme.
UNMAPPED_THEMES = ("keep", "drop")

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

__all__ = ["KINDS", "Kind", "Source", "discover", "load_sources"]


def discover(source: Source, ctx: Context | None = None) -> Iterator[Item]:
    """The Items of ``source``, from its kind's discover function."""
    return KINDS[source.kind].discover(source, ctx or Context())


def load_sources(path: Path, taxonomy_dir: Path | None = None) -> list[Source]:
    """Read and validate the registry; raise ConfigError listing every problem.

    ``taxonomy_dir`` holds the themes a ``themes_map`` may map to (default: the
    ``taxonomy_dir`` setting's default, ``corpus/taxonomy``); it is read only when a
    source has a ``themes_map``."""
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
    taxonomy = _LazyTaxonomy(path, taxonomy_dir)
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
        problems.extend(_check_common(where, entry))
        problems.extend(kind.validate(where, entry))
        problems.extend(_check_themes_map(where, entry, taxonomy))
        defaults = {k: entry[k] for k in DEFAULT_KEYS if k in entry}
        if "gcm_objectives" in entry:
            defaults["gcm_objectives"] = entry["gcm_objectives"]
        # The partner platform its documents belong to (searchhub.platforms checks it
        # names one of the platform registry); a source without one is its own.
        defaults["platform"] = str(entry.get("platform") or entry["id"])
        # Who may see its documents (searchhub.visibility): everyone unless it says.
        try:
            defaults["visibility"] = visibility.parse(entry.get("visibility"))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
        options = {k: v for k, v in entry.items() if k not in COMMON_REQUIRED}
        sources.append(Source(entry["id"], entry["name"], entry["agency"], kind.name, options,
                              defaults, Path(path).resolve().parent,
                              bool(entry.get("enabled", True)), kind.over_http(options),
                              kind.streams))
    if problems:
        raise ConfigError(problems)
    return sources


def _check_common(where: str, entry: dict) -> list[str]:
    """The checks of keys every kind may have."""
    problems = []
    for key in ("countries", "themes", "gcm_objectives", "include", "exclude", "folders",
                "drop_params"):
        if key in entry and not isinstance(entry[key], list):
            problems.append(f"{where}: {key} must be a list")
    if "platform" in entry and not _ID.match(str(entry["platform"])):
        problems.append(f"{where}: platform must be a platform id: lowercase letters, "
                        "digits, - or _")
    if isinstance(entry.get("drop_params"), list) and not all(
            isinstance(p, str) and p for p in entry["drop_params"]):
        problems.append(f"{where}: drop_params must be a list of parameter names "
                        "(globs such as 'ref_*')")
    if "url" in entry and not re.match(r"^https?://", str(entry["url"])):
        problems.append(f"{where}: {entry['url']!r} is not an http(s) URL")
    for key in ("max_documents", "max_depth", "gone_after_runs", "recheck_every"):
        if key in entry and (not isinstance(entry[key], int) or isinstance(entry[key], bool)
                             or entry[key] < 0):
            problems.append(f"{where}: {key} must be a whole number, 0 or more")
    if "allow_private" in entry:
        problems.extend(_check_networks(where, entry["allow_private"]))
    if "delay" in entry and (not isinstance(entry["delay"], int | float)
                             or isinstance(entry["delay"], bool) or entry["delay"] < 0):
        problems.append(f"{where}: delay must be a number of seconds, 0 or more")
    if "schedule" in entry:
        problems.extend(_check_schedule(where, entry["schedule"]))
    return problems


class _LazyTaxonomy:
    """The taxonomy a themes_map is checked against, read once and only if needed."""

    def __init__(self, registry: Path, taxonomy_dir: Path | None):
        self.registry = registry
        self.taxonomy_dir = taxonomy_dir
        self.error = ""
        self.reported = False

    @functools.cached_property
    def taxonomy(self):
        from indexer.enrich.taxonomy import TaxonomyError, load_taxonomy

        folder = self.taxonomy_dir
        if folder is None:
            from searchhub.resources import bundled_taxonomy_dir
            folder = bundled_taxonomy_dir()
        try:
            return load_taxonomy(folder)
        except TaxonomyError as exc:
            self.error = f"{self.registry}: themes_map cannot be checked: {exc}"
            return None


def _check_themes_map(where: str, entry: dict, lazy: _LazyTaxonomy) -> list[str]:
    """``themes_map`` is a table of a source's value -> a theme label or ""; values that
    differ only in case, accents or spacing are one value. ``unmapped_themes`` is
    "keep" or "drop"."""
    problems = []
    if "unmapped_themes" in entry and entry["unmapped_themes"] not in UNMAPPED_THEMES:
        problems.append(f"{where}: unmapped_themes must be one of "
                        f"{', '.join(UNMAPPED_THEMES)}, not {entry['unmapped_themes']!r}")
    if "themes_map" not in entry:
        return problems
    mapping = entry["themes_map"]
    if not isinstance(mapping, dict):
        return problems + [f"{where}: themes_map must be a table of \"source value\" = "
                           "\"theme label\" (or \"\" to drop the value)"]
    taxonomy = lazy.taxonomy
    if taxonomy is None:
        if not lazy.reported:
            lazy.reported = True
            problems.append(lazy.error)
        return problems
    from indexer.enrich.taxonomy import name_key

    labels = {theme.label for theme in taxonomy.themes}
    targets: dict[str, tuple[str, str]] = {}      # name_key -> (value, target)
    for value, target in mapping.items():
        if not name_key(value):
            problems.append(f"{where}: themes_map: an empty value cannot be mapped")
            continue
        if not isinstance(target, str):
            problems.append(f"{where}: themes_map: {value!r} must map to a theme label "
                            f"or \"\", not {target!r}")
            continue
        if target and target not in labels:
            meant = taxonomy.theme_by_name.get(name_key(target))
            problems.append(f"{where}: themes_map: {value!r} maps to {target!r}, which is "
                            f"not a theme label in {taxonomy.folder / 'themes.toml'}"
                            + (f" (did you mean {meant!r}?)" if meant else ""))
        earlier = targets.setdefault(name_key(value), (value, target))
        if earlier[1] != target:
            problems.append(f"{where}: themes_map: {earlier[0]!r} and {value!r} are the same "
                            f"value (case, accents and spaces aside) mapped to "
                            f"{earlier[1]!r} and {target!r}")
    return problems


def _check_schedule(where: str, schedule) -> list[str]:
    """A schedule is a crontab line: minute hour day-of-month month day-of-week."""
    from apscheduler.triggers.cron import CronTrigger

    if not isinstance(schedule, str):
        return [f"{where}: schedule must be a cron string such as '0 3 * * *'"]
    try:
        CronTrigger.from_crontab(schedule, timezone="UTC")
    except ValueError as exc:
        return [f"{where}: schedule {schedule!r} is not a valid cron line: {exc}"]
    return []


def _check_networks(where: str, value) -> list[str]:
    import ipaddress

    if isinstance(value, bool):
        return []
    if not isinstance(value, list):
        return [f"{where}: allow_private must be true, false or a list of networks"]
    problems = []
    for net in value:
        try:
            ipaddress.ip_network(str(net), strict=False)
        except ValueError:
            problems.append(f"{where}: allow_private: {net!r} is not a network like "
                            "'10.0.0.0/8'")
    return problems
