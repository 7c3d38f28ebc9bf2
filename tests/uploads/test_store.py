"""Upload records and their review: one record per form, the review steps in the audit
log, a reason where the member needs one, and undo."""

from __future__ import annotations

import json

import pytest

from searchhub import database
from searchhub.curation.store import CurationError
from searchhub.uploads import store


@pytest.fixture
def conn(tmp_path):
    connection = database.connect(tmp_path / "curation.sqlite")
    yield connection
    connection.close()


def _submit(conn, token="t1"):
    return store.create(conn, token=token, workstream="ws", user="mia", sha256="a" * 64,
                        file_type="pdf", file_name="r.pdf", url="",
                        metadata={"title": "A report", "visibility": []})


def test_a_form_sent_twice_makes_one_upload(conn):
    first, new = _submit(conn)
    again, new_again = _submit(conn)
    assert (new, new_again) == (True, False) and again.id == first.id
    assert first.doc_id == "uploads-1" and first.status == "submitted"


def test_review_steps_are_audited_and_undone(conn):
    upload, _ = _submit(conn)
    with pytest.raises(CurationError):
        store.review(conn, "lena", upload.id, "reject")          # no reason
    audit_id = store.review(conn, "lena", upload.id, "reject", "Out of scope")
    assert store.get(conn, upload.id).status == "rejected"
    with pytest.raises(CurationError):
        store.review(conn, "lena", upload.id, "approve")         # not waiting any more
    actions = [e["action"] for e in store.review_log(conn)]
    assert actions == ["upload-reject", "upload-submit"]
    back = store.undo(conn, "cora", audit_id, "too quick")
    assert (back.status, back.reason, back.reviewer) == ("submitted", "", "")
    with pytest.raises(CurationError):
        store.undo(conn, "cora", audit_id)                        # once only
    undo_row = conn.execute("SELECT * FROM audit WHERE action = 'undo'").fetchone()
    assert undo_row["undoes"] == audit_id and undo_row["why"] == "too quick"
    assert json.loads(undo_row["detail"])["action"] == "upload-reject"


def test_an_undo_refuses_when_the_upload_changed_since(conn):
    upload, _ = _submit(conn)
    audit_id = store.review(conn, "lena", upload.id, "approve")
    store.withdraw(conn, "mia", upload.id)
    with pytest.raises(CurationError):
        store.undo(conn, "lena", audit_id)
    assert store.get(conn, upload.id).status == "withdrawn"
    assert store.approved(conn) == []


def test_the_cli_lists_reviews_and_undoes(tmp_path):
    from click.testing import CliRunner

    from searchhub.cli import main

    data = tmp_path / "data"
    connection = database.connect(data / "curation.sqlite")
    upload, _ = _submit(connection)
    connection.close()
    run = CliRunner()
    base = ["--data-dir", str(data), "uploads"]
    listed = run.invoke(main, [*base, "list", "--status", "submitted"])
    assert listed.exit_code == 0 and "A report" in listed.output
    refused = run.invoke(main, [*base, "review", str(upload.id), "reject", "--as", "cora"])
    assert refused.exit_code != 0 and "reason" in refused.output
    done = run.invoke(main, [*base, "review", str(upload.id), "send-back", "--as", "cora",
                             "--reason", "Add a date"])
    assert done.exit_code == 0, done.output
    log = run.invoke(main, [*base, "log"])
    audit_id = next(line.split()[0] for line in log.output.splitlines()
                    if "upload-send-back" in line and "undoable" in line)
    connection = database.connect(data / "curation.sqlite")
    assert store.get(connection, upload.id).status == "sent-back"
    connection.close()
    undone = run.invoke(main, [*base, "undo", audit_id, "--as", "cora"])
    assert undone.exit_code == 0 and "submitted again" in undone.output


def test_nobody_reviews_their_own_upload(conn):
    upload, _ = _submit(conn)
    for action, reason in (("approve", ""), ("reject", "Not mine to judge"),
                           ("send-back", "Add a date")):
        with pytest.raises(CurationError, match="own upload"):
            store.review(conn, "mia", upload.id, action, reason)
    assert store.get(conn, upload.id).status == "submitted"
    store.review(conn, "lena", upload.id, "approve")
    assert store.get(conn, upload.id).status == "approved"
