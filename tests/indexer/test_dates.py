"""The one date parser: every form the sources, feeds, pages and PDFs write dates in."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.dates import parse_date


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-04-05", dt.date(2023, 4, 5)),
    ("2023-04-05T10:00:00Z", dt.date(2023, 4, 5)),              # Atom, trafilatura
    ("2023-04-05 10:00", dt.date(2023, 4, 5)),
    ("Wed, 05 Apr 2023 10:00:00 GMT", dt.date(2023, 4, 5)),     # RSS
    ("D:20231204103000+01'00'", dt.date(2023, 12, 4)),          # PDF info dictionary
    ("D:2019", dt.date(2019, 1, 1)),
    ("20200229", dt.date(2020, 2, 29)),
    ("05/04/2023", dt.date(2023, 4, 5)),                        # day first, as catalogues
    ("05.04.2023", dt.date(2023, 4, 5)),
    ("4 April 2023", dt.date(2023, 4, 4)),
    ("April 4, 2023", dt.date(2023, 4, 4)),
    ("2023-04", dt.date(2023, 4, 1)),
    ("2023", dt.date(2023, 1, 1)),
    ("2023.0", dt.date(2023, 1, 1)),                            # a year exported as a float
    (dt.date(2021, 6, 1), dt.date(2021, 6, 1)),
    (dt.datetime(2021, 6, 1, 12, 0), dt.date(2021, 6, 1)),
    ("2023-13-01", None),
    ("D:20231304", None),
    ("Mon, 31 Feb 2023 00:00:00 GMT", None),
    ("yesterday", None),
    ("", None),
    (None, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_plausible_dates_only_when_asked():
    assert parse_date("1850") == dt.date(1850, 1, 1)
    assert parse_date("1850", plausible=True) is None
    next_year = dt.date.today().year + 1
    assert parse_date(f"{next_year}-01-01", plausible=True) == dt.date(next_year, 1, 1)
    assert parse_date(f"{next_year + 1}-01-01", plausible=True) is None
