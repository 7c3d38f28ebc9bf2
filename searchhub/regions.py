"""A region of the taxonomy in brief: what its documents are about (themes, GCM
objectives, agencies, years), its newest documents and its regional platforms. The
counts come from the search service under the visitor's curation view, as on the
search page filtered by the region."""

from __future__ import annotations

from dataclasses import dataclass, field

from searchhub.engine.base import CurationView, SearchEngine
from searchhub.models import Document, FacetValue, Query
from searchhub.searching import search

TOP = 8
NEWEST = 10


@dataclass
class RegionSummary:
    slug: str
    label: str
    documents: int = 0
    themes: list[FacetValue] = field(default_factory=list)
    objectives: list[FacetValue] = field(default_factory=list)
    agencies: list[FacetValue] = field(default_factory=list)
    years: list[FacetValue] = field(default_factory=list)       # oldest first
    newest: list[Document] = field(default_factory=list)
    platforms: list = field(default_factory=list)               # registry.Platform

    def to_dict(self) -> dict:
        def values(fvs):
            return [{"value": fv.value, "count": fv.count} for fv in fvs]
        return {"slug": self.slug, "label": self.label, "documents": self.documents,
                "top_themes": values(self.themes), "top_gcm_objectives": values(self.objectives),
                "top_agencies": values(self.agencies), "years": values(self.years),
                "newest": [{"id": d.id, "title": d.title, "agency": d.agency,
                            "date": d.date.isoformat() if d.date else None}
                           for d in self.newest],
                "platforms": [{"id": p.id, "name": p.name, "agency": p.agency}
                              for p in self.platforms]}


def summarise_region(engine: SearchEngine, curation: CurationView | None, region,
                     platforms=()) -> RegionSummary:
    """``region`` is a taxonomy ``Region``; ``platforms`` the registry's platforms, of
    which those with a regional scope naming it are kept."""
    result = search(engine, Query(filters={"region": [region.label]}, sort="newest",
                                  page_size=NEWEST), curation)
    facets = result.facets
    return RegionSummary(
        region.id, region.label, result.total,
        themes=facets.get("theme", [])[:TOP],
        objectives=facets.get("gcm", [])[:TOP],
        agencies=facets.get("agency", [])[:TOP],
        years=sorted(facets.get("year", []), key=lambda fv: fv.value),
        newest=[hit.document for hit in result.hits],
        platforms=[p for p in platforms if p.scope == "regional" and region.label in p.regions])


def year_bars(years: list[FacetValue], width: int = 640, height: int = 160) -> dict:
    """The geometry of a year histogram as plain numbers for an SVG template: a bar
    per year from the first to the last (years without documents included)."""
    if not years:
        return {"bars": [], "width": width, "height": height}
    counts = {int(fv.value): fv.count for fv in years if fv.value.isdigit()}
    if not counts:
        return {"bars": [], "width": width, "height": height}
    first, last = min(counts), max(counts)
    span = last - first + 1
    peak = max(counts.values())
    step = width / span
    plot = height - 30
    bars = []
    for n, year in enumerate(range(first, last + 1)):
        count = counts.get(year, 0)
        h = round(plot * count / peak, 1)
        bars.append({"year": year, "count": count, "x": round(n * step + 1, 1),
                     "y": round(plot - h + 10, 1), "w": round(max(step - 2, 1), 1), "h": h,
                     "label": span <= 12 or n % max(1, span // 8) == 0 or year == last})
    return {"bars": bars, "width": width, "height": height}
