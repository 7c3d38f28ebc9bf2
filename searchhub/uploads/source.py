"""The implicit source of approved uploads, added to every full indexing run
(``searchhub index``, ``--rebuild``) and run alone when an upload is approved or
withdrawn (``searchhub index --source uploads``): the indexer gets the approved
uploads as plain data (``indexer.discover.uploads``), never the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from indexer.discover.base import Source
from searchhub import visibility

from . import store
from .intake import indexed_path

SOURCE_ID = store.SOURCE_ID


def uploads_folder(data_dir: Path) -> Path:
    """Where uploaded files are kept: ``<data>/uploads``."""
    return Path(data_dir) / "uploads"


def record_of(upload: store.Upload) -> dict:
    """The confirmed metadata as an item's record (what wins over extraction)."""
    meta = upload.metadata
    record = {key: meta[key] for key in ("title", "agency", "regions", "countries", "themes",
                                         "gcm_objectives", "language", "type", "date")
              if meta.get(key)}
    if meta.get("summary"):
        record["description"] = meta["summary"]
    record["visibility"] = visibility.parse(meta.get("visibility") or "public") \
        if not isinstance(meta.get("visibility"), list) else list(meta["visibility"])
    return record


def uploads_source(conn: sqlite3.Connection, data_dir: Path) -> Source:
    """The Source of every approved upload."""
    folder = uploads_folder(data_dir)
    items = [{"doc_id": u.doc_id, "path": str(indexed_path(folder, u.sha256, u.file_type)),
              "url": u.url, "record": record_of(u)} for u in store.approved(conn)]
    return Source(SOURCE_ID, "Members' uploads", "UN Network on Migration", "uploads",
                  {"items": items}, {"platform": SOURCE_ID, "visibility": []},
                  folder)
