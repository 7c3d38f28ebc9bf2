"""The partner platforms: /platforms (the directory), /platforms/<id>, the
interlinkage graph /platforms/links (SVG, table, CSV), and the same as JSON at
/api/platforms, /api/platforms/<id> and /api/platforms/links."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from indexer.state import CrawlState, crawl_db_path
from searchhub.errors import ConfigError, NotFound
from searchhub.notice import notice
from searchhub.platforms import links, registry_for
from searchhub.platforms.directory import FILTERS, Summary, summarise, summary_to_dict
from searchhub.platforms.registry import SCOPES
from searchhub.search import document_to_dict
from searchhub.visibility import visible

from . import services
from .curate import current_view, is_curator
from .viewer import current_viewer

bp = Blueprint("platforms", __name__)
NEWEST = 10


@bp.app_template_global("platform_name")
def platform_name(platform_id: str) -> str:
    """The name of platform ``platform_id`` ("" when the registry does not know it or
    cannot be read), for document pages."""
    try:
        found = registry_for(services().settings).get(platform_id)
    except ConfigError:
        return ""
    return found.name if found else ""


def _registry():
    """The platform registry as the request's viewer may know it."""
    return registry_for(services().settings).seen_by(current_viewer())


def source_health() -> dict[str, dict]:
    """``CrawlState.source_health()``, or {} before the indexer has ever run."""
    path = crawl_db_path(services().settings.data_dir)
    if not path.exists():
        return {}
    with CrawlState(path) as state:
        return state.source_health()


def _summaries(only: str | None = None, newest: int = 0) -> list[Summary]:
    svc = services()
    registry = _registry()
    if only is not None and registry.get(only) is None:
        raise NotFound(notice("There is no platform %(platform)s; the directory at "
                              "/platforms lists them all.", platform=repr(only)))
    return summarise(svc.engine, registry, source_health(), current_view(), newest=newest,
                     only=only)


def _filters() -> dict[str, str]:
    return {name: request.args.get(name, "").strip()[:200] for name in FILTERS
            if request.args.get(name, "").strip()}


def _with_search(entry: dict, summary: Summary) -> dict:
    if not summary.platform.mapped_only:
        entry["search_url"] = url_for("search.search", platform=summary.platform.id,
                                      _external=False)
    entry["url"] = url_for("platforms.platform", platform_id=summary.platform.id)
    return entry


@bp.route("/platforms")
def directory():
    summaries = _summaries()
    filters = _filters()
    shown = [s for s in summaries if s.matches(filters)]
    options = {
        "agency": sorted({s.platform.agency for s in summaries}),
        "scope": list(SCOPES),
        "region": sorted({v for s in summaries for v in
                          [*s.platform.regions, *(fv.value for fv in s.regions)]}),
        "theme": sorted({v for s in summaries for v in
                         [*s.platform.themes, *(fv.value for fv in s.themes)]}),
        "language": sorted({v for s in summaries for v in
                            [*s.platform.languages, *(fv.value for fv in s.by_language)]}),
    }
    # For curators: the hosts most linked to that no platform of the registry maps.
    unknown = _graph().unknown.most_common(UNKNOWN_HOSTS) if is_curator() else []
    return render_template("platforms/directory.html", summaries=shown, total=len(summaries),
                           filters=filters, options=options, unknown=unknown,
                           labels={"agency": "Agency", "scope": "Scope", "region": "Region",
                                   "theme": "Theme", "language": "Language"})


@bp.route("/platforms/<platform_id>")
def platform(platform_id: str):
    summary = _summaries(only=platform_id, newest=NEWEST)[0]
    registry = _registry()
    sources = [registry.sources[s] for s in summary.platform.sources if s in registry.sources]
    found = _graph(registry)
    outgoing, incoming = found.of(platform_id)
    return render_template("platforms/platform.html", s=summary, sources=sources,
                           outgoing=outgoing, incoming=incoming, name=registry.name,
                           shared=_shared(found, platform_id))


#: Shared reports listed on a platform's page and in its JSON.
SHARED_LISTED = 20


def _shared(found: links.Graph, platform_id: str) -> list[dict]:
    """The reports ``platform_id`` shares with other platforms (at most SHARED_LISTED),
    as curators corrected them: {"document", "with"} each."""
    engine, view = services().engine, current_view()
    out = []
    for doc_id, other in found.shared_by(platform_id)[:SHARED_LISTED]:
        doc = visible(engine.get(doc_id), view.viewer)
        if doc is not None:
            out.append({"document": view.correct(doc), "with": other})
    return out


def _graph(registry=None) -> links.Graph:
    svc = services()
    return links.build(svc.engine, registry or _registry(), current_view(),
                       since=_places_changed())


def _places_changed() -> int | None:
    """The id of the newest run that merged or removed documents' places (which change
    the shared reports without changing any content hash), or None."""
    path = crawl_db_path(services().settings.data_dir)
    if not path.exists():
        return None
    with CrawlState(path) as state:
        for run in state.runs(20):
            if run["totals"].get("merged") or run["totals"].get("removed"):
                return run["id"]
    return None


#: The most linked hosts that belong to no mapped platform, shown to curators.
UNKNOWN_HOSTS = 20


@bp.route("/platforms/links")
def graph():
    registry = _registry()
    found = _graph(registry)
    return render_template("platforms/links.html", rows=found.rows(), name=registry.name,
                           known=registry.by_id, drawing=links.layout(found, registry),
                           unknown=found.unknown.most_common(UNKNOWN_HOSTS))


@bp.route("/platforms/links.csv")
def graph_csv():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["from", "to", "links", "shared"])
    for row in _graph().rows():
        writer.writerow([row["from"], row["to"], row["links"], row["shared"]])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="links.csv"'})


@bp.route("/api/platforms/links")
def api_graph():
    registry = _registry()
    found = _graph(registry)
    return jsonify({"links": found.rows(),
                    "platforms": [{"id": p.id, "name": p.name, "agency": p.agency,
                                   "documents": found.documents[p.id]}
                                  for p in registry.platforms],
                    "unknown_hosts": [{"host": h, "links": n}
                                      for h, n in found.unknown.most_common()]})


@bp.route("/api/platforms")
def api_directory():
    filters = _filters()
    return jsonify([_with_search(summary_to_dict(s), s) for s in _summaries()
                    if s.matches(filters)])


@bp.route("/api/platforms/<platform_id>")
def api_platform(platform_id: str):
    summary = _summaries(only=platform_id, newest=NEWEST)[0]
    entry = _with_search(summary_to_dict(summary), summary)
    entry["newest"] = [{k: v for k, v in document_to_dict(doc).items()
                        if k in ("id", "title", "url", "date", "type", "language")}
                       for doc in summary.newest]
    found = _graph()
    entry["links_to"], entry["linked_from"] = found.of(platform_id)
    entry["shared_reports"] = [{"id": s["document"].id, "title": s["document"].title,
                                "with": s["with"]} for s in _shared(found, platform_id)]
    return jsonify(entry)
