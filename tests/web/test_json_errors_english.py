"""Every blueprint's JSON errors are English whatever the language a request names (an
Accept-Language header, ``?lang=``, the ``lang`` cookie), while the same error as an
HTML page is in the page's language (searchhub.web.errors' rule). The real app, over
the demo index, and over a data folder whose index was never built."""

from __future__ import annotations

import lxml.html
import pytest
from werkzeug.http import HTTP_STATUS_CODES

from searchhub.web import create_app

#: (path, status, the English message, the French one on the HTML page or None for
#: the API, which answers JSON only): one or more paths of each blueprint.
ERRORS = [
    ("/doc/no-such-doc", 404,
     "There is no document 'no-such-doc' in the index. It may have been removed from its "
     "source.",
     "Il n’y a pas de document 'no-such-doc' dans l’index. Il a peut-être été retiré de sa "
     "source."),
    ("/api/doc/no-such-doc", 404, "There is no document 'no-such-doc' in the index.", None),
    ("/search?q=migration&page=abc", 400, "page must be a whole number, not 'abc'",
     "page doit être un nombre entier, et non 'abc'"),
    ("/api/search?q=migration&page=abc", 400, "page must be a whole number, not 'abc'", None),
    ("/platforms/nope", 404,
     "There is no platform 'nope'; the directory at /platforms lists them all.",
     "Il n’y a pas de plateforme 'nope' ; le répertoire /platforms les énumère toutes."),
    ("/api/platforms/nope", 404,
     "There is no platform 'nope'; the directory at /platforms lists them all.", None),
    ("/regions/nope", 404, "There is no region 'nope'; /regions lists them.",
     "Il n’y a pas de région 'nope' ; /regions les énumère."),
    ("/collections/nope", 404, "There is no collection 'nope'; /collections lists them.",
     "Il n’y a pas de collection 'nope' ; /collections les énumère."),
    ("/experts/nope", 404,
     "There is no expert 'nope' you may see. Some profiles are shown only to people who "
     "are logged in.",
     "Il n’y a pas d’expert 'nope' que vous puissiez voir. Certains profils ne sont "
     "visibles que par les personnes connectées."),
    ("/overview/nope.csv", 404, "There is no table 'nope' in the overview.",
     "Il n’y a pas de tableau 'nope' dans la vue d’ensemble."),
    ("/flag/no-such-doc", 404, "There is no document 'no-such-doc' in the index.",
     "Il n’y a pas de document 'no-such-doc' dans l’index."),
    ("/no/such/page", 404,
     "The requested URL was not found on the server. If you entered the URL manually "
     "please check your spelling and try again.",
     "L’URL demandée est introuvable sur le serveur. Si vous l’avez saisie vous-même, "
     "vérifiez l’orthographe et réessayez."),
]
TITLES = {400: "Bad request", 401: "Login required", 403: "Forbidden", 404: "Not found",
          409: "Busy", 503: "Search is not ready"}


def _with(path: str, param: str) -> str:
    return path + ("&" if "?" in path else "?") + param


def json_in_every_language(client, path: str) -> list[dict]:
    """The JSON error of ``path`` asked for in French, Arabic and Chinese, three ways."""
    wants = {} if path.startswith("/api/") else {"Accept": "application/json"}
    answers = [
        client.get(path, headers={**wants, "Accept-Language": "fr"}),
        client.get(_with(path, "lang=ar"), headers=wants),
        client.get(path, headers={"X-Requested-With": "fetch", "Cookie": "lang=zh",
                                  "Accept-Language": "ru"}),
    ]
    for answer in answers:
        assert answer.mimetype == "application/json", (path, answer.mimetype)
    return answers


def error_page(client, path: str, lang: str = "fr") -> tuple[int, str, str]:
    """The status, ``<html lang>`` and message of ``path``'s HTML error page in ``lang``."""
    response = client.get(_with(path, f"lang={lang}"))
    assert response.mimetype == "text/html", (path, response.mimetype)
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    [message] = [" ".join(p.text_content().split())
                 for p in tree.xpath("//section[@class='error']/p[1]")]
    return response.status_code, tree.get("lang"), message


def check(client, path: str, status: int, english: str, french: str | None) -> None:
    for answer in json_in_every_language(client, path):
        assert answer.status_code == status, path
        error = answer.get_json()["error"]
        assert (error["status"], error["message"]) == (status, english), path
        # searchhub's own title, or werkzeug's for its own errors ("Not Found")
        assert error["title"] in (TITLES[status], HTTP_STATUS_CODES[status]), path
    if french is not None:
        assert french != english
        assert error_page(client, path) == (status, "fr", french)


@pytest.mark.parametrize("path, status, english, french", ERRORS,
                         ids=[e[0] for e in ERRORS])
def test_json_errors_are_english_and_pages_french(client, path, status, english, french):
    check(client, path, status, english, french)


def test_a_login_required_answer_is_english_in_json(client):
    for answer in json_in_every_language(client, "/curate"):
        assert answer.status_code == 401
        error = answer.get_json()["error"]
        display = error.pop("display", None)
        assert error == {"status": 401, "title": "Login required",
                         "message": "Log in as a curator to do this."}
        # The page's own script also gets the message in the page's language to show.
        fetched = answer.request.headers.get("X-Requested-With") == "fetch"
        assert (display is not None) == fetched
        if fetched:
            assert display != error["message"] and display


@pytest.fixture
def unbuilt(tmp_path):
    """An app whose data folder has an empty index folder: no index was ever built."""
    data_dir = tmp_path / "data"
    (data_dir / "index").mkdir(parents=True)
    return create_app({"data_dir": data_dir}), data_dir / "index"


@pytest.mark.parametrize("path", ["/search?q=migration", "/api/search?q=migration",
                                  "/doc/some-doc", "/api/health"])
def test_a_missing_index_is_english_in_json_and_french_on_the_page(unbuilt, path):
    app, folder = unbuilt
    english = f"No index in {folder}. Build one with `searchhub index` first."
    french = (f"Il n’y a pas d’index dans {folder}. Construisez-en un d’abord avec "
              "`searchhub index`.")
    check(app.test_client(), path, 503, english,
          None if path.startswith("/api/") else french)
    if not path.startswith("/api/"):
        status, lang, arabic = error_page(app.test_client(), path, "ar")
        assert (status, lang) == (503, "ar")
        assert arabic == (f"لا يوجد فهرس في {folder}. أنشئ فهرسًا أولًا باستخدام "
                          "`searchhub index`.")


def test_the_flag_dialog_speaks_the_pages_language(client):
    # flag.js shows these when a report is sent or could not be: no English on a
    # French page.
    page = client.get("/search?q=migration&lang=fr").get_data(as_text=True)
    tree = lxml.html.fromstring(page)
    statuses = tree.xpath("//span[contains(@class, 'flag-status')]")
    assert statuses
    assert {(s.get("data-sent"), s.get("data-failed")) for s in statuses} == {
        ("Envoyé.", "Envoi impossible ; veuillez réessayer.")}
