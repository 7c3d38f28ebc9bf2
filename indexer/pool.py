"""A pool of worker processes with a real per-task timeout.

``concurrent.futures`` cannot stop a task that hangs (a PDF that sends pypdf into
a loop): here each worker takes one task at a time, and a worker that overruns
the timeout is killed and replaced, and its task reported as timed out.
"""

from __future__ import annotations

import multiprocessing as mp
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

_READY = "ready"


class TaskTimeout(Exception):
    pass


class WorkerDied(Exception):
    pass


def _worker_main(conn: Connection, initializer, initargs, func) -> None:
    if initializer is not None:
        initializer(*initargs)
    conn.send(_READY)      # the timeout clock starts after imports and set-up
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        key, task = message
        try:
            result = (True, func(task))
        except Exception as exc:  # noqa: BLE001 - sent back to the parent, which reports it
            # A traceback does not cross the pipe: its text goes with the exception.
            exc.worker_traceback = _short_traceback(exc)
            result = (False, exc)
        try:
            conn.send((key, result))
        except (TypeError, AttributeError, ValueError) as exc:   # result not picklable
            conn.send((key, (False, RuntimeError(f"unpicklable result: {exc}"))))


STARTUP_TIMEOUT = 120.0
#: Frames and characters of a worker's traceback sent back with its exception.
TRACEBACK_FRAMES = 4
TRACEBACK_CHARS = 2000


def _short_traceback(exc: BaseException) -> str:
    """The last few frames and the message of ``exc``, as Python prints them."""
    text = "".join(traceback.format_exception(exc, limit=-TRACEBACK_FRAMES)).strip()
    return text if len(text) <= TRACEBACK_CHARS else "..." + text[-TRACEBACK_CHARS:]


class _Worker:
    def __init__(self, ctx, func, initializer, initargs):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, initializer, initargs, func),
                                   daemon=True)
        self.process.start()
        child.close()
        self.busy = False
        self.key: Any = None       # of the task it works on (not the task: it may be big)
        self.started = 0.0

    def give(self, key, task) -> None:
        self.busy, self.key = True, key
        self.started = time.monotonic()
        self.conn.send((key, task))

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


def run_tasks(func: Callable, tasks: Iterable[tuple[Any, Any]], *, workers: int,
              timeout: float, initializer: Callable | None = None,
              initargs: tuple = ()) -> Iterator[tuple[Any, bool, Any]]:
    """Run ``func(task)`` for each ``(key, task)``; yield ``(key, ok, result_or_error)``
    in completion order. A task that takes longer than ``timeout`` seconds yields
    ``(key, False, TaskTimeout)`` and its worker is replaced. Tasks are taken from
    ``tasks`` only when a worker is free (a worker that finishes gets its next task
    before its result is yielded), and not kept once sent (only their keys)."""
    ctx = mp.get_context("spawn")
    pending = iter(tasks)
    pool = [_Worker(ctx, func, initializer, initargs) for _ in range(max(1, workers))]
    starting: dict[Connection, _Worker] = {w.conn: w for w in pool}
    idle: deque[_Worker] = deque()
    busy: dict[Connection, _Worker] = {}
    exhausted = False

    def replace(worker: _Worker) -> None:
        worker.kill()
        pool.remove(worker)
        fresh = _Worker(ctx, func, initializer, initargs)
        pool.append(fresh)
        starting[fresh.conn] = fresh

    def feed() -> None:
        """Give each idle worker its next task. The task is not kept here once sent (a
        crawled page's body goes with it)."""
        nonlocal exhausted
        while idle and not exhausted:
            try:
                key, task = next(pending)
            except StopIteration:
                exhausted = True
                return
            worker = idle.popleft()
            worker.give(key, task)
            busy[worker.conn] = worker

    try:
        while True:
            if starting:
                ready = wait(list(starting), timeout=0 if busy or idle else STARTUP_TIMEOUT)
                if not ready and not busy and not idle:
                    raise WorkerDied(f"no worker process started within {STARTUP_TIMEOUT} s")
                for conn in ready:
                    worker = starting.pop(conn)
                    try:
                        conn.recv()
                        idle.append(worker)
                    except (EOFError, OSError):
                        raise WorkerDied("a worker process failed to start (exit code "
                                         f"{worker.process.exitcode})") from None
            feed()
            if not busy:
                if exhausted or not starting:
                    return
                continue
            now = time.monotonic()
            next_deadline = min(w.started + timeout for w in busy.values())
            ready = wait(list(busy) + list(starting), timeout=max(0.0, next_deadline - now))
            ready = [c for c in ready if c in busy]
            for conn in ready:
                worker = busy.pop(conn)
                try:
                    key, (ok, result) = conn.recv()
                except (EOFError, OSError):
                    key = worker.key
                    ok, result = False, WorkerDied(
                        f"the worker process died (exit code {worker.process.exitcode})")
                    replace(worker)
                    yield key, ok, result
                    continue
                worker.busy, worker.key = False, None
                idle.append(worker)
                # Its next task first, so that the worker runs it while the caller
                # handles this result.
                feed()
                yield key, ok, result
            now = time.monotonic()
            for conn, worker in list(busy.items()):
                if now - worker.started >= timeout:
                    del busy[conn]
                    key = worker.key
                    replace(worker)
                    yield key, False, TaskTimeout(
                        f"took longer than {timeout:g} s; the worker was stopped")
    finally:
        for worker in pool:
            if worker.process.is_alive():
                worker.kill() if worker.busy else worker.stop()
