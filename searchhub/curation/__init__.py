"""Curation: flags on documents, the decisions curators take about them, and the audit log.

Everything lives in the curation database (``searchhub.database``), keyed by the
documents' stable ids, outside the index: decisions are applied at query time (a
``CurationView``) and at indexing time (``apply_corrections``), and survive any
rebuild of the index.
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
