"""/overview: what the index holds and where it is thin, as heat tables with CSV, and
the same tables at /api/overview (``searchhub.overview`` counts them)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from indexer.enrich.taxonomy import load_taxonomy
from searchhub.errors import NotFound
from searchhub.notice import notice
from searchhub.overview import GAP_AT_MOST, Overview, overview

from . import services
from .curate import current_view

bp = Blueprint("overview", __name__)
#: Shades of a heat table: a cell's share of the table's largest count, in steps.
SHADES = 5


def current_overview() -> Overview:
    svc = services()
    return overview(svc.engine, current_view(), load_taxonomy(svc.settings.taxonomy_dir))


def shade(count: int, peak: int) -> int:
    """0 for an empty cell, else 1..SHADES by its share of ``peak``."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, min(SHADES, -(-count * SHADES // peak)))


@bp.route("/overview")
def page():
    return render_template("overview.html", o=current_overview(), shade=shade,
                           gap_at_most=GAP_AT_MOST)


@bp.route("/overview/<name>.csv")
def table_csv(name: str):
    table = current_overview().tables.get(name)
    if table is None:
        raise NotFound(notice("There is no table %(table)s in the overview.",
                              table=repr(name)))
    return Response(table.to_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@bp.route("/api/overview")
def api():
    return jsonify(current_overview().to_dict())
