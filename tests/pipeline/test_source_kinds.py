"""Source kinds register in one place: a kind is its module's ``Kind`` (keys, checks,
discover function) plus its entry in ``indexer.sources.KINDS``; loading, validation,
discovery and the run follow from that entry alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pipeline_helpers import LOREM_EN, registry

from indexer.discover.base import Context, Item, Kind, Source
from indexer.pipeline import run
from indexer.sources import KINDS, discover, load_sources
from searchhub.errors import ConfigError
from searchhub.models import Query


def _notes(source: Source, ctx: Context) -> Iterator[Item]:
    """A made-up kind: ``count`` field notes, each a record with its own text."""
    for n in range(source.options["count"]):
        yield Item(source.id, f"{source.id}-{n}", "", f"https://example.org/notes/{n}",
                   {"title": f"Field note {n}", "text": LOREM_EN * 3 + f" Code NOTE{n}X."})


def _check_notes(where: str, entry: dict) -> list[str]:
    count = entry.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        return [f"{where}: count must be a whole number, 1 or more"]
    return []


NOTES = Kind("notes", _notes, required=("count",), optional=("tone",), validate=_check_notes)


def test_every_built_in_kind_is_registered_by_its_own_module():
    assert list(KINDS) == ["files", "web", "catalog", "sitemap", "feed", "crawl", "uploads"]
    for name, kind in KINDS.items():
        assert kind.name == name
        assert kind.discover.__module__ == f"indexer.discover.{name}"
    assert [name for name, kind in KINDS.items() if kind.streams] == ["crawl"]


def test_a_new_kind_is_one_registration(tmp_path, engine, options, monkeypatch):
    monkeypatch.setitem(KINDS, "notes", NOTES)
    sources = load_sources(registry(tmp_path / "sources.toml", """
[[source]]
id = "field"
name = "Field notes"
agency = "IOM"
kind = "notes"
count = 3
tone = "dry"
"""))
    assert [(s.kind, s.over_http, s.streams) for s in sources] == [("notes", False, False)]
    assert [item.doc_id for item in discover(sources[0])] == ["field-0", "field-1", "field-2"]
    report = run(engine, sources, options)
    assert dict(report.sources[0].counts) == {"added": 3}
    assert [h.document.id for h in engine.search(Query("NOTE2X")).hits] == ["field-2"]


def test_a_new_kind_checks_its_own_keys(tmp_path, monkeypatch):
    monkeypatch.setitem(KINDS, "notes", NOTES)
    path = registry(tmp_path / "sources.toml", """
[[source]]
id = "field"
name = "Field notes"
agency = "IOM"
kind = "notes"
count = "three"
colour = "blue"

[[source]]
id = "other"
name = "Other notes"
agency = "IOM"
kind = "notes"
""")
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    problems = info.value.problems
    assert any(p.endswith("(field): count must be a whole number, 1 or more") for p in problems)
    assert any(p.endswith("(field): unknown key 'colour' for kind notes") for p in problems)
    assert any(p.endswith("(other): kind notes needs 'count'") for p in problems)
