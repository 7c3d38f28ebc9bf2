"""The one date parser of the indexer: whatever a catalogue, a feed, a page's
metadata or a PDF's info dictionary says, as a ``datetime.date`` or None."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

#: Written dates tried in order after the ISO, PDF and RFC 822 forms.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y",
                "%B %d, %Y", "%Y-%m", "%Y")
#: Years before this are metadata noise (a PDF tool's zero date), not publication dates.
EARLIEST_YEAR = 1900

_PDF = re.compile(r"^(?:D:(\d{4})(\d{2})?(\d{2})?|(\d{4})(\d{2})(\d{2})(?:\d{2,6})?(?!\d))")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]|$)")
_FLOAT_YEAR = re.compile(r"^\d{4}\.0$")        # years exported as floats


def parse_date(value: object, *, plausible: bool = False) -> dt.date | None:
    """A date from ``value``: a date or datetime; an ISO date or timestamp
    ("2023-04-05T10:00:00Z"); a PDF date ("D:20231204103000+01'00'", "20200229");
    an RFC 822 date (RSS: "Wed, 05 Apr 2023 10:00:00 GMT"); or one of
    ``DATE_FORMATS`` ("05/04/2023", "4 April 2023", "2023-04", "2023", "2023.0").
    None for anything else or an impossible date. With ``plausible``, a date before
    ``EARLIEST_YEAR`` or after next year is None too."""
    date = _parse(value)
    if date is not None and plausible and not (
            EARLIEST_YEAR <= date.year <= dt.date.today().year + 1):
        return None
    return date


def _parse(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = _PDF.match(text)
    if match:
        parts = match.groups()
        year, month, day = (int(p) if p else 1 for p in (parts[:3] if parts[0] else parts[3:]))
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if _ISO.match(text):
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    if _FLOAT_YEAR.match(text):
        text = text[:4]
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None
