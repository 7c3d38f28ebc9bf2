"""A node of a three-node OpenSearch cluster killed (SIGKILL) while searches and an
indexing run go on: searches keep answering, no acknowledged document is lost, the node
rejoins and the cluster is green again.

It starts its own cluster (three nodes, small heaps, ``--quick``; never the shared test
cluster, since it kills a node) and takes a few minutes on a loaded machine: opt in with
SEARCHHUB_TEST_CLUSTER=1, or ``make test-cluster`` (what CI runs after the suite), which
shows the figures it prints.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
from opensearchpy.exceptions import TransportError

from searchhub.engine.opensearch_engine import OpenSearchEngine, connect
from searchhub.models import Query

from .conftest import REPO, _cannot_start, make_doc

CLUSTER_DIR = (REPO / ".cache" / "opensearch"
               / f"fault-cluster-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(os.environ.get("SEARCHHUB_TEST_CLUSTER") != "1",
                       reason="starts a three-node OpenSearch cluster and kills a node: "
                              "a few minutes; opt in with SEARCHHUB_TEST_CLUSTER=1 "
                              "(make test-cluster)"),
]


def _cluster(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "opensearch_cluster.py"), *args,
                           "--cluster-dir", str(CLUSTER_DIR)],
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture
def cluster_url():
    reason = _cannot_start()
    if reason:
        pytest.skip(reason)
    up = _cluster("up", "--nodes", "3", "--port", "0", "--heap", "256m", "--quick")
    if up.returncode != 0:
        pytest.fail(f"the three-node cluster did not start:\n{up.stderr[-3000:]}")
    try:
        yield up.stdout.strip().splitlines()[-1]
    finally:
        _cluster("down", timeout=120)


def test_a_killed_node_costs_no_search_and_no_acknowledged_document(cluster_url):
    client = connect(cluster_url)
    engine = OpenSearchEngine(client, "searchhub-fault", shards=2, replicas=1)
    client.cluster.health(index="searchhub-fault", wait_for_status="green", timeout="120s",
                          request_timeout=150)
    batch, batches = 50, 40
    words = ("asylum", "returnees", "remittances", "labour", "climate")

    def doc(n: int):
        return make_doc(f"d{n:05}", f"{words[n % 5]} report {n}", agency=("IOM", "ILO")[n % 2])

    with engine.writer() as writer:                   # something to search from the start
        for n in range(200):
            writer.add(doc(n))
    acknowledged: set[str] = {f"d{n:05}" for n in range(200)}
    searches, search_errors, partial = [0], [], [0]
    commit_errors: list[str] = []
    stop = threading.Event()
    half = threading.Event()

    def search_on(seed: int):
        rng = random.Random(seed)
        while not stop.is_set():
            try:
                result = engine.search(Query(rng.choice(words)))
                assert result.total > 0 and result.facets["agency"]
            except Exception as exc:        # noqa: BLE001 - counted: the figure tested
                search_errors.append(repr(exc))
            try:
                # The cluster's own answer, without the engine's searching again.
                answer = client.search(index="searchhub-fault",
                                       body={"size": 0, "query": {"match_all": {}}})
                partial[0] += bool(answer["_shards"].get("failed"))
            except TransportError:
                partial[0] += 1
            searches[0] += 1

    def index_on():
        for b in range(batches):
            ids = range(200 + b * batch, 200 + (b + 1) * batch)
            try:
                with engine.writer() as writer:
                    for n in ids:
                        writer.add(doc(n))
            except Exception as exc:        # noqa: BLE001 - counted: the figure tested
                commit_errors.append(repr(exc))
            else:
                acknowledged.update(f"d{n:05}" for n in ids)
            if b == batches // 4:
                half.set()

    threads = [threading.Thread(target=search_on, args=(i,)) for i in range(2)]
    indexer = threading.Thread(target=index_on)
    for thread in [*threads, indexer]:
        thread.start()
    try:
        assert half.wait(timeout=300)
        state = json.loads((CLUSTER_DIR / "cluster.json").read_text())
        victim = state["nodes"][1]
        os.kill(victim["pid"], signal.SIGKILL)
        killed_at = time.monotonic()
        indexer.join(timeout=600)
        assert not indexer.is_alive()
        rejoin = _cluster("up", "--nodes", "3", "--port", str(state["nodes"][0]["http_port"]),
                          "--heap", "256m", "--quick")
        assert rejoin.returncode == 0, rejoin.stderr[-3000:]
        health = client.cluster.health(wait_for_status="green", wait_for_nodes=3,
                                       timeout="300s", request_timeout=330)
        green_after = time.monotonic() - killed_at
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    engine.refresh()
    present = set(engine.known())
    lost = acknowledged - present
    print(f"\nfault figures: {searches[0]} searches, {len(search_errors)} errors, "
          f"{partial[0]} partial answers; {len(commit_errors)} failed commits; "
          f"{len(acknowledged)} acknowledged documents, {len(lost)} lost; green "
          f"{green_after:.1f} s after the kill (node restarted by the test)")
    assert health["status"] == "green" and health["number_of_nodes"] == 3
    assert not lost
    assert not search_errors, search_errors[:5]
    assert not commit_errors, commit_errors[:5]
    assert len(present) == 200 + batch * batches
    client.indices.delete(index="searchhub-fault")
    engine.close()
