"""Searching the directory of experts: words, facets and visibility, over profiles.

Profiles are few (hundreds, not millions), so they are searched here in memory rather
than through the document index: every word of the query must start a word of the
profile (name, title, organisation, agency, biography, themes, objectives, places,
languages), accents and case ignored. Facets count like the search page's: each
facet's counts under the other facets' filters (values of one facet are OR-ed), the
selected values always listed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from searchhub.models import FacetValue
from searchhub.text import facet_key, fold, language_name

from .model import Profile

#: The directory's facets: URL parameter -> (label, Profile attribute), in sidebar order.
FACETS: dict[str, tuple[str, str]] = {
    "theme": ("Theme", "themes"),
    "gcm": ("GCM objective", "gcm_objectives"),
    "region": ("Region", "regions"),
    "country": ("Country", "countries"),
    "agency": ("Agency", "agency"),
    "language": ("Language", "languages"),
}
PARAMETERS = ("q", *FACETS)
MAX_FILTER_VALUES = 20
_WORD = re.compile(r"\w+")


@dataclass
class ExpertQuery:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Mapping) -> ExpertQuery:
        def values(name: str) -> list[str]:
            if hasattr(params, "getlist"):
                got = params.getlist(name)
            else:
                got = params.get(name)
                got = got if isinstance(got, list) else [got]
            got = [str(v).strip()[:200] for v in got if v is not None]
            return [v for v in got if v][:MAX_FILTER_VALUES]
        filters = {name: values(name) for name in FACETS}
        return cls(str(params.get("q") or "").strip()[:500],
                   {k: v for k, v in filters.items() if v})

    def params(self, **changes) -> dict[str, object]:
        """URL parameters that reproduce this query, with ``changes``."""
        out: dict[str, object] = {"q": self.text or None}
        out.update({name: list(values) for name, values in self.filters.items()})
        out.update(changes)
        return {k: v for k, v in out.items() if v not in (None, "", [])}

    def with_filter(self, name: str, value: str) -> ExpertQuery:
        filters = {k: list(v) for k, v in self.filters.items()}
        if value not in filters.setdefault(name, []):
            filters[name].append(value)
        return ExpertQuery(self.text, filters)

    def without_filter(self, name: str, value: str) -> ExpertQuery:
        filters = {k: [x for x in v if not (k == name and x == value)]
                   for k, v in self.filters.items()}
        return ExpertQuery(self.text, {k: v for k, v in filters.items() if v})


@dataclass
class ExpertPage:
    query: ExpertQuery
    total: int
    experts: list[Profile]
    facets: dict[str, list[FacetValue]]


def facet_values(profile: Profile, name: str) -> list[str]:
    value = getattr(profile, FACETS[name][1])
    values = value if isinstance(value, list) else ([value] if value else [])
    return [str(v) for v in values]


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text).lower())


def _profile_words(profile: Profile, gcm_label: Callable[[str], str]) -> set[str]:
    parts = [profile.name, profile.title, profile.organisation, profile.agency, profile.bio,
             *profile.themes, *profile.regions, *profile.countries,
             *(gcm_label(str(n)) for n in profile.gcm_objectives),
             *(language_name(c) for c in profile.languages)]
    return set(_words(" ".join(parts)))


def _matches_words(words: list[str], vocabulary: set[str]) -> bool:
    return all(any(w.startswith(word) for w in vocabulary) for word in words)


def _matches_filters(profile: Profile, filters: dict[str, list[str]], skip: str = "") -> bool:
    for name, wanted in filters.items():
        if name == skip:
            continue
        have = {facet_key(v) for v in facet_values(profile, name)}
        if not have & {facet_key(v) for v in wanted}:
            return False
    return True


def search(profiles: Iterable[Profile], query: ExpertQuery, *,
           gcm_label: Callable[[str], str] = lambda n: n) -> ExpertPage:
    """The profiles matching ``query`` (by name) with the facets' counts.

    ``profiles`` must already be the ones the person may see."""
    words = _words(query.text)
    found = [p for p in profiles if not words or _matches_words(words, _profile_words(
        p, gcm_label))]
    hits = [p for p in found if _matches_filters(p, query.filters)]
    facets = {}
    for name in FACETS:
        counts: Counter[str] = Counter()
        for p in found:
            if _matches_filters(p, query.filters, skip=name):
                counts.update(set(facet_values(p, name)))
        chosen = {facet_key(v) for v in query.filters.get(name, [])}
        values = [FacetValue(v, n, facet_key(v) in chosen) for v, n in counts.items()]
        present = {facet_key(fv.value) for fv in values}
        values += [FacetValue(v, 0, True) for v in query.filters.get(name, [])
                   if facet_key(v) not in present]
        if name == "gcm":
            values.sort(key=lambda fv: (not fv.selected, int(fv.value)
                                        if fv.value.isdigit() else 999))
        else:
            values.sort(key=lambda fv: (not fv.selected, -fv.count, fv.value))
        facets[name] = values
    return ExpertPage(query, len(hits), hits, facets)
