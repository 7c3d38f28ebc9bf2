"""The CSV template of expert profiles: import (validate everything, then write all or
nothing) and export.

The template has one column per field of ``model.FIELDS`` (the header names them; the
order does not matter; unknown columns are an error). Several values in one cell are
separated by ``;``. Taxonomy values may be given by label or id. Rows are numbered as
a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass

from searchhub.errors import SearchhubError

from . import store
from .model import FIELDS, REQUIRED, Profile, Vocabulary, as_text, check_profile

#: Columns every file must have (the rest may be left out).
TEMPLATE_COLUMNS = ("key", "name", "organisation", "agency", "themes", "gcm_objectives",
                    "regions", "countries", "languages", "bio", "consent_date",
                    "visibility")


class ImportProblems(SearchhubError):
    """The file cannot be imported; ``problems`` lists every one, with its row."""

    status = 400

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"nothing imported: {len(problems)} problem"
                         f"{'s' if len(problems) != 1 else ''}\n"
                         + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def read_profiles(text: str, vocab: Vocabulary) -> list[Profile]:
    """Every row of a CSV template as a Profile; raises ImportProblems naming every
    problem of every row (and of the header) at once."""
    if text.startswith("\ufeff"):             # spreadsheets save a byte order mark
        text = text[1:]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    problems = []
    missing = [c for c in (*TEMPLATE_COLUMNS, *REQUIRED) if c not in header]
    unknown = [c for c in header if c not in FIELDS]
    if missing:
        problems.append(f"header: missing column{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(dict.fromkeys(missing))}")
    if unknown:
        problems.append(f"header: unknown column{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(unknown)} (columns: {', '.join(FIELDS)})")
    if problems:
        raise ImportProblems(problems)
    reader.fieldnames = header
    out, rows_of_key = [], {}
    for number, row in enumerate(reader, start=2):
        if None in row:
            problems.append(f"row {number}: more cells than columns")
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue                                   # a blank line
        profile, errors = check_profile(row, vocab)
        problems += [f"row {number}: {name}: {message}" for name, message in errors]
        key = (row.get("key") or "").strip().lower()
        if key in rows_of_key:
            problems.append(f"row {number}: key: {key!r} is also on row {rows_of_key[key]}")
        rows_of_key.setdefault(key, number)
        if profile is not None:
            out.append(profile)
    if problems:
        raise ImportProblems(problems)
    return out


def import_csv(conn: sqlite3.Connection, text: str, vocab: Vocabulary, user: str
               ) -> ImportResult:
    """Validate the whole file, then create or update its profiles by key in one
    transaction; raises ImportProblems (and writes nothing) if any row is invalid."""
    return ImportResult(*store.save_all(conn, read_profiles(text, vocab), user))


def export_csv(conn: sqlite3.Connection, status: str | None = "active") -> str:
    """Profiles as the CSV template (what ``import_csv`` reads back)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(FIELDS), lineterminator="\n")
    writer.writeheader()
    for profile in store.profiles(conn, status):
        writer.writerow(as_text(profile))
    return buf.getvalue()
