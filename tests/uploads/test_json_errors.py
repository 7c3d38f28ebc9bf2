"""The upload blueprint's errors: English in JSON whatever the language a request names
(Accept-Language, ``?lang=``, the ``lang`` cookie), in the page's language on the HTML
error page; and the intake's refusals on the upload and bulk forms in French."""

from __future__ import annotations

import io

import lxml.html
import pytest

from searchhub import database
from searchhub.uploads import store

from .conftest import Browser

#: (method, path, status, English message, French message on the error page).
ERRORS = [
    ("GET", "/members/upload/nope", 404, "There is no workstream nope to upload to.",
     "Il n’y a pas d’axe de travail nope où déposer."),
    ("GET", "/members/uploads/999/edit", 404, "There is no upload 999.",
     "Il n’y a pas de dépôt 999."),
    ("GET", "/members/review", 403, "Only curators and workstream leads review uploads.",
     "Seuls les curateurs et les responsables d’axe examinent les dépôts."),
    ("POST", "/members/upload/ws-knowledge/details", 400,
     "The file of this form is not kept here: upload it again.",
     "Le fichier de ce formulaire n’est pas conservé ici : déposez-le à nouveau."),
]


def _with(path: str, param: str) -> str:
    return path + ("&" if "?" in path else "?") + param


def _send(person: Browser, method: str, path: str, headers: dict):
    if method == "GET":
        return person.client.get(path, headers=headers)
    token = person.client.get("/csrf-token").get_json()["csrf_token"]
    return person.client.post(path, headers=headers,
                              data={"csrf_token": token, "sha256": "0" * 64,
                                    "file_type": "pdf", "token": "t"})


def check(person: Browser, method: str, path: str, status: int, english: str,
          french: str) -> None:
    json = {"Accept": "application/json"}
    answers = [_send(person, method, path, {**json, "Accept-Language": "fr"}),
               _send(person, method, _with(path, "lang=ar"), json),
               _send(person, method, path, {"X-Requested-With": "fetch",
                                            "Cookie": "lang=ru", "Accept-Language": "zh"})]
    for answer in answers:
        assert answer.mimetype == "application/json", (path, answer.mimetype)
        assert answer.status_code == status, path
        assert answer.get_json()["error"]["message"] == english, path
    page = _send(person, method, _with(path, "lang=fr"), {})
    assert (page.status_code, page.mimetype) == (status, "text/html"), path
    tree = lxml.html.fromstring(page.get_data(as_text=True))
    assert tree.get("lang") == "fr"
    assert [" ".join(p.text_content().split())
            for p in tree.xpath("//section[@class='error']/p[1]")] == [french], path


@pytest.mark.parametrize("method, path, status, english, french", ERRORS,
                         ids=[e[1] for e in ERRORS])
def test_upload_errors_are_english_in_json_and_french_on_the_page(
        browser, method, path, status, english, french):
    check(browser().login("mia"), method, path, status, english, french)


def test_withdrawing_twice_is_refused_in_english_json_and_a_french_page(site, browser):
    conn = database.connect(site["data_dir"] / "curation.sqlite")
    try:
        upload, _new = store.create(conn, token="once", workstream="ws-knowledge",
                                    user="mia", sha256="a" * 64, file_type="pdf",
                                    file_name="plan.pdf", url="",
                                    metadata={"title": "A plan"})
        store.withdraw(conn, "mia", upload.id)
    finally:
        conn.close()
    check(browser().login("mia"), "POST", f"/members/uploads/{upload.id}/withdraw", 409,
          f"Upload {upload.id} cannot be withdrawn now.",
          f"Le dépôt {upload.id} ne peut plus être retiré.")


def test_the_forms_say_why_a_file_is_refused_in_french(browser):
    mia = browser().login("mia")
    mia.get("/members/upload/ws-knowledge?lang=fr")
    mia.submit("//form[contains(@class, 'upload-file')]", status=400,
               file=(b"   \n", "blank.txt"))
    assert mia.texts("//p[@class='error'][@data-field='file']") == [
        "Le fichier est vide. (blank.txt est vide)"]
    mia.submit("//form[contains(@class, 'upload-file')]", status=400,
               file=(b"%PDF-1.4 " + b"x" * 200_000, "big.pdf"))   # read up to the limit
    assert mia.texts("//p[@class='error'][@data-field='file']") == [
        "Le fichier est trop volumineux. (big.pdf pèse 0,1 Mio, au-delà de la limite de "
        "0,1 Mio)"]                                   # French decimals
    token = mia.client.get("/csrf-token").get_json()["csrf_token"]
    bulk = mia.client.post("/members/upload/ws-knowledge/bulk?lang=fr", data={
        "csrf_token": token, "csv": (io.BytesIO(b"file,title\nplan.pdf,A plan\n"), "rows.csv"),
        "zip": (io.BytesIO(b"not a zip"), "files.zip")})
    assert bulk.status_code == 400
    tree = lxml.html.fromstring(bulk.get_data(as_text=True))
    assert [p.text_content().strip() for p in tree.xpath("//p[@data-problem]")] == [
        "Les fichiers ne sont pas une archive zip."]


def test_an_admins_refused_group_change_is_english_in_json_and_french_on_the_page(site,
                                                                                  browser):
    from searchhub import accounts

    from .conftest import PASSWORD

    conn = database.connect(site["data_dir"] / "curation.sqlite")
    try:
        accounts.add(conn, "ada", PASSWORD, "admin")
    finally:
        conn.close()
    ada = browser().login("ada")
    token = ada.client.get("/csrf-token").get_json()["csrf_token"]
    for form, english in [({"name": "nobody"}, "There is no such account."),
                          ({"name": "mia", "group": "wg-nothing"},
                           "No group wg-nothing in the group registry.")]:
        answer = ada.client.post("/admin/groups?lang=fr", data={"csrf_token": token, **form},
                                 headers={"Accept": "application/json"})
        assert (answer.status_code, answer.get_json()["error"]["message"]) == (400, english)
    ada.get("/admin/groups?lang=fr")
    ada.follow(ada.submit("//form[@data-name='mia']", group=["wg-data"]))
    assert ada.texts("//div[@class='flashes']/*") == [
        "mia fait désormais partie de : Working group on migration data."]
    ada.follow(ada.submit("//form[@data-name='mia']", name="nobody"))
    assert ada.texts("//div[@class='flashes']/*") == ["Ce compte n’existe pas."]


def test_too_many_reports_is_english_in_json_and_french_on_the_page(site):
    from searchhub.web import create_app

    client = create_app(dict(site, report_limit=1)).test_client()
    token = client.get("/csrf-token").get_json()["csrf_token"]
    form = {"csrf_token": token, "reason": "outdated"}
    fetch = {"X-Requested-With": "fetch", "Accept-Language": "fr"}
    assert client.post("/flag/tiny-public?lang=fr", data=form, headers=fetch).status_code == 200
    refused = client.post("/flag/tiny-public?lang=ar", data=form, headers=fetch)
    assert refused.status_code == 429
    assert refused.get_json()["error"]["message"] == (
        "Thank you, but we have received many reports from your address; please try again "
        "later.")
    # flag.js shows ``display``, in the page's language (Arabic here).
    display = refused.get_json()["error"]["display"]
    assert display != refused.get_json()["error"]["message"]
    assert any("\u0600" <= c <= "\u06ff" for c in display)
    page = client.post("/flag/tiny-public?lang=fr", data=form)
    assert page.status_code == 429
    tree = lxml.html.fromstring(page.get_data(as_text=True))
    [message] = [" ".join(p.text_content().split())
                 for p in tree.xpath("//section[@class='error']/p[1]")]
    assert message == ("Merci, mais nous avons reçu de nombreux signalements depuis votre "
                       "adresse ; veuillez réessayer plus tard.")
