"""The metadata a curator may correct, and how a form's value becomes a document's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from searchhub.models import FACET_LIST, Document
from searchhub.notice import notice

from .store import CurationError

#: Metadata a curator may correct, and how a form value becomes a Document value.
CORRECTABLE = ("title", *(f.field for f in FACET_LIST if f.correctable))
LIST_FIELDS = tuple(f.name for f in dataclasses.fields(Document)
                    if f.name in CORRECTABLE and str(f.type).startswith("list"))


def parse_field(name: str, raw: str):
    """A form value for field ``name`` as JSON-ready data; raises CurationError."""
    raw = raw.strip()
    if name in LIST_FIELDS:
        items = [x.strip() for x in re.split(r"[\n;]", raw) if x.strip()]
        if name == "gcm_objectives":
            try:
                numbers = sorted({int(x) for x in items})
            except ValueError:
                raise CurationError(notice("GCM objectives are numbers from 1 to 23")) from None
            if any(not 1 <= n <= 23 for n in numbers):
                raise CurationError(notice("GCM objectives are numbers from 1 to 23"))
            return numbers
        return list(dict.fromkeys(items))
    if name == "date":
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise CurationError(notice("a date is written YYYY-MM-DD, not %(value)s",
                                        value=repr(raw[:30]))) from None
    if name == "language":
        if raw and not re.fullmatch(r"[a-z]{2,3}", raw):
            raise CurationError(notice("a language is an ISO 639-1 code such as en, fr or es"))
        return raw or "und"
    if name == "title" and not raw:
        raise CurationError(notice("a title cannot be empty"))
    return raw[:1000]


def field_value(doc, name: str):
    """The JSON-ready value of field ``name`` of a Document."""
    value = getattr(doc, name)
    if name == "date":
        return value.isoformat() if value else None
    return list(value) if name in LIST_FIELDS else value
