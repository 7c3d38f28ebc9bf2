"""The SQL of collections: curated, ordered lists of documents, each with a note.

Collections live in the curation database (migration 5 of ``searchhub.database``),
keyed by the documents' stable ids, so they survive any rebuild of the index. Every
change is written to the curation audit log and moves the decisions' generation, so
that searches filtering by a collection see it at once (``curation.apply``).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from searchhub.curation.store import CurationError, _audit, _bump, now_iso, transaction
from searchhub.notice import notice

MAX_TITLE = 300
MAX_TEXT = 4000
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass
class Item:
    doc_id: str
    position: int
    note: str = ""


@dataclass
class Collection:
    id: int
    slug: str
    title: str
    description: str = ""
    items: list[Item] = field(default_factory=list)


def slugify(title: str) -> str:
    """A slug from a title: lowercase words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:80].strip("-") or "collection"


def _row(row: sqlite3.Row) -> Collection:
    return Collection(row["id"], row["slug"], row["title"], row["description"])


def all_collections(conn: sqlite3.Connection) -> list[Collection]:
    """Every collection, by title, with its items in order."""
    found = [_row(r) for r in conn.execute("SELECT * FROM collections ORDER BY title")]
    items = _items(conn)
    for c in found:
        c.items = items.get(c.id, [])
    return found


def get(conn: sqlite3.Connection, slug: str) -> Collection | None:
    row = conn.execute("SELECT * FROM collections WHERE slug = ?", (slug,)).fetchone()
    if row is None:
        return None
    collection = _row(row)
    collection.items = _items(conn, collection.id).get(collection.id, [])
    return collection


def _items(conn: sqlite3.Connection, collection_id: int | None = None) -> dict[int, list[Item]]:
    sql = "SELECT * FROM collection_items"
    args: tuple = ()
    if collection_id is not None:
        sql += " WHERE collection_id = ?"
        args = (collection_id,)
    out: dict[int, list[Item]] = {}
    for r in conn.execute(sql + " ORDER BY collection_id, position", args):
        out.setdefault(r["collection_id"], []).append(Item(r["doc_id"], r["position"], r["note"]))
    return out


def memberships(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Document id -> the slugs of the collections holding it."""
    out: dict[str, list[str]] = {}
    for r in conn.execute("SELECT i.doc_id, c.slug FROM collection_items i JOIN collections c "
                          "ON c.id = i.collection_id ORDER BY c.slug"):
        out.setdefault(r["doc_id"], []).append(r["slug"])
    return out


def _check(title: str, description: str, slug: str) -> None:
    if not title.strip():
        raise CurationError(notice("a collection needs a title"))
    if not _SLUG.match(slug):
        raise CurationError(notice("a slug is lowercase letters, digits and hyphens, such "
                                   "as core-documents"))
    if len(title) > MAX_TITLE or len(description) > MAX_TEXT:
        raise CurationError(notice("a title has at most %(title)s characters and a "
                                   "description at most %(text)s", title=str(MAX_TITLE),
                                   text=str(MAX_TEXT)))


def create(conn: sqlite3.Connection, user: str, title: str, description: str = "",
           slug: str = "") -> Collection:
    """A new collection; raises CurationError if the slug is taken or a value is wrong."""
    title, description = title.strip(), description.strip()
    slug = slug.strip() or slugify(title)
    _check(title, description, slug)
    with transaction(conn):
        if conn.execute("SELECT 1 FROM collections WHERE slug = ?", (slug,)).fetchone():
            raise CurationError(notice("there is already a collection %(slug)s", slug=repr(slug)))
        now = now_iso()
        new_id = conn.execute(
            "INSERT INTO collections (slug, title, description, created_at, created_by, "
            "updated_at) VALUES (?,?,?,?,?,?)",
            (slug, title, description, now, user, now)).lastrowid
        _bump(conn)
        _audit(conn, user, "collection-create", "", {"collection": slug, "title": title,
                                                     "description": description})
    return Collection(new_id, slug, title, description)


def edit(conn: sqlite3.Connection, user: str, slug: str, title: str, description: str) -> None:
    title, description = title.strip(), description.strip()
    _check(title, description, slug)
    with transaction(conn):
        before = _require(conn, slug)
        conn.execute("UPDATE collections SET title = ?, description = ?, updated_at = ? "
                     "WHERE id = ?", (title, description, now_iso(), before.id))
        _audit(conn, user, "collection-edit", "", {
            "collection": slug, "title": title, "description": description,
            "before": {"title": before.title, "description": before.description}})


def add(conn: sqlite3.Connection, user: str, slug: str, doc_id: str, note: str = "") -> None:
    """Add ``doc_id`` at the end of the collection (a document already in it stays)."""
    note = note.strip()[:MAX_TEXT]
    with transaction(conn):
        collection = _require(conn, slug)
        if conn.execute("SELECT 1 FROM collection_items WHERE collection_id = ? AND doc_id = ?",
                        (collection.id, doc_id)).fetchone():
            raise CurationError(notice("the document is in this collection already"))
        last = conn.execute("SELECT coalesce(max(position), 0) FROM collection_items "
                            "WHERE collection_id = ?", (collection.id,)).fetchone()[0]
        conn.execute("INSERT INTO collection_items (collection_id, doc_id, position, note, "
                     "added_at, added_by) VALUES (?,?,?,?,?,?)",
                     (collection.id, doc_id, last + 1, note, now_iso(), user))
        _touch(conn, collection.id)
        _audit(conn, user, "collection-add", doc_id, {"collection": slug, "note": note})


def annotate(conn: sqlite3.Connection, user: str, slug: str, doc_id: str, note: str) -> None:
    note = note.strip()[:MAX_TEXT]
    with transaction(conn):
        collection = _require(conn, slug)
        before = _item(conn, collection.id, doc_id)
        conn.execute("UPDATE collection_items SET note = ? WHERE collection_id = ? AND "
                     "doc_id = ?", (note, collection.id, doc_id))
        _touch(conn, collection.id)
        _audit(conn, user, "collection-note", doc_id,
               {"collection": slug, "note": note, "before": before["note"]})


def remove(conn: sqlite3.Connection, user: str, slug: str, doc_id: str) -> None:
    with transaction(conn):
        collection = _require(conn, slug)
        before = _item(conn, collection.id, doc_id)
        conn.execute("DELETE FROM collection_items WHERE collection_id = ? AND doc_id = ?",
                     (collection.id, doc_id))
        _touch(conn, collection.id)
        _audit(conn, user, "collection-remove", doc_id,
               {"collection": slug, "note": before["note"], "position": before["position"]})


def move(conn: sqlite3.Connection, user: str, slug: str, doc_id: str, offset: int) -> None:
    """Move ``doc_id`` ``offset`` places (negative: up), within the collection."""
    with transaction(conn):
        collection = _require(conn, slug)
        _item(conn, collection.id, doc_id)
        order = [r["doc_id"] for r in conn.execute(
            "SELECT doc_id FROM collection_items WHERE collection_id = ? ORDER BY position",
            (collection.id,))]
        old = order.index(doc_id)
        new = max(0, min(len(order) - 1, old + offset))
        if new == old:
            return
        order.insert(new, order.pop(old))
        conn.executemany("UPDATE collection_items SET position = ? WHERE collection_id = ? "
                         "AND doc_id = ?", [(n + 1, collection.id, d)
                                            for n, d in enumerate(order)])
        _touch(conn, collection.id)
        _audit(conn, user, "collection-move", doc_id,
               {"collection": slug, "from": old + 1, "to": new + 1})


def _require(conn: sqlite3.Connection, slug: str) -> Collection:
    row = conn.execute("SELECT * FROM collections WHERE slug = ?", (slug,)).fetchone()
    if row is None:
        raise CurationError(notice("there is no collection %(slug)s", slug=repr(slug)))
    return _row(row)


def _item(conn: sqlite3.Connection, collection_id: int, doc_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM collection_items WHERE collection_id = ? AND doc_id = ?",
                       (collection_id, doc_id)).fetchone()
    if row is None:
        raise CurationError(notice("the document is not in this collection"))
    return row


def _touch(conn: sqlite3.Connection, collection_id: int) -> None:
    conn.execute("UPDATE collections SET updated_at = ? WHERE id = ?", (now_iso(), collection_id))
    _bump(conn)
