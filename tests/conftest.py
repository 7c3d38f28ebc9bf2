"""Fixtures shared by every test folder."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from demo_corpus import DEMO_COUNT

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS_REAL = SHARED / "corpus-real"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus_real() -> Path:
    if not CORPUS_REAL.is_dir():
        pytest.skip("../shared/corpus-real is not present")
    return CORPUS_REAL


@pytest.fixture(scope="session")
def built_once(tmp_path_factory):
    """``built_once(name, build)``: the folder ``build(folder)`` filled, built once per
    test run: the first xdist worker that asks builds it while the others wait for it
    (a file lock in the run's temporary folder, which every worker shares), so that
    three workers do not each redo the same work. The folder is read-only to the
    tests: copy it (``shutil.copytree``) to change or serve it. A build that failed is
    tried again by the next one to ask, and fails there too."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "built-once"
    root.mkdir(exist_ok=True)

    def get(name: str, build: Callable[[Path], None]) -> Path:
        folder, done = root / name, root / f"{name}.done"
        with (root / f"{name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)         # released when the file closes
            if not done.exists():
                if folder.exists():                  # a failed earlier try
                    shutil.rmtree(folder)
                folder.mkdir()
                build(folder)
                done.touch()
        return folder
    return get


def _build_demo_index(data_dir: Path) -> None:
    from indexer.pipeline import RunOptions, run
    from indexer.sources import load_sources
    from searchhub.engine import Engine

    with pytest.MonkeyPatch.context() as mp:     # the developer's settings steer nothing
        for name in list(os.environ):
            if name.startswith("SEARCHHUB_"):
                mp.delenv(name)
        with Engine(data_dir / "index") as engine:
            report = run(engine, load_sources(REPO / "corpus" / "sources.toml"),
                         RunOptions(taxonomy_dir=REPO / "corpus" / "taxonomy", workers=2))
            assert report.total("failed") == 0, report.as_dict()
            assert engine.count() == DEMO_COUNT


@pytest.fixture(scope="session")
def demo_index_dir(built_once) -> Path:
    """A data folder holding only the demo corpus indexed by the real pipeline, built
    once per run (read-only: copy it, as ``demo_index_copy`` does)."""
    return built_once("demo-index", _build_demo_index)


@pytest.fixture(scope="session")
def demo_index_copy(demo_index_dir, tmp_path_factory) -> Callable[[str], Path]:
    """``demo_index_copy(name)``: a new data folder of this worker holding a copy of
    ``demo_index_dir``, for a fixture that adds to it or opens it for writing."""
    def copy(name: str) -> Path:
        target = tmp_path_factory.mktemp(name) / "data"
        shutil.copytree(demo_index_dir, target)
        return target
    return copy


#: The test files that take longest (seconds of one worker in a full run, 3 December
#: 2026), collected first: ``make test`` hands whole files to three workers in the order
#: collected (``--no-loadscope-reorder``; xdist's own order, most tests first, put the
#: scheduler's file, which waits for the next minute, last, alone while the two other
#: workers were idle). Longest first leaves the short files to even out the end. Other
#: files keep their order after these.
LONGEST_FIRST = (
    "tests/e2e/test_real_corpus.py",            # 234: indexes the real corpus
    "tests/e2e/test_accessibility.py",          # 121
    "tests/engine/test_visibility.py",          # 61
    "tests/pipeline/test_scheduler_process.py",  # 57, mostly waiting
    "tests/indexer/test_extract.py",            # 53
    "tests/benchmarks/test_bench.py",           # 48
    "tests/pipeline/test_pipeline.py",          # 45
    "tests/e2e/test_keyboard_and_phone.py",     # 43
    "tests/test_packaging.py",                  # 41
)


def pytest_collection_modifyitems(config, items):
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    # A stable sort: each file's tests stay together and in their order.
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
