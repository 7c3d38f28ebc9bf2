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


class WorkerPool:
    """Worker processes kept for several batches of tasks: the sources of one run.
    A worker costs a process start and its imports (about 1.4 CPU-s), so a run starts
    them once, when its first source needs extracting, rather than once per source.
    ``run`` takes one batch; ``close`` (or leaving the ``with`` block) stops them."""

    def __init__(self, func: Callable, *, timeout: float, initializer: Callable | None = None,
                 initargs: tuple = ()):
        self.func, self.timeout = func, timeout
        self.initializer, self.initargs = initializer, initargs
        self._ctx = mp.get_context("spawn")
        self._workers: list[_Worker] = []
        self._starting: dict[Connection, _Worker] = {}
        self._idle: deque[_Worker] = deque()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        """The worker processes' ids (for tests and logs)."""
        return [w.process.pid for w in self._workers]

    def _spawn(self) -> None:
        worker = _Worker(self._ctx, self.func, self.initializer, self.initargs)
        self._workers.append(worker)
        self._starting[worker.conn] = worker

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        self._workers.remove(worker)

    def run(self, tasks: Iterable[tuple[Any, Any]], *,
            workers: int) -> Iterator[tuple[Any, bool, Any]]:
        """Run ``func(task)`` for each ``(key, task)`` on at least ``workers`` processes
        (more if earlier batches started more); yield ``(key, ok, result_or_error)`` in
        completion order. A task that takes longer than ``timeout`` seconds yields
        ``(key, False, TaskTimeout)`` and its worker is replaced. Tasks are taken from
        ``tasks`` only when a worker is free (a worker that finishes gets its next task
        before its result is yielded), and not kept once sent (only their keys). A
        batch left early (an error, or the caller stops) kills the workers still busy
        with it, so that no late result reaches the next batch."""
        while len(self._workers) < max(1, workers):
            self._spawn()
        pending = iter(tasks)
        starting, idle = self._starting, self._idle
        busy: dict[Connection, _Worker] = {}
        exhausted = False

        def replace(worker: _Worker) -> None:
            self._discard(worker)
            self._spawn()

        def feed() -> None:
            """Give each idle worker its next task. The task is not kept here once
            sent (a crawled page's body goes with it)."""
            nonlocal exhausted
            while idle and not exhausted:
                worker = idle.popleft()
                if not worker.process.is_alive():      # died while idle (between batches)
                    replace(worker)
                    continue
                try:
                    key, task = next(pending)
                except StopIteration:
                    idle.appendleft(worker)
                    exhausted = True
                    return
                busy[worker.conn] = worker
                try:
                    worker.give(key, task)
                except OSError:      # it died just now: reported below as a dead worker
                    pass

        try:
            while True:
                if starting:
                    ready = wait(list(starting),
                                 timeout=0 if busy or idle else STARTUP_TIMEOUT)
                    if not ready and not busy and not idle:
                        raise WorkerDied(f"no worker process started within {STARTUP_TIMEOUT} s")
                    for conn in ready:
                        worker = starting.pop(conn)
                        try:
                            conn.recv()
                            idle.append(worker)
                        except (EOFError, OSError):
                            self._discard(worker)
                            raise WorkerDied("a worker process failed to start (exit code "
                                             f"{worker.process.exitcode})") from None
                feed()
                if not busy:
                    if exhausted or not starting:
                        return
                    continue
                now = time.monotonic()
                next_deadline = min(w.started + self.timeout for w in busy.values())
                ready = wait(list(busy) + list(starting),
                             timeout=max(0.0, next_deadline - now))
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
                    if now - worker.started >= self.timeout:
                        del busy[conn]
                        key = worker.key
                        replace(worker)
                        yield key, False, TaskTimeout(
                            f"took longer than {self.timeout:g} s; the worker was stopped")
        finally:
            for worker in busy.values():
                self._discard(worker)

    def close(self) -> None:
        """Stop every worker: idle ones are asked to leave, the others killed."""
        for worker in self._workers:
            if worker.process.is_alive():
                worker.kill() if worker.busy or worker.conn in self._starting else worker.stop()
        self._workers.clear()
        self._starting.clear()
        self._idle.clear()


def run_tasks(func: Callable, tasks: Iterable[tuple[Any, Any]], *, workers: int,
              timeout: float, initializer: Callable | None = None,
              initargs: tuple = ()) -> Iterator[tuple[Any, bool, Any]]:
    """One batch on a pool of its own (see ``WorkerPool.run``), stopped at its end."""
    with WorkerPool(func, timeout=timeout, initializer=initializer,
                    initargs=initargs) as pool:
        yield from pool.run(tasks, workers=workers)
