"""Login and logout pages, sessions, CSRF and lock-out, through HTTP."""

from __future__ import annotations

from searchhub import accounts

from .conftest import PASSWORD


def test_visitors_search_as_before(browser):
    browser.get("/search?q=asylum")
    assert browser.xpath("//li[contains(@class, 'hit')]")
    assert browser.texts("//nav[@class='account']//a") == ["Log in"]


def test_login_and_logout(browser, curator):
    browser.login()
    assert "cora" in browser.texts("//nav[@class='account']")[0]
    response = browser.submit("//form[@class='logout']", status=302)
    browser.follow(response)
    assert browser.texts("//nav[@class='account']//a") == ["Log in"]
    assert "You are logged out." in browser.texts("//p[@class='notice']")


def test_session_cookie_settings(browser, curator):
    browser.get("/login")
    response = browser.submit("//form", name="cora", password=PASSWORD, status=302)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Location"] == "/search"


def test_secure_cookie_when_configured(data_dir, curator):
    from searchhub.web import create_app

    from .conftest import Browser
    app = create_app({"data_dir": data_dir, "secret_key": "k", "cookie_secure": True})
    browser = Browser(app.test_client())
    browser.get("/login")
    response = browser.submit("//form", name="cora", password=PASSWORD, status=302)
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_password(browser, curator):
    browser.get("/login")
    response = browser.submit("//form", name="cora", password="not the password", status=401)
    assert "Wrong name or password" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_rejected(browser, curator):
    browser.get("/login")
    response = browser.submit("//form", name="cora", password=PASSWORD, csrf_token="")
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    response = browser.submit("//form", name="cora", password=PASSWORD, csrf_token="forged")
    assert response.status_code == 400


def test_repeated_failures_lock_the_name(browser, curator, app):
    limit = app.extensions["searchhub"].settings.login_max_failures
    browser.get("/login")
    for _ in range(limit):
        browser.submit("//form", name="cora", password="guess guess guess", status=401)
    # Now even the right password is refused for a while.
    response = browser.submit("//form", name="cora", password=PASSWORD, status=429)
    assert "Too many failed logins" in response.get_data(as_text=True)
    # Another name is not affected.
    from searchhub import database
    conn = database.connect(app.extensions["searchhub"].settings.curation_db)
    accounts.add(conn, "ada", PASSWORD, "admin")
    conn.close()
    browser.submit("//form", name="ada", password=PASSWORD, status=302)


def test_lockout_ends_after_the_window(data_dir, curator):
    from searchhub import database
    from searchhub.web import create_app

    from .conftest import Browser
    app = create_app({"data_dir": data_dir, "secret_key": "k", "login_max_failures": 2,
                      "login_lockout_minutes": 10})
    browser = Browser(app.test_client())
    browser.get("/login")
    for _ in range(2):
        browser.submit("//form", name="cora", password="guess guess guess", status=401)
    response = browser.submit("//form", name="cora", password=PASSWORD, status=429)
    assert "Try again in about 10 minutes" in response.get_data(as_text=True)

    def age_failures(seconds: float) -> None:
        """Move the recorded failures back in time, as if ``seconds`` had passed."""
        conn = database.connect(data_dir / "curation.sqlite")
        conn.execute("UPDATE attempts SET at = at - ? WHERE key = 'cora'", (seconds,))
        conn.close()

    age_failures(9 * 60)                   # still inside the window: still locked
    response = browser.submit("//form", name="cora", password=PASSWORD, status=429)
    assert "Try again in about 1 minute." in response.get_data(as_text=True)
    age_failures(61)                       # past the window: the name is free again
    browser.submit("//form", name="cora", password=PASSWORD, status=302)


def test_next_is_followed_only_within_the_site(browser, curator):
    browser.get("/login?next=/doc/asylum-guide")
    response = browser.submit("//form", name="cora", password=PASSWORD, status=302)
    assert response.headers["Location"] == "/doc/asylum-guide"
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        browser.client.post("/logout", data={})   # (CSRF-less logout is refused; fine)
        browser.client.delete_cookie("searchhub_session")
        browser.get("/login?next=" + target)
        response = browser.submit("//form", name="cora", password=PASSWORD, status=302)
        assert response.headers["Location"] == "/search", target


def test_logout_needs_post_and_csrf(browser, curator):
    browser.login()
    assert browser.client.get("/logout").status_code == 405
    assert browser.client.post("/logout", data={}).status_code == 400
    browser.get("/search")
    assert "cora" in browser.texts("//nav[@class='account']")[0]


def test_disabled_account_loses_its_session(browser, curator, db):
    browser.login()
    accounts.set_disabled(db, "cora")
    browser.get("/search")
    assert browser.texts("//nav[@class='account']//a") == ["Log in"]


def _is_logged_in(browser) -> bool:
    browser.get("/")
    return browser.texts("//nav[@class='account']//a") != ["Log in"]


def test_logout_ends_every_session_of_the_account(browser, new_browser, curator):
    other = new_browser().login()                     # the same curator, another browser
    browser.login()
    copied = browser.client.get_cookie("searchhub_session").value
    response = browser.submit("//form[@class='logout']", status=302)
    assert not _is_logged_in(browser)
    assert not _is_logged_in(other)
    thief = new_browser()                             # the cookie copied before logout
    thief.client.set_cookie("searchhub_session", copied)
    assert not _is_logged_in(thief)
    assert response.status_code == 302


def test_password_role_and_disable_end_sessions(browser, curator, db):
    for change in (lambda: accounts.set_password(db, "cora", PASSWORD),
                   lambda: accounts.set_role(db, "cora", "admin"),
                   lambda: accounts.set_disabled(db, "cora", False)):
        browser.login()
        assert _is_logged_in(browser)
        change()
        assert not _is_logged_in(browser)


def _login_app(data_dir, **settings):
    from searchhub.web import create_app

    app = create_app({"data_dir": data_dir, "secret_key": "k", **settings})
    app.config["WTF_CSRF_ENABLED"] = False        # many clients post at once, no forms
    return app


def test_parallel_guesses_cannot_pass_the_limit(data_dir, curator):
    from concurrent.futures import ThreadPoolExecutor

    app = _login_app(data_dir, login_max_failures=5)

    def guess(n: int) -> int:
        with app.test_client() as client:
            return client.post("/login", data={"name": "cora",
                                               "password": f"guess number {n}"}).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(guess, range(40)))
    assert statuses.count(401) == 5                  # five passwords were checked, no more
    assert statuses.count(429) == 35


def test_one_address_cannot_lock_out_every_name(data_dir, curator):
    from searchhub.web.auth import ADDRESS_FACTOR

    app = _login_app(data_dir, login_max_failures=2)
    client = app.test_client()
    here, elsewhere = {"REMOTE_ADDR": "10.1.1.1"}, {"REMOTE_ADDR": "10.2.2.2"}
    for n in range(ADDRESS_FACTOR * 2):              # other names, so no name is locked
        assert client.post("/login", data={"name": f"nobody{n}", "password": "x" * 12},
                           environ_base=here).status_code == 401
    refused = client.post("/login", data={"name": "cora", "password": PASSWORD},
                          environ_base=here)
    assert refused.status_code == 429
    assert "from this address" in refused.get_data(as_text=True)
    assert client.post("/login", data={"name": "cora", "password": PASSWORD},
                       environ_base=elsewhere).status_code == 302


def test_the_login_name_is_an_account_name_in_each_language(browser):
    # Its own message context: in Chinese a user name (用户名), where an expert's name
    # or a contact's is a name (名称).
    browser.get("/login?lang=zh")
    assert browser.texts("//label[@for='name']") == ["用户名"]
    browser.get("/login?lang=ru")
    assert browser.texts("//label[@for='name']") == ["Имя пользователя"]
    browser.get("/login?lang=en")
    assert browser.texts("//label[@for='name']") == ["Name"]
