"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

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
