"""`searchhub index --rebuild`: the index is derived data and can be built again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from pipeline_helpers import LOREM_EN, files_registry, make_pdf

from searchhub.cli import main
from searchhub.engine import Engine
from searchhub.models import Query


def test_rebuild_replaces_an_outdated_index(tmp_path):
    folder = tmp_path / "docs"
    make_pdf(folder / "a.pdf", [LOREM_EN * 2], title="Fair recruitment")
    make_pdf(folder / "b.pdf", ["Remittances to Nepal and Guatemala. " * 20], title="Remittances")
    files_registry(tmp_path, folder)
    args = ["--data-dir", str(tmp_path / "data"), "--sources", str(tmp_path / "sources.toml")]
    runner = CliRunner()
    first = runner.invoke(main, [*args, "index", "--quiet", "--json"])
    assert first.exit_code == 0, first.output
    index_dir = tmp_path / "data" / "index"
    (index_dir / "searchhub-index-format").write_text("1\n")   # as an older version left it

    refused = runner.invoke(main, [*args, "index", "--quiet"])
    assert refused.exit_code != 0 and "searchhub index --rebuild" in refused.output

    rebuilt = runner.invoke(main, [*args, "index", "--rebuild", "--quiet", "--json"])
    assert rebuilt.exit_code == 0, rebuilt.output
    report = json.loads(rebuilt.stdout)
    assert report["totals"]["added"] == 2 and report["totals"]["unchanged"] == 0
    with Engine(index_dir, create=False) as engine:
        assert engine.count() == 2
        assert engine.search(Query("remittances Nepal")).total == 1


def test_rebuild_refuses_a_folder_that_is_not_an_index(tmp_path):
    (tmp_path / "data" / "index").mkdir(parents=True)
    (tmp_path / "data" / "index" / "precious.txt").write_text("not an index")
    (tmp_path / "sources.toml").write_text('[[source]]\nid = "x"\nname = "X"\nagency = "IOM"\n'
                                           f'kind = "files"\npath = "{tmp_path}"\n')
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "data"), "--sources",
                                       str(tmp_path / "sources.toml"), "index", "--rebuild"])
    assert result.exit_code != 0 and "does not look like a searchhub index" in result.output
    assert (tmp_path / "data" / "index" / "precious.txt").exists()


@pytest.mark.e2e
def test_a_killed_rebuild_leaves_search_whole_and_the_next_one_switches(tmp_path,
                                                                        process_groups):
    """The new index is built beside the live one: a rebuild killed halfway changes
    nothing searchers see; a complete one replaces the index in one step."""
    folder = tmp_path / "notes"
    folder.mkdir()
    for n in range(TOTAL):
        (folder / f"note-{n:03}.txt").write_text(
            f"Field note {n}\n\nReintegration counselling session {n} with returnees in "
            f"Ethiopia. Reference code RX{n:03}.", encoding="utf-8")
    files_registry(tmp_path, folder)
    live = tmp_path / "data" / "index"
    first = process_groups(_index(tmp_path))
    assert first.wait(timeout=240) == 0
    reader = Engine(live, create=False)               # a web server's engine
    assert reader.count() == TOTAL

    proc = process_groups(_index(tmp_path, "--rebuild"))
    building = live.with_name("index.rebuild")
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and committed < 30:
        if any(building.glob("_documents_*.toc")):
            with Engine(building, create=False) as watcher:
                committed = watcher.count()
        time.sleep(0.05)
    assert 30 <= committed < TOTAL, "the rebuild never committed, or finished too soon"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)
    reader.refresh()
    assert reader.count() == TOTAL                   # search never saw a partial index
    assert len(reader.search(Query(f"RX{TOTAL - 1}")).hits) == 1

    again = process_groups(_index(tmp_path, "--rebuild"))
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()[-2000:]
    assert json.loads(out)["totals"]["added"] == TOTAL
    assert not building.exists()
    reader.refresh()
    assert reader.count() == TOTAL and len(reader.search(Query("RX007")).hits) == 1
    reader.close()


TOTAL = 200


def _index(tmp_path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "SEARCHHUB_COMMIT_EVERY": "10", "SEARCHHUB_WORKERS": "1"}
    cmd = [sys.executable, "-m", "searchhub.cli", "--data-dir", str(tmp_path / "data"),
           "--sources", str(tmp_path / "sources.toml"), "index", "--quiet", "--json", *extra]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def test_a_switch_killed_between_its_renames_is_put_right(tmp_path):
    from searchhub import rebuild

    live = tmp_path / "index"
    old = tmp_path / "index.old"           # where the fallback switch moves the live index
    old.mkdir()
    (old / "_documents_1.toc").write_text("toc")
    rebuild.recover(live)
    assert (live / "_documents_1.toc").exists() and not old.exists()
    new = rebuild.start(live)
    assert new == tmp_path / "index.rebuild" and not new.exists()
    new.mkdir()
    (new / "_documents_2.toc").write_text("toc")
    rebuild.switch(new, live)
    assert [p.name for p in live.iterdir()] == ["_documents_2.toc"]
    assert not new.exists() and not old.exists()
