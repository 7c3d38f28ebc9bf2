"""The same report on two platforms is one result that lists both places."""

from __future__ import annotations

from pipeline_helpers import registry
from platform_server import Platform, Static

from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub.engine import Engine
from searchhub.models import Query
from searchhub.web import create_app

TEXT = ("Labour mobility between Central America and Canada: temporary farm workers from "
        "Guatemala, recruitment without fees and portable social security. ")


def test_one_result_lists_every_place(tmp_path, options):
    with Platform() as ilo, Platform() as oecd:
        ilo.page("/report.html", "Temporary farm work", TEXT * 8)
        oecd.routes["/pub/farm.html"] = Static(
            f"<html><head><title>Temporary farm work</title></head><body><article>"
            f"<h1>Temporary farm work</h1><p>{TEXT * 8}</p><p>Reposted by the OECD.</p>"
            f"</article></body></html>".encode())
        sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "ilo"
name = "ILO"
agency = "ILO"
kind = "web"
urls = ["{ilo.url('/report.html')}"]
allow_private = true

[[source]]
id = "oecd"
name = "OECD"
agency = "OECD"
kind = "web"
urls = ["{oecd.url('/pub/farm.html')}"]
allow_private = true
"""))
        with Engine(tmp_path / "data" / "index") as engine:
            report = run(engine, sources, options)
            assert report.total("added") == 1 and report.total("merged") == 1
        app = create_app({"data_dir": tmp_path / "data"})
        client = app.test_client()
        page = client.get("/search?q=farm+workers+Guatemala").get_data(as_text=True)
        assert page.count("<li class=\"hit") == 1
        assert "Also published by" in page and oecd.url("/pub/farm.html") in page
        doc = client.get("/api/doc/" + engine.known("ilo").popitem()[0]).get_json()
        assert doc["also_at"] == [{"source": "oecd", "agency": "OECD",
                                   "url": oecd.url("/pub/farm.html")}]
        detail = client.get("/doc/" + doc["id"]).get_data(as_text=True)
        assert "Also published by" in detail


def test_places_part_when_the_report_changes(tmp_path, options):
    with Platform() as ilo, Platform() as oecd:
        ilo.page("/report.html", "Temporary farm work", TEXT * 8)
        oecd.page("/farm.html", "Temporary farm work", TEXT * 8)
        sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "ilo"
name = "ILO"
agency = "ILO"
kind = "web"
urls = ["{ilo.url('/report.html')}"]
allow_private = true

[[source]]
id = "oecd"
name = "OECD"
agency = "OECD"
kind = "web"
urls = ["{oecd.url('/farm.html')}"]
allow_private = true
"""))
        opts = type(options)(**{**options.__dict__, "data_dir": tmp_path / "data"})
        with Engine(tmp_path / "data" / "index") as engine:
            assert run(engine, sources, opts).total("merged") == 1
            ilo.page("/report.html", "Seasonal work, revised",
                     "A different study: domestic workers in Lebanon and the kafala system. "
                     * 8)
            # The ILO page changes; the OECD page (its source runs next) is fetched in
            # full again and becomes a result of its own.
            second = run(engine, sources, opts)
            assert [dict(s.counts) for s in second.sources] == [{"updated": 1}, {"added": 1}]
            assert engine.get(next(iter(engine.known("ilo")))).also_at == []
            assert engine.count() == 2
            assert len(engine.search(Query("farm workers Guatemala")).hits) == 1
