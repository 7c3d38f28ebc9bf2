"""The test cluster itself: on a cluster of several nodes (CI's three), the tests'
indices have a replica really allocated on another node, under a name of this worker."""

from __future__ import annotations

from .conftest import INDEX_PREFIX, index_docs, make_doc


def test_a_test_index_has_its_replica_on_another_node(make_opensearch, opensearch_replicas):
    engine = index_docs(make_opensearch(), [make_doc("a", "asylum")])
    assert engine.index.startswith(INDEX_PREFIX)
    client = engine.client
    nodes = client.cluster.health()["number_of_nodes"]
    assert opensearch_replicas == (1 if nodes > 1 else 0)
    health = client.cluster.health(index=engine.index, wait_for_status="green" if nodes > 1
                                   else "yellow", timeout="60s", request_timeout=90)
    assert not health["timed_out"]
    shards = client.cat.shards(index=engine.index, format="json")
    started = [s for s in shards if s["state"] == "STARTED"]
    assert sorted(s["prirep"] for s in started) == (["p", "r"] if nodes > 1 else ["p"])
    assert len({s["node"] for s in started}) == len(started)
    assert all(int(s["docs"]) == 1 for s in started)
