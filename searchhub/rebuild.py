"""Rebuilding the index beside the live one, and switching to it only when complete.

``searchhub index --rebuild`` writes a new index into ``<index>.rebuild``; the live
index keeps serving searches until the new one is whole, then the two are exchanged
in one step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames a moment
apart, during which searches keep answering from what they have open). A rebuild
killed halfway leaves the live index as it was; its half-built folder is removed by
the next rebuild.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def build_dir(live: Path) -> Path:
    """Where a rebuild of ``live`` is written."""
    return live.with_name(live.name + ".rebuild")


def _old_dir(live: Path) -> Path:
    return live.with_name(live.name + ".old")


def start(live: Path) -> Path:
    """A fresh, empty folder for the rebuild of ``live`` (what a killed rebuild left
    there is removed)."""
    recover(live)
    target = build_dir(live)
    shutil.rmtree(target, ignore_errors=True)
    return target


def switch(new: Path, live: Path) -> None:
    """Make the complete index in ``new`` the live one at ``live``; the old one goes."""
    if live.exists() and _exchange(new, live):
        shutil.rmtree(new, ignore_errors=True)       # now holds the old index
        return
    old = _old_dir(live)
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        os.rename(live, old)
    os.rename(new, live)
    shutil.rmtree(old, ignore_errors=True)


def recover(live: Path) -> None:
    """A switch killed between its two renames left no live index: put the old back."""
    old = _old_dir(live)
    if not live.exists() and old.exists():
        os.rename(old, live)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0
