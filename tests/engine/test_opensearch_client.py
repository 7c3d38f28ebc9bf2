"""The client keeps a connection per searching thread: with the default (one per node)
every concurrent request opened and dropped a connection, logging "Connection pool is
full, discarding connection"."""

from __future__ import annotations

import logging
import threading

from .conftest import make_doc, search

THREADS = 8


def test_concurrent_searches_reuse_their_connections(make_opensearch, caplog):
    engine = make_opensearch()
    with engine.writer() as writer:
        for n in range(20):
            writer.add(make_doc(f"d{n}", f"refugee camp number {n}"))
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def searching():
        try:
            start.wait()
            for _ in range(5):
                assert search(engine, "refugee camp").total == 20
        except Exception as exc:        # reported by the test, not lost in a thread
            failures.append(exc)

    with caplog.at_level(logging.WARNING, logger="urllib3"):
        threads = [threading.Thread(target=searching) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not failures, failures
    assert "Connection pool is full" not in caplog.text


def test_a_search_whose_index_vanished_is_told_from_a_failing_query():
    from opensearchpy.exceptions import TransportError

    from searchhub.engine.opensearch_engine import _index_vanished

    vanished = {"error": {"root_cause": [], "type": "search_phase_execution_exception",
                          "reason": "all shards failed", "failed_shards": []}, "status": 503}
    failing = {"error": {"type": "search_phase_execution_exception",
                         "failed_shards": [{"shard": 0, "reason": {"type": "query_shard"}}]},
               "status": 503}
    assert _index_vanished(TransportError(503, "search_phase_execution_exception", vanished))
    assert not _index_vanished(TransportError(503, "search_phase_execution_exception", failing))
    assert not _index_vanished(TransportError(400, "search_phase_execution_exception", vanished))
    # On several nodes a shard may find the index closing under it (as a three-node
    # cluster answered a search during a switch from a plain index to an alias).
    closing = {"error": {"type": "search_phase_execution_exception",
                         "reason": "all shards failed", "failed_shards": [{
                             "shard": 0, "index": "race-test", "reason": {
                                 "type": "query_shard_exception",
                                 "reason": "failed to create query: this Analyzer is closed",
                                 "caused_by": {"type": "already_closed_exception",
                                               "reason": "this Analyzer is closed"}}}]},
               "status": 400}
    assert _index_vanished(TransportError(400, "search_phase_execution_exception", closing))
    unknown_field = {"error": {"type": "search_phase_execution_exception",
                               "failed_shards": [{"shard": 0, "reason": {
                                   "type": "query_shard_exception",
                                   "reason": "failed to create query: unknown field"}}]},
                     "status": 400}
    assert not _index_vanished(TransportError(400, "search_phase_execution_exception",
                                              unknown_field))


def test_a_search_that_lost_a_node_is_told_from_a_failing_query():
    from opensearchpy.exceptions import TransportError

    from searchhub.engine.opensearch_engine import _node_lost

    # As CI's cluster answered while the fault test killed a node.
    lost = {"error": {"root_cause": [{"type": "node_disconnected_exception",
                                      "reason": "[node-2][127.0.0.1:31722] disconnected"}],
                      "type": "search_phase_execution_exception",
                      "caused_by": {"type": "node_not_connected_exception",
                                    "reason": "[node-2][127.0.0.1:31722] Node not connected"}},
            "status": 500}
    failing = {"error": {"type": "search_phase_execution_exception",
                         "root_cause": [{"type": "query_shard_exception"}]}, "status": 400}
    assert _node_lost(TransportError(500, "search_phase_execution_exception", lost))
    assert not _node_lost(TransportError(400, "search_phase_execution_exception", failing))
    assert not _node_lost(TransportError(500, "search_phase_execution_exception", failing))
    assert not _node_lost(TransportError("N/A", "ConnectionError", "refused"))
