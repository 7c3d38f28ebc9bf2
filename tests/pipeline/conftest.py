from __future__ import annotations

import os
import signal
import subprocess

import pytest

from indexer.pipeline import RunOptions
from searchhub.engine import Engine


@pytest.fixture
def engine(tmp_path):
    with Engine(tmp_path / "index") as engine:
        yield engine


def _options(repo_root) -> RunOptions:
    return RunOptions(taxonomy_dir=repo_root / "corpus" / "taxonomy", workers=2,
                      document_timeout=20, commit_every=50, http_timeout=5,
                      host_delay=0.0, http_retries=1)


@pytest.fixture
def options(repo_root):
    return _options(repo_root)


@pytest.fixture
def crawl_options(options, tmp_path):
    """``options`` for crawling the test platform: a data folder of the test's own and
    an HTTP timeout with room for a busy CI machine (a 304 once took over 1 s there)."""
    return type(options)(**{**options.__dict__, "data_dir": tmp_path / "data",
                            "http_timeout": 2.5})


@pytest.fixture(scope="module")
def module_options(repo_root):
    """``options`` for a module-scoped fixture: one run whose result several tests of a
    file only read."""
    return _options(repo_root)


@pytest.fixture
def platform():
    """A mini partner platform on 127.0.0.1 (``platform_server.Platform``)."""
    from platform_server import Platform

    with Platform() as p:
        yield p


@pytest.fixture
def process_groups():
    """``track(proc)`` for a process started with ``start_new_session=True``: at teardown
    its whole group (the CLI and its worker processes) is killed, so that a failed
    assertion or a timeout leaves nothing running."""
    started: list[subprocess.Popen] = []

    def track(proc: subprocess.Popen) -> subprocess.Popen:
        started.append(proc)
        return proc

    yield track
    for proc in started:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
