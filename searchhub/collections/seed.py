"""Seeded collections from a TOML file (``corpus/collections.toml`` next to the source
registry): each collection missing from the curation database is created, and each
listed document it lacks is added at the end, in order, as the user ``seed``. What
curators changed since is kept: seeding adds, it never removes or reorders."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

from searchhub.errors import ConfigError

from . import store

SEED_USER = "seed"


def read_seed(path: Path) -> list[dict]:
    """The [[collection]] tables of ``path`` ([] when there is no such file); raises
    ConfigError listing every problem."""
    if not Path(path).is_file():
        return []
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    problems = []
    collections = data.get("collection", [])
    for n, entry in enumerate(collections, start=1):
        where = f"{path}: collection #{n}"
        for key in ("slug", "title"):
            if not isinstance(entry.get(key), str) or not entry.get(key):
                problems.append(f"{where}: missing {key}")
        for m, item in enumerate(entry.get("item", []), start=1):
            if not isinstance(item.get("doc"), str) or not item.get("doc"):
                problems.append(f"{where}: item #{m}: missing doc (a document id)")
    if problems:
        raise ConfigError(problems)
    return collections


def seed(conn: sqlite3.Connection, path: Path, known: set[str] | None = None) -> dict:
    """Apply the seed file; ``known`` (document ids in the index) skips documents the
    index lacks. Returns {"created": [slugs], "added": n, "missing": [ids]}."""
    report = {"created": [], "added": 0, "missing": []}
    for entry in read_seed(path):
        collection = store.get(conn, entry["slug"])
        if collection is None:
            collection = store.create(conn, SEED_USER, entry["title"],
                                      entry.get("description", ""), entry["slug"])
            report["created"].append(collection.slug)
        present = {item.doc_id for item in collection.items}
        for item in entry.get("item", []):
            if item["doc"] in present:
                continue
            if known is not None and item["doc"] not in known:
                report["missing"].append(item["doc"])
                continue
            store.add(conn, SEED_USER, collection.slug, item["doc"], item.get("note", ""))
            report["added"] += 1
    return report
