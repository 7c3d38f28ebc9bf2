"""Layers one way: one module owns each SQLite table's SQL, the web app never writes
the index, and the indexer never opens the curation database (it gets data)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SQL = re.compile(r"\b(SELECT|INSERT INTO|INSERT OR|UPDATE \w+ SET|DELETE FROM|CREATE TABLE"
                 r"|CREATE (UNIQUE )?INDEX|PRAGMA)\b")
#: The modules that hold SQL, and what they own.
OWNERS = {
    "searchhub/migrations.py": "the version of every database (PRAGMA user_version)",
    "searchhub/database.py": "the curation database's schema, connection and attempts",
    "searchhub/accounts.py": "users",
    "searchhub/curation/store.py": "flags, decisions, audit, state, rewrites",
    "searchhub/collections/store.py": "collections and their items",
    "indexer/state.py": "the crawl state",
    "searchhub/experts/store.py": "experts, expert_audit, expert_authors",
    "searchhub/experts/outbox.py": "expert_outbox",
    "searchhub/members/store.py": "user_groups",
    "searchhub/querylog.py": "the query log (seen)",
    "searchhub/uploads/store.py": "uploads",
}


def _sources(*folders: str):
    for folder in folders:
        for path in sorted((REPO / folder).rglob("*.py")):
            yield path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8")


def test_sql_lives_only_in_the_module_that_owns_its_table():
    holders = {name for name, text in _sources("searchhub", "indexer") if SQL.search(text)}
    assert holders <= set(OWNERS), holders - set(OWNERS)


def test_the_web_app_never_writes_the_index():
    for name, text in _sources("searchhub/web"):
        assert not re.search(r"engine\.writer\(|EngineWriter|FastSegmentWriter|whoosh",
                             text), name
        assert not re.search(r"curation(\.| import )runs", text), name    # writes the index


def test_the_indexer_gets_curation_as_data():
    for name, text in _sources("indexer"):
        assert "searchhub.database" not in text and "import database" not in text, name
        for line in re.findall(r"^\s*(?:from|import) searchhub\.curation\S*.*$", text, re.M):
            assert "handoff" in line, (name, line)
