"""The count of frequent queries (``searchhub.querylog``) and `searchhub queries`:
what is kept, when a query becomes suggested, forgetting and pruning."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing

import pytest
from click.testing import CliRunner

from searchhub.cli import main
from searchhub.querylog import FILE_NAME, SCHEMA, QueryLog, looks_private, normalise

TODAY = dt.date(2026, 3, 10)


def _day(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


@pytest.mark.parametrize("text, kept", [
    ("  Return   and\tREINTEGRATION ", "return and reintegration"),
    ("Straße", "strasse"),
    ("x", None),
    ("a" * 101, None),
    ("visa jane.doe@example.org", None),
    ("call +41 22 917 12 34", None),
    ("case 0612345678", None),
    ("file 123456", None),
    ("(022) 917-1234", None),
    ("migration 2015-2020", "migration 2015-2020"),
    ("gcm objective 23", "gcm objective 23"),
    ("report 2019 2020 2021", "report 2019 2020 2021"),
])
def test_normalise_keeps_no_one_s_details(text, kept):
    assert normalise(text) == kept
    assert looks_private(text) == (kept is None and len(text.strip()) in range(2, 101))


def test_suggested_after_enough_days_or_times_in_the_language_first(tmp_path):
    log = QueryLog(tmp_path / FILE_NAME, min_days=2, min_count=4)
    for _ in range(3):
        assert log.record("Labour migration", "en", _day(1))
    log.record("migration data", "fr", _day(1))
    assert log.suggested("en") == []
    log.record("migration data", "fr", _day(0))          # a second day
    assert [f.text for f in log.suggested("en")] == ["migration data"]
    log.record("labour   migration", "en", _day(1))      # a fourth time
    assert [f.text for f in log.suggested("en")] == ["labour migration", "migration data"]
    assert [f.text for f in log.suggested("fr")] == ["migration data", "labour migration"]
    counted = {f.text: f for f in log.counted()}
    assert counted["labour migration"].count == 4 and counted["labour migration"].days == 1
    assert counted["migration data"].languages == {"fr": 2}
    assert [f.text for f in log.counted(language="fr")][0] == "migration data"
    assert [f.text for f in log.counted(pattern="labour")] == ["labour migration"]
    with closing(sqlite3.connect(tmp_path / FILE_NAME)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA.version
        assert {row[0] for row in conn.execute("SELECT day FROM seen")} == {
            "2026-03-09", "2026-03-10"}         # days, nothing finer


def test_prune_drops_old_counts_and_old_rare_queries(tmp_path):
    log = QueryLog(tmp_path / FILE_NAME, min_days=3, min_count=5, keep_days=10,
                   rare_days=5)
    log.record("old rare", "en", _day(6))
    log.record("recent rare", "en", _day(1))
    for _ in range(5):
        log.record("old frequent", "en", _day(6))
    for _ in range(9):
        log.record("recent rare", "en", _day(11))           # past keep_days
    assert log.prune(TODAY) == 2
    counted = {f.text: f.count for f in log.counted()}
    assert counted == {"old frequent": 5, "recent rare": 1}


def test_a_newer_file_is_left_alone(tmp_path, caplog):
    path = tmp_path / FILE_NAME
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA.version + 1}")
    log = QueryLog(path)
    assert log.record("labour migration", "en") is False
    assert "query not counted" in caplog.text
    assert log.suggested("en") == []


def test_cli_top_forget_and_prune(tmp_path):
    data = tmp_path / "data"
    missing = CliRunner().invoke(main, ["--data-dir", str(data), "queries", "top"])
    assert missing.exit_code == 1 and "No query log" in missing.output
    assert not data.exists()
    log = QueryLog(data / FILE_NAME, min_days=3, min_count=3)
    for _ in range(3):
        log.record("labour migration", "en")
    log.record("John Smith asylum", "fr")
    runner = CliRunner(env={"SEARCHHUB_QUERYLOG_MIN_COUNT": "3"})

    def run(*args):
        result = runner.invoke(main, ["--data-dir", str(data), "queries", *args])
        assert result.exit_code == 0, result.output
        return result.output

    lines = run("top").splitlines()
    assert "labour migration" in lines[0] and "*" in lines[0]        # suggested
    assert "john smith asylum" in lines[1] and "fr:1" in lines[1]
    rows = [json.loads(line) for line in run("top", "--json", "--language", "fr")
            .splitlines()]
    assert rows == [{"text": "john smith asylum", "count": 1, "days": 1,
                     "last_day": rows[0]["last_day"], "languages": {"fr": 1},
                     "frequent": False}]
    assert run("forget", "SMITH") == "1 query forgotten.\n"
    assert run("forget", "*smith*") == "0 queries forgotten.\n"
    assert [f.text for f in log.counted()] == ["labour migration"]
    refused = runner.invoke(main, ["--data-dir", str(data), "queries", "forget", "*"])
    assert refused.exit_code == 2 and [f.text for f in log.counted()] == ["labour migration"]
    assert run("prune") == "0 count(s) dropped.\n"
