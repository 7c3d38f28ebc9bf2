"""Who may do what: visitors, members, curators; CSRF; the public report limit."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from searchhub import accounts, database

from .conftest import PASSWORD


def _open_flags(data_dir):
    conn = database.connect(data_dir / "curation.sqlite")
    rows = [(r["doc_id"], r["origin"], r["reason"]) for r in
            conn.execute("SELECT * FROM flags WHERE status = 'open' ORDER BY id")]
    conn.close()
    return rows


def _report_form(browser, doc_id: str, search: str) -> str:
    """A visitor's way to report without the script: the hit's link on the search page
    (which carries no CSRF token) leads to the report page, whose form holds one."""
    browser.get(search)
    assert browser.xpath(f"//li[@data-id='{doc_id}']//input[@name='csrf_token']/@value") \
        == [""]
    browser.get(browser.xpath(f"//li[@data-id='{doc_id}']//p[@class='flag-page']/a/@href")[0])
    return "//form[contains(@class, 'flag-form')]"


@pytest.mark.parametrize("path", ["/curate", "/curate/doc/remittances", "/curate/audit",
                                  "/curate/decisions", "/curate/report",
                                  "/curate/report.csv"])
def test_visitors_cannot_reach_curation_pages(browser, path):
    response = browser.client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_visitors_and_members_cannot_act(browser, db, data_dir):
    browser.get("/flag/remittances")           # a visitor holds a valid CSRF token
    token = browser.xpath("//input[@name='csrf_token']/@value")[0]
    data = {"csrf_token": token, "doc_id": "remittances", "action": "hide"}
    assert browser.client.post("/curate/action", data=data).status_code == 302
    assert browser.client.post("/curate/undo/1", data=data).status_code == 302
    accounts.add(db, "mo", PASSWORD, "member")
    browser.login("mo")
    browser.get("/search")
    token = browser.xpath("//input[@name='csrf_token']/@value")[0]
    data["csrf_token"] = token
    assert browser.client.post("/curate/action", data=data).status_code == 403
    assert browser.client.get("/curate").status_code == 403
    assert db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    browser.get("/search?q=remittances")
    assert "remittances" in [li.get("data-id") for li in browser.xpath("//li[@data-id]")]


def test_actions_need_a_valid_csrf_token(browser, curator, db):
    browser.login()
    browser.get("/curate/doc/remittances")
    for token in ("", "forged-token"):
        response = browser.submit("//form[@class='action-hide']", csrf_token=token)
        assert response.status_code == 400
        assert "CSRF" in response.get_data(as_text=True)
    response = browser.client.post("/flag/remittances", data={"reason": "other"})
    assert response.status_code == 400
    assert db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM flags").fetchone()[0] == 0


def test_public_reports_land_in_the_queue_marked_public(browser, new_browser, curator,
                                                        data_dir):
    form = _report_form(browser, "remittances", "/search?q=remittances")
    reasons = browser.xpath(form + "//option/@value")
    assert "wrong-metadata" not in reasons and "broken-link" in reasons   # the smaller form
    browser.submit(form, reason="broken-link", comment="404 on the agency site", status=302)
    assert _open_flags(data_dir) == [("remittances", "public", "broken-link")]
    curator_browser = new_browser().login()
    curator_browser.get("/curate?origin=public")
    assert curator_browser.xpath("//li[@data-id='remittances']//li[contains(@class, "
                                 "'origin-public')]")
    # A visitor cannot use a curator-only reason.
    response = browser.submit(form, reason="wrong-metadata")
    assert response.status_code == 302 and len(_open_flags(data_dir)) == 1


def test_public_reports_are_rate_limited_per_address(app, browser, data_dir):
    limit = app.extensions["searchhub"].settings.report_limit
    form = _report_form(browser, "asylum-guide", "/search?q=asylum")
    for _ in range(limit):
        browser.submit(form, reason="irrelevant", status=302)
    response = browser.submit(form, reason="irrelevant", status=429)
    response = browser.submit(form, reason="irrelevant", status=429,
                              headers={"X-Requested-With": "fetch",
                                       "Accept": "application/json"})
    assert response.get_json()["error"]["status"] == 429
    assert len(_open_flags(data_dir)) == limit
    # Another address is not limited.
    other = browser.client.post(
        "/flag/asylum-guide", data={"reason": "other", "csrf_token": browser.xpath(
            form + "//input[@name='csrf_token']/@value")[0]},
        environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 302 and len(_open_flags(data_dir)) == limit + 1


def test_flag_without_reload_answers_json(browser, curator):
    browser.login()
    browser.get("/search?q=asylum")
    response = browser.submit("//li[@data-id='asylum-guide']//form[contains(@class, "
                              "'flag-form')]", reason="duplicate", status=200,
                              headers={"X-Requested-With": "fetch",
                                       "Accept": "application/json"})
    assert response.get_json() == {"ok": True, "message": "Flagged “Asylum procedures guide”."}


def test_a_script_gets_json_errors(browser, curator):
    """flag.js asks for JSON: a forged token, a wrong reason and a missing login come
    back as the app's one JSON error, never as an HTML page."""
    fetch = {"X-Requested-With": "fetch", "Accept": "application/json"}
    form = _report_form(browser, "asylum-guide", "/search?q=asylum")
    for values, status, words in (({"csrf_token": "forged"}, 400, "CSRF"),
                                  ({"reason": "wrong-metadata"}, 400, "choose a reason")):
        response = browser.submit(form, status=status, headers=fetch,
                                  **{"reason": "other", **values})
        assert response.mimetype == "application/json"
        error = response.get_json()["error"]
        assert error["status"] == status and words in error["message"]
    response = browser.client.post("/curate/action", headers=fetch, data={
        "csrf_token": browser.xpath(form + "//input[@name='csrf_token']/@value")[0]})
    assert response.status_code == 401
    assert response.get_json()["error"]["title"] == "Login required"
    # A browser without the script still gets the page.
    response = browser.submit(form, csrf_token="forged", status=400)
    assert response.mimetype == "text/html" and "CSRF" in response.get_data(as_text=True)


def test_report_page_and_csv(browser, curator, db):
    from searchhub.curation import automatic
    from searchhub.curation.handoff import DocSignals

    automatic.record(db, [DocSignals("remittances", "Remittances and development",
                                     "ilo-pubs", "ILO", ("no-date",))])
    browser.login()
    browser.get("/curate/report")
    row = browser.xpath("//table[contains(@class, 'quality')]//tr[@data-source='ilo-pubs']/td")
    # The share is formatted for the locale (Babel's percent format).
    assert [td.text_content() for td in row] == ["ilo-pubs", "2", "1", "50.0%"]
    response = browser.client.get("/curate/report.csv?table=quality")
    assert response.mimetype == "text/csv"
    assert "ilo-pubs,2,1,0.5" in response.get_data(as_text=True)
    activity = browser.client.get("/curate/report.csv").get_data(as_text=True)
    assert activity.splitlines()[0] == ("month,source,agency,curator_flags,public_flags,"
                                        "automatic_flags,actions")
    assert ",ilo-pubs,ILO,0,0,1,0" in activity


@pytest.mark.parametrize("next_url", ["/search?q=x\nSet-Cookie: a=b", "/search\r\n", "/x\x00"])
def test_a_line_break_in_next_never_fails_a_form(browser, curator, data_dir, next_url):
    form = _report_form(browser, "remittances", "/search?q=remittances")
    response = browser.submit(form, reason="broken-link", next=next_url, status=302)
    assert response.headers["Location"].endswith("/search")     # the search page instead
    assert "Set-Cookie: a" not in str(response.headers)
    assert _open_flags(data_dir) == [("remittances", "public", "broken-link")]
    browser.get("/login?next=" + quote(next_url))
    login = browser.submit("//form[contains(@action, '/login')]", name="cora",
                           password=PASSWORD)
    assert login.status_code == 302 and login.headers["Location"].endswith("/search")


def test_a_visitor_reports_with_a_token_fetched_when_the_form_opens(browser, new_browser,
                                                                    data_dir):
    """What flag.js does: the page's form has no token; the script fetches one (which
    starts the session) and sends the form with it. Without a token, or with another
    session's token, the report is refused."""
    fetch = {"X-Requested-With": "fetch", "Accept": "application/json"}
    response = browser.get("/search?q=remittances")
    assert "Set-Cookie" not in response.headers
    form = "//li[@data-id='remittances']//form[contains(@class, 'flag-form')]"
    token_url = browser.form(form).get("data-token")
    refused = browser.submit(form, reason="broken-link", status=400, headers=fetch)
    assert "CSRF" in refused.get_json()["error"]["message"]
    other_token = new_browser().client.get(token_url).get_json()["csrf_token"]
    browser.client.get(token_url)                  # this browser's session, and its token
    browser.submit(form, reason="broken-link", csrf_token=other_token, status=400,
                   headers=fetch)
    assert _open_flags(data_dir) == []
    answer = browser.client.get(token_url)
    assert answer.headers["Cache-Control"] == "no-store"
    sent = browser.submit(form, reason="broken-link", csrf_token=answer.get_json()["csrf_token"],
                          status=200, headers=fetch)
    assert sent.get_json()["ok"] is True
    assert _open_flags(data_dir) == [("remittances", "public", "broken-link")]


def test_the_report_page_keeps_the_query_rank_and_way_back(browser, data_dir):
    form = _report_form(browser, "remittances", "/search?q=remittances")
    assert browser.texts("//h1") == ["Report a problem with “Remittances and development”"]
    response = browser.submit(form, reason="broken-link", status=302)
    assert response.headers["Location"] == "/search?q=remittances"
    conn = database.connect(data_dir / "curation.sqlite")
    row = conn.execute("SELECT query, rank FROM flags").fetchone()
    conn.close()
    assert (row["query"], row["rank"]) == ("remittances", 1)
    browser.get("/flag/no-such-document", status=404)
