"""Uploads: the documents members uploaded and reviewers approved (``searchhub.uploads``).

Not a kind of the registry's ``[[source]]`` tables: one implicit source of this kind
is added to every full run (``searchhub.uploads.source``), so no crawl removes an
uploaded document and ``--rebuild`` brings it back. The indexer never opens the
curation database: the caller hands the approved uploads over as plain data in the
source's ``items`` option (doc id, the kept file, its link, the confirmed metadata as
the item's record, which wins over what extraction and enrichment find). A document
no longer listed (withdrawn) leaves the index at once, as a local file does.
"""

from __future__ import annotations

from collections.abc import Iterator

from indexer.discover.base import Item, Kind, Source


def discover(source: Source, ctx=None) -> Iterator[Item]:
    for entry in source.options.get("items", []):
        yield Item(source.id, entry["doc_id"], entry["path"], entry.get("url", ""),
                   record=dict(entry.get("record") or {}))


def _validate(where: str, entry: dict) -> list[str]:
    return [f"{where}: uploads are not declared in the registry; approved uploads are "
            "indexed on their own"]


KIND = Kind("uploads", discover, required=(), optional=("items",), validate=_validate)
