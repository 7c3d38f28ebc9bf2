"""The benchmark script runs end to end on a small corpus (real server subprocess)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench.py"


def _load_bench():
    spec = importlib.util.spec_from_file_location("searchhub_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load_bench()


def test_corpus_and_queries_are_deterministic(bench):
    vocab = bench.make_vocabulary()
    first = [(d.title, d.agency, d.themes, d.pages[0][:80])
             for d in bench.make_documents(5, vocab=vocab)]
    second = [(d.title, d.agency, d.themes, d.pages[0][:80])
              for d in bench.make_documents(5, vocab=vocab)]
    assert first == second
    assert bench.make_queries(30, vocab=vocab) == bench.make_queries(30, vocab=vocab)
    doc = next(bench.make_documents(1, vocab=vocab))
    assert 1 <= len(doc.pages) <= 3 and doc.regions and doc.countries and doc.themes


def test_percentiles(bench):
    p = bench.percentiles([float(x) for x in range(1, 101)])
    assert (p["p50"], p["p95"], p["p99"], p["max"]) == (50.0, 95.0, 99.0, 100.0)


@pytest.mark.e2e
def test_benchmark_runs_end_to_end(bench, tmp_path):
    report = bench.run(300, queries=20, out=tmp_path, baseline=False, pdf_dir=None,
                       warmup=3, progress=False)
    ix, server = report["indexing"], report["server"]
    assert ix["documents"] == 300
    assert ix["docs_per_second"] > 0 and ix["index_mib"] > 0
    assert server["queries"] == 20
    assert server["failed"] == 0 and server["missing_facets"] == 0
    lat = server["latency_ms"]
    assert 0 < lat["p50"] <= lat["p95"] <= lat["p99"]
    assert lat["mean"] > 0
    assert server["peak_mib"] > 0
    assert server["mean_total_hits"] > 0
    hostile = report["hostile"]
    assert hostile["queries"] == len(bench.make_hostile_queries()) >= 30
    assert hostile["errors"] == 0, hostile["rows"]
    assert hostile["worst_ms"] == max(row["ms"] for row in hostile["rows"])
    saved = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert saved["server"]["latency_ms"] == lat
    assert "naive" not in saved
    text = bench.format_report(report)
    assert "p95" in text and "documents/s" in text and "Expensive queries" in text


@pytest.mark.e2e
@pytest.mark.skipif(not os.environ.get("SEARCHHUB_TEST_OPENSEARCH_URL"),
                    reason="--engine opensearch needs a cluster: set "
                           "SEARCHHUB_TEST_OPENSEARCH_URL (e.g. make opensearch-up)")
def test_benchmark_on_opensearch_beside_whoosh(bench, tmp_path):
    """``--engine opensearch``: the same corpus and queries on both engines, the same
    figures side by side."""
    report = bench.run(200, queries=15, out=tmp_path, baseline=False, pdf_dir=None,
                       warmup=2, progress=False, engine="opensearch",
                       opensearch={"url": os.environ["SEARCHHUB_TEST_OPENSEARCH_URL"]})
    mine = report["opensearch"]
    assert mine["indexing"]["documents"] == report["indexing"]["documents"] == 200
    assert mine["indexing"]["docs_per_second"] > 0
    assert mine["server"]["queries"] == 15 and mine["server"]["failed"] == 0
    assert mine["server"]["missing_facets"] == 0
    # The same corpus and queries: the same number of hits on average, within the
    # engines' analysis differences.
    ours, theirs = report["server"]["mean_total_hits"], mine["server"]["mean_total_hits"]
    assert abs(ours - theirs) <= 0.2 * max(ours, theirs)
    text = bench.format_report(report)
    assert "Side by side" in text and "OpenSearch" in text and "query p95 ms" in text


def test_naive_baseline_is_stock_whoosh(bench, tmp_path):
    """The baseline runs in a fresh process that loads none of our engine; in a
    process where the engine is loaded it refuses to run."""
    from searchhub.engine import Engine

    vocab = bench.make_vocabulary()
    with Engine(tmp_path / "index") as engine, engine.writer() as writer:
        for doc in bench.make_documents(40, vocab=vocab):
            writer.add(doc)
    queries = bench.make_queries(8, vocab=vocab)
    result = bench.bench_naive(tmp_path / "index", queries)
    assert result["failed"] == 0, result["errors"]
    assert result["queries"] == 8 and result["mean_total_hits"] > 0
    with pytest.raises(RuntimeError, match="not a stock Whoosh process"):
        bench.naive_search(tmp_path / "index", queries)


@pytest.mark.e2e
def test_load_mix_prints_its_figures(bench, tmp_path):
    """The --mix mode: cheap queries alone, then beside clients of expensive ones; the
    figures are printed (their values depend on the machine: not checked)."""
    out = tmp_path / "mix"
    code = subprocess.run([sys.executable, str(BENCH), "--docs", "200", "--mix", "--threads",
                           "2", "--expensive-clients", "1", "--seconds", "1.5", "--out",
                           str(out)], capture_output=True, text=True, timeout=600)
    assert code.returncode == 0, code.stderr[-2000:]
    text = code.stdout
    for words in ("cheap queries alone", "cheap beside expensive", "expensive queries",
                  "cheap throughput kept"):
        assert words in text, text
    mix = json.loads((out / "bench-mix.json").read_text(encoding="utf-8"))["mix"]
    for phase in ("alone", "with_expensive"):
        assert mix[phase]["cheap_queries"] > 0 and mix[phase]["cheap_per_second"] > 0
        assert mix[phase]["cheap_latency_ms"]["p50"] <= mix[phase]["cheap_latency_ms"]["p95"]
    assert mix["alone"]["expensive_queries"] == 0
    assert mix["with_expensive"]["expensive_queries"] > 0
