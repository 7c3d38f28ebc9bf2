"""The Whoosh schema: field names and how each is analysed and stored."""

from __future__ import annotations

from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from .analysis import GROUPS, analyzer, plain_analyzer

#: Weight of a title match relative to a body match (tuned on the dev qrels).
TITLE_WEIGHT = 0.25

#: Facet fields searchable with ``field:value`` in the query box. Values are
#: kept as given (comma-separated, case-insensitive), so "agency:iom" works.
FACET_FIELDS = ("agency", "region", "country", "theme", "gcm", "language", "type", "year",
                "source")


def title_field(group: str) -> str:
    return f"title_{group}"


def body_field(group: str) -> str:
    return f"body_{group}"


def content_fields() -> list[str]:
    return [f for g in GROUPS for f in (title_field(g), body_field(g))]


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        # Compact per-document data read in bulk when a searcher opens: facet
        # values, date, field lengths, hash. Kept in a column, not stored fields,
        # so loading it does not unpickle every document's text.
        "meta": COLUMN(columns.VarBytesColumn()),
        "doc": STORED(),          # the whole document (JSON, zlib) for display
        "spell": TEXT(analyzer=plain_analyzer(), phrase=False),
    }
    for group in GROUPS:
        ana = analyzer(group)
        multitoken = "and" if group == "cjk" else "default"
        fields[title_field(group)] = TEXT(analyzer=ana, phrase=True, multitoken_query=multitoken)
        fields[body_field(group)] = TEXT(analyzer=ana, phrase=True, multitoken_query=multitoken)
    for name in FACET_FIELDS:
        fields[name] = KEYWORD(lowercase=True, commas=True, scorable=False)
    return Schema(**fields)
