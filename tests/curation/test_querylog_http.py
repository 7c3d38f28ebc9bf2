"""Frequent queries through HTTP, as people use the site: a visitor's plain searches
that find public documents are counted, and suggested by /api/suggest once searched
often enough; members' searches, queries that find only restricted documents and
queries that look like someone's details are never counted nor suggested."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from click.testing import CliRunner

from searchhub import accounts
from searchhub.cli import main
from searchhub.querylog import FILE_NAME, QueryLog
from searchhub.web import create_app

from .conftest import PASSWORD, Browser, make_doc, write_index

DOCS = [
    make_doc("census", "Quokka census of Rottnest", "A quokka census counts quokkas. " * 5),
    make_doc("habitat", "Quokka habitat survey", "The quokka habitat of the island. " * 5,
             language="fr"),
    make_doc("plan", "Workplan", "The zanzibarite workplan of the members. " * 5,
             visibility=["members"]),
]


@pytest.fixture
def data(tmp_path):
    data = tmp_path / "data"
    write_index(data / "index", DOCS)
    return data


def _app(data, **settings):
    return create_app({"data_dir": data, "secret_key": "test-secret",
                       "querylog_min_count": 3, "querylog_min_days": 2, **settings})


@pytest.fixture
def app(data):
    return _app(data)


def _search(client, text: str, times: int = 1, **params) -> None:
    for _ in range(times):
        response = client.get("/search", query_string={"q": text, **params})
        assert response.status_code == 200


def _queries(client, typed: str, lang: str = "en") -> list[str]:
    response = client.get("/api/suggest", query_string={"q": typed, "lang": lang})
    assert response.status_code == 200
    return [s["text"] for s in response.get_json()["suggestions"] if s["kind"] == "query"]


def _stored(data) -> list[str]:
    with closing(sqlite3.connect(data / FILE_NAME, isolation_level=None)) as conn:
        return [row[0] for row in conn.execute("SELECT DISTINCT text FROM seen")]


def test_a_query_is_suggested_once_searched_often_enough(app, data):
    client = app.test_client()
    _search(client, "Quokka   CENSUS", times=2)
    # Paging, facet values, other orders and the API are not the person's own search.
    _search(client, "quokka census", page=2, page_size=1)
    _search(client, "quokka census", agency="IOM")
    _search(client, "quokka census", sort="newest")
    client.get("/api/search?q=quokka+census")
    for header in ("Sec-GPC", "DNT"):        # the browser asks not to be tracked
        client.get("/search?q=quokka+census", headers={header: "1"})
    assert _queries(client, "quo") == []
    _search(client, "quokka census")
    assert _queries(client, "quo") == ["quokka census"]
    assert _queries(client, "cens") == ["quokka census"]     # a word may begin with it
    suggestion = client.get("/api/suggest?q=quokka+c").get_json()["suggestions"][0]
    assert suggestion == {"text": "quokka census", "kind": "query"}
    assert _stored(data) == ["quokka census"]
    # An operator forgets it: gone at once from the running server's suggestions.
    forgot = CliRunner().invoke(main, ["--data-dir", str(data), "queries", "forget", "CENSUS"])
    assert forgot.exit_code == 0 and forgot.output == "1 query forgotten.\n"
    assert _queries(client, "quo") == [] and _stored(data) == []


def test_language_of_the_interface_first(app):
    client = app.test_client()
    _search(client, "quokka census", times=5)
    _search(client, "quokka habitat", times=3, lang="fr")
    assert _queries(client, "quokka") == ["quokka census", "quokka habitat"]
    assert _queries(client, "quokka", lang="fr") == ["quokka habitat", "quokka census"]


def test_restricted_only_queries_are_never_counted_nor_suggested(app, data):
    from searchhub import database

    conn = database.connect(data / "curation.sqlite")
    accounts.add(conn, "mia", PASSWORD, "member")
    conn.close()
    mia = Browser(app.test_client()).login("mia")
    mia.get("/search?q=zanzibarite+workplan")
    assert mia.xpath("//li[contains(@class, 'hit')]")            # she finds it
    for _ in range(3):
        mia.get("/search?q=zanzibarite+workplan")
        mia.get("/search?q=quokka+census")       # a member's searches are not counted
    visitor = app.test_client()
    _search(visitor, "zanzibarite workplan", times=3)    # nothing public: not counted
    assert not (data / FILE_NAME).exists() or _stored(data) == []
    # Counted while it was public, now only in restricted documents: not suggested.
    log = QueryLog(data / FILE_NAME, min_count=3)
    for _ in range(3):
        log.record("zanzibarite workplan", "en")
    log.record("quokka census", "en")
    assert _queries(visitor, "zanz") == []
    assert _queries(mia.client, "zanz") == []
    assert _queries(visitor, "quok") == []              # searched by mia: not counted


def test_private_looking_queries_are_never_stored_nor_suggested(app, data):
    client = app.test_client()
    for text in ("quokka jane.doe@example.org", "quokka +41 22 917 12 34",
                 "quokka 0612345678", "quokka census 2015-2020"):
        _search(client, text, times=3)
    assert _stored(data) == ["quokka census 2015-2020"]      # year ranges are fine
    # As an older version, or a person with the file, may have written it.
    with closing(sqlite3.connect(data / FILE_NAME, isolation_level=None)) as conn:
        conn.execute("INSERT INTO seen VALUES ('quokka 079 123 45 67', 'en', "
                     "'2026-01-01', 99)")
    assert _queries(client, "quokka") == ["quokka census 2015-2020"]


def test_hidden_documents_take_their_queries_away(app, data):
    client = app.test_client()
    _search(client, "quokka habitat", times=3)
    assert _queries(client, "quokka h") == ["quokka habitat"]
    from searchhub import database
    from searchhub.curation import store

    conn = database.connect(data / "curation.sqlite")
    for doc_id in ("census", "habitat"):
        store.act(conn, "cora", "hide", doc_id, why="test")
    conn.close()
    assert _queries(app.test_client(), "quokka h") == []


def test_off_and_broken_logs_never_fail_a_search(data, caplog):
    client = _app(data, querylog=False).test_client()
    _search(client, "quokka census", times=3)
    assert not (data / FILE_NAME).exists()
    assert _queries(client, "quo") == []
    (data / FILE_NAME).mkdir()              # not a database: every write fails
    client = _app(data).test_client()
    response = client.get("/search?q=quokka+census")
    assert response.status_code == 200 and b"census" in response.data
    assert "query not counted" in caplog.text
    assert _queries(client, "quo") == []


def test_a_busy_log_never_holds_a_search_up(app, data, caplog):
    client = app.test_client()
    _search(client, "quokka census")                 # the file exists
    with closing(sqlite3.connect(data / FILE_NAME, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")             # another writer holds the lock
        response = client.get("/search?q=quokka+census")
        assert response.status_code == 200 and b"census" in response.data
        other.execute("COMMIT")
    assert "query not counted" in caplog.text
    _search(client, "quokka census")
    log = QueryLog(data / FILE_NAME)
    assert [(f.text, f.count) for f in log.counted()] == [("quokka census", 2)]


def test_searches_prune_old_rare_queries_once_a_day(app, data):
    import datetime as dt
    import threading

    log = QueryLog(data / FILE_NAME)
    long_ago = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=40)
    log.record("quokka rare", "en", long_ago)            # past querylog_rare_days
    for _ in range(3):
        log.record("quokka often", "en", long_ago)      # frequent enough: kept
    _search(app.test_client(), "quokka census")
    for thread in threading.enumerate():
        if thread.name == "querylog-prune":
            thread.join()
    assert sorted(_stored(data)) == ["quokka census", "quokka often"]
