"""Uploads through HTTP as members and reviewers use them: a file, its suggestions,
every error at once with what was typed kept, a double submit making one upload,
review by the workstream's lead, publication, and members-only documents that
visitors cannot find, count, have suggested or open."""

from __future__ import annotations

from searchhub import database
from searchhub.uploads import store
from searchhub.uploads.intake import indexed_path
from searchhub.uploads.source import uploads_folder

from .conftest import Browser, eventually, make_docx, make_pdf, search_ids

PDF_TEXT = ("Labour migration corridors between Kenya and Uganda: recruitment fees, "
            "decent work and the remittances of migrant workers. ") * 12
FORM = "//form[contains(@class, 'upload-details')]"


def _upload(person: Browser, data: bytes, name: str, status: int = 200):
    person.get("/members/upload/ws-knowledge")
    return person.submit("//form[contains(@class, 'upload-file')]", status=status,
                         file=(data, name))


def _uploads(site) -> list[store.Upload]:
    conn = database.connect(site["data_dir"] / "curation.sqlite")
    try:
        return store.of_member(conn, "mia") + store.of_member(conn, "lena")
    finally:
        conn.close()


def test_a_member_uploads_a_pdf_a_lead_approves_it_and_anyone_finds_it(site, browser):
    mia = browser().login("mia")
    home = mia.get("/members")
    assert b"My contributions" in home.data
    mia.get("/members/upload")
    assert mia.xpath("//li[@data-workstream='ws-knowledge']/a")
    _upload(mia, make_pdf(PDF_TEXT, title="Kenya Uganda labour corridors"), "corridors.pdf")
    # Suggestions from the text: filled in, and said where they come from.
    fields = mia.fields(FORM)
    assert "Kenya" in fields["countries"] and "Uganda" in fields["countries"]
    assert "Labour migration" in fields["themes"]
    assert fields["language"] == "en"
    assert fields["title"] == "Kenya Uganda labour corridors"
    assert mia.xpath("//*[@data-suggested='countries']")

    # Three fields wrong: every error at once, and what was typed stays.
    mia.submit(FORM, status=400, title="", date="next week", agency="Nobody",
               summary="Our corridor study, draft two.")
    errors = {li.get("data-error-field") for li in mia.xpath("//li[@data-error-field]")}
    assert errors == {"title", "date", "agency"}
    kept = mia.fields(FORM)
    assert kept["date"] == "next week" and kept["summary"] == "Our corridor study, draft two."
    assert "Kenya" in kept["countries"]

    values = dict(title="Labour corridors of East Africa", date="2024-03",
                  agency="IOM", summary="Our corridor study.", licence="All rights reserved")
    first = mia.submit(FORM, status=303, **values)
    mia.submit(FORM, status=303, **values)           # the same form sent twice
    assert len(_uploads(site)) == 1
    mia.follow(first)
    assert mia.texts("//tr[@data-upload]/td[@class='status']") == ["Waiting for review"]

    # A member who leads no workstream has no queue; the lead reviews.
    mia.get("/members/review", status=403)
    lena = browser().login("lena")
    lena.get("/members/review")
    assert lena.texts("//section[@data-upload]/h2") == ["Labour corridors of East Africa"]
    done = lena.submit("//form[contains(@class, 'review-form')]", status=303,
                       action="approve")
    lena.follow(done)
    # The answer does not wait for the indexer: publishing goes on in the background.
    assert any("Publishing started" in t for t in lena.texts("//div[@class='flashes']/p"))
    assert lena.xpath("//ul[@class='approved']/li[@data-upload='1']")

    visitor = Browser(mia.client.application.test_client())
    assert eventually(lambda: search_ids(visitor, "corridors")) == ["uploads-1"]
    visitor.get("/doc/uploads-1")
    assert "Labour corridors of East Africa" in visitor.texts("//h1")[0]
    # Its licence, from the upload record, on its page and in the API; none elsewhere.
    assert visitor.texts("//dd[@class='licence']") == ["All rights reserved"]
    assert visitor.client.get("/api/doc/uploads-1").get_json()["licence"] == \
        "All rights reserved"
    assert "licence" not in visitor.client.get("/api/doc/tiny-public").get_json()
    visitor.get("/doc/tiny-public")
    assert not visitor.xpath("//dd[@class='licence']")
    mia.get("/members/uploads")
    assert mia.texts("//tr[@data-upload]/td[@class='status']") == ["Published"]
    lena.get("/members/review")
    assert lena.texts("//ul[@class='approved']/li/span[@class='status']") == ["Published"]

    # The approval can be undone: the document leaves the index.
    lena.get("/members/review")
    lena.submit("//li[@data-action='upload-approve']//form[contains(@class, 'undo')]",
                status=303)
    assert eventually(lambda: not search_ids(visitor, "corridors"))
    assert [u.status for u in _uploads(site)] == ["submitted"]


def test_a_publishing_failure_is_shown_with_the_indexers_reason(site, browser):
    mia = browser().login("mia")
    _upload(mia, b"Field notes on the reintegration of returnees in the Sahel. " * 20,
            "notes.txt")
    mia.submit(FORM, status=303, date="2023", themes=["Return and reintegration"])
    [upload] = _uploads(site)
    # The kept file is lost before the approval: the indexer cannot read it.
    indexed_path(uploads_folder(site["data_dir"]), upload.sha256, upload.file_type).unlink()
    lena = browser().login("lena")
    lena.get("/members/review")
    lena.submit("//form[contains(@class, 'review-form')]", status=303, action="approve")

    def state():
        lena.get("/members/review")
        return lena.xpath("//ul[@class='approved']/li[@data-state='failed']")

    assert eventually(state)
    assert lena.texts("//ul[@class='approved']/li/span[@class='status']") == [
        "Publishing failed"]
    [reason] = lena.texts("//ul[@class='approved']/li/span[@class='reason']")
    assert reason.endswith("no longer exists") and str(site["data_dir"]) not in reason
    mia.get("/members/uploads")
    assert mia.texts("//tr[@data-upload]/td[@class='status']") == ["Publishing failed"]
    assert mia.texts("//tr[@data-upload]/td[@class='reason']") == [reason]
    visitor = Browser(mia.client.application.test_client())
    assert "uploads-1" not in search_ids(visitor, "reintegration")


def test_send_back_with_a_reason_then_resubmit_and_reject(site, browser):
    mia = browser().login("mia")
    _upload(mia, b"Plain notes on return migration and reintegration support. " * 20,
            "notes.txt")
    mia.submit(FORM, status=303, date="2023", themes=["Return and reintegration"])
    lena = browser().login("lena")
    lena.get("/members/review")
    # Sending back needs a reason the member reads.
    lena.follow(lena.submit("//form[contains(@class, 'review-form')]", status=303,
                            action="send-back"))
    assert "Say why: the member reads the reason." in lena.texts("//div[@class='flashes']/p")
    assert [u.status for u in _uploads(site)] == ["submitted"]
    lena.get("/members/review")
    lena.submit("//form[contains(@class, 'review-form')]", status=303, action="send-back",
                reason="Please add a summary.")
    mia.get("/members")
    assert mia.texts("//tr[@data-upload]/td[@class='reason']") == ["Please add a summary."]
    assert mia.texts("//tr[@data-upload]/td[@class='status']") == ["Sent back"]
    mia.get(mia.xpath("//a[contains(@href, '/edit')]/@href")[0])
    mia.submit(FORM, status=303, summary="Notes from the field visits.")
    lena.get("/members/review")
    lena.submit("//form[contains(@class, 'review-form')]", status=303, action="reject",
                reason="Out of scope.")
    [upload] = _uploads(site)
    assert (upload.status, upload.reason, upload.reviewer) == ("rejected", "Out of scope.",
                                                               "lena")
    assert upload.metadata["summary"] == "Notes from the field visits."


def test_a_members_only_docx_is_invisible_to_visitors_and_other_groups(site, browser):
    lena = browser().login("lena")
    docx = make_docx("Quokkagram indicator framework", [
        "The quokkagram indicators of the working group on migration data. " * 8,
        "Draft for members of the group only: labour migration statistics of Kenya."])
    _upload(lena, docx, "framework.docx")
    assert lena.fields(FORM)["title"] == "Quokkagram indicator framework"
    lena.submit(FORM, status=303, date="2024-05-01", visibility="wg-data")
    # A lead never reviews her own upload: the queue says so, and a curator approves.
    lena.get("/members/review")
    assert lena.texts("//p[contains(@class, 'own-upload')]")
    assert not lena.texts("//form[contains(@class, 'review-form')]")
    cora = browser().login("cora")
    cora.get("/members/review")
    cora.follow(cora.submit("//form[contains(@class, 'review-form')]", status=303,
                            action="approve"))

    assert eventually(lambda: search_ids(lena, "quokkagram")) == ["uploads-1"]
    lena.get("/doc/uploads-1")
    answer = lena.client.get("/api/doc/uploads-1").get_json()
    assert (answer["format"], answer["licence"]) == ("docx", "CC BY 4.0")
    visitor = Browser(lena.client.application.test_client())
    mia = browser().login("mia")           # a member, not of the data group
    for person in (visitor, mia):
        assert search_ids(person, "quokkagram") == []
        person.get("/doc/uploads-1", status=404)
        answer = person.client.get("/api/search?q=quokkagram").get_json()
        assert answer["total"] == 0
        everything = person.client.get("/api/search?q=*").get_json()
        assert everything["total"] == 1              # only the public report
        suggest = person.client.get("/api/suggest?q=quokkag").get_data(as_text=True)
        assert "uokkagram" not in suggest
        person.get("/search?q=quokkagrum")
        assert "quokkagram" not in " ".join(person.texts("//body"))


def test_a_file_is_checked_before_it_is_kept(site, browser):
    mia = browser().login("mia")
    folder = site["data_dir"] / "uploads"
    _upload(mia, b"not a pdf at all, just words", "report.pdf", status=400)
    refusal = " ".join(mia.texts("//p[@data-field='file']"))
    assert "This type of file is not accepted." in refusal and "not a PDF" in refusal
    _upload(mia, b"x" * (2**20 // 10 + 10), "big.txt", status=400)
    assert "over the limit" in " ".join(mia.texts("//p[@data-field='file']"))
    # In the reader's language, with the details after.
    mia.get("/members/upload/ws-knowledge?lang=fr")
    mia.submit("//form[contains(@class, 'upload-file')]", status=400,
               file=(b"x" * (2**20 // 10 + 10), "big.txt"))
    assert "Le fichier est trop volumineux." in " ".join(mia.texts("//p[@data-field='file']"))
    _upload(mia, b"%PDF-1.4\n garbage that is no PDF structure at all", "broken.pdf",
            status=400)
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
    # A private address is refused by the fetcher's guard.
    mia.get("/members/upload/ws-knowledge")
    mia.submit("//form[contains(@class, 'upload-file')]", status=400,
               url="http://127.0.0.1:9/secret.pdf")
    assert "private" in " ".join(mia.texts("//p[@data-field='file']"))


def test_a_tampered_form_cannot_name_a_file_that_was_not_uploaded(site, browser):
    name = "secret" + "x" * 55
    # <data>/uploads/.. then ../<name>.txt: a file beside the data folder.
    (site["data_dir"].parent / f"{name}.txt").write_text("Server secrets.", encoding="utf-8")
    mia = browser().login("mia")
    _upload(mia, b"Plain notes on return migration and reintegration support. " * 20,
            "notes.txt")
    escape = "../" + name                        # 64 characters, not a hash
    assert len(escape) == 64
    mia.submit(FORM, status=400, sha256=escape, date="2023",
               themes=["Return and reintegration"])
    assert _uploads(site) == []
