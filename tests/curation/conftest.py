"""Fixtures for accounts and curation: a fresh index and curation database per test,
a tiny corpus, and a ``Browser`` that drives the app through HTTP as a person would
(reading each form's CSRF token from the page it fetched)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from urllib.parse import urljoin

import lxml.html  # a dependency of trafilatura
import pytest

from searchhub import accounts, database
from searchhub.engine import Engine
from searchhub.models import Document
from searchhub.web import create_app

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _no_searchhub_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SEARCHHUB_"):
            monkeypatch.delenv(name)


def make_doc(doc_id: str, title: str, text: str, **fields) -> Document:
    defaults = {"url": f"https://example.org/{doc_id}", "source_id": "tiny", "agency": "IOM",
                "language": "en", "format": "html", "type": "Report",
                "date": dt.date(2021, 5, 4), "content_hash": f"hash-{doc_id}",
                "themes": ["Labour migration"], "regions": ["Africa"]}
    defaults.update(fields)
    return Document(id=doc_id, title=title, pages=[text], **defaults)


def tiny_corpus() -> list[Document]:
    return [
        make_doc("asylum-guide", "Asylum procedures guide",
                 "Asylum procedures and appeals for refugees at the border. " * 5,
                 agency="UNHCR", themes=["Forced displacement"], source_id="unhcr-pubs"),
        make_doc("asylum-brief", "Asylum brief",
                 "A short brief on asylum, refugees and protection. " * 4,
                 agency="UNHCR", themes=["Forced displacement"], source_id="unhcr-pubs"),
        make_doc("asylum-copy", "Asylum brief (copy)",
                 "A short brief on asylum, refugees and protection. " * 4,
                 agency="UNHCR", themes=["Forced displacement"], source_id="unhcr-web"),
        make_doc("labour-report", "Labour migration report",
                 "Labour migration, recruitment fees and remittances; asylum is mentioned. "
                 * 5, agency="ILO", source_id="ilo-pubs"),
        make_doc("remittances", "Remittances and development",
                 "Remittances sent home by migrant workers support development. " * 5,
                 agency="ILO", source_id="ilo-pubs"),
    ]


def write_index(index_dir: Path, docs) -> None:
    with Engine(index_dir) as engine, engine.writer(timeout=5.0) as writer:
        for doc in docs:
            writer.add(doc)


def rebuild(index_dir: Path, docs) -> None:
    """Delete the index and build it again from scratch, as a full rebuild does.

    Two commits, as a run commits every SEARCHHUB_COMMIT_EVERY documents: an open
    Engine notices a new index by its generation number, and a one-commit rebuild
    would have the same number as the one-commit index it replaces."""
    shutil.rmtree(index_dir)
    docs = list(docs)
    with Engine(index_dir) as engine:
        for part in (docs[:1], docs[1:]):
            with engine.writer(timeout=5.0) as writer:
                for doc in part:
                    writer.add(doc)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    data = tmp_path / "data"
    write_index(data / "index", tiny_corpus())
    return data


@pytest.fixture
def db(data_dir):
    conn = database.connect(data_dir / "curation.sqlite")
    yield conn
    conn.close()


@pytest.fixture
def curator(db):
    return accounts.add(db, "cora", PASSWORD, "curator")


@pytest.fixture
def app(data_dir):
    return create_app({"data_dir": data_dir, "secret_key": "test-secret"})


class Browser:
    """A person with a browser: fetches pages, fills in forms found on them."""

    def __init__(self, client):
        self.client = client
        self.page = None
        self.url = "http://localhost/"

    def get(self, url: str, status: int = 200):
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code,
                                                response.get_data(as_text=True)[:300])
        self.url = urljoin("http://localhost/", url)
        if response.mimetype == "text/html":
            self.page = lxml.html.fromstring(response.get_data(as_text=True))
        return response

    def xpath(self, expr: str):
        return self.page.xpath(expr)

    def texts(self, expr: str) -> list[str]:
        return [" ".join(el.text_content().split()) for el in self.xpath(expr)]

    def form(self, expr: str):
        forms = self.xpath(expr)
        assert len(forms) == 1, f"{len(forms)} forms match {expr}"
        return forms[0]

    def submit(self, expr: str, status: int | None = None, headers=None, **values):
        """Submit the one form matching ``expr`` with its own fields, overridden by values."""
        form = self.form(expr)
        data = {}
        for el in form.xpath(".//input|.//select|.//textarea"):
            name = el.get("name")
            if not name or el.get("type") in ("submit", "button"):
                continue
            if el.get("type") in ("checkbox", "radio") and el.get("checked") is None:
                continue
            if el.tag == "select":
                chosen = el.xpath("./option[@selected]") or el.xpath("./option")
                data[name] = chosen[0].get("value", chosen[0].text) if chosen else ""
            elif el.tag == "textarea":
                data[name] = el.text or ""
            else:
                data[name] = el.get("value", "")
        data.update({k: v for k, v in values.items()})
        action = urljoin(self.url, form.get("action") or self.url)
        response = self.client.post(action, data=data, headers=headers or {})
        if status is not None:
            assert response.status_code == status, (action, response.status_code,
                                                    response.get_data(as_text=True)[:500])
        return response

    def follow(self, response, status: int = 200):
        assert response.status_code in (302, 303), response.status_code
        return self.get(response.headers["Location"], status)

    def login(self, name: str = "cora", password: str = PASSWORD):
        self.get("/login")
        self.follow(self.submit("//form[contains(@action, '/login')]", name=name,
                                password=password, status=302))
        return self


@pytest.fixture
def browser(app):
    return Browser(app.test_client())


@pytest.fixture
def new_browser(app):
    """Another person with their own browser (own cookies)."""
    return lambda: Browser(app.test_client())
