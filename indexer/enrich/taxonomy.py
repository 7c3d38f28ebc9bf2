"""The controlled vocabularies (themes, GCM objectives, regions, countries) and a fast
phrase matcher over them.

Files in the taxonomy folder: ``themes.toml``, ``gcm.toml``, ``regions.toml`` and
``countries.csv``; their formats are documented in the files themselves.
"""

from __future__ import annotations

import csv
import functools
import re
import tomllib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from searchhub.text import fold  # the one accent folding: indexing and search agree

#: Keywords written in capitals up to this length ("UK", "DRC", "KSA") match only
#: capitals, so that the pronoun "us" or a lower-case word never fires.
ACRONYM_MAX_LEN = 5


class TaxonomyError(ValueError):
    """A taxonomy file is missing or holds bad data; the message names file and entry."""


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    label_fr: str
    label_es: str
    keywords: Mapping[str, tuple[str, ...]]    # language code -> phrases


@dataclass(frozen=True)
class Objective:
    number: int
    title: str
    short: str
    keywords: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Region:
    id: str
    label: str
    label_fr: str
    label_es: str


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str                  # English name: the facet value
    name_fr: str
    name_es: str
    aliases: tuple[str, ...]
    region: str                # a region label

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.name, self.name_fr, self.name_es,
                                               *self.aliases) if n))


# ---------------------------------------------------------------------------------------
# Folding and matching

_WORD = re.compile(r"\w+")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def name_key(text: str) -> str:
    """What two spellings of a name must share to be the same name: accents, case,
    spacing and the kind of apostrophe ignored ("  Migración LABORAL " ->
    "migracion laboral", "main-d\u2019œuvre" -> "main-d'oeuvre")."""
    return " ".join(fold(text.translate(_APOSTROPHES)).casefold().split())


@dataclass(frozen=True)
class Tokens:
    """A text cut into words once, for every matcher: folded case and original case."""

    raw: tuple[str, ...]
    lower: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Tokens:
        return _tokens(text)

    def __len__(self) -> int:
        return len(self.raw)


@functools.lru_cache(maxsize=8)
def _tokens(text: str) -> Tokens:
    # Cached because enrich() runs several matchers over the same long text.
    raw = tuple(_WORD.findall(fold(text)))
    lower = tuple("\x00".join(raw).lower().split("\x00")) if raw else ()
    if len(lower) != len(raw):    # lower() changed a token's shape; rare, do it one by one
        lower = tuple(token.lower() for token in raw)
    return Tokens(raw, lower)


class PhraseMatcher:
    """Counts whole-word occurrences of phrases, each mapped to one or more keys.

    Phrases are cut into words like the text, so hyphens, apostrophes and line
    breaks do not matter ("Guinea-Bissau" = "Guinea Bissau"). At each position
    the longest phrase wins, and matching resumes after it: "Papua New Guinea"
    is never also "Guinea". Runs in one pass over the words, with one dict
    lookup per word. With ``names=True`` every phrase is a proper name: it matches
    as written or in capitals ("Lima", "LIMA", never "lima").
    """

    def __init__(self, phrases: Iterable[tuple[str, Hashable]], *, names: bool = False):
        keys_by_phrase: dict[tuple[tuple[str, ...], bool], list[Hashable]] = {}
        if names:
            phrases = ((form, key) for phrase, key in phrases
                       for form in dict.fromkeys((phrase, phrase.upper())))
        for phrase, key in phrases:
            words = tuple(_WORD.findall(fold(phrase)))
            if not words:
                continue
            exact = names or (phrase.isupper()
                              and len(phrase.replace(" ", "")) <= ACRONYM_MAX_LEN)
            entry = keys_by_phrase.setdefault((words if exact else
                                               tuple(w.lower() for w in words), exact), [])
            if key not in entry:
                entry.append(key)
        self._by_first: dict[str, list[tuple[tuple[str, ...], bool, tuple[Hashable, ...]]]] = {}
        for (words, exact), keys in keys_by_phrase.items():
            self._by_first.setdefault(words[0].lower(), []).append((words, exact, tuple(keys)))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda c: -len(c[0]))

    def count(self, text: str | Tokens) -> Counter[Hashable]:
        """How often each key's phrases occur in ``text``."""
        tokens = text if isinstance(text, Tokens) else Tokens.of(text)
        raw, lower, by_first = tokens.raw, tokens.lower, self._by_first
        counts: Counter[Hashable] = Counter()
        i, n = 0, len(lower)
        while i < n:
            candidates = by_first.get(lower[i])
            if candidates is None:
                i += 1
                continue
            for words, exact, keys in candidates:
                end = i + len(words)
                if (raw if exact else lower)[i:end] == words:
                    counts.update(keys)
                    i = end
                    break
            else:
                i += 1
        return counts


# ---------------------------------------------------------------------------------------
# The taxonomy


@dataclass(eq=False)
class Taxonomy:
    """Everything enrichment matches against, with its matchers built once."""

    themes: list[Theme]
    objectives: list[Objective]
    regions: list[Region]
    countries: list[Country]
    folder: Path | None = None
    #: Cities and first-level subdivisions, each with its country's English name
    #: (places.csv, optional): "Huánuco" -> "Peru".
    places: list[tuple[str, str]] = field(default_factory=list)

    @functools.cached_property
    def country_by_name(self) -> dict[str, Country]:
        """English name -> country."""
        return {country.name: country for country in self.countries}

    @functools.cached_property
    def country_matcher(self) -> PhraseMatcher:
        return PhraseMatcher((name, c.name) for c in self.countries for name in c.names)

    @functools.cached_property
    def place_matcher(self) -> PhraseMatcher:
        """Cities and subdivisions -> their country's English name, as proper names."""
        return PhraseMatcher(self.places, names=True)

    @functools.cached_property
    def theme_matcher(self) -> PhraseMatcher:
        return PhraseMatcher((phrase, theme.label) for theme in self.themes
                             for phrases in theme.keywords.values() for phrase in phrases)

    @functools.cached_property
    def theme_by_name(self) -> dict[str, str]:
        """``name_key`` of each theme's label, label_fr, label_es and id -> its label.

        Where two themes share a name the label wins over an id, an id over a
        translation, and an earlier theme over a later one."""
        names: dict[str, str] = {}
        for attribute in ("label", "id", "label_fr", "label_es"):
            for theme in self.themes:
                key = name_key(getattr(theme, attribute))
                if key:
                    names.setdefault(key, theme.label)
        return names

    @functools.cached_property
    def objective_matcher(self) -> PhraseMatcher:
        return PhraseMatcher((phrase, o.number) for o in self.objectives
                             for phrases in o.keywords.values() for phrase in phrases)


def load_taxonomy(folder: Path | str) -> Taxonomy:
    """Read and validate the four taxonomy files in ``folder``; cached per folder.

    Raises TaxonomyError naming the file and the entry or line at fault.
    """
    return _load(Path(folder).resolve())


def gcm_titles(folder: Path | str) -> dict[str, str]:
    """GCM objective number (as text) -> its short title, for labels; {} when the
    taxonomy in ``folder`` cannot be read (labels then fall back to the number)."""
    try:
        taxonomy = load_taxonomy(folder)
    except TaxonomyError:
        return {}
    return {str(o.number): o.short or o.title for o in taxonomy.objectives}


@functools.lru_cache(maxsize=4)
def _load(folder: Path) -> Taxonomy:
    regions = [_region(entry, folder / "regions.toml", i)
               for i, entry in enumerate(_toml(folder / "regions.toml", "region"), 1)]
    themes = [_theme(entry, folder / "themes.toml", i)
              for i, entry in enumerate(_toml(folder / "themes.toml", "theme"), 1)]
    objectives = [_objective(entry, folder / "gcm.toml", i)
                  for i, entry in enumerate(_toml(folder / "gcm.toml", "objective"), 1)]
    region_labels = {region.label for region in regions}
    countries = _countries(folder / "countries.csv", region_labels)
    _unique(folder / "themes.toml", "theme id", [t.id for t in themes])
    _unique(folder / "themes.toml", "theme label", [t.label for t in themes])
    _unique(folder / "gcm.toml", "objective number", [o.number for o in objectives])
    _unique(folder / "regions.toml", "region label", [r.label for r in regions])
    _unique(folder / "countries.csv", "country name", [c.name for c in countries])
    places = _places(folder / "places.csv", {c.iso3: c.name for c in countries})
    return Taxonomy(themes=themes, objectives=objectives, regions=regions,
                    countries=countries, folder=folder, places=places)


def _toml(path: Path, table: str) -> list[dict]:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError as exc:
        raise TaxonomyError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{path}: not valid TOML: {exc}") from exc
    entries = data.get(table)
    if not isinstance(entries, list) or not entries:
        raise TaxonomyError(f"{path}: expected one or more [[{table}]] entries")
    return entries


def _text(entry: dict, key: str, path: Path, where: str, *, required: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise TaxonomyError(f"{path}: {where}: '{key}' must be a non-empty string")
    return value.strip()


def _keywords(entry: dict, path: Path, where: str) -> dict[str, tuple[str, ...]]:
    keywords = entry.get("keywords", {})
    if not isinstance(keywords, dict):
        raise TaxonomyError(f"{path}: {where}: 'keywords' must be a table of lists")
    result = {}
    for language, phrases in keywords.items():
        if not (isinstance(phrases, list) and all(isinstance(p, str) and p.strip()
                                                  for p in phrases)):
            raise TaxonomyError(f"{path}: {where}: keywords.{language} must be a list of "
                                f"non-empty strings")
        result[language] = tuple(p.strip() for p in phrases)
    if not any(result.values()):
        raise TaxonomyError(f"{path}: {where}: no keywords")
    return result


def _theme(entry: dict, path: Path, index: int) -> Theme:
    where = f"theme #{index} ({entry.get('id', 'no id')})"
    return Theme(
        id=_text(entry, "id", path, where),
        label=_text(entry, "label", path, where),
        label_fr=_text(entry, "label_fr", path, where, required=False),
        label_es=_text(entry, "label_es", path, where, required=False),
        keywords=_keywords(entry, path, where),
    )


def _objective(entry: dict, path: Path, index: int) -> Objective:
    number = entry.get("number")
    where = f"objective #{index} (number {number!r})"
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 23:
        raise TaxonomyError(f"{path}: {where}: 'number' must be an integer from 1 to 23")
    return Objective(
        number=number,
        title=_text(entry, "title", path, where),
        short=_text(entry, "short", path, where),
        keywords=_keywords(entry, path, where),
    )


def _region(entry: dict, path: Path, index: int) -> Region:
    where = f"region #{index} ({entry.get('id', 'no id')})"
    return Region(
        id=_text(entry, "id", path, where),
        label=_text(entry, "label", path, where),
        label_fr=_text(entry, "label_fr", path, where, required=False),
        label_es=_text(entry, "label_es", path, where, required=False),
    )


_COUNTRY_COLUMNS = ["iso3", "name", "name_fr", "name_es", "aliases", "region"]


def _countries(path: Path, region_labels: set[str]) -> list[Country]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    except FileNotFoundError as exc:
        raise TaxonomyError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"{path}: not UTF-8: {exc}") from exc
    if not rows or [c.strip() for c in rows[0]] != _COUNTRY_COLUMNS:
        raise TaxonomyError(f"{path}: line 1: the header must be {','.join(_COUNTRY_COLUMNS)}")
    countries = []
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(_COUNTRY_COLUMNS):
            raise TaxonomyError(f"{path}: line {line}: expected {len(_COUNTRY_COLUMNS)} "
                                f"columns, found {len(row)}")
        iso3, name, name_fr, name_es, aliases, region = (cell.strip() for cell in row)
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            raise TaxonomyError(f"{path}: line {line}: iso3 {iso3!r} is not three capitals")
        if not name:
            raise TaxonomyError(f"{path}: line {line}: the English name is empty")
        if region not in region_labels:
            raise TaxonomyError(f"{path}: line {line} ({name}): region {region!r} is not a "
                                f"label in regions.toml")
        countries.append(Country(
            iso3=iso3, name=name, name_fr=name_fr, name_es=name_es,
            aliases=tuple(a.strip() for a in aliases.split(";") if a.strip()),
            region=region,
        ))
    if not countries:
        raise TaxonomyError(f"{path}: no countries")
    return countries


def _places(path: Path, country_names: dict[str, str]) -> list[tuple[str, str]]:
    """(name, country's English name) of places.csv (``scripts/build_places.py``);
    [] without the file, which is optional. Its lines starting with "#" are comments."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(line for line in f if not line.startswith("#")))
    except FileNotFoundError:
        return []
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"{path}: not UTF-8: {exc}") from exc
    if not rows or [c.strip() for c in rows[0]] != ["name", "iso3"]:
        raise TaxonomyError(f"{path}: the header must be name,iso3")
    places = []
    for number, row in enumerate(rows[1:], 2):
        if len(row) != 2 or not row[0].strip():
            raise TaxonomyError(f"{path}: row {number}: expected a name and an iso3 code")
        name, iso3 = (cell.strip() for cell in row)
        if iso3 not in country_names:
            raise TaxonomyError(f"{path}: row {number} ({name}): {iso3!r} is not a country "
                                f"of countries.csv")
        places.append((name, country_names[iso3]))
    return places


def _unique(path: Path, what: str, values: list) -> None:
    duplicates = sorted({str(v) for v, n in Counter(values).items() if n > 1})
    if duplicates:
        raise TaxonomyError(f"{path}: duplicate {what}: {', '.join(duplicates)}")
