"""Task functions for the worker-pool tests; a module of its own, so that the spawned
workers can import them by name."""

from __future__ import annotations

import os
import time
from pathlib import Path


def work(task: tuple[str, object]) -> object:
    """``("echo", x)`` returns ``(x, pid)``; ``("hang", path)`` writes the worker's pid
    to ``path`` and sleeps (long past any timeout of the tests); ``("fail", message)``
    raises ValueError."""
    kind, arg = task
    if kind == "echo":
        return arg, os.getpid()
    if kind == "hang":
        Path(arg).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(120)
        return "woke up"
    raise ValueError(arg)
