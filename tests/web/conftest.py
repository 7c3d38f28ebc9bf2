"""Fixtures for the web, API and CLI tests.

The demo corpus (its size is counted in ``demo_corpus``) is indexed once per run
through the real pipeline (``demo_index_dir``), and copied into a temporary folder of
the session; that index is read-only for every test. Tests that need other documents
build a tiny index of their own with ``make_app``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urljoin

import lxml.html  # a dependency of trafilatura
import pytest
from demo_corpus import DEMO_COUNT
from flask import Flask
from flask.testing import FlaskClient

from searchhub.engine import Engine
from searchhub.models import Document
from searchhub.web import create_app

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def _no_searchhub_environment():
    """The developer's own SEARCHHUB_* variables must not steer these tests (the test
    suite's own SEARCHHUB_TEST_* stay, for the tests of other folders run after these
    in the same session)."""
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("SEARCHHUB_") and not name.startswith("SEARCHHUB_TEST_"):
                mp.delenv(name)
        yield


@pytest.fixture(scope="session")
def demo_data_dir(demo_index_copy, _no_searchhub_environment) -> Path:
    """A data folder holding the demo corpus indexed by the real pipeline (read-only):
    this worker's copy of the run's one build (``demo_index_dir``)."""
    data_dir = demo_index_copy("demo-data")
    with Engine(data_dir / "index") as engine:
        assert engine.count() == DEMO_COUNT
    return data_dir


@pytest.fixture(scope="session")
def app(demo_data_dir) -> Flask:
    from searchhub import database
    from searchhub.collections.seed import seed

    conn = database.connect(demo_data_dir / "curation.sqlite")   # the seeded collection
    seed(conn, REPO / "corpus" / "collections.toml")
    conn.close()
    return create_app({"data_dir": demo_data_dir})


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


def _make_doc(doc_id: str, title: str, text: str, **fields) -> Document:
    defaults = {"url": f"https://example.org/{doc_id}", "source_id": "tiny", "agency": "IOM",
                "language": "en", "format": "html", "type": "Report",
                "date": dt.date(2021, 5, 4), "content_hash": f"hash-{doc_id}"}
    defaults.update(fields)
    return Document(id=doc_id, title=title, pages=[text], **defaults)


@pytest.fixture
def make_doc() -> Callable[..., Document]:
    """``make_doc(id, title, text, **fields)``: a Document with sensible defaults."""
    return _make_doc


@pytest.fixture
def make_app(tmp_path) -> Callable[[Iterable[Document]], Flask]:
    """An app over a fresh index in tmp_path holding only ``docs``."""
    def build(docs: Iterable[Document]) -> Flask:
        data_dir = tmp_path / "data"
        with Engine(data_dir / "index").writer(timeout=5.0) as writer:
            for doc in docs:
                writer.add(doc)
        return create_app({"data_dir": data_dir})
    return build


class Page:
    """A fetched HTML page, parsed, with the URL it came from (to follow links)."""

    def __init__(self, response, url: str):
        assert response.status_code == 200, (url, response.status_code)
        assert response.mimetype == "text/html"
        self.url = url
        self.text = response.get_data(as_text=True)
        self.tree = lxml.html.fromstring(self.text)

    def xpath(self, expr: str) -> list:
        return self.tree.xpath(expr)

    def texts(self, expr: str) -> list[str]:
        return [" ".join(el.text_content().split()) for el in self.xpath(expr)]

    def href(self, expr: str) -> str:
        links = self.xpath(expr)
        assert len(links) == 1, f"{len(links)} links match {expr} on {self.url}"
        return urljoin(self.url, links[0].get("href"))

    @property
    def hit_ids(self) -> list[str]:
        return [li.get("data-id") for li in self.xpath("//li[contains(@class, 'hit')]")]

    def facet_link(self, facet: str, value: str) -> str:
        return self.href(f"//a[@data-facet='{facet}'][@data-value='{value}']")

    def facet_counts(self, facet: str) -> dict[str, int]:
        return {a.get("data-value"): int(a.xpath("string(.//span[@class='count'])")
                                         .replace(",", ""))
                for a in self.xpath(f"//section[@id='facet-{facet}']//a[@data-value]")}


@pytest.fixture
def get_page(client) -> Callable[[str], Page]:
    """Fetch a URL of the demo app as a parsed Page."""
    def get(url: str) -> Page:
        return Page(client.get(url), urljoin("http://localhost/", url))
    return get


@pytest.fixture
def api(client) -> Callable[..., dict]:
    """GET a URL of the demo app's API; checks the status and returns the JSON."""
    def get(url: str, status: int = 200) -> dict:
        response = client.get(url)
        assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
        assert response.mimetype == "application/json"
        return response.get_json()
    return get
