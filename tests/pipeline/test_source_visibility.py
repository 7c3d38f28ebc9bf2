"""A source's ``visibility`` in the registry: validated, and carried by every
document it indexes, which then only the viewers it names find."""

from __future__ import annotations

import pytest
from pipeline_helpers import make_html, registry

from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub.engine.base import CurationView
from searchhub.errors import ConfigError
from searchhub.models import Query


class Viewing(CurationView):
    def __init__(self, viewer):
        self.viewer = viewer


def _registry(tmp_path, public, internal, value):
    return registry(tmp_path / "sources.toml", f"""
[[source]]
id = "public"
name = "Public documents"
agency = "IOM"
kind = "files"
path = "{public}"

[[source]]
id = "internal"
name = "The working group's store"
agency = "IOM"
kind = "files"
path = "{internal}"
visibility = {value}
""")


def test_a_source_sets_the_visibility_of_its_documents(tmp_path, engine, options):
    public, internal = tmp_path / "public", tmp_path / "internal"
    make_html(public / "a.html", "Labour migration corridors",
              "Labour migration corridors between Nepal and Qatar.\n\n" * 5)
    make_html(internal / "b.html", "Draft workplan on labour migration",
              "The draft workplan of the working group on labour migration.\n\n" * 5)
    sources = load_sources(_registry(tmp_path, public, internal, '["wg-data"]'))
    assert run(engine, sources, options).total("added") == 2

    def found(viewer):
        page = engine.search(Query("labour migration"), Viewing(viewer))
        return page.total, {h.document.source_id for h in page.hits}

    assert found(None) == (1, {"public"})
    assert found(frozenset({"members"})) == (1, {"public"})
    assert found(frozenset({"members", "wg-data"})) == (2, {"public", "internal"})
    internal_ids = [h.document.id for h in engine.search(
        Query("workplan"), Viewing(frozenset({"wg-data"}))).hits]
    assert [engine.get(i).visibility for i in internal_ids] == [["wg-data"]]


@pytest.mark.parametrize("value", ['"secret"', "[]", '["Working Group"]', "3"])
def test_an_invalid_visibility_is_reported(tmp_path, value):
    path = _registry(tmp_path, tmp_path, tmp_path, value)
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    assert any("[internal]" in p or "internal" in p and "visibility must be" in p
               for p in info.value.problems), info.value.problems


def _copies(tmp_path, engine, options, httpserver, value):
    """The same page on a public site and on a group's intranet (web sources)."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    page = make_html(tmp_path / "report.html", "Annual report",
                     "The annual report on labour migration corridors.\n\n" * 5)
    for path in ("/public/report.html", "/intranet/report.html"):
        httpserver.expect_request(path).respond_with_data(
            page.read_bytes(), content_type="text/html")
    sources = load_sources(registry(tmp_path / "sources.toml", "".join(f"""
[[source]]
id = "{sid}"
name = "{sid}"
agency = "IOM"
kind = "web"
urls = ["{httpserver.url_for(path)}"]
allow_private = true
{extra}
""" for sid, path, extra in (("public", "/public/report.html", ""),
                             ("internal", "/intranet/report.html",
                              f"visibility = {value}")))))
    return run(engine, sources, options)


def test_a_copy_for_the_same_viewers_is_merged(tmp_path, engine, options, httpserver):
    report = _copies(tmp_path, engine, options, httpserver, '"public"')
    assert report.total("added") == 1 and report.total("merged") == 1


def test_a_copy_for_other_viewers_is_not_merged(tmp_path, engine, options, httpserver):
    """The same report on a public site and in a group's store: two documents, so the
    group's copy neither disappears for its members nor shows to visitors."""
    report = _copies(tmp_path, engine, options, httpserver, '["wg-data"]')
    assert report.total("added") == 2 and report.total("merged") == 0
    found = engine.search(Query("annual report"), Viewing(frozenset({"wg-data"})))
    docs = [h.document for h in found.hits]
    assert sorted(d.source_id for d in docs) == ["internal", "public"]
    assert all(d.also_at == [] for d in docs)
    assert engine.search(Query("annual report")).total == 1
