"""/regions and /regions/<slug>: each region of the taxonomy in brief, and the same
as JSON at /api/regions/<slug>."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, url_for

from indexer.enrich.taxonomy import load_taxonomy
from searchhub.errors import ConfigError, NotFound
from searchhub.models import Query
from searchhub.notice import notice
from searchhub.platforms import registry_for
from searchhub.regions import RegionSummary, summarise_region, year_bars
from searchhub.search import value_label
from searchhub.searching import facet_counts

from . import services
from .curate import current_view
from .viewer import current_viewer

bp = Blueprint("regions", __name__)


def _summary(slug: str) -> RegionSummary:
    svc = services()
    taxonomy = load_taxonomy(svc.settings.taxonomy_dir)
    region = next((r for r in taxonomy.regions if r.id == slug), None)
    if region is None:
        raise NotFound(notice("There is no region %(region)s; /regions lists them.",
                               region=repr(slug)))
    try:
        platforms = registry_for(svc.settings).seen_by(current_viewer()).platforms
    except ConfigError:
        platforms = []          # the directory says what is wrong; the region page goes on
    return summarise_region(svc.engine, current_view(), region, platforms)


@bp.app_template_filter("region_href")
def region_href(label: str) -> str:
    """The page of the region labelled ``label``, or "" when no region is."""
    taxonomy = load_taxonomy(services().settings.taxonomy_dir)
    slug = next((r.id for r in taxonomy.regions if r.label == label), None)
    return url_for("regions.region", slug=slug) if slug else ""


@bp.app_template_global("region_links")
def region_links() -> list[tuple[str, str]]:
    """(slug, label) of every region of the taxonomy, for the home page's ways in."""
    return [(r.id, r.label) for r in load_taxonomy(services().settings.taxonomy_dir).regions]


@bp.route("/regions")
def index():
    svc = services()
    taxonomy = load_taxonomy(svc.settings.taxonomy_dir)
    counts = dict(facet_counts(svc.engine, Query(), "region", current_view()))
    return render_template("regions/index.html", regions=taxonomy.regions, counts=counts)


@bp.route("/regions/<slug>")
def region(slug: str):
    summary = _summary(slug)
    taxonomy_dir = services().settings.taxonomy_dir
    for fv in summary.objectives:
        fv.label = value_label("gcm", fv.value, taxonomy_dir)
    return render_template("regions/region.html", r=summary, chart=year_bars(summary.years))


@bp.route("/api/regions/<slug>")
def api_region(slug: str):
    return jsonify(_summary(slug).to_dict())
