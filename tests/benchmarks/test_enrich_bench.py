"""The enrichment benchmark runs and reports its figures (it asserts no speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "enrich_bench.py"


def test_enrich_benchmark_reports_both_figures(tmp_path):
    out = tmp_path / "enrich.json"
    done = subprocess.run([sys.executable, str(BENCH), "--repeat", "1", "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert set(figures) == {"enrich_50_pages", "detect_language_700kb"}
    for name, row in figures.items():
        assert row["runs"] == 1 and 0 < row["median_ms"] <= row["max_ms"], name
        assert name in done.stdout
