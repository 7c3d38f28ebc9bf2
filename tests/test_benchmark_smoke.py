"""The benchmark script runs end to end on a small corpus (real server subprocess)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


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
