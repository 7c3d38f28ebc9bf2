"""Bulk uploads: a workstream's CSV template (one row per document: its file's name in
the zip and the template's fields; several values separated by ";"), filled in and
sent with a zip of the files. Every row is checked and reported (row number, field,
message); the good rows' files are kept and become uploads, the others are not.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

from searchhub.notice import notice, plural_notice

from .intake import Received, UploadRefused, keep
from .templates import FIELDS, LISTS, Problem, Template, Vocabulary, validate

#: The CSV's columns: the file's name in the zip, then the template's fields.
COLUMNS = ("file", *[f for f in FIELDS if f != "workstream"])
#: Rows one bulk upload may hold.
MAX_ROWS = 500


@dataclass
class Row:
    """One row of a bulk upload: its number in the CSV (the header is row 1), what is
    wrong (field -> a template Problem, or a message about its file), and, for a good
    row, its kept file and metadata."""

    number: int
    file_name: str
    errors: dict[str, Problem | str] = field(default_factory=dict)
    received: Received | None = None
    metadata: dict = field(default_factory=dict)


def csv_template(template: Template) -> str:
    """The CSV a workstream's members fill in: the header and a row of the defaults."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    initial = template.initial()
    writer.writerow(["example.pdf"] + [
        ";".join(map(str, initial[c])) if c in LISTS else str(initial.get(c, ""))
        for c in COLUMNS[1:]])
    return out.getvalue()


def read(template: Template, csv_data: bytes, zip_data: bytes, vocabulary: Vocabulary,
         groups: Mapping[str, object], folder) -> tuple[list[Row], str]:
    """Check every row; keep the files of the good ones. Returns the rows and a problem
    of the whole upload ("" if none): an unreadable CSV or zip, missing columns. The
    problems are notices (searchhub.notice): English, translated by the web page."""
    try:
        text = csv_data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], notice("The CSV is not UTF-8 text.")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("file", "title") if c not in (reader.fieldnames or [])]
    if missing:
        return [], notice("The CSV has no column %(columns)s: use the template.",
                          columns=", ".join(missing))
    try:
        archive = zipfile.ZipFile(io.BytesIO(zip_data))
    except zipfile.BadZipFile:
        return [], notice("The files are not a zip archive.")
    members = {info.filename.rsplit("/", 1)[-1]: info for info in archive.infolist()
               if not info.is_dir()}
    rows: list[Row] = []
    with archive:
        for number, entry in enumerate(reader, start=2):
            if len(rows) >= MAX_ROWS:
                return rows, plural_notice("At most %(num)s row at once.",
                                            "At most %(num)s rows at once.", MAX_ROWS)
            if not any((v or "").strip() for v in entry.values() if isinstance(v, str)):
                continue                                   # an empty line
            rows.append(_row(template, number, entry, archive, members, vocabulary, groups,
                             folder))
    return rows, ""


def _row(template: Template, number: int, entry: dict, archive: zipfile.ZipFile,
         members: dict, vocabulary: Vocabulary, groups, folder) -> Row:
    name = (entry.get("file") or "").strip()
    row = Row(number, name)
    typed: dict[str, object] = {**template.initial(), "workstream": template.workstream}
    for column in COLUMNS[1:]:
        value = entry.get(column)
        if value is None:
            continue
        value = value.strip()
        if column in LISTS:
            typed[column] = [v.strip() for v in value.split(";") if v.strip()]
        elif column == "visibility":
            typed[column] = ",".join(v.strip() for v in value.split(";") if v.strip()) \
                or "public"
        else:
            typed[column] = value
    clean, problems = validate(template, typed, vocabulary, groups)
    row.errors = dict(problems)
    info = members.get(name)
    if not name:
        row.errors["file"] = notice("Name the file of this row.")
    elif info is None:
        row.errors["file"] = notice("%(name)s is not in the zip.", name=name)
    elif info.file_size > template.max_bytes:
        row.errors["file"] = notice(
            "%(name)s is %(size)s MiB, over the limit of %(limit)s MiB", name=name,
            size=f"{info.file_size / 2**20:.1f}", limit=f"{template.max_mb:g}")
    if row.errors:
        return row
    # Read one byte past the limit whatever the archive claims of the size.
    with archive.open(info) as member:
        data = member.read(template.max_bytes + 1)
    try:
        row.received = keep(folder, data, name, max_bytes=template.max_bytes,
                            allowed=template.file_types)
    except UploadRefused as exc:
        row.errors["file"] = exc.message
        return row
    row.metadata = clean
    return row


def token(csv_data: bytes, zip_data: bytes, number: int) -> str:
    """A row's upload token: the same files sent twice make no second upload."""
    digest = hashlib.sha256(csv_data + b"\0" + zip_data).hexdigest()[:32]
    return f"bulk-{digest}-{number}"
