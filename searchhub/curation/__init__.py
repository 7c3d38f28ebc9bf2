"""Curation: flags on documents, the decisions curators take about them, and the audit log.

Everything lives in the curation database (``searchhub.database``), keyed by the
documents' stable ids, outside the index, and only ``store`` holds the SQL of its
tables. Decisions are applied at query time (a ``CurationView``, which also shows
corrections at once) and written into the documents by the indexer process, which gets
them as data (``handoff.CurationInput``, loaded and written back by ``runs``); they
survive any rebuild of the index. The web app never writes the index.
"""

from .store import (
    ACTIONS,
    AUTOMATIC_REASONS,
    FLAG_REASONS,
    ORIGINS,
    PUBLIC_REASONS,
    CurationError,
)

__all__ = ["ACTIONS", "AUTOMATIC_REASONS", "FLAG_REASONS", "ORIGINS", "PUBLIC_REASONS",
           "CurationError"]
