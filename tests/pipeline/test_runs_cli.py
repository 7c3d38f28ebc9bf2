"""`searchhub runs` and `searchhub index` with the run lock, through the real CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pipeline_helpers import LOREM_EN, files_registry, registry

from indexer.lock import RunLock
from searchhub.cli import main


def _setup(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Labour note\n\n" + LOREM_EN * 3, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    files_registry(tmp_path, folder, extra='schedule = "30 2 * * *"\n')
    return ["--data-dir", str(tmp_path / "data"), "--sources", str(tmp_path / "sources.toml")]


def test_runs_are_listed_with_counts_and_failures(tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCHHUB_WORKERS", "1")
    base = _setup(tmp_path)
    runner = CliRunner()
    empty = runner.invoke(main, [*base, "runs"])
    assert empty.exit_code != 0 and "No run has been recorded" in empty.output
    first = runner.invoke(main, [*base, "index", "--quiet"])
    assert first.exit_code == 1                     # empty.txt failed
    second = runner.invoke(main, [*base, "index", "--quiet"])
    assert "unchanged" in second.output
    listing = runner.invoke(main, [*base, "runs"])
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert lines[0].split()[:3] == ["run", "started", "status"]
    assert len(lines) == 3 and all("finished" in line for line in lines[1:])
    detail = json.loads(runner.invoke(main, [*base, "runs", "--run", "1", "--json"]).output)
    assert detail[0]["totals"]["added"] == 1 and detail[0]["totals"]["failed"] == 1
    assert detail[0]["failures"][0]["reason"] == "empty"
    text = runner.invoke(main, [*base, "runs", "--run", "1"]).output
    assert "[empty] docs:" in text


def test_a_second_run_says_who_holds_the_lock(tmp_path):
    base = _setup(tmp_path)
    lock = RunLock(tmp_path / "data")
    lock.acquire(what="searchhub index (schedule)")
    try:
        result = CliRunner().invoke(main, [*base, "index", "--quiet"])
    finally:
        lock.release()
    assert result.exit_code == 1
    assert "being written by searchhub index (schedule)" in result.output
    assert "--wait" in result.output


def test_scheduler_lists_sources_and_runs_one(tmp_path, monkeypatch):
    from searchhub.cli_crawl import run_scheduled
    from searchhub.settings import Settings

    monkeypatch.setenv("SEARCHHUB_WORKERS", "1")
    base = _setup(tmp_path)
    listing = CliRunner().invoke(main, [*base, "scheduler", "--list"])
    assert listing.exit_code == 0, listing.output
    assert "docs" in listing.output and "30 2 * * *" in listing.output
    assert "T02:30" in listing.output
    settings = Settings.load({"data_dir": tmp_path / "data",
                              "sources": tmp_path / "sources.toml"})
    report = run_scheduled(settings, "docs", lock_wait=1)
    assert report["totals"]["added"] == 1
    runs = json.loads(CliRunner().invoke(main, [*base, "runs", "--json"]).output)
    assert runs[0]["id"] == report["run_id"] and runs[0]["trigger"] == "schedule"


def test_bad_schedule_is_reported(tmp_path):
    from indexer.sources import load_sources
    from searchhub.errors import ConfigError

    path = registry(tmp_path / "s.toml", """
[[source]]
id = "a"
name = "A"
agency = "IOM"
kind = "sitemap"
url = "https://example.org/sitemap.xml"
schedule = "every day"
max_depth = -1
""")
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    text = "\n".join(info.value.problems)
    assert "not a valid cron line" in text and "max_depth" in text


def test_rebuild_waits_for_the_lock_before_deleting(tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCHHUB_WORKERS", "1")
    base = _setup(tmp_path)
    runner = CliRunner()
    runner.invoke(main, [*base, "index", "--quiet"])
    index_dir = tmp_path / "data" / "index"
    before = sorted(p.name for p in index_dir.iterdir())
    lock = RunLock(tmp_path / "data")
    lock.acquire()
    try:
        result = runner.invoke(main, [*base, "index", "--rebuild", "--quiet"])
    finally:
        lock.release()
    assert result.exit_code == 1 and "being written by" in result.output
    assert sorted(p.name for p in index_dir.iterdir()) == before     # nothing deleted
