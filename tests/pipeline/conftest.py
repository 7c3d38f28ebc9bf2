from __future__ import annotations

import pytest

from indexer.pipeline import RunOptions
from searchhub.engine import Engine


@pytest.fixture
def engine(tmp_path):
    with Engine(tmp_path / "index") as engine:
        yield engine


@pytest.fixture
def options(repo_root):
    return RunOptions(taxonomy_dir=repo_root / "corpus" / "taxonomy", workers=2,
                      document_timeout=20, commit_every=50, http_timeout=5,
                      host_delay=0.0, http_retries=1)
