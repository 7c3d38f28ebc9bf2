"""Fixtures for members' uploads: a data folder with a tiny public index, a registry
folder with a workstream template, members (one a lead), a curator, and a browser
that fills in forms as a person does (files, multiple choices, CSRF)."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from urllib.parse import urljoin

import lxml.html  # a dependency of trafilatura
import pytest

from searchhub import accounts, database
from searchhub.engine import Engine
from searchhub.members import store as members_store
from searchhub.models import Document
from searchhub.web import create_app

PASSWORD = "correct horse battery"

WORKSTREAMS = """
[[group]]
id = "ws-knowledge"
name = "Knowledge platform workstream"
kind = "workstream"
description = "Feeds the knowledge platform."
leads = ["lena"]

[group.template]
required = ["title", "agency", "language", "date", "themes"]
file_types = ["pdf", "docx", "html", "text"]
max_mb = 0.1
visibility = "public"

[group.template.allowed]
agency = ["IOM", "UNHCR", "UN Network on Migration"]
licence = ["CC BY 4.0", "All rights reserved"]

[group.template.defaults]
agency = "UN Network on Migration"
language = "en"
licence = "CC BY 4.0"

[[group]]
id = "wg-data"
name = "Working group on migration data"
kind = "working-group"
"""


@pytest.fixture(autouse=True)
def _no_searchhub_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SEARCHHUB_"):
            monkeypatch.delenv(name)


def _make_site(root: Path) -> None:
    """A small site's folders under ``root``: data (a tiny public index, accounts and
    groups) and registry (sources and workstreams)."""
    data = root / "data"
    with Engine(data / "index") as engine, engine.writer(timeout=5.0) as writer:
        writer.add(Document(id="tiny-public", title="Public report on return",
                            url="https://example.org/r", source_id="tiny", agency="IOM",
                            pages=["Return and reintegration. " * 10], language="en",
                            content_hash="h"))
    registry = root / "registry"
    (registry / "files").mkdir(parents=True)
    (registry / "sources.toml").write_text(
        '[[source]]\nid = "tiny"\nname = "Tiny"\nagency = "IOM"\nkind = "files"\n'
        'path = "files"\n', encoding="utf-8")
    (registry / "workstreams.toml").write_text(WORKSTREAMS, encoding="utf-8")
    conn = database.connect(data / "curation.sqlite")
    mia = accounts.add(conn, "mia", PASSWORD, "member")
    members_store.set_groups(conn, mia.id, ["ws-knowledge"])
    lena = accounts.add(conn, "lena", PASSWORD, "member")
    members_store.set_groups(conn, lena.id, ["ws-knowledge", "wg-data"])
    accounts.add(conn, "cora", PASSWORD, "curator")
    conn.close()


@pytest.fixture(scope="session")
def site_template(tmp_path_factory) -> Path:
    """The small site's folders made once per session (hashing the three accounts'
    passwords costs more than the rest of a test's set-up); ``site`` copies them."""
    root = tmp_path_factory.mktemp("site-template")
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("SEARCHHUB_"):
                mp.delenv(name)
        _make_site(root)
    return root


@pytest.fixture
def site(site_template, tmp_path) -> dict:
    """The folders and settings of a small site: data, registry, accounts (a fresh
    copy of ``site_template`` in tmp_path)."""
    for name in ("data", "registry"):
        shutil.copytree(site_template / name, tmp_path / name)
    data, registry = tmp_path / "data", tmp_path / "registry"
    return {"data_dir": data, "sources": registry / "sources.toml",
            "secret_key": "test-secret", "workers": 1}


@pytest.fixture
def app(site):
    return create_app(dict(site))


class Browser:
    """A person with a browser: fetches pages, fills in the forms found on them."""

    def __init__(self, client):
        self.client = client
        self.page = None
        self.url = "http://localhost/"

    def get(self, url: str, status: int = 200):
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code,
                                                response.get_data(as_text=True)[:300])
        self.url = urljoin("http://localhost/", url)
        self.read(response)
        return response

    def read(self, response):
        if response.mimetype == "text/html" and response.status_code not in (301, 302, 303):
            self.page = lxml.html.fromstring(response.get_data(as_text=True))

    def xpath(self, expr: str):
        return self.page.xpath(expr)

    def texts(self, expr: str) -> list[str]:
        return [" ".join(el.text_content().split()) for el in self.xpath(expr)]

    def fields(self, expr: str) -> dict:
        """The values the form matching ``expr`` would send as it is."""
        forms = self.xpath(expr)
        assert len(forms) == 1, f"{len(forms)} forms match {expr}"
        data: dict = {}
        for el in forms[0].xpath(".//input|.//select|.//textarea"):
            name = el.get("name")
            if not name or el.get("type") in ("submit", "button", "file"):
                continue
            if el.tag == "select":
                chosen = [o.get("value", o.text) for o in el.xpath("./option[@selected]")]
                if el.get("multiple") is not None:
                    data[name] = chosen
                else:
                    data[name] = chosen[0] if chosen else (
                        el.xpath("./option")[0].get("value", "") if el.xpath("./option")
                        else "")
            elif el.tag == "textarea":
                data[name] = el.text or ""
            else:
                data[name] = el.get("value", "")
        return data

    def submit(self, expr: str, status: int | None = None, **values):
        """Submit the one form matching ``expr``: its own fields, overridden by values
        (a file is ``(bytes, name)``)."""
        data = self.fields(expr)
        for key, value in values.items():
            data[key] = (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
        action = urljoin(self.url, self.xpath(expr)[0].get("action") or self.url)
        response = self.client.post(action, data=data)
        if status is not None:
            assert response.status_code == status, (action, response.status_code,
                                                    response.get_data(as_text=True)[:800])
        self.read(response)
        return response

    def follow(self, response, status: int = 200):
        assert response.status_code in (302, 303), response.status_code
        return self.get(response.headers["Location"], status)

    def login(self, name: str, password: str = PASSWORD):
        self.get("/login")
        self.follow(self.submit("//form[contains(@action, '/login')]", name=name,
                                password=password, status=302))
        return self


@pytest.fixture
def browser(app):
    return lambda: Browser(app.test_client())


def make_pdf(text: str, title: str = "") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def make_docx(title: str, paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def search_ids(browser: Browser, text: str) -> list[str]:
    browser.get(f"/search?q={text}")
    return [li.get("data-id") for li in browser.xpath("//li[contains(@class, 'hit')]")]


REPO = Path(__file__).resolve().parents[2]


def eventually(check, limit: float = 120.0):
    """``check()`` again every tenth of a second until it is true or ``limit`` seconds
    passed; its last value (publishing runs in the background: bounded, not timed)."""
    import time

    deadline = time.monotonic() + limit
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)
