"""Accounts in SQLite, and the database that migrates forward without losing data."""

from __future__ import annotations

import sqlite3

import pytest

from searchhub import accounts, database
from searchhub.migrations import Schema, migrate, statements, version_of

from .conftest import PASSWORD


def test_passwords_are_hashed_and_checked(db):
    account = accounts.add(db, "cora", PASSWORD, "curator")
    stored = db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert PASSWORD not in stored and stored.startswith("scrypt:")
    assert accounts.authenticate(db, "cora", PASSWORD) == account
    assert accounts.authenticate(db, "CORA", PASSWORD) == account   # names ignore case
    assert accounts.authenticate(db, "cora", "wrong password!") is None
    assert accounts.authenticate(db, "nobody", PASSWORD) is None


@pytest.mark.parametrize("name, password, role, message", [
    ("cora", "short", "curator", "at least"),
    ("two words", PASSWORD, "curator", "without spaces"),
    ("cora", PASSWORD, "king", "unknown role"),
])
def test_bad_accounts_are_refused(db, name, password, role, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add(db, name, password, role)


def test_names_are_unique(db):
    accounts.add(db, "cora", PASSWORD, "curator")
    with pytest.raises(accounts.AccountError, match="already"):
        accounts.add(db, "Cora", PASSWORD, "admin")


def test_roles_and_disabling(db):
    accounts.add(db, "cora", PASSWORD, "member")
    assert not accounts.by_name(db, "cora").has_role("curator")
    assert accounts.set_role(db, "cora", "curator").has_role("curator")
    admin = accounts.add(db, "ada", PASSWORD, "admin")
    assert admin.has_role("curator") and admin.has_role("member")
    accounts.set_disabled(db, "cora")
    assert accounts.authenticate(db, "cora", PASSWORD) is None
    assert not accounts.by_name(db, "cora").has_role("curator")
    with pytest.raises(accounts.AccountError, match="no account"):
        accounts.set_role(db, "nobody", "admin")


def test_migrations_run_once_and_keep_data(tmp_path):
    path = tmp_path / "curation.sqlite"
    conn = database.connect(path)
    accounts.add(conn, "cora", PASSWORD, "curator")
    conn.close()
    again = database.connect(path)           # a second start-up: nothing dropped
    assert database.schema_version(again) == database.SCHEMA_VERSION
    assert [a.name for a in accounts.all_accounts(again)] == ["cora"]
    again.close()


def test_an_old_file_is_migrated_forward(tmp_path):
    path = tmp_path / "curation.sqlite"
    old = sqlite3.connect(path, isolation_level=None)
    for statement in statements(database.MIGRATIONS[0]):
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute("INSERT INTO users (name, password_hash, role, created_at) "
                "VALUES ('old', 'x', 'admin', '2020-01-01')")
    old.close()
    conn = database.connect(path)
    assert database.schema_version(conn) == database.SCHEMA_VERSION
    assert accounts.by_name(conn, "old").role == "admin"
    assert conn.execute("SELECT count(*) FROM flags").fetchone()[0] == 0
    conn.close()


def test_a_file_that_kept_its_version_in_a_table_is_migrated_forward(tmp_path):
    path = tmp_path / "curation.sqlite"
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for statement in statements(database.MIGRATIONS[0]):
        old.execute(statement)
    old.execute("INSERT INTO schema_version VALUES (1)")
    old.execute("INSERT INTO users (name, password_hash, role, created_at) "
                "VALUES ('old', 'x', 'admin', '2020-01-01')")
    old.close()
    conn = database.connect(path)
    assert database.schema_version(conn) == database.SCHEMA_VERSION
    assert accounts.by_name(conn, "old").role == "admin"
    assert conn.execute("SELECT count(*) FROM flags").fetchone()[0] == 0
    conn.close()


def test_a_newer_file_is_left_alone(tmp_path):
    path = tmp_path / "curation.sqlite"
    database.connect(path).close()
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute(f"PRAGMA user_version = {database.SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(database.SchemaTooNew, match="newer"):
        database.connect(path)


def test_one_migration_mechanism_for_every_database(tmp_path):
    from indexer import state

    assert isinstance(state.SCHEMA, Schema) and isinstance(database.SCHEMA, Schema)
    # A migration that fails leaves the file at the version before it, data intact.
    schema = Schema("test database", (
        "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);",
        "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (';'); INSERT INTO nowhere VALUES (2)"))
    conn = sqlite3.connect(tmp_path / "t.sqlite", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        migrate(conn, schema)
    assert version_of(conn) == 1
    assert conn.execute("SELECT x FROM a").fetchall() == [(1,)]
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'b'").fetchall()
    fixed = Schema("test database", (schema.migrations[0], "CREATE TABLE b (y INTEGER);"))
    assert migrate(conn, fixed) == 2 and migrate(conn, fixed) == 2
    conn.close()


def test_attempt_window(db):
    for t in (100.0, 200.0, 300.0):
        database.record_attempt(db, "public-report", "1.2.3.4", now=t)
    assert database.count_attempts(db, "public-report", "1.2.3.4", 150, now=320) == 2
    assert database.count_attempts(db, "public-report", "5.6.7.8", 150, now=320) == 0
    database.clear_attempts(db, "public-report", "1.2.3.4")
    assert database.count_attempts(db, "public-report", "1.2.3.4", 1e9, now=320) == 0
