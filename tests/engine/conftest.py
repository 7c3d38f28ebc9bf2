"""Fixtures for the engine tests: a fresh Whoosh index in tmp_path per test,
built from a handful of documents made by ``make_doc``; and, for the tests that run
on both engines, an OpenSearch cluster (``opensearch_url``) with a fresh index per
test (``make_opensearch``)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from searchhub.engine import Engine
from searchhub.models import Document, Query


def make_doc(doc_id: str, text: str = "", *, title: str | None = None,
             pages: list[str] | None = None, **fields) -> Document:
    """A Document with sensible defaults; ``text`` becomes its only page."""
    defaults = {
        "url": f"https://example.org/{doc_id}",
        "source_id": "test",
        "agency": "IOM",
        "language": "en",
        "format": "html",
        "date": dt.date(2020, 1, 1),
        "content_hash": f"hash-{doc_id}",
    }
    defaults.update(fields)
    return Document(id=doc_id, title=title if title is not None else f"Document {doc_id}",
                    pages=pages if pages is not None else [text], **defaults)


def index_docs(engine: Engine, docs: Iterable[Document]) -> Engine:
    with engine.writer(timeout=5.0) as writer:
        for doc in docs:
            writer.add(doc)
    return engine


@pytest.fixture
def make_engine(tmp_path) -> Callable[[Iterable[Document]], Engine]:
    """Build an Engine in a fresh folder from documents: ``make_engine([doc, ...])``."""
    counter = iter(range(1000))

    def build(docs: Iterable[Document] = ()) -> Engine:
        engine = Engine(tmp_path / f"index{next(counter)}")
        return index_docs(engine, docs)
    return build


def ids(result) -> list[str]:
    return [hit.document.id for hit in result.hits]


def search(engine: Engine, text: str = "", **kwargs):
    kwargs.setdefault("page_size", 50)
    return engine.search(Query(text, **kwargs))


# -- OpenSearch -------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
CLUSTER_SCRIPT = REPO / "scripts" / "opensearch_cluster.py"
#: The test cluster's folder: not under pytest's tmp_path, which the unprivileged user
#: the nodes run as (when the tests run as root) cannot enter.
TEST_CLUSTER = REPO / ".cache" / "opensearch" / "test-cluster"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def opensearch_url():
    """The URL of an OpenSearch cluster for the tests: SEARCHHUB_TEST_OPENSEARCH_URL,
    or one node started for the session with the project's own cluster command
    (Java and Maven needed the first time), stopped at the end."""
    given = os.environ.get("SEARCHHUB_TEST_OPENSEARCH_URL")
    if given:
        yield given
        return
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("OpenSearch tests: no Java (install Java 11+ or set "
                    "SEARCHHUB_TEST_OPENSEARCH_URL to a running cluster)")
    unpacked = (REPO / ".cache" / "opensearch").glob("opensearch-*/bin/opensearch")
    if not os.environ.get("OPENSEARCH_HOME") and shutil.which("mvn") is None \
            and not any(unpacked):
        pytest.skip("OpenSearch tests: no Maven to fetch OpenSearch (install Maven or set "
                    "OPENSEARCH_HOME or SEARCHHUB_TEST_OPENSEARCH_URL)")
    command = [sys.executable, str(CLUSTER_SCRIPT), "--cluster-dir", str(TEST_CLUSTER)]
    started = subprocess.run(
        [*command[:2], "up", *command[2:], "--nodes", "1", "--port", str(_free_port()),
         "--transport-port", str(_free_port()), "--heap", "384m", "--quick"],
        capture_output=True, text=True, timeout=900)
    if started.returncode != 0:
        pytest.fail(f"the OpenSearch test cluster did not start:\n{started.stderr[-3000:]}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([*command[:2], "down", *command[2:]], capture_output=True, timeout=120)


@pytest.fixture(params=["whoosh", "opensearch"])
def make_any_engine(request, make_engine):
    """``make_engine`` on each engine in turn: the same documents in a fresh Whoosh
    index, then in a fresh OpenSearch index (skipped without a cluster)."""
    if request.param == "whoosh":
        return make_engine
    make_opensearch = request.getfixturevalue("make_opensearch")
    return lambda docs=(): index_docs(make_opensearch(), docs)


@pytest.fixture
def make_opensearch(request):
    """``make_opensearch()``: an OpenSearchEngine on a fresh index of the test cluster,
    deleted after the test."""
    url = request.getfixturevalue("opensearch_url")
    from searchhub.engine.opensearch_engine import OpenSearchEngine, connect

    made = []

    def build():
        engine = OpenSearchEngine(connect(url), f"searchhub-test-{uuid.uuid4().hex[:12]}",
                                  replicas=0)
        made.append(engine)
        return engine
    yield build
    for engine in made:
        engine.client.indices.delete(index=engine.index, ignore_unavailable=True)
        engine.close()
