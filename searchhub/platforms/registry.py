"""The platform registry: the partner platforms (sites and databases) that the sources
feed, and those only mapped.

``corpus/platforms.toml`` (or the file of the ``platforms`` setting) lists
``[[platform]]`` tables; a source names its platform with ``platform = "ID"``, and a
source without one is a platform of its own, named after it. ``load_platforms``
checks the file and the sources' references together and reports every problem at
once, as ``indexer.sources.load_sources`` does.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from indexer.discover.base import Source
from searchhub.errors import ConfigError
from searchhub.visibility import Viewer, may_see

SCOPES = ("global", "regional", "thematic")
REQUIRED = ("id", "name", "agency")
OPTIONAL = ("home", "prefixes", "description", "scope", "regions", "themes", "languages")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_URL = re.compile(r"^https?://[^\s/]+")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Platform:
    """One partner platform. ``sources`` are the ids of the sources that feed it (none:
    mapped, not indexed); ``prefixes`` the URL prefixes that belong to it."""

    id: str
    name: str
    agency: str
    home: str = ""
    prefixes: tuple[str, ...] = ()
    description: str = ""
    scope: str = "global"
    regions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    #: Listed in the registry (False: a source's own platform, made from the source).
    registered: bool = True

    @property
    def mapped_only(self) -> bool:
        return not self.sources

    def owns(self, url: str) -> bool:
        return any(url.startswith(prefix) for prefix in self.prefixes)


@dataclass
class Registry:
    """The platforms in order (the registry's, then the sources' own), by id."""

    platforms: list[Platform] = field(default_factory=list)
    #: The sources of the source registry, by id.
    sources: dict[str, Source] = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {p.id: p for p in self.platforms}

    def get(self, platform_id: str) -> Platform | None:
        return self.by_id.get(platform_id)

    def name(self, platform_id: str) -> str:
        found = self.by_id.get(platform_id)
        return found.name if found else platform_id

    def seen_by(self, viewer: Viewer) -> Registry:
        """The registry as ``viewer`` may know it: without the platforms every source of
        which is for audiences ``viewer`` is not in (an internal store crawled for one
        working group is not named to visitors). Mapped-only platforms stay."""
        def shown(platform: Platform) -> bool:
            return platform.mapped_only or any(
                may_see(self.sources[s].defaults.get("visibility", ())
                        if s in self.sources else (), viewer)
                for s in platform.sources)
        kept = [p for p in self.platforms if shown(p)]
        if len(kept) == len(self.platforms):
            return self
        return Registry(kept, self.sources)

    def owner(self, url: str) -> Platform | None:
        """The platform whose longest prefix ``url`` starts with, or None."""
        best, length = None, -1
        for platform in self.platforms:
            for prefix in platform.prefixes:
                if url.startswith(prefix) and len(prefix) > length:
                    best, length = platform, len(prefix)
        return best


def load_platforms(path: Path | None, sources: Iterable[Source],
                   taxonomy_dir: Path | None = None) -> Registry:
    """The registry at ``path`` (a missing file: no registered platforms) joined with
    ``sources``. Raises ConfigError listing every problem of the file and every source
    naming an unknown platform. ``taxonomy_dir`` holds the regions and themes a
    platform's scope may name (not checked when None)."""
    sources = list(sources)
    problems: list[str] = []
    entries: list = []
    if path is not None and Path(path).is_file():
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
        entries = data.get("platform", [])
        if not isinstance(entries, list):
            raise ConfigError([f"{path}: platform must be [[platform]] tables"])
        for key in data:
            if key != "platform":
                problems.append(f"{path}: unknown table {key!r} (only [[platform]] tables)")
    vocabulary = _vocabulary(taxonomy_dir, problems, path)
    fed: dict[str, list[str]] = {}
    for source in sources:
        fed.setdefault(str(source.defaults.get("platform") or source.id), []).append(source.id)
    platforms: list[Platform] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"{path}: platform #{n}: not a table")
            continue
        where = f"{path}: platform #{n}" + (f" ({entry.get('id')})" if entry.get("id") else "")
        found = _check(where, entry, vocabulary)
        problems.extend(found)
        pid = str(entry.get("id", ""))
        if pid in seen:
            problems.append(f"{where}: duplicate id {pid!r}")
        seen.add(pid)
        if found:
            continue
        platforms.append(Platform(
            id=pid, name=entry["name"], agency=entry["agency"], home=entry.get("home", ""),
            prefixes=tuple(entry.get("prefixes", ())),
            description=entry.get("description", ""), scope=entry.get("scope", "global"),
            regions=tuple(entry.get("regions", ())), themes=tuple(entry.get("themes", ())),
            languages=tuple(entry.get("languages", ())), sources=tuple(fed.get(pid, ()))))
    for source in sources:
        named = source.options.get("platform")
        pid = str(named or source.id)
        if named and pid not in seen:
            problems.append(f"source {source.id}: platform {pid!r} is not in the platform "
                            f"registry {path}")
        elif not named and pid not in seen:
            seen.add(pid)
            home = source.options.get("homepage") or source.options.get("url") or ""
            platforms.append(Platform(
                id=pid, name=source.name, agency=source.agency, home=str(home),
                prefixes=(str(home),) if _URL.match(str(home)) else (),
                description=str(source.options.get("description", "")),
                sources=(source.id,), registered=False))
    if problems:
        raise ConfigError(problems)
    return Registry(platforms, {source.id: source for source in sources})


def _vocabulary(taxonomy_dir: Path | None, problems: list[str], path) -> dict | None:
    if taxonomy_dir is None:
        return None
    from indexer.enrich.taxonomy import TaxonomyError, load_taxonomy

    try:
        taxonomy = load_taxonomy(taxonomy_dir)
    except TaxonomyError as exc:
        problems.append(f"{path}: regions and themes cannot be checked: {exc}")
        return None
    return {"regions": {r.label for r in taxonomy.regions},
            "themes": {t.label for t in taxonomy.themes}}


def _check(where: str, entry: dict, vocabulary: dict | None) -> list[str]:
    """Every problem of one ``[[platform]]`` table."""
    problems = []
    missing = [k for k in REQUIRED if not entry.get(k)]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
    for key in entry:
        if key not in REQUIRED and key not in OPTIONAL:
            problems.append(f"{where}: unknown key {key!r} (known: "
                            f"{', '.join(REQUIRED + OPTIONAL)})")
    if entry.get("id") and not _ID.match(str(entry["id"])):
        problems.append(f"{where}: id must be lowercase letters, digits, - or _")
    for key in ("id", "name", "agency", "home", "description", "scope"):
        if key in entry and not isinstance(entry[key], str):
            problems.append(f"{where}: {key} must be text")
    if entry.get("home") and not _URL.match(str(entry["home"])):
        problems.append(f"{where}: home {entry['home']!r} is not an http(s) URL")
    for key in ("prefixes", "regions", "themes", "languages"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append(f"{where}: {key} must be a list of text")
            entry = {**entry, key: []}
    for prefix in entry.get("prefixes", []):
        if not _URL.match(prefix):
            problems.append(f"{where}: prefix {prefix!r} is not an http(s) URL")
    for code in entry.get("languages", []):
        if not _LANGUAGE.match(code):
            problems.append(f"{where}: language {code!r} is not an ISO 639-1 code such as "
                            "en, fr or es")
    scope = entry.get("scope", "global")
    if scope not in SCOPES:
        problems.append(f"{where}: scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    if scope == "regional" and not entry.get("regions"):
        problems.append(f"{where}: a regional platform needs its regions")
    if scope == "thematic" and not entry.get("themes"):
        problems.append(f"{where}: a thematic platform needs its themes")
    if vocabulary is not None:
        for key in ("regions", "themes"):
            for value in entry.get(key, []):
                if value not in vocabulary[key]:
                    problems.append(f"{where}: {key[:-1]} {value!r} is not a {key[:-1]} of "
                                    "the taxonomy")
    return problems
