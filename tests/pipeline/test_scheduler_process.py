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


@pytest.fixture
def start_scheduler(tmp_path):
    """Start ``searchhub ... scheduler`` in a process group of its own; at teardown the
    whole group (the scheduler and the workers of its runs) is stopped, whether the
    test passed, failed or raised."""
    started: list[subprocess.Popen] = []

    def start(base: list[str], env: dict) -> subprocess.Popen:
        out = (tmp_path / "scheduler.out").open("wb")
        err = (tmp_path / "scheduler.err").open("wb")
        proc = subprocess.Popen([*base, "scheduler"], env=env, stdout=out, stderr=err,
                                start_new_session=True)
        out.close()
        err.close()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        _stop_group(proc)


def _stop_group(proc: subprocess.Popen) -> None:
    """SIGINT to the process group, then SIGKILL to whatever of it is left."""
    try:
        os.killpg(proc.pid, signal.SIGINT)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)    # a worker may outlive its parent
    except ProcessLookupError:
        pass
    proc.wait()


def test_scheduler_runs_a_due_source_and_stops_cleanly(tmp_path, start_scheduler):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Labour note\n\n" + LOREM_EN * 3, encoding="utf-8")
    files_registry(tmp_path, folder, extra='schedule = "* * * * *"\n')
    base = [sys.executable, "-m", "searchhub.cli", "--data-dir", str(tmp_path / "data"),
            "--sources", str(tmp_path / "sources.toml")]
    env = {**os.environ, "SEARCHHUB_WORKERS": "1"}
    proc = start_scheduler(base, env)
    runs = []
    # A guard against waiting forever, not a measure of speed: the schedule fires on the
    # next minute, then the run itself takes a few seconds.
    deadline = time.monotonic() + 100
    while time.monotonic() < deadline and not runs and proc.poll() is None:
        time.sleep(2)
        listed = subprocess.run([*base, "runs", "--json"], env=env, capture_output=True)
        if listed.returncode == 0:
            runs = [r for r in json.loads(listed.stdout) if r.get("finished")]
    err = (tmp_path / "scheduler.err").read_text(encoding="utf-8", errors="replace")
    assert proc.poll() is None, err[-2000:]
    assert runs, "no scheduled run was recorded"
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    out = (tmp_path / "scheduler.out").read_text(encoding="utf-8")
    err = (tmp_path / "scheduler.err").read_text(encoding="utf-8")
    assert runs[0]["trigger"] == "schedule"
    assert "Scheduler started with 1 source" in out
    assert '"event": "scheduled-run"' in err
    assert proc.returncode in (0, -signal.SIGINT)
