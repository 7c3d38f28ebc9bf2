"""Collections: curated, ordered lists of documents with a title, slug, description
and a note per document (``store``), shown at /collections and usable as the
``collection`` filter of search; seeded with the core documents (``seed``)."""

from __future__ import annotations

from pathlib import Path


def membership_view(curation_db: Path):
    """A ``CurationView`` holding only the collections' memberships (the ``collection``
    facet's values), for searches made outside the web app, such as ``searchhub
    search --collection``; an empty one when there is no curation database yet."""
    from searchhub import database
    from searchhub.engine.base import CurationView

    from .store import memberships

    view = CurationView()
    if Path(curation_db).exists():
        conn = database.connect(curation_db)
        try:
            view.facet_values = {doc_id: {"collection": slugs}
                                 for doc_id, slugs in memberships(conn).items()}
        finally:
            conn.close()
    return view
