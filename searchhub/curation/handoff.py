"""What curation hands the indexer, and what the indexer hands back, as plain data.

The indexer never opens the curation database: the process that runs it (the CLI, the
scheduler) loads a ``CurationInput`` through ``searchhub.curation.runs`` before a run,
passes it in, and writes what the run reports (``DocSignals`` of the documents written,
the re-crawls fulfilled) back after it. Nothing here touches a database or the index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from searchhub.models import FACET_LIST, Document, field_facet_values, main_first

#: Quality signals that become automatic flags: code -> label.
AUTOMATIC_REASONS: dict[str, str] = {
    "image-only": "No text: image-only PDF",
    "no-text": "No text",
    "little-text": "Very little text",
    "garbled-text": "Bad extraction: non-letters or broken characters",
    "low-language-confidence": "Language detected with low confidence",
    "no-title": "No title",
    "no-date": "No date",
}


@dataclass(frozen=True)
class Correction:
    """A document's metadata corrections, as JSON-ready values by field name."""

    fields: Mapping[str, object] = field(default_factory=dict)     # in force now
    originals: Mapping[str, object] = field(default_factory=dict)  # before the first one

    def changes(self, restore: bool = False) -> dict[str, object]:
        """The fields to set; with ``restore``, fields whose corrections were all undone
        get back the value they had before the first one (and what rides with them: a
        language's detected ``languages``)."""
        out = {k: v for k, v in self.originals.items()
               if k not in self.fields and RIDES_WITH.get(k) not in self.fields} \
            if restore else {}
        out.update(self.fields)
        return out


#: Fields a correction of another sets too, whose originals it keeps: field -> the
#: corrected field. A curator's language is a document's only one; undone, the languages
#: the detector found come back (``corrected``).
RIDES_WITH = {"languages": "language"}


def corrected(doc: Document, changes: Mapping[str, object]) -> Document:
    """``doc`` with ``changes`` (JSON-ready values by field name) applied; ``doc`` itself
    if there are none."""
    if not changes:
        return doc
    values = {k: (dt.date.fromisoformat(v) if v else None) if k == "date" else v
              for k, v in changes.items()}
    if "language" in values:
        # A curator's language is the document's only one, as the facet's corrected
        # values (``facet_values``) have it at query time; a restored one brings back
        # the languages it had (``Correction.changes``).
        values.setdefault("languages", [values["language"]] if values["language"] else [])
    return dataclasses.replace(doc, **values)


#: Correctable fields that are facets: field -> facet (from the one facet table).
FIELD_FACETS = {facet.field: facet for facet in FACET_LIST if facet.correctable}


def facet_values(changes: Mapping[str, object]) -> dict[str, list[str]]:
    """The facet values ``changes`` give a document, as ``Document.facet_values`` has
    them: {facet name: values} for the corrected fields that are facets (a restored
    language with the languages that ride with it)."""
    out = {FIELD_FACETS[name].name: field_facet_values(FIELD_FACETS[name], value)
           for name, value in changes.items() if name in FIELD_FACETS}
    if "language" in changes and changes.get("languages"):
        out["language"] = field_facet_values(FIELD_FACETS["language"], main_first(
            str(changes["language"] or ""), list(changes["languages"])))
    return out


@dataclass(frozen=True)
class DocSignals:
    """A document the indexer wrote, with what its automatic flags need."""

    doc_id: str
    title: str
    source_id: str
    agency: str
    signals: tuple[str, ...]         # its quality signals that are flag reasons

    @classmethod
    def of(cls, doc: Document) -> DocSignals:
        return cls(doc.id, doc.title, doc.source_id, doc.agency,
                   tuple(s for s in doc.quality if s in AUTOMATIC_REASONS))


@dataclass(frozen=True)
class CurationInput:
    """The curation a run needs: corrections to apply to the documents it writes,
    documents to fetch again, and which documents have open automatic flags (a run
    reports the signals of those and of documents with signals, nothing else)."""

    corrections: Mapping[str, Correction] = field(default_factory=dict)
    recrawl: frozenset[str] = frozenset()
    flagged: frozenset[str] = frozenset()

    def correct(self, doc: Document) -> Document:
        """``doc`` with the corrections in force for its id."""
        correction = self.corrections.get(doc.id)
        return corrected(doc, correction.changes()) if correction else doc

    def signals_of(self, doc: Document) -> DocSignals | None:
        """What the run reports of ``doc`` for automatic flags, or None if nothing."""
        signals = DocSignals.of(doc)
        return signals if signals.signals or doc.id in self.flagged else None
