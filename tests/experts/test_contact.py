"""The contact relay through HTTP and a real SMTP server on 127.0.0.1 (aiosmtpd): the
message reaches the expert with a copy to the writer, no address is shown, the
contact preference is honoured, and nothing is lost while the server is down."""

from __future__ import annotations

import email
import email.policy

import lxml.html
import pytest
from aiosmtpd.controller import Controller
from live_server import free_port

from searchhub import accounts, database
from searchhub.experts import outbox, store
from searchhub.web import create_app

from .conftest import PASSWORD, FormBrowser


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp(smtp_port):
    """``smtp()``: start a real SMTP server on ``smtp_port``; returns its inbox."""
    controllers = []

    def start() -> Inbox:
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return inbox
    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def app(experts_dir, smtp_port):
    conn = database.connect(experts_dir / "curation.sqlite")
    accounts.add(conn, "ada", PASSWORD, "admin")
    accounts.add(conn, "mo", PASSWORD, "member")
    conn.close()
    return create_app({"data_dir": experts_dir, "secret_key": "test-secret",
                       "smtp_host": "127.0.0.1", "smtp_port": smtp_port,
                       "smtp_sender": "hub@example.net"})


def write(browser, key: str, **values):
    browser.get(f"/experts/{key}")
    fields = {"name": "Rosa Writer", "email": "rosa@example.com",
              "subject": "Your report", "message": "Could we talk about reintegration?"}
    return browser.submit("//form[contains(@class, 'contact-form')]", **{**fields, **values})


def waiting(app) -> list:
    conn = database.connect(app.extensions["searchhub"].settings.curation_db)
    try:
        return outbox.waiting(conn)
    finally:
        conn.close()


def test_a_message_is_relayed_to_the_expert_with_a_copy_to_the_writer(app, smtp):
    inbox = smtp()
    visitor = FormBrowser(app.test_client())
    response = write(visitor, "example-awa-ndiaye")
    assert response.status_code == 302
    page = visitor.follow(response).get_data(as_text=True)
    assert "on its way" in page and "awa.ndiaye@example.org" not in page
    to_expert, copy = sorted(inbox.messages, key=lambda m: m["Subject"].startswith("Copy"))
    assert to_expert["To"] == "awa.ndiaye@example.org"
    assert to_expert["Reply-To"] == "rosa@example.com"
    assert to_expert["From"] == "hub@example.net"
    assert "Could we talk about reintegration?" in to_expert.get_content()
    assert copy["To"] == "rosa@example.com"
    assert "awa.ndiaye" not in copy.as_string()       # the writer never sees the address
    assert waiting(app) == []


def test_nothing_is_lost_while_the_server_is_down(app, smtp, log_in):
    visitor = FormBrowser(app.test_client())
    assert write(visitor, "example-awa-ndiaye").status_code == 302      # accepted anyway
    [first, second] = waiting(app)
    assert first["attempts"] == 1 and "Connection" in first["last_error"]
    # the admin sees what waits, and why
    admin = FormBrowser(app.test_client())
    log_in(admin, "ada")
    admin.get("/admin/outbox")
    assert len(admin.xpath("//table[@class='outbox']/tbody/tr")) == 2
    assert "Connection" in admin.texts("//td[@class='error']")[0]
    # trying again while the server is still down keeps them, and waits longer
    admin.follow(admin.submit("//form[.//button[contains(., 'send them now')]]"))
    again = waiting(app)
    assert [m["attempts"] for m in again] == [2, 2]
    assert again[0]["next_attempt"] - first["next_attempt"] > 0
    # the server comes back: the next try delivers both, and the outbox is empty
    inbox = smtp()
    admin.follow(admin.submit("//form[.//button[contains(., 'send them now')]]"))
    assert sorted(m["To"] for m in inbox.messages) == ["awa.ndiaye@example.org",
                                                      "rosa@example.com"]
    assert waiting(app) == []
    admin.get("/admin/outbox")
    assert "Every message was sent." in admin.texts("//p")


def test_the_send_command_retries_the_outbox(app, smtp, smtp_port, cli, monkeypatch):
    visitor = FormBrowser(app.test_client())
    write(visitor, "example-karim-haddad")                  # the server is down
    data_dir = app.extensions["searchhub"].settings.data_dir
    inbox = smtp()
    monkeypatch.setenv("SEARCHHUB_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SEARCHHUB_SMTP_PORT", str(smtp_port))
    not_due = cli(data_dir, "experts", "send")
    assert "0 sent, 0 still waiting" in not_due.output      # backing off
    result = cli(data_dir, "experts", "send", "--all")
    assert "2 sent, 0 still waiting" in result.output, result.output
    assert len(inbox.messages) == 2


def test_the_contact_preference_is_honoured(app, smtp, log_in):
    smtp()
    visitor = FormBrowser(app.test_client())
    visitor.get("/experts/example-mei-tanaka")                # contact: none
    assert not visitor.xpath("//form[contains(@class, 'contact-form')]")
    visitor.get("/experts/example-lucia-herrera")             # contact: members
    assert not visitor.xpath("//form[contains(@class, 'contact-form')]")
    visitor.get("/experts/example-awa-ndiaye")                # contact: anyone
    token = visitor.xpath("//form[contains(@class, 'contact-form')]"
                          "//input[@name='csrf_token']/@value")[0]
    for key in ("example-mei-tanaka", "example-lucia-herrera"):
        response = visitor.client.post(f"/experts/{key}/contact", data={
            "csrf_token": token, "name": "R", "email": "r@example.com", "subject": "s",
            "message": "m"})
        assert response.status_code == 403, key
    member = FormBrowser(app.test_client())
    log_in(member, "mo")
    assert write(member, "example-lucia-herrera").status_code == 302
    assert visitor.client.post("/experts/example-awa-ndiaye/contact", data={
        "name": "R", "email": "r@example.com", "subject": "s", "message": "m"}
    ).status_code == 400                                       # no CSRF token


def test_every_problem_is_reported_and_what_was_typed_is_kept(app, smtp):
    smtp()
    visitor = FormBrowser(app.test_client())
    response = write(visitor, "example-awa-ndiaye", email="not an address", subject="")
    assert response.status_code == 400
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    problems = [" ".join(li.text_content().split())
                for li in tree.xpath("//div[@id='problems']//li")]
    assert problems == ["Email: not an e-mail address", "Subject: required"]
    assert tree.xpath("//textarea[@name='message']/text()") == [
        "Could we talk about reintegration?"]
    assert waiting(app) == []


def test_messages_are_rate_limited_per_address_and_per_expert(app, smtp):
    smtp()
    limit = app.extensions["searchhub"].settings.contact_limit
    visitor = FormBrowser(app.test_client())
    for _ in range(limit):
        assert write(visitor, "example-awa-ndiaye").status_code == 302
    assert write(visitor, "example-awa-ndiaye").status_code == 429


def test_removing_an_expert_removes_the_messages_waiting_for_them(app, log_in):
    visitor = FormBrowser(app.test_client())
    write(visitor, "example-awa-ndiaye")                     # the server is down
    assert len(waiting(app)) == 2
    conn = database.connect(app.extensions["searchhub"].settings.curation_db)
    try:
        store.remove(conn, "example-awa-ndiaye", "cora")
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert waiting(app) == []
    assert "awa.ndiaye" not in dump and "Rosa Writer" not in dump
    assert "awa-ndiaye" not in dump and "Ndiaye" not in dump


def test_an_expert_receives_only_so_many_messages_per_window(experts_dir, smtp_port, smtp):
    smtp()
    app = create_app({"data_dir": experts_dir, "secret_key": "test-secret",
                      "smtp_host": "127.0.0.1", "smtp_port": smtp_port,
                      "contact_expert_limit": 1, "contact_limit": 10})
    first, second = FormBrowser(app.test_client()), FormBrowser(app.test_client())
    assert write(first, "example-karim-haddad").status_code == 302
    refused = write(second, "example-karim-haddad", email="other@example.com")
    assert refused.status_code == 429
    assert "received many messages" in refused.get_data(as_text=True)
    assert write(second, "example-awa-ndiaye", email="other@example.com").status_code == 302


def test_a_message_written_on_a_french_page_is_relayed_in_french(app, smtp):
    inbox = smtp()
    visitor = FormBrowser(app.test_client())
    visitor.get("/experts?lang=fr")                 # the language chosen with the switch
    response = write(visitor, "example-awa-ndiaye")
    assert response.status_code == 302
    to_expert, copy = sorted(inbox.messages, key=lambda m: m["Subject"].startswith("Copie"))
    body = to_expert.get_content()
    assert "Rosa Writer <rosa@example.com> vous a écrit par l’annuaire des experts" in body
    assert "Could we talk about reintegration?" in body          # the message as written
    assert "Votre adresse n’est pas affichée sur le site." in body
    assert to_expert["Subject"] == "[searchhub] Your report"
    assert copy["Subject"] == "Copie : [searchhub] Your report"
    assert copy.get_content().startswith("Une copie de votre message à ")
    # an English page still writes English
    english = FormBrowser(app.test_client())
    english.get("/experts?lang=en")
    write(english, "example-karim-haddad")
    assert any("wrote to you through the experts directory" in m.get_content()
               for m in inbox.messages)


def test_contact_form_problems_are_in_the_page_language(app, smtp):
    smtp()
    visitor = FormBrowser(app.test_client())
    visitor.get("/experts?lang=ar")
    response = write(visitor, "example-awa-ndiaye", email="not an address", subject="")
    assert response.status_code == 400
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    problems = [" ".join(li.text_content().split())
                for li in tree.xpath("//div[@id='problems']//li")]
    assert [p.split(": ", 1)[1] for p in problems] == ["ليس عنوان بريد إلكتروني", "مطلوب"]
