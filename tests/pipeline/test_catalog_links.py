"""A catalogue's links never reach the server's own files: a remote catalogue's links
are URLs on the web, a local catalogue's files stay inside the folders its source names."""

from __future__ import annotations

import json
import os

import pytest
from pipeline_helpers import registry
from platform_server import Platform, Static

from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub.errors import ConfigError
from searchhub.models import Query

SECRET = "Confidential server file: database password hunter2 and private keys. " * 4
ALLOWED = "Seasonal agricultural workers and fair recruitment in the Mediterranean. " * 4


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _records(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


def _reasons(report) -> dict[str, str]:
    return {f.doc_id: f.reason for f in report.sources[0].failures}


def test_local_catalogue_reads_files_only_inside_its_folders(tmp_path, engine, options):
    secret = _write(tmp_path / "server" / "secret.txt", SECRET)
    _write(tmp_path / "catalogue" / "files" / "inside.txt", ALLOWED)
    _write(tmp_path / "extra" / "listed.txt", ALLOWED.replace("Mediterranean", "Sahel"))
    os.symlink(secret, tmp_path / "catalogue" / "files" / "link.txt")
    export = _records(tmp_path / "catalogue" / "export.jsonl", [
        {"id": "abs", "title": "Absolute path", "link": str(secret)},
        {"id": "up", "title": "Climbing out", "link": "../server/secret.txt"},
        {"id": "uri", "title": "A file URI", "link": secret.as_uri()},
        {"id": "sym", "title": "A link out of the folder", "link": "files/link.txt"},
        {"id": "in", "title": "Inside the folder", "link": "files/inside.txt"},
        {"id": "extra", "title": "In a named folder", "link": str(tmp_path / "extra/listed.txt")},
    ])
    sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "cat"
name = "Catalogue"
agency = "IOM"
kind = "catalog"
path = "{export}"
format = "jsonl"
id_field = "id"
title_field = "title"
url_field = "link"
folders = ["{tmp_path / 'extra'}"]
"""))
    report = run(engine, sources, options)
    assert _reasons(report) == {f"cat-{k}": "link-refused" for k in ("abs", "up", "uri", "sym")}
    assert report.total("added") == 2
    assert "Mediterranean" in engine.get("cat-in").text
    assert "Sahel" in engine.get("cat-extra").text
    for doc_id in ("cat-abs", "cat-up", "cat-uri", "cat-sym"):
        assert engine.get(doc_id) is None
    # Nothing of the server's file is searchable, and the refusal says why.
    assert engine.search(Query("hunter2")).total == 0
    message = next(f.message for f in report.sources[0].failures if f.doc_id == "cat-up")
    assert "outside the folders" in message


def test_remote_catalogue_links_are_urls_on_its_own_site(tmp_path, engine, options):
    secret = _write(tmp_path / "secret.txt", SECRET)
    with Platform() as p:
        p.routes["/robots.txt"] = Static(b"", "text/plain")
        p.routes["/files/brief.txt"] = Static(ALLOWED.encode(), "text/plain")
        p.routes["/api/export.json"] = Static(json.dumps([
            {"id": "abs", "title": "Absolute path", "link": str(secret)},
            {"id": "up", "title": "Climbing out", "link": "../../" + secret.name},
            {"id": "uri", "title": "A file URI", "link": secret.as_uri()},
            {"id": "rel", "title": "A relative link", "link": "../files/brief.txt"},
        ]).encode(), "application/json")
        sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "api"
name = "Partner export"
agency = "UNHCR"
kind = "catalog"
url = "{p.base}/api/export.json"
format = "json"
id_field = "id"
title_field = "title"
url_field = "link"
allow_private = true
"""))
        report = run(engine, sources, options)
        asked = {h.path for h in p.hits()}
    # Paths are links on the partner's site (which has no such page), never local reads.
    assert str(secret) in asked and f"/{secret.name}" in asked
    assert _reasons(report) == {"api-abs": "http-404", "api-up": "http-404",
                                "api-uri": "link-refused"}
    assert engine.get("api-rel").url == f"{p.base}/files/brief.txt"
    assert "Mediterranean" in engine.get("api-rel").text


def test_remote_catalogue_may_not_name_folders(tmp_path):
    path = registry(tmp_path / "sources.toml", """
[[source]]
id = "api"
name = "Partner export"
agency = "UNHCR"
kind = "catalog"
url = "https://example.org/export.json"
format = "json"
id_field = "id"
title_field = "title"
url_field = "link"
folders = ["/"]
""")
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    assert "folders is for a local catalogue" in "\n".join(info.value.problems)
