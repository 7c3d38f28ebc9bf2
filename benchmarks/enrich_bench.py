"""Enrichment speed: ``enrich`` on a fifty-page text with the real taxonomy, and
language detection on a ~700 KB text (which reads a bounded sample of it).

    .venv/bin/python benchmarks/enrich_bench.py [--repeat 20] [--json out.json]

Prints the median and the slowest of the timed runs, after one warm-up run that loads
the language profiles and builds the taxonomy matchers. On two shared cores in
November 2026 each took about 40 ms. The tests assert what enrichment finds, not how
fast; these figures were once asserted there (under 0.5 s and 1 s).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from indexer.enrich import enrich  # noqa: E402 - after the path set-up above
from indexer.enrich.language import detect_language  # noqa: E402
from indexer.enrich.taxonomy import load_taxonomy  # noqa: E402
from searchhub.models import Document  # noqa: E402

FILLER = ("The programme supported local authorities with training, coordination meetings "
          "and monitoring visits throughout the reporting period. ")
FRENCH = ("Les migrants qui rentrent dans leur pays d'origine ont souvent besoin d'aide pour "
          "trouver un emploi, un logement et une école pour leurs enfants.")


def fifty_pages() -> Document:
    pages = [FILLER * 25 + " migrant workers in Kenya and recruitment fees." for _ in range(50)]
    return Document("bench", "Fifty pages", "https://example.org/bench", "bench", "IOM",
                    pages)


def timed(func, repeat: int) -> dict:
    func()                                  # warm-up, not counted
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "runs": repeat}


def run(repeat: int) -> dict:
    taxonomy = load_taxonomy(REPO / "corpus" / "taxonomy")
    doc = fifty_pages()
    chars = len("".join(doc.pages))
    text = FRENCH * 5000
    return {
        "enrich_50_pages": {"chars": chars, **timed(lambda: enrich(fifty_pages(), taxonomy),
                                                    repeat)},
        "detect_language_700kb": {"chars": len(text),
                                  **timed(lambda: detect_language(text), repeat)},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    results = run(max(1, args.repeat))
    for name, figures in results.items():
        print(f"{name:24} {figures['chars']:>9,} chars  median {figures['median_ms']:8.1f} ms"
              f"  max {figures['max_ms']:8.1f} ms  ({figures['runs']} runs)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
