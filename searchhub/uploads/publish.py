"""Publishing: after an approval, a withdrawal or an undo, the indexer runs the uploads
source alone, in its own process (the web app never writes the index): ``searchhub
index --source uploads``. It waits for a run already holding the index lock; the
caller waits a little for it, and otherwise the run finishes on its own (and every
full run indexes the approved uploads anyway)."""

from __future__ import annotations

import os
import subprocess
import sys

from searchhub.settings import SETTINGS, Settings

#: Seconds the indexer process waits for a run that holds the index lock.
LOCK_WAIT = 900.0


def _environment(settings: Settings) -> dict[str, str]:
    """The settings of this process, for the indexer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHHUB_")}
    for setting in SETTINGS:
        value = getattr(settings, setting.name)
        env[setting.env] = ("true" if value else "false") if isinstance(value, bool) \
            else str(value)
    return env


def publish(settings: Settings, wait: float = 60.0) -> bool:
    """Run the uploads source; True when it finished within ``wait`` seconds."""
    process = subprocess.Popen(
        [sys.executable, "-m", "searchhub.cli", "index", "--source", "uploads", "--quiet",
         "--workers", "1", "--wait", str(LOCK_WAIT)],
        env=_environment(settings), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        return process.wait(timeout=wait) in (0, 1)
    except subprocess.TimeoutExpired:
        return False
