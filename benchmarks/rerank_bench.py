"""Does reranking the top hits by an embedding model help? Measured, not used.

    .venv/bin/pip install wordllama==0.4.0.post1      # not a dependency of searchhub
    .venv/bin/python benchmarks/rerank_bench.py INDEX_DIR QRELS... [--top 30] [--words 300]

The issue on languages allows an embedding model that a PyPI package ships, runs
offline on the CPU and is fast enough, to rerank the first results. WordLlama is one:
its wheel holds its 256-dimension static token embeddings (from a multilingual LLM's
vocabulary) and their tokenizer, so it loads in ~0.2 s with nothing downloaded (it is
pointed at its own package folder, for it looks for its tokenizer under another name
than the one it ships). Every query of the QRELS files (judgments in the format of
../shared/eval) is searched in INDEX_DIR (an index of ../shared/corpus-real, see
tests/real_corpus.py); its first ``--top`` documents are reordered by
``score / best score + lambda * cosine(query, title and first --words words)``, and
nDCG@10 is printed per file for each lambda (0 is searchhub as it is). Figures of
1 December 2026 are at the end of this file.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import json  # noqa: E402

from searchhub.engine import Engine  # noqa: E402  (after the path is set)
from searchhub.models import Query  # noqa: E402
from searchhub.relevance import eval_key, ndcg  # noqa: E402
from searchhub.searching import search  # noqa: E402

LAMBDAS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)


def load_model():
    try:
        import wordllama
    except ImportError:
        sys.exit("wordllama is not installed: .venv/bin/pip install wordllama==0.4.0.post1")
    return wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent,
                                    disable_download=True)


def candidates(engine, query: str, top: int, words: int):
    """The first ``top`` distinct documents of ``query``: keys, scores, texts."""
    keys, scores, texts = [], [], []
    for hit in search(engine, Query(query, page_size=top)).hits:
        key = eval_key(hit.document)
        if key in keys:
            continue
        keys.append(key)
        scores.append(hit.score)
        body = " ".join(hit.document.text.split()[:words])
        texts.append(f"{hit.document.title or ''}. {body}")
    return keys, np.array(scores, dtype=np.float32), texts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("qrels", type=Path, nargs="+")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--words", type=int, default=300)
    args = parser.parse_args(argv)
    model = load_model()
    engine = Engine(args.index, create=False)
    rows = []           # (file, kind, keys, scores, similarities, judgments)
    spent = []
    for path in args.qrels:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            entry = json.loads(line)
            keys, scores, texts = candidates(engine, entry["query"], args.top, args.words)
            started = time.perf_counter()
            if texts:
                vectors = model.embed([entry["query"], *texts], norm=True)
                sims = vectors[1:] @ vectors[0]
            else:
                sims = np.zeros(0, dtype=np.float32)
            spent.append((time.perf_counter() - started) * 1000)
            rows.append((path.name, entry.get("kind") or "", keys, scores, sims,
                         entry["judgments"]))
    engine.close()
    print(f"{len(rows)} queries; embedding a query and its {args.top} documents "
          f"({args.words} words each): {np.mean(spent):.1f} ms on average")
    groups = sorted({(f, "") for f, *_ in rows} | {("all", k) for _, k, *_ in rows if k})
    print("lambda  " + "  ".join(f"{f if not k else k:>15}" for f, k in groups))
    for lam in LAMBDAS:
        cells = []
        for name, kind in groups:
            chosen = [r for r in rows if (r[0] == name if not kind else r[1] == kind)]
            values = []
            for _, _, keys, scores, sims, judgments in chosen:
                if not keys:
                    values.append(0.0)
                    continue
                combined = scores / scores.max() + lam * sims
                ranked = [keys[i] for i in np.argsort(-combined, kind="stable")]
                values.append(ndcg(ranked, judgments, 10))
            cells.append(f"{np.mean(values):15.3f}")
        print(f"{lam:<6}  " + "  ".join(cells))


if __name__ == "__main__":
    main()

# Figures, 1 December 2026 (wordllama 0.4.0.post1, l2_supercat 256 dimensions; the
# Whoosh index of ../shared/corpus-real; top 30, 300 words; two cores shared with other
# work, so the time is inflated: 57 ms on a quieter machine, against ~40 ms for the
# search itself):
#
# lambda  dev (20)  extra (43)  cross-language (14)  question (11)  colloquial (7)
# 0.0     0.922     0.881       0.843                0.896          0.906
# 0.05    0.929     0.877       0.837                0.895          0.906
# 0.1     0.929     0.867       0.836                0.857          0.913
# 0.2     0.915     0.853       0.816                0.827          0.917
# 0.5     0.905     0.829       0.773                0.799          0.903
# 1.0     0.891     0.777       0.688                0.714          0.924
#
# With the first 60 words: best dev 0.925 (0.1), extra falls the same way; with 2,000
# words: dev 0.929, extra 0.865, at 585 ms a query. A small weight lifts the dev set by
# 0.007 and lowers the 43 extra queries by 0.004-0.014; cross-language queries and
# questions lose most (static word vectors of French and English words lie apart, and
# a question's vector is its function words' as much as its topic's). Not adopted: the
# lexicon's expansion does better on the cross-language queries, at ~6 ms.
