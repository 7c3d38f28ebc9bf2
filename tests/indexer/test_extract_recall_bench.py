"""benchmarks/extract_recall.py measures a page as the README says."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "extract_recall.py"
sys.path.insert(0, str(Path(__file__).parent))

from test_extract_recall import SECTIONS, docs_page  # noqa: E402


def _bench():
    spec = importlib.util.spec_from_file_location("extract_recall_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_recall_of_a_documentation_page(tmp_path, capsys):
    page = tmp_path / "idle.html"
    page.write_text(docs_page(), encoding="utf-8")
    bench = _bench()
    row = bench.measure(page)
    assert row["marked_main"] and row["used_content"]
    assert row["headings"] == len(SECTIONS) + 1 == row["headings_kept"]
    assert row["share"] == 1.0 and not row["mark_in_title"]
    assert bench.main([str(tmp_path)]) == 0
    assert "headings kept 7 of 7" in capsys.readouterr().out
