"""Fixtures for the engine tests: a fresh Whoosh index in tmp_path per test,
built from a handful of documents made by ``make_doc``; and, for the tests that run
on both engines, an OpenSearch cluster (``opensearch_url``) with a fresh index per
test (``make_opensearch``).

The cluster is the one at SEARCHHUB_TEST_OPENSEARCH_URL when that is set (CI starts
three nodes there; every xdist worker shares it, each test on indices of its own named
``searchhub-test-<worker>-<random>``, with one replica when the cluster has more than
one node); else each worker starts one node of its own, in the background from
collection on, and stops it at the end; without Java (or Maven, the first time) the
OpenSearch tests are skipped, saying why.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
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
#: The shared cluster's URL, read when the tests are collected: the web tests' fixtures
#: remove SEARCHHUB_* variables from the environment for the rest of their session.
SHARED_URL = os.environ.get("SEARCHHUB_TEST_OPENSEARCH_URL")
#: The node being started in the background since collection (see below), if any.
_starting: list[subprocess.Popen] = []


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
    wanted = any("opensearch" in item.nodeid
                 or "opensearch_url" in getattr(item, "fixturenames", ()) for item in items)
    if wanted and not _starting and not SHARED_URL and _cannot_start() is None:
        _starting.append(subprocess.Popen(
            [*_cluster("up"), "--nodes", "1", "--port", "0", "--heap", "384m", "--quick"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))


def pytest_sessionfinish(session, exitstatus):
    if SHARED_URL and _used:
        _remove_test_indices(SHARED_URL)
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
    given = SHARED_URL
    if given:
        from opensearchpy.exceptions import OpenSearchException

        from searchhub.engine.opensearch_engine import connect

        client = connect(given)
        try:
            client.cluster.health(wait_for_status="yellow", timeout="60s",
                                  request_timeout=90)
        except OpenSearchException as exc:
            pytest.fail(f"SEARCHHUB_TEST_OPENSEARCH_URL={given} does not answer: {exc}")
        finally:
            client.close()
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


#: Prefix of the indices this worker's tests make on the test cluster.
INDEX_PREFIX = f"searchhub-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-"
#: Whether this session made indices on a shared cluster (swept at its end).
_used: list[bool] = []


def test_index_name() -> str:
    """A new index name of this worker on the test cluster: unique, so tests of several
    workers (and runs) sharing one cluster never meet."""
    _used.append(True)
    return f"{INDEX_PREFIX}{uuid.uuid4().hex[:12]}"


test_index_name.__test__ = False        # a helper, not a test


@pytest.fixture(scope="session")
def opensearch_replicas(opensearch_url) -> int:
    """Replicas of the tests' indices: one when the cluster has another node to hold
    it (so that searches also read replicas), else none (a single node's index would
    stay yellow)."""
    from searchhub.engine.opensearch_engine import connect

    client = connect(opensearch_url)
    try:
        nodes = client.cluster.health()["number_of_nodes"]
    finally:
        client.close()
    return 1 if nodes > 1 else 0


def _remove_test_indices(url: str) -> None:
    """Delete what this worker's tests left on a shared cluster (an index a test
    deleted in its teardown is not there any more); a cluster gone by now is said, not
    raised, at the end of the session."""
    from opensearchpy.exceptions import OpenSearchException

    from searchhub.engine.opensearch_engine import connect

    client = connect(url)
    try:
        found = client.indices.get(index=f"{INDEX_PREFIX}*", expand_wildcards="all")
        for index in found:
            client.indices.delete(index=index, ignore_unavailable=True)
    except OpenSearchException as exc:
        print(f"The test indices {INDEX_PREFIX}* could not be removed: {exc}",
              file=sys.stderr)
    finally:
        client.close()


@pytest.fixture
def make_opensearch(request, opensearch_replicas):
    """``make_opensearch()``: an OpenSearchEngine on a fresh index of the test cluster,
    deleted after the test: one primary shard (with two, each shard's own BM25
    statistics reorder the tests' tiny corpora), a replica on another node when there
    is one."""
    url = request.getfixturevalue("opensearch_url")
    from searchhub.engine.opensearch_engine import OpenSearchEngine, connect

    made = []

    def build():
        engine = OpenSearchEngine(connect(url), test_index_name(),
                                  replicas=opensearch_replicas)
        made.append(engine)
        return engine
    yield build
    for engine in made:
        engine.client.indices.delete(index=engine.index, ignore_unavailable=True)
        engine.close()
