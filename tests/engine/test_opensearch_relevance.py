"""Relevance on OpenSearch: the real corpus (../shared/corpus-real) indexed by Whoosh and
copied into an OpenSearch index, then the dev judgments, eval/extra-qrels.jsonl and
eval/blind-qrels.jsonl measured on both engines, with a floor on OpenSearch's figures
(the Whoosh floors are in tests/e2e/test_real_corpus.py). Skipped without the real corpus
or a cluster.

It indexes the whole real corpus a second time (minutes on two cores), so it runs with
the node-kill test in ``make test-cluster`` (CI's step after the suite), or with
SEARCHHUB_TEST_CLUSTER=1, not in ``make test``."""

from __future__ import annotations

import os
import uuid

import pytest
from real_corpus import build_real_index

from searchhub.engine.opensearch_admin import copy_documents
from searchhub.relevance import evaluate

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(os.environ.get("SEARCHHUB_TEST_CLUSTER") != "1",
                       reason="indexes the real corpus into OpenSearch: minutes; run by "
                              "make test-cluster, or opt in with SEARCHHUB_TEST_CLUSTER=1"),
]

#: Dev-set floor on OpenSearch (measured 0.917 / 0.873, Whoosh 0.918 / 0.873, with a missing
#: word's share lost and translations at 0.7 (0.5 since); 0.918 / 0.883 on 2 December 2026,
#: Whoosh 0.915 / 0.875 on the same index, once OpenSearch's BM25 takes Whoosh's b of 0.4
#: (``schema.B``; 0.915 / 0.876 with Lucene's 0.75); 0.905 / 0.869 before both counted rarity
#: alike (``schema.bm25_idf``), Whoosh 0.921 / 0.890; 0.902 / 0.859 against Whoosh's 0.901 /
#: 0.859 before the relevance work of both; 0.881 / 0.843 with rarity counted per field alone,
#: and before that queries failed: too many clauses).
NDCG_FLOOR = 0.89
RECALL_FLOOR = 0.85
#: On eval/extra-qrels.jsonl, 43 queries (measured 0.937 / 0.932, Whoosh 0.934 / 0.932,
#: with a missing word's share lost; 0.931 / 0.942, Whoosh 0.929 / 0.942, on
#: 2 December 2026; 0.909 / 0.916 with Lucene's b of 0.75, which ranked long instruments
#: below short reports: x34 "Qu'est-ce que le principe de non-refoulement ?" 0.683 against
#: Whoosh's 0.936; 0.846 / 0.894 in November): a wider margin, as for Whoosh, since one
#: query moves the mean by up to 0.02.
EXTRA_NDCG_FLOOR = 0.89
EXTRA_RECALL_FLOOR = 0.90
#: On eval/blind-qrels.jsonl, 140 queries judged blind (Whoosh 0.804 / 0.804 with round
#: k01-k24 added; on the first 116, Whoosh 0.803 / 0.807 with the
#: documents about a country the query names lifted among the first matches,
#: searching.PLACE_BONUS, done alike for both engines; OpenSearch 0.787 / 0.801, Whoosh
#: 0.790 / 0.803, with a term's alternatives scoring the best of them, dis_max; OpenSearch
#: 0.775 / 0.797, Whoosh 0.780 / 0.800, with the general dictionary; Whoosh 0.763 / 0.778
#: before it; on the first 92 OpenSearch 0.746 / 0.756, Whoosh 0.750 / 0.760): the floors
#: of tests/e2e/test_real_corpus.py, less the margin of the engines' differences.
BLIND_NDCG_FLOOR = 0.77
BLIND_RECALL_FLOOR = 0.78


@pytest.fixture(scope="module")
def engines(tmp_path_factory, corpus_real, repo_root, opensearch_url):
    """(whoosh, opensearch): the real corpus in a Whoosh index and a copy of it in a
    fresh OpenSearch index, deleted afterwards."""
    from searchhub.engine.opensearch_engine import OpenSearchEngine, connect

    whoosh, _ = build_real_index(tmp_path_factory.mktemp("real"), corpus_real, repo_root)
    opensearch = OpenSearchEngine(connect(opensearch_url),
                                  f"searchhub-test-relevance-{uuid.uuid4().hex[:12]}",
                                  replicas=0)
    try:
        assert copy_documents(whoosh, opensearch) == whoosh.count()
        yield whoosh, opensearch
    finally:
        opensearch.client.indices.delete(index=opensearch.index, ignore_unavailable=True)
        opensearch.close()
        whoosh.close()


def _compare(engines, qrels) -> dict:
    """OpenSearch's report on ``qrels``; both engines' means and each query's nDCG
    printed side by side."""
    whoosh, opensearch = (evaluate(engine, qrels, k=10) for engine in engines)
    for w, o in zip(whoosh["queries"], opensearch["queries"], strict=True):
        print(f"{w['qid']} nDCG@10 whoosh {w['ndcg']:.3f} opensearch {o['ndcg']:.3f}  "
              f"{w['query'][:60]}")
    print(f"nDCG@10 whoosh {whoosh['ndcg']:.3f} opensearch {opensearch['ndcg']:.3f}; "
          f"recall@10 whoosh {whoosh['recall']:.3f} opensearch {opensearch['recall']:.3f}")
    return opensearch


def test_dev_qrels_floor_on_opensearch(engines, corpus_real):
    qrels = corpus_real.parent / "eval" / "dev-qrels.jsonl"
    if not qrels.exists():
        pytest.skip("../shared/eval is not present")
    report = _compare(engines, qrels)
    assert report["ndcg"] >= NDCG_FLOOR
    assert report["recall"] >= RECALL_FLOOR


def test_extra_qrels_floor_on_opensearch(engines, repo_root):
    report = _compare(engines, repo_root / "eval" / "extra-qrels.jsonl")
    assert report["ndcg"] >= EXTRA_NDCG_FLOOR
    assert report["recall"] >= EXTRA_RECALL_FLOOR


def test_blind_qrels_floor_on_opensearch(engines, repo_root):
    report = _compare(engines, repo_root / "eval" / "blind-qrels.jsonl")
    assert report["ndcg"] >= BLIND_NDCG_FLOOR
    assert report["recall"] >= BLIND_RECALL_FLOOR
