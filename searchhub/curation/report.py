"""The quality report: flags and actions per source and agency over time, and which
sources produce poor content (the share of their documents with open automatic flags)."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections import Counter, defaultdict

from searchhub.engine import Engine

from . import store

ACTIVITY_COLUMNS = ("month", "source", "agency", "curator_flags", "public_flags",
                    "automatic_flags", "actions")
QUALITY_COLUMNS = ("source", "documents", "with_open_automatic_flags", "share")


def activity(conn: sqlite3.Connection) -> list[dict]:
    """One row per month, source and agency: flags by origin, and curators' actions."""
    rows: dict[tuple, Counter] = defaultdict(Counter)
    where = {}
    for f in store.all_flags(conn):
        key = (f["created_at"][:7], f["source_id"], f["agency"])
        rows[key][f"{f['origin']}_flags"] += 1
        where[f["doc_id"]] = (f["source_id"], f["agency"])
    for a in store.actions_taken(conn):
        source, agency = where.get(a["doc_id"], ("", ""))
        rows[(a["at"][:7], source, agency)]["actions"] += 1
    out = []
    for (month, source, agency), counts in sorted(rows.items(), reverse=True):
        out.append({"month": month, "source": source, "agency": agency,
                    **{c: counts[c] for c in ACTIVITY_COLUMNS[3:]}})
    return out


def quality(conn: sqlite3.Connection, engine: Engine, source_ids) -> list[dict]:
    """Per source: documents indexed, how many have open automatic flags, and the share."""
    flagged = defaultdict(set)
    for f in store.open_automatic_flags(conn):
        flagged[f["source_id"]].add(f["doc_id"])
    out = []
    for source in sorted(set(source_ids) | set(flagged)):
        docs = set(engine.known(source))
        bad = len(flagged[source] & docs)
        out.append({"source": source, "documents": len(docs),
                    "with_open_automatic_flags": bad,
                    "share": round(bad / len(docs), 3) if docs else 0.0})
    return sorted(out, key=lambda r: (-r["share"], r["source"]))


def to_csv(rows: list[dict], columns) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
