"""Documents of a folder source never show the server's files to visitors: with
``public_url`` they link to where the folder is published, without it to their
document page; no ``file:`` URL or server path appears in the pages, the API, the
Atom feed or the CSV, RIS and BibTeX exports. The folders are indexed by the real
pipeline; the app is asked through its test client."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote

import pytest

from indexer.pipeline import RunOptions, run
from indexer.sources import load_sources
from searchhub.engine import Engine
from searchhub.errors import ConfigError
from searchhub.models import Document
from searchhub.web import create_app

REPO = Path(__file__).resolve().parents[2]
TEXT = ("Seasonal agricultural workers and their recruitment in the Mediterranean: fees, "
        "contracts and the return home after the harvest. ")


def _write(path: Path, title: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{TEXT * 4}", encoding="utf-8")


@pytest.fixture
def folder_app(tmp_path):
    """An app over two folder sources, one published at a public URL, one not, and a
    document an older indexer wrote with a file: URL."""
    server = tmp_path / "srv-private-share"
    _write(server / "local" / "Field note.txt", "Field note on seasonal work")
    _write(server / "published" / "annual reports" / "Report 2023.txt",
           "Annual report on seasonal work")
    (tmp_path / "sources.toml").write_text(f"""
[[source]]
id = "local"
name = "Local folder"
agency = "ILO"
kind = "files"
path = "{server / 'local'}"

[[source]]
id = "published"
name = "Published folder"
agency = "IOM"
kind = "files"
path = "{server / 'published'}"
public_url = "https://docs.example.org/pubs"
""", encoding="utf-8")
    data_dir = tmp_path / "data"
    with Engine(data_dir / "index") as engine:
        report = run(engine, load_sources(tmp_path / "sources.toml"),
                     RunOptions(taxonomy_dir=REPO / "corpus" / "taxonomy", workers=1))
        assert report.total("added") == 2 and report.failed == 0
        with engine.writer(timeout=5.0) as writer:
            writer.add(Document(
                id="legacy-old.txt", title="Legacy note on seasonal work",
                url=(server / "legacy" / "old.txt").as_uri(), source_id="legacy",
                agency="UNHCR", pages=[TEXT * 4], language="en", format="text",
                also_at=[{"source": "other", "agency": "X",
                          "url": (server / "copy.txt").as_uri()}],
                location=str(server / "legacy" / "old.txt")))
    return create_app({"data_dir": data_dir}), server


def test_no_file_url_or_server_path_reaches_visitors(folder_app):
    app, server = folder_app
    client = app.test_client()
    search = client.get("/api/search?q=seasonal").get_json()
    ids = sorted(h["id"] for h in search["hits"])
    assert len(ids) == 3
    urls = ["/search?q=seasonal", "/api/search?q=seasonal", "/search.atom?q=seasonal",
            "/search.csv?q=seasonal", "/search.ris?q=seasonal", "/search.bib?q=seasonal"]
    urls += [f"/doc/{i}" for i in ids] + [f"/api/doc/{i}" for i in ids]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert "file:" not in body, url
        assert "srv-private-share" not in body and str(server) not in body, url

    # Without public_url, the link is the document page; with it, the published file.
    by_source = {h["source"]: h for h in search["hits"]}
    published = "https://docs.example.org/pubs/annual%20reports/Report%202023.txt"
    assert by_source["published"]["url"] == published
    for source in ("local", "legacy"):
        hit = by_source[source]
        assert hit["url"] == f"http://localhost/doc/{quote(hit['id'])}"
        assert client.get(f"/api/doc/{hit['id']}").get_json()["url"] == hit["url"]
    assert client.get("/api/doc/legacy-old.txt").get_json()["also_at"] == []
    rows = list(csv.DictReader(io.StringIO(
        client.get("/search.csv?q=seasonal").get_data(as_text=True))))
    assert {r["url"] for r in rows} == {h["url"] for h in search["hits"]}
    assert f"UR  - {published}" in client.get("/search.ris?q=seasonal").get_data(as_text=True)

    page = client.get(f"/doc/{by_source['published']['id']}").get_data(as_text=True)
    assert f'href="{published}"' in page
    local_page = client.get(f"/doc/{by_source['local']['id']}").get_data(as_text=True)
    assert "not published online" in local_page
    results = client.get("/search?q=seasonal").get_data(as_text=True)
    assert f'href="{published}"' in results


def test_public_url_must_be_a_web_address(tmp_path):
    (tmp_path / "sources.toml").write_text(f"""
[[source]]
id = "local"
name = "Local folder"
agency = "ILO"
kind = "files"
path = "{tmp_path}"
public_url = "file:///srv/share"
""", encoding="utf-8")
    with pytest.raises(ConfigError, match="public_url must be the http"):
        load_sources(tmp_path / "sources.toml")
