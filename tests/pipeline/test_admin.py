"""/admin/runs and /admin/sources: what operators see, behind the curators' login."""

from __future__ import annotations

import os
import shutil

import lxml.html
import pytest
from pipeline_helpers import LOREM_EN, registry

from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub import accounts, database
from searchhub.engine import Engine
from searchhub.settings import Settings
from searchhub.web import create_app

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _no_searchhub_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SEARCHHUB_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory, module_options):
    """Two real runs of a source (one document indexed, one failed), made once for the
    file's tests: (the registry, the data folder), read-only (``site`` copies it)."""
    tmp_path = tmp_path_factory.mktemp("admin-site")
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("SEARCHHUB_"):
                mp.delenv(name)
        return _build_site(tmp_path, module_options)


def _build_site(tmp_path, options):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Labour note\n\n" + LOREM_EN * 3, encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    path = registry(tmp_path / "sources.toml", f"""
[[source]]
id = "docs"
name = "Field documents"
agency = "ILO"
kind = "files"
path = "{folder}"
schedule = "0 3 * * *"

[[source]]
id = "quiet"
name = "Never indexed"
agency = "IOM"
kind = "feed"
url = "https://example.org/feed.xml"
""")
    data = tmp_path / "data"
    opts = type(options)(**{**options.__dict__, "data_dir": data})
    with Engine(data / "index") as engine:
        run(engine, load_sources(path)[:1], opts)
        run(engine, load_sources(path)[:1], opts)
    conn = database.connect(Settings.load({"data_dir": data, "sources": path}).curation_db)
    accounts.add(conn, "ops", PASSWORD, "admin")
    accounts.add(conn, "cur", PASSWORD, "curator")
    conn.close()
    return path, data


@pytest.fixture
def site(built_site, tmp_path):
    """The app over a copy of ``built_site``'s data folder."""
    path, built = built_site
    data = tmp_path / "data"
    shutil.copytree(built, data)
    return create_app({"data_dir": data, "sources": path})


def _login(client, name: str) -> None:
    page = lxml.html.fromstring(client.get("/login").get_data(as_text=True))
    token = page.xpath("//input[@name='csrf_token']/@value")[0]
    response = client.post("/login", data={"csrf_token": token, "name": name,
                                           "password": PASSWORD})
    assert response.status_code in (302, 303)


def test_admin_pages_need_an_admin_login(site):
    client = site.test_client()
    for path in ("/admin/runs", "/admin/sources", "/admin/runs/1"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    _login(client, "cur")
    assert client.get("/admin/runs").status_code == 403


def test_runs_and_sources_show_what_happened(site):
    client = site.test_client()
    _login(client, "ops")
    page = lxml.html.fromstring(client.get("/admin/runs").get_data(as_text=True))
    rows = page.xpath("//table[contains(@class, 'runs')]/tbody/tr")
    assert [r.get("data-status") for r in rows] == ["finished", "finished"]
    cells = [" ".join(td.text_content().split()) for td in rows[-1].xpath("td")]
    assert cells[5:11] == ["1", "0", "0", "0", "0", "1"]        # added ... failed
    detail = client.get("/admin/runs/1").get_data(as_text=True)
    assert "broken.pdf" in detail and "corrupt" in detail
    assert client.get("/admin/runs/99").status_code == 404
    sources = lxml.html.fromstring(client.get("/admin/sources").get_data(as_text=True))
    docs = sources.xpath("//tr[@data-id='docs']")[0]
    text = " ".join(docs.text_content().split())
    assert "0 3 * * *" in text and "#2" in text and "failed 1" in text
    assert docs.xpath("td")[5].text_content().strip() == "1"    # documents in the index
    quiet = " ".join(sources.xpath("//tr[@data-id='quiet']")[0].text_content().split())
    assert "never" in quiet


def _nav(client) -> list[str]:
    page = lxml.html.fromstring(client.get("/").get_data(as_text=True))
    return page.xpath("//nav[@class='account']/a/@href")


def test_admin_pages_are_linked_for_admins_only(site):
    admin, curator, visitor = (site.test_client() for _ in range(3))
    _login(admin, "ops")
    _login(curator, "cur")
    assert {"/admin/runs", "/admin/sources"} <= set(_nav(admin))
    assert not {"/admin/runs", "/admin/sources"} & set(_nav(curator) + _nav(visitor))
