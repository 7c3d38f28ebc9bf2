"""`searchhub scheduler` as the long-lived process an operator starts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from pipeline_helpers import LOREM_EN, files_registry

pytestmark = pytest.mark.e2e


def test_scheduler_runs_a_due_source_and_stops_cleanly(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Labour note\n\n" + LOREM_EN * 3, encoding="utf-8")
    files_registry(tmp_path, folder, extra='schedule = "* * * * *"\n')
    base = [sys.executable, "-m", "searchhub.cli", "--data-dir", str(tmp_path / "data"),
            "--sources", str(tmp_path / "sources.toml")]
    env = {**os.environ, "SEARCHHUB_WORKERS": "1"}
    proc = subprocess.Popen([*base, "scheduler"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    runs = []
    try:
        deadline = time.monotonic() + 100     # the next minute, then the run itself
        while time.monotonic() < deadline and not runs:
            time.sleep(2)
            listed = subprocess.run([*base, "runs", "--json"], env=env, capture_output=True)
            if listed.returncode == 0:
                runs = [r for r in json.loads(listed.stdout) if r.get("finished")]
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert runs, "no scheduled run was recorded"
    assert runs[0]["trigger"] == "schedule"
    assert "Scheduler started with 1 source" in out.decode()
    assert '"event": "scheduled-run"' in err.decode()
    assert proc.returncode in (0, -signal.SIGINT)
