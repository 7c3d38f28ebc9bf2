"""indexer.pool: worker processes with a real per-task timeout."""

from __future__ import annotations

import multiprocessing as mp
import os
import time

import pool_tasks

from indexer.pool import TaskTimeout, WorkerPool, run_tasks


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_results_and_errors_come_back_by_key():
    tasks = [(n, ("echo", n * 10)) for n in range(5)] + [("bad", ("fail", "no such file"))]
    results = {key: (ok, value) for key, ok, value in
               run_tasks(pool_tasks.work, tasks, workers=2, timeout=60)}
    assert {key: value[0] for key, (ok, value) in results.items() if ok} == {
        n: n * 10 for n in range(5)}
    ok, error = results["bad"]
    assert not ok and isinstance(error, ValueError) and str(error) == "no such file"
    assert mp.active_children() == []              # every worker stopped at the end


def test_a_hung_task_has_its_worker_killed_and_replaced(tmp_path):
    pid_file = tmp_path / "hung.pid"
    tasks = [("hung", ("hang", str(pid_file)))] + [(n, ("echo", n)) for n in range(3)]
    results = {}
    hung_pid = None
    # One worker: the tasks after the hung one can only run in its replacement.
    for key, ok, value in run_tasks(pool_tasks.work, tasks, workers=1, timeout=2):
        results[key] = (ok, value)
        if key == "hung":
            hung_pid = int(pid_file.read_text(encoding="utf-8"))
            assert not _alive(hung_pid), "the hung worker is still running"
    ok, error = results["hung"]
    assert not ok and isinstance(error, TaskTimeout)
    assert "the worker was stopped" in str(error)
    assert list(results) == ["hung", 0, 1, 2]
    pids = {value[1] for key, (ok, value) in results.items() if key != "hung"}
    assert len(pids) == 1 and hung_pid not in pids
    assert mp.active_children() == []


def test_a_pool_keeps_its_workers_for_the_next_batch():
    with WorkerPool(pool_tasks.work, timeout=60) as pool:
        first = {key: value for key, ok, value in
                 pool.run([(n, ("echo", n)) for n in range(4)], workers=2)}
        started = set(pool.pids)
        second = {key: value for key, ok, value in
                  pool.run([(n, ("echo", n)) for n in range(4, 8)], workers=1)}
        assert set(pool.pids) == started and len(started) == 2
        assert {pid for _, pid in first.values()} | {pid for _, pid in second.values()} \
            <= started
        assert {key: value[0] for key, value in second.items()} == {n: n for n in range(4, 8)}
    assert mp.active_children() == []


def test_a_batch_left_early_leaves_no_late_result_for_the_next(tmp_path):
    pid_file = tmp_path / "hung.pid"
    with WorkerPool(pool_tasks.work, timeout=60) as pool:
        batch = pool.run([("hung", ("hang", str(pid_file))), ("quick", ("echo", 1))],
                         workers=2)
        key, ok, value = next(batch)             # the quick one; the hung one still runs
        assert key == "quick" and ok
        deadline = time.monotonic() + 60         # a guard, not a measure: it has begun
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        hung_pid = int(pid_file.read_text(encoding="utf-8"))
        batch.close()                            # the caller stops (as on an error)
        assert not _alive(hung_pid)
        results = list(pool.run([("next", ("echo", 2))], workers=2))
        assert [(key, ok, value[0]) for key, ok, value in results] == [("next", True, 2)]
        assert hung_pid not in pool.pids
    assert mp.active_children() == []
