"""A curator's "ask for a re-crawl" makes the next run fetch the document again."""

from __future__ import annotations

import json

from click.testing import CliRunner

from searchhub import database
from searchhub.cli import main
from searchhub.curation import store


def test_next_run_fetches_a_requested_document_again(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in (("a.txt", "Labour migration note\n\nMigrant workers and fair "
                        "recruitment in the Gulf. " * 10),
                       ("b.txt", "Remittances note\n\nRemittances and diaspora bonds in "
                        "Central America. " * 10)):
        (folder / name).write_text(text, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        f'[[source]]\nid = "notes"\nname = "Notes"\nagency = "ILO"\nkind = "files"\n'
        f'path = "{folder}"\n', encoding="utf-8")
    base = ["--data-dir", str(tmp_path / "data"), "--sources", str(tmp_path / "sources.toml")]
    runner = CliRunner(env={"SEARCHHUB_WORKERS": "1"})

    first = runner.invoke(main, [*base, "index", "--quiet", "--json"])
    assert first.exit_code == 0, first.output
    conn = database.connect(tmp_path / "data" / "curation.sqlite")
    store.act(conn, "cora", "recrawl", "notes-a.txt", why="the partner fixed the PDF")
    assert store.recrawl_requests(conn) == {"notes-a.txt"}

    second = json.loads(runner.invoke(main, [*base, "index", "--quiet", "--json"]).stdout)
    assert second["totals"]["updated"] == 1 and second["totals"]["unchanged"] == 1
    assert store.recrawl_requests(conn) == set()
    done = [r for r in store.audit_log(conn, doc_id="notes-a.txt") if r["action"] == "recrawled"]
    assert len(done) == 1 and done[0]["user_name"] == "indexer"

    third = json.loads(runner.invoke(main, [*base, "index", "--quiet", "--json"]).stdout)
    assert third["totals"]["unchanged"] == 2           # asked once, fetched once
    conn.close()
