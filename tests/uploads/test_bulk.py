"""Bulk uploads through HTTP: the workstream's CSV template downloaded, filled and sent
with a zip of the files; every row reported, the good ones become uploads, once."""

from __future__ import annotations

import csv
import io
import zipfile

from searchhub import database
from searchhub.uploads import store

from .conftest import Browser, make_docx, make_pdf

BULK = "//form[contains(@class, 'upload-bulk')]"


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_bulk_with_one_bad_row(site, browser):
    mia: Browser = browser().login("mia")
    mia.get("/members/upload/ws-knowledge")
    response = mia.client.get(mia.xpath("//a[@data-csv-template]/@href")[0])
    assert response.mimetype == "text/csv"
    header, example = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header[0] == "file" and "title" in header and "visibility" in header
    defaults = dict(zip(header, example, strict=True))
    assert defaults["licence"] == "CC BY 4.0"

    rows = [
        {**defaults, "file": "a.pdf", "title": "Corridor study", "date": "2024-01-02",
         "themes": "Labour migration", "countries": "Kenya;Uganda"},
        {**defaults, "file": "b.docx", "title": "", "date": "someday",
         "themes": "Labour migration;Atlantis"},
        {**defaults, "file": "c.txt", "title": "Field notes", "date": "2023",
         "themes": "Return and reintegration", "visibility": "wg-data"},
    ]
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    archive = _zip({"a.pdf": make_pdf("Corridors of labour migration. " * 30),
                    "b.docx": make_docx("B", ["Some text on migration. " * 10]),
                    "c.txt": b"Field notes on return migration. " * 30})
    files = {"csv": (table.getvalue().encode(), "rows.csv"), "zip": (archive, "files.zip")}
    mia.submit(BULK, status=200, **files)
    assert mia.xpath("//tr[@data-row]/@data-ok") == ["yes", "no", "yes"]
    bad = {li.get("data-error-field") for li in mia.xpath("//tr[@data-row='3']//li")}
    assert bad == {"title", "date", "themes"}
    assert "Atlantis" in " ".join(mia.texts("//tr[@data-row='3']//li"))

    mia.get("/members/upload/ws-knowledge")
    mia.submit(BULK, status=200, **files)            # sent twice: no second upload
    conn = database.connect(site["data_dir"] / "curation.sqlite")
    uploads = sorted(store.of_member(conn, "mia"), key=lambda u: u.id)
    conn.close()
    assert [(u.title, u.status) for u in uploads] == [("Corridor study", "submitted"),
                                                      ("Field notes", "submitted")]
    assert uploads[0].metadata["countries"] == ["Kenya", "Uganda"]
    assert uploads[1].metadata["visibility"] == ["wg-data"]


def test_a_bulk_upload_without_its_zip_is_refused(site, browser):
    mia: Browser = browser().login("mia")
    mia.get("/members/upload/ws-knowledge")
    mia.submit(BULK, status=400, csv=(b"file,title\nx.pdf,X\n", "rows.csv"))
    assert mia.xpath("//p[@data-problem]")
