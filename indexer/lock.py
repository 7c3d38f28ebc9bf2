"""The run lock: one indexing run writes at a time, and a second one learns who holds it.

An ``flock`` on ``<data_dir>/run.lock``: the kernel releases it when the holder dies
(even with kill -9), so a crashed run never leaves a stale lock. The holder writes
its pid, host and start time into the file for whoever finds it taken.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from pathlib import Path

from searchhub.errors import IndexBusy


class RunLock:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / "run.lock"
        self._fd: int | None = None

    def holder(self) -> dict:
        """Who holds (or last held) the lock: pid, host, started, what."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}

    def acquire(self, *, wait: float = 0.0, what: str = "searchhub index") -> None:
        """Take the lock, waiting up to ``wait`` seconds; raise IndexBusy naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    h = self.holder()
                    who = (f"{h.get('what', 'a run')} (pid {h.get('pid')} on {h.get('host')}, "
                           f"started {h.get('started')})") if h else "another run"
                    raise IndexBusy(f"The index is being written by {who}. Wait for it to "
                                    "finish, or use --wait SECONDS.") from None
                time.sleep(0.2)
        owner = {"pid": os.getpid(), "host": socket.gethostname(), "what": what,
                 "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(owner).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
