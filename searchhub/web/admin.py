"""Operators' pages: /admin/runs (every indexing run and its failures) and
/admin/sources (each source's health). Admins only, behind the curators' login.

They read the crawl state (``<data_dir>/crawl.sqlite``) that the indexer writes; a
site whose indexer has never run shows empty pages, not an error.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from indexer.state import COUNT_KEYS, CrawlState, crawl_db_path
from searchhub.errors import ConfigError, NotFound
from searchhub.notice import notice

from . import services
from .auth import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _state() -> CrawlState | None:
    path = crawl_db_path(services().settings.data_dir)
    return CrawlState(path) if path.exists() else None


@bp.route("/runs")
@role_required("admin")
def runs():
    state = _state()
    rows = []
    if state is not None:
        with state:
            rows = state.runs(50)
    return render_template("admin/runs.html", runs=rows, keys=COUNT_KEYS)


@bp.route("/runs/<int:run_id>")
@role_required("admin")
def run(run_id: int):
    state = _state()
    if state is None:
        raise NotFound(notice("There is no run %(run)s.", run=str(run_id)))
    with state:
        found = [r for r in state.runs(10**9) if r["id"] == run_id]
        if not found:
            raise NotFound(notice("There is no run %(run)s.", run=str(run_id)))
        failures = state.run_failures(run_id)
    return render_template("admin/run.html", run=found[0], failures=failures, keys=COUNT_KEYS)


@bp.route("/sources")
@role_required("admin")
def sources():
    from indexer.sources import load_sources

    settings = services().settings
    problem = ""
    try:
        registry = load_sources(settings.sources, settings.taxonomy_dir)
    except ConfigError as exc:
        registry, problem = [], exc.message
    state = _state()
    health = {}
    if state is not None:
        with state:
            health = state.source_health()
    engine = services().engine
    rows = []
    for source in registry:
        h = health.get(source.id, {})
        rows.append({"source": source, "documents": len(engine.known(source.id)),
                     "last_run": h.get("last_run"), "urls": h.get("urls", 0),
                     "failure_rate": h.get("failure_rate"), "last_error": h.get("last_error", ""),
                     "duplicates": h.get("duplicates", 0)})
    return render_template("admin/sources.html", rows=rows, problem=problem)
