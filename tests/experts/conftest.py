"""Fixtures for the experts: a data folder with the demo's example profiles imported
through the real command, and the CSV template's header."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchhub.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "corpus" / "experts" / "examples.csv"


@pytest.fixture(autouse=True)
def _no_searchhub_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SEARCHHUB_"):
            monkeypatch.delenv(name)


@pytest.fixture
def cli():
    """``cli(data_dir, *args)``: run `searchhub --data-dir DATA ARGS...`; returns the
    click Result."""
    runner = CliRunner()

    def run(data_dir: Path, *args: str):
        return runner.invoke(main, ["--data-dir", str(data_dir), *args])
    return run
