"""Group and workstream pages through HTTP: a group's newest documents include the
uploads for it and for all members (only those the reader may see), and a
workstream's page shows its template and how to contribute."""

from __future__ import annotations

from click.testing import CliRunner

from searchhub import database
from searchhub.cli import main
from searchhub.uploads import intake, store
from searchhub.uploads.source import uploads_folder

TEXT = "Notes of the working groups on labour migration and remittances, number {}. "


def _approved(site, number: int, title: str, date: str, visibility: list[str],
              status: str = "approve") -> None:
    received = intake.keep(uploads_folder(site["data_dir"]),
                           (TEXT.format(number) * 20).encode(), f"n{number}.txt",
                           max_bytes=10**6, allowed=("text",))
    conn = database.connect(site["data_dir"] / "curation.sqlite")
    try:
        upload, _ = store.create(conn, token=f"t{number}", workstream="ws-knowledge",
                                 user="mia", sha256=received.sha256, file_type="text",
                                 file_name=f"n{number}.txt", url="",
                                 metadata={"title": title, "agency": "IOM", "date": date,
                                           "visibility": visibility})
        if status:
            store.review(conn, "lena", upload.id, status)
    finally:
        conn.close()


def _index(site) -> None:
    result = CliRunner().invoke(main, ["--data-dir", str(site["data_dir"]), "--sources",
                                       str(site["sources"]), "index", "--quiet",
                                       "--workers", "1", "--source", "uploads"])
    assert result.exit_code == 0, result.output


def _listed(person) -> list[str]:
    return [li.get("data-id") for li in person.xpath("//ul[@class='newest']/li")]


def test_a_groups_page_lists_its_uploads_and_those_for_all_members(site, browser):
    _approved(site, 1, "Data group indicators", "2024-05-01", ["wg-data"])
    _approved(site, 2, "Note for all members", "2023-01-15", ["members"])
    _approved(site, 3, "Public knowledge brief", "2022-06-01", [])
    _approved(site, 4, "Waiting data note", "2025-01-01", ["wg-data"], status="")
    _index(site)

    lena = browser().login("lena")               # in wg-data and ws-knowledge
    lena.get("/members/groups/wg-data")
    assert _listed(lena) == ["uploads-1", "uploads-2"]      # newest first
    assert lena.texts("//span[@class='count']") == ["2"]
    assert "Data group indicators" in lena.texts("//ul[@class='newest']/li/a")
    assert not lena.xpath("//section[@class='template']")   # a working group: no template

    # A workstream's page: the uploads to it, and those for all members.
    lena.get("/members/groups/ws-knowledge")
    assert _listed(lena) == ["uploads-1", "uploads-2", "uploads-3"]
    mia = browser().login("mia")                 # not in wg-data: never sees uploads-1
    mia.get("/members/groups/ws-knowledge")
    assert _listed(mia) == ["uploads-2", "uploads-3"]
    assert mia.texts("//span[@class='count']") == ["2"]

    # The members' home: the section for all members lists their upload.
    mia.get("/members")
    assert [li.get("data-id") for li in mia.xpath(
        "//section[@data-group='members']//ul[@class='newest']/li")] == ["uploads-2"]


def test_a_workstreams_page_shows_its_template_and_how_to_contribute(site, browser):
    mia = browser().login("mia")
    mia.get("/members/groups/ws-knowledge")
    rows = {tr.get("data-field"): tr for tr in mia.xpath("//table[@class='template-fields']"
                                                          "/tbody/tr")}
    assert set(rows) >= {"title", "agency", "themes", "licence", "date", "visibility"}

    def cell(field: str, kind: str) -> str:
        return rows[field].xpath(f"td[@class='{kind}']")[0].text_content().strip()

    assert cell("title", "required") == "Required"
    assert cell("summary", "required") == ""
    assert cell("agency", "allowed") == "IOM, UNHCR, UN Network on Migration"
    assert cell("agency", "default") == "UN Network on Migration"
    assert cell("licence", "allowed") == "CC BY 4.0, All rights reserved"
    assert cell("themes", "allowed") == "From the platform's taxonomy"
    assert "pdf, docx, html, text" in " ".join(mia.texts("//section[@class='template']/p"))

    [upload] = mia.xpath("//a[@class='upload-link']/@href")
    mia.get(upload)
    assert mia.xpath("//form[contains(@class, 'upload-file')]")
    mia.get("/members/groups/ws-knowledge")
    [csv_link] = mia.xpath("//a[@class='csv-template']/@href")
    answer = mia.client.get(csv_link)
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "title" in answer.get_data(as_text=True).splitlines()[0]
