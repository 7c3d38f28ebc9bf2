"""Publishing: after an approval, a withdrawal or an undo, the indexer runs the uploads
source alone, in its own detached process (the web app never writes the index, and
never waits for it): ``python -m searchhub.uploads.publish OUTCOME``, which runs
``searchhub index --source uploads`` and writes what came of it to ``OUTCOME``
(``<data>/uploads/publishing.json``). The run waits for one already holding the index
lock (and every full run indexes the approved uploads anyway).

Where an approved upload stands (``state``): in the index, "published"; named among
the failures of a run started after its approval, or after a run that failed as a
whole, "failed" with the indexer's reason; otherwise "publishing".
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from searchhub.settings import SETTINGS, Settings

#: Seconds the indexer process waits for a run that holds the index lock.
LOCK_WAIT = 900.0
#: The outcome of the latest publishing run, in the uploads folder.
OUTCOME = "publishing.json"


def outcome_path(data_dir: Path) -> Path:
    return Path(data_dir) / "uploads" / OUTCOME


def _environment(settings: Settings) -> dict[str, str]:
    """The settings of this process, for the indexer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHHUB_")}
    for setting in SETTINGS:
        value = getattr(settings, setting.name)
        env[setting.env] = ("true" if value else "false") if isinstance(value, bool) \
            else str(value)
    return env


def start(settings: Settings) -> subprocess.Popen:
    """Start a publishing run in its own session and return at once; a thread of
    this process collects its exit status (no zombie is left behind)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "searchhub.uploads.publish",
         str(outcome_path(settings.data_dir))],
        env=_environment(settings), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    threading.Thread(target=process.wait, name="publish-reaper", daemon=True).start()
    return process


def publish(settings: Settings, wait: float = 60.0) -> bool:
    """Run the uploads source; True when it finished within ``wait`` seconds (for the
    command line, which may wait)."""
    process = start(settings)
    try:
        return process.wait(timeout=wait) in (0, 1)
    except subprocess.TimeoutExpired:
        return False


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write(path: Path, outcome: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{os.getpid()}")
    part.write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")
    os.replace(part, path)


def run(path: Path) -> int:
    """Index the uploads source and record the outcome in ``path``: its start and
    end, the failed documents (doc id -> the indexer's message) and, when the run as
    a whole failed, why."""
    started = _now()
    done = subprocess.run(
        [sys.executable, "-m", "searchhub.cli", "index", "--source", "uploads", "--json",
         "--workers", "1", "--wait", str(LOCK_WAIT)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    failures: dict[str, str] = {}
    error = ""
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        error = lines[-1].removeprefix("Error: ") if lines else f"exit {done.returncode}"
    else:
        for source in report.get("sources", []):
            error = error or source.get("error", "")
            for failure in source.get("failures", []):
                message = failure.get("message") or failure["reason"]
                # Said to members: the kept file's name, not where the server keeps it.
                failures[failure["doc_id"]] = message.replace(f"{path.parent}/", "")
    _write(path, {"started": started, "finished": _now(), "exit": done.returncode,
                  "failures": failures, "error": error})
    return done.returncode


@dataclass(frozen=True)
class State:
    state: str          # "published", "publishing" or "failed"
    reason: str = ""


def read_outcome(data_dir: Path) -> dict:
    """The latest publishing run's outcome ({} before the first one)."""
    try:
        return json.loads(outcome_path(data_dir).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def state(doc_id: str, approved_at: str | None, indexed: bool, outcome: dict) -> State:
    """Where an approved upload stands (see the module's docstring)."""
    if indexed:
        return State("published")
    if outcome and approved_at and outcome.get("started", "") >= approved_at:
        if doc_id in outcome.get("failures", {}):
            return State("failed", outcome["failures"][doc_id])
        if outcome.get("error"):
            return State("failed", outcome["error"])
    return State("publishing")


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
