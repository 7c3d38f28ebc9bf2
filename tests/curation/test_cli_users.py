"""`searchhub users add/list/set-role/disable` on the command line."""

from __future__ import annotations

from click.testing import CliRunner

from searchhub import accounts, database
from searchhub.cli import main

from .conftest import PASSWORD


def _run(data_dir, *args, input=None):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), "users", *args],
                              input=input)


def test_users_commands(data_dir):
    result = _run(data_dir, "add", "cora", "--role", "curator", "--password-stdin",
                  input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Added cora (curator)" in result.output
    result = _run(data_dir, "add", "ada", "--role", "admin",
                  input=f"{PASSWORD}\n{PASSWORD}\n")          # from the prompt
    assert result.exit_code == 0, result.output
    listing = _run(data_dir, "list").output
    assert "ada" in listing and "cora" in listing and "curator" in listing
    assert _run(data_dir, "set-role", "cora", "admin").exit_code == 0
    assert _run(data_dir, "disable", "cora").exit_code == 0
    assert "disabled" in _run(data_dir, "list").output
    conn = database.connect(data_dir / "curation.sqlite")
    assert accounts.by_name(conn, "cora").role == "admin"
    assert accounts.authenticate(conn, "cora", PASSWORD) is None
    assert accounts.authenticate(conn, "ada", PASSWORD) is not None
    conn.close()


def test_users_errors_are_clear(data_dir):
    _run(data_dir, "add", "cora", "--role", "curator", "--password-stdin",
         input=PASSWORD + "\n")
    again = _run(data_dir, "add", "cora", "--role", "curator", "--password-stdin",
                 input=PASSWORD + "\n")
    assert again.exit_code == 1 and "already an account" in again.output
    weak = _run(data_dir, "add", "bob", "--role", "curator", "--password-stdin", input="x\n")
    assert weak.exit_code == 1 and "at least" in weak.output
    assert _run(data_dir, "add", "bob", "--role", "king", "--password-stdin",
                input=PASSWORD).exit_code == 2
    assert _run(data_dir, "disable", "nobody").exit_code == 1
