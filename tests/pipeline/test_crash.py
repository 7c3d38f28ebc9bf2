"""A run killed with SIGKILL leaves the index searchable; the next run finishes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchhub.engine import Engine
from searchhub.models import Query

pytestmark = pytest.mark.e2e
TOTAL = 240


def _corpus(folder: Path) -> None:
    folder.mkdir()
    for n in range(TOTAL):
        (folder / f"note-{n:03}.txt").write_text(
            f"Field note {n}\n\nReturn and reintegration counselling session {n} with "
            f"returnees in Ethiopia, covering psychosocial support and labour market "
            f"access. Reference code RX{n:03}.", encoding="utf-8")


def _index(tmp_path: Path, **popen) -> subprocess.Popen:
    env = {**os.environ, "SEARCHHUB_COMMIT_EVERY": "10", "SEARCHHUB_WORKERS": "1"}
    cmd = [sys.executable, "-m", "searchhub.cli", "--data-dir", str(tmp_path / "data"),
           "--sources", str(tmp_path / "sources.toml"), "index", "--quiet", "--json"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, **popen)


def test_sigkill_midway_then_resume(tmp_path, process_groups):
    _corpus(tmp_path / "notes")
    (tmp_path / "sources.toml").write_text(f"""
[[source]]
id = "notes"
name = "Field notes"
agency = "IOM"
kind = "files"
path = "{tmp_path / 'notes'}"
""", encoding="utf-8")
    proc = process_groups(_index(tmp_path))
    index_dir = tmp_path / "data" / "index"
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and committed < 30:
        if index_dir.is_dir() and any(index_dir.glob("_documents_*.toc")):
            with Engine(index_dir, create=False) as watcher:
                committed = watcher.count()
        time.sleep(0.05)
    assert committed >= 30, "the run never committed"
    os.killpg(proc.pid, signal.SIGKILL)          # the CLI and its worker processes
    proc.communicate(timeout=10)

    engine = Engine(index_dir, create=False)
    at_kill = engine.count()
    assert 0 < at_kill < TOTAL
    hits = engine.search(Query("reintegration counselling")).hits
    assert hits and all("Field note" in h.document.title for h in hits)

    finish = process_groups(_index(tmp_path))
    out, err = finish.communicate(timeout=240)
    assert finish.returncode == 0, err.decode()[-2000:]
    report = json.loads(out)
    assert report["totals"]["unchanged"] >= at_kill
    assert report["totals"]["added"] + report["totals"]["unchanged"] == TOTAL
    engine.refresh()
    assert engine.count() == TOTAL
    assert len(engine.search(Query("RX239")).hits) == 1
    engine.close()
