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
#: The test cluster's folder (one per xdist worker): not under pytest's tmp_path, which
#: the unprivileged user the nodes run as (when the tests run as root) cannot enter.
TEST_CLUSTER = (REPO / ".cache" / "opensearch"
                / f"test-cluster-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
#: The node being started in the background since collection (see below), if any.
_starting: list[subprocess.Popen] = []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cluster(command: str) -> list[str]:
    return [sys.executable, str(CLUSTER_SCRIPT), command, "--cluster-dir", str(TEST_CLUSTER)]


def _cannot_start() -> str | None:
    """Why no test node can be started here, or None."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return ("OpenSearch tests: no Java (install Java 11+ or set "
                "SEARCHHUB_TEST_OPENSEARCH_URL to a running cluster)")
    unpacked = (REPO / ".cache" / "opensearch").glob("opensearch-*/bin/opensearch")
    if not os.environ.get("OPENSEARCH_HOME") and shutil.which("mvn") is None \
            and not any(unpacked):
        return ("OpenSearch tests: no Maven to fetch OpenSearch (install Maven or set "
                "OPENSEARCH_HOME or SEARCHHUB_TEST_OPENSEARCH_URL)")
    return None


@pytest.hookimpl(trylast=True)          # after -k and -m have deselected tests
def pytest_collection_modifyitems(session, config, items):
    """When OpenSearch tests are selected, start their node now, so that it boots
    while the tests before them run (about half a minute saved)."""
    wanted = any("opensearch" in item.nodeid for item in items)
    if wanted and not _starting and not os.environ.get("SEARCHHUB_TEST_OPENSEARCH_URL") \
            and _cannot_start() is None:
        _starting.append(subprocess.Popen(
            [*_cluster("up"), "--nodes", "1", "--port", str(_free_port()),
             "--transport-port", str(_free_port()), "--heap", "384m", "--quick"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))


def pytest_sessionfinish(session, exitstatus):
    if _starting:
        starting = _starting.pop()
        if starting.returncode is None:          # never waited for by a test
            starting.communicate(timeout=900)
        subprocess.run(_cluster("down"), capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def opensearch_url():
    """The URL of an OpenSearch cluster for the tests: SEARCHHUB_TEST_OPENSEARCH_URL,
    or the one node started for the session with the project's own cluster command
    (Java and Maven needed the first time), stopped at the end of the session."""
    given = os.environ.get("SEARCHHUB_TEST_OPENSEARCH_URL")
    if given:
        return given
    reason = _cannot_start()
    if reason:
        pytest.skip(reason)
    if not _starting:
        pytest.fail("the OpenSearch test node was not started at collection")
    out, err = _starting[0].communicate(timeout=900)
    if _starting[0].returncode != 0:
        pytest.fail(f"the OpenSearch test cluster did not start:\n{err[-3000:]}")
    return out.strip().splitlines()[-1]


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
