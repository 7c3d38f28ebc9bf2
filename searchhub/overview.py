"""The overview of the content: what the index holds and where it is thin.

Every count is a facet count of the search service (``searching.facet_counts``) under
the same curation view as a search, so each cell equals what the search page's facet
shows for the search the cell links to, and hidden documents are not counted.
Cross tables ask one facet count per row (the row's value as a filter).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from searchhub.engine.base import CurationView, SearchEngine
from searchhub.models import Query
from searchhub.searching import facet_counts, search
from searchhub.text import facet_key

#: Cells of the region × theme and theme × GCM objective tables holding at most this
#: many documents are knowledge gaps.
GAP_AT_MOST = 1
#: How many of the thinnest cells the gap list shows.
THINNEST = 15


@dataclass
class Table:
    """A table of counts: ``rows`` × ``columns`` of one facet each (``row_facet``,
    ``column_facet``); a one-facet table has ``row_facet`` "" and one row, ``[""]``."""

    name: str
    title: str
    row_facet: str
    column_facet: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)     # value -> what people read
    gaps: bool = False            # whether thin cells are knowledge gaps

    def filters(self, row: str, column: str) -> dict[str, str]:
        """The search parameters of one cell."""
        out = {self.column_facet: column}
        if self.row_facet:
            out[self.row_facet] = row
        return out

    def peak(self) -> int:
        return max((n for row in self.cells for n in row), default=0)

    def to_dict(self) -> dict:
        return {"title": self.title, "row_facet": self.row_facet or None,
                "column_facet": self.column_facet, "rows": self.rows,
                "columns": self.columns, "cells": self.cells}

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        if self.row_facet:
            writer.writerow([f"{self.row_facet} \\ {self.column_facet}", *self.columns])
            for row, cells in zip(self.rows, self.cells, strict=True):
                writer.writerow([row, *cells])
        else:
            writer.writerow([self.column_facet, "documents"])
            for column, n in zip(self.columns, self.cells[0], strict=True):
                writer.writerow([column, n])
        return out.getvalue()


@dataclass
class Overview:
    total: int
    tables: dict[str, Table]

    def gaps(self, limit: int = THINNEST) -> list[dict]:
        """The thinnest cells of the gap tables, fewest documents first."""
        found = []
        for table in self.tables.values():
            if not table.gaps:
                continue
            for row, cells in zip(table.rows, table.cells, strict=True):
                for column, n in zip(table.columns, cells, strict=True):
                    if n <= GAP_AT_MOST:
                        found.append({"table": table.name, table.row_facet: row,
                                      table.column_facet: column, "documents": n})
        found.sort(key=lambda g: (g["documents"], g["table"]))
        return found[:limit]

    def to_dict(self) -> dict:
        return {"documents": self.total,
                "tables": {name: t.to_dict() for name, t in self.tables.items()},
                "gaps": self.gaps(), "gap_at_most": GAP_AT_MOST}


def _counts(engine, curation, name: str, filters: dict[str, list[str]]) -> dict[str, int]:
    counted = facet_counts(engine, Query(filters=filters), name, curation)
    return {facet_key(value): count for value, count in counted}


def _cross(engine, curation, name, title, row_facet, column_facet, rows, columns,
           *, gaps=False, labels=None) -> Table:
    table = Table(name, title, row_facet, column_facet, list(rows), list(columns),
                  labels=labels or {}, gaps=gaps)
    for row in table.rows:
        counts = _counts(engine, curation, column_facet, {row_facet: [row]})
        table.cells.append([counts.get(facet_key(c), 0) for c in table.columns])
    return table


def _single(engine, curation, name, title, facet, *, order=None) -> Table:
    counted = facet_counts(engine, Query(), facet, curation)
    if order == "value":
        counted = sorted(counted, key=lambda vc: vc[0])
    else:
        counted = sorted(counted, key=lambda vc: (-vc[1], vc[0]))
    return Table(name, title, "", facet, [""], [v for v, _ in counted],
                 [[n for _, n in counted]])


def overview(engine: SearchEngine, curation: CurationView | None, taxonomy) -> Overview:
    """The overview's tables. ``taxonomy`` (``indexer.enrich.taxonomy.Taxonomy``) gives
    the rows and columns that may be empty: every theme, region and GCM objective."""
    curation = curation or CurationView()
    themes = [t.label for t in taxonomy.themes]
    regions = [r.label for r in taxonomy.regions]
    objectives = [str(o.number) for o in taxonomy.objectives]
    gcm_labels = {str(o.number): f"{o.number}. {o.short or o.title}"
                  for o in taxonomy.objectives}
    agencies = sorted(v for v, _ in facet_counts(engine, Query(), "agency", curation))
    tables = [
        _cross(engine, curation, "agency-theme", "Documents by agency and theme", "agency",
               "theme", agencies, themes),
        _cross(engine, curation, "region-theme", "Documents by region and theme", "region",
               "theme", regions, themes, gaps=True),
        _cross(engine, curation, "theme-gcm", "Documents by theme and GCM objective",
               "theme", "gcm", themes, objectives, gaps=True, labels=gcm_labels),
        _single(engine, curation, "year", "Documents by year", "year", order="value"),
        _single(engine, curation, "language", "Documents by language", "language"),
        _single(engine, curation, "type", "Documents by type", "type"),
    ]
    total = search(engine, Query(page_size=1), curation).total
    return Overview(total, {t.name: t for t in tables})
