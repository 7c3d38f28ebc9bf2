"""The plain types that flow between the indexer, the engine and the web app.

Nothing here imports the search engine: the rest of the code speaks these types.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Facet:
    """One facet, declared once: ``name`` is its URL parameter and query field
    (``?agency=IOM``, ``agency:IOM``), ``label`` what people read, ``field`` the
    ``Document`` attribute its values come from (a value or a list; ``year`` from the
    date), and ``correctable`` whether curators may correct that attribute. The index
    fields, the CLI options, the API and its description, the sidebar and the
    curation forms are all derived from this table."""

    name: str
    label: str
    field: str
    correctable: bool = True


#: The facets, in the order the sidebar shows them.
FACET_LIST: tuple[Facet, ...] = (
    Facet("agency", "Agency", "agency"),
    # The partner platform (site or database) a document was indexed from; set from
    # its source's ``platform`` (searchhub.platforms), so not a curator's correction.
    Facet("platform", "Platform", "platform", correctable=False),
    Facet("region", "Region", "regions"),
    Facet("country", "Country", "countries"),
    Facet("theme", "Theme", "themes"),
    Facet("gcm", "GCM objective", "gcm_objectives"),
    Facet("language", "Language", "language"),
    Facet("type", "Type", "type"),
    Facet("year", "Year", "date"),
    # Curated collections (searchhub.collections): never indexed, applied at query time
    # from the curation database like corrections, so they survive any rebuild.
    Facet("collection", "Collection", "collections", correctable=False),
)
FACET_BY_NAME = {facet.name: facet for facet in FACET_LIST}
#: (name, label) of each facet, in order.
FACETS: tuple[tuple[str, str], ...] = tuple((f.name, f.label) for f in FACET_LIST)
FACET_NAMES = tuple(name for name, _ in FACETS)


def field_facet_values(facet: Facet, value) -> list[str]:
    """A document attribute's value (or a corrected one) as ``facet``'s values."""
    if value is None or value == "" or value == []:
        return []
    if facet.name == "year":
        if not isinstance(value, dt.date):       # a corrected date, as ISO text
            try:
                value = dt.date.fromisoformat(str(value)[:10])
            except ValueError:
                return []
        return [str(value.year)]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def main_first(language: str, languages: list[str]) -> list[str]:
    """A document's languages: its main ``language``, then the others of ``languages``
    (once each; empty values left out)."""
    return [lang for lang in dict.fromkeys((language, *languages)) if lang]


def document_id(source_id: str, key: str) -> str:
    """A stable document id: ``<source>-<key>`` for catalogue records and files.

    ``key`` is the record id, the file name, or the canonical URL. Keys that are
    long or hold characters unsafe in a URL path are hashed, so ids stay short.
    """
    safe = all(c.isalnum() or c in "-_.%+ ()," for c in key) and len(key) <= 160
    if safe and "/" not in key:
        return key if source_id == "" else f"{source_id}-{key}"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return f"{source_id}-{digest}"


@dataclass
class Document:
    """One searchable document, as the indexer writes it and the engine returns it."""

    id: str
    title: str
    url: str
    source_id: str
    agency: str
    pages: list[str]                       # extracted text, one entry per PDF page
    language: str = "und"                  # ISO 639-1, "und" when unknown
    regions: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    gcm_objectives: list[int] = field(default_factory=list)
    type: str = ""
    date: dt.date | None = None
    author: str = ""
    description: str = ""
    format: str = ""                       # pdf, html, text, record
    content_hash: str = ""
    location: str = ""                     # where it was read from (path or fetched URL)
    quality: list[str] = field(default_factory=list)   # automatic quality signals
    indexed_at: dt.datetime | None = None
    #: Other places the same document is published: {"source", "agency", "url"} each.
    also_at: list[dict] = field(default_factory=list)
    #: The id of the partner platform it was indexed from (its source's ``platform``,
    #: else the source's id): see ``searchhub.platforms``.
    platform: str = ""
    #: Its outgoing links (absolute http(s) URLs), for the platforms' interlinkages.
    links: list[str] = field(default_factory=list)
    #: The slugs of the curated collections holding it: curation data, filled at query
    #: time (``curation.apply.StoredCuration.correct``), empty in the index.
    collections: list[str] = field(default_factory=list)
    #: The detector's confidence in ``language`` (0 to 1), None when the source or a
    #: catalogue declared it; and the languages it holds, the main one first (a declared
    #: language, then the others the detector found in its text; empty when not
    #: detected): see ``indexer.enrich``. The language facet counts each of them.
    language_confidence: float | None = None
    languages: list[str] = field(default_factory=list)
    #: Who may see it (``searchhub.visibility``): empty for everyone, ["members"], or
    #: group ids; set by its source (``visibility`` in the registry) or its upload.
    visibility: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    def facet_values(self, name: str) -> list[str]:
        """The values this document has for facet ``name``, as strings. A document's
        languages are its main ``language`` and the others it holds (as ReliefWeb's
        language facet: a report in English and French is found under both)."""
        if name == "language":
            return field_facet_values(FACET_BY_NAME[name], self.all_languages)
        return field_facet_values(FACET_BY_NAME[name], getattr(self, FACET_BY_NAME[name].field))

    @property
    def all_languages(self) -> list[str]:
        """``language`` and the other languages it holds, the main one first."""
        return main_first(self.language, self.languages)


#: The years a from/to year filter may name (an open end stands for the bound).
YEAR_MIN, YEAR_MAX = 1000, 2999
#: A year filter value no document holds: the from/to years and the years chosen as
#: facet values have none in common.
NO_YEAR = "none"


@dataclass
class Query:
    """A search request in our own words, parsed from URL parameters or the CLI."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)   # facet name -> values (OR)
    sort: str = "relevance"                                       # relevance | newest
    page: int = 1
    page_size: int = 10
    year_from: int | None = None                                  # from/to years, inclusive
    year_to: int | None = None

    def with_filter(self, name: str, value: str) -> Query:
        filters = {k: list(v) for k, v in self.filters.items()}
        values = filters.setdefault(name, [])
        if value not in values:
            values.append(value)
        return replace(self, filters=filters, page=1)

    def without_filter(self, name: str, value: str) -> Query:
        filters = {k: [x for x in v if not (k == name and x == value)]
                   for k, v in self.filters.items()}
        return replace(self, filters={k: v for k, v in filters.items() if v}, page=1)

    def without_years(self) -> Query:
        return replace(self, year_from=None, year_to=None, page=1)

    @property
    def has_years(self) -> bool:
        return self.year_from is not None or self.year_to is not None

    def in_years(self, value: str) -> bool:
        """Whether year facet value ``value`` lies within the from/to years."""
        if not value.isdigit():
            return not self.has_years
        year = int(value)
        return ((self.year_from is None or year >= self.year_from)
                and (self.year_to is None or year <= self.year_to))

    def match_filters(self) -> dict[str, list[str]]:
        """The facet filters a search applies: ``filters``, with the from/to years as
        the year values they allow (those among the years chosen as facet values, if
        any were chosen)."""
        filters = {k: list(v) for k, v in self.filters.items() if v}
        if not self.has_years:
            return filters
        if "year" in filters:
            years = [v for v in filters["year"] if self.in_years(v)]
        else:
            years = [str(y) for y in range(self.year_from or YEAR_MIN,
                                           (self.year_to or YEAR_MAX) + 1)]
        filters["year"] = years or [NO_YEAR]
        return filters


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False
    label: str = ""


@dataclass
class Hit:
    document: Document
    score: float
    snippet: str = ""                 # HTML: escaped text with <mark> around matches
    page_number: int | None = None    # 1-based PDF page of the best match
    pinned: bool = False              # a curator's best bet for this query


@dataclass
class ResultPage:
    query: Query
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None     # "did you mean"
    notices: list[str] = field(default_factory=list)   # e.g. how a malformed query was read
    elapsed_ms: float = 0.0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.page_size))
