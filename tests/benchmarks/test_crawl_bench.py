"""The crawl benchmark runs end to end on a tiny generated platform."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "crawl_bench.py"


def test_crawl_benchmark_small(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(BENCH), "--pages", "30", "--pdfs", "6",
                           "--kind", "sitemap", "--workers", "1", "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "re-run with nothing changed" in done.stdout
    results = json.loads(out.read_text())["sitemap"]
    assert results["full"]["counts"] == {"added": 36}
    assert results["nothing changed"]["counts"] == {"unchanged": 36}
    assert results["nothing changed"]["downloads"] == 2   # robots.txt and the sitemap
    changed = results["1% changed"]
    assert changed["counts"]["updated"] == changed["changed_on_platform"] == 1
