"""What each partner platform holds and how it fares: its documents by type and
language, its top themes and regions, its newest documents (all counted through the
search service, so they honour curation as search does), and its health from the run
log of the crawl state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from searchhub.engine.base import CurationView, SearchEngine
from searchhub.models import Document, FacetValue, Query
from searchhub.searching import search
from searchhub.text import facet_key

from .registry import Platform, Registry

#: The health of a platform, from its sources' last runs.
HEALTH = ("ok", "degraded", "failing", "never run")
TOP = 5
#: The directory's filters: name -> what a platform is matched on.
FILTERS = ("agency", "scope", "region", "theme", "language")


@dataclass
class Summary:
    """One platform with what the index and the run log say about it."""

    platform: Platform
    documents: int = 0
    by_type: list[FacetValue] = field(default_factory=list)
    by_language: list[FacetValue] = field(default_factory=list)
    themes: list[FacetValue] = field(default_factory=list)
    regions: list[FacetValue] = field(default_factory=list)
    newest: list[Document] = field(default_factory=list)
    health: str = "never run"
    last_run: dict | None = None

    def matches(self, filters: dict[str, str]) -> bool:
        """Whether it passes the directory's ``filters`` (name -> one value): a region,
        theme or language counts when declared or held by its documents."""
        p = self.platform
        held = {
            "agency": [p.agency], "scope": [p.scope],
            "region": [*p.regions, *(fv.value for fv in self.regions)],
            "theme": [*p.themes, *(fv.value for fv in self.themes)],
            "language": [*p.languages, *(fv.value for fv in self.by_language)],
        }
        return all(facet_key(value) in {facet_key(v) for v in held[name]}
                   for name, value in filters.items() if value)


def summarise(engine: SearchEngine, registry: Registry, health: dict[str, dict],
              curation: CurationView | None = None, *, newest: int = 0,
              only: str | None = None) -> list[Summary]:
    """A ``Summary`` of each platform (or of ``only``), in the registry's order.
    ``health`` is ``CrawlState.source_health()`` ({} before any run); ``newest`` how
    many of its newest documents to keep. One search per indexed platform."""
    out = []
    for platform in registry.platforms:
        if only is not None and platform.id != only:
            continue
        summary = Summary(platform)
        if not platform.mapped_only:
            result = search(engine, Query(filters={"platform": [platform.id]}, sort="newest",
                                          page_size=max(newest, 1)), curation)
            summary.documents = result.total
            summary.by_type = result.facets.get("type", [])
            summary.by_language = result.facets.get("language", [])
            summary.themes = result.facets.get("theme", [])[:TOP]
            summary.regions = result.facets.get("region", [])[:TOP]
            summary.newest = [hit.document for hit in result.hits][:newest]
            summary.health, summary.last_run = platform_health(platform, health)
        out.append(summary)
    return out


def platform_health(platform: Platform, health: dict[str, dict]) -> tuple[str, dict | None]:
    """(one of HEALTH, the newest last run of its sources or None). Failing: a source's
    last run ended in an error, or failed everything it tried; degraded: some documents
    or URLs failed; never run: no source of it has run."""
    runs = [health[s]["last_run"] for s in platform.sources
            if health.get(s, {}).get("last_run")]
    if not runs:
        return "never run", None
    last = max(runs, key=lambda run: run["run_id"])
    worked = ("added", "updated", "unchanged", "merged")
    if any(run.get("error") or (run.get("failed") and not any(run.get(k) for k in worked))
           for run in runs):
        return "failing", last
    if any(run.get("failed") for run in runs) or any(
            health.get(s, {}).get("failing") for s in platform.sources):
        return "degraded", last
    return "ok", last


def summary_to_dict(summary: Summary) -> dict:
    """A ``Summary`` as the API gives it."""
    p = summary.platform
    last = summary.last_run

    def values(fvs):
        return [{"value": fv.value, "count": fv.count} for fv in fvs]
    return {
        "id": p.id, "name": p.name, "agency": p.agency, "home": p.home,
        "prefixes": list(p.prefixes), "description": p.description, "scope": p.scope,
        "regions": list(p.regions), "themes": list(p.themes), "languages": list(p.languages),
        "sources": list(p.sources), "mapped_only": p.mapped_only,
        "documents": summary.documents, "by_type": values(summary.by_type),
        "by_language": values(summary.by_language), "top_themes": values(summary.themes),
        "top_regions": values(summary.regions), "health": summary.health,
        "last_run": None if last is None else {
            "run": last["run_id"], "started": last.get("started"),
            "finished": last.get("finished"), "error": last.get("error", ""),
            "counts": {k: last.get(k, 0) for k in ("added", "updated", "unchanged",
                                                     "merged", "removed", "failed")}},
    }
