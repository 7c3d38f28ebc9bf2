"""Relevance measurement against graded judgments (the format of shared/eval)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from searchhub.models import Document, Query
from searchhub.searching import search

SUBMISSION_DEPTH = 50


def eval_key(doc: Document) -> str:
    """How a judgment file names a document: the file name for files, else the id."""
    if doc.format in ("pdf", "html", "text") and doc.location and "://" not in doc.location:
        return Path(doc.location).name
    return doc.id


def ndcg(ranked: list[str], judgments: dict[str, int], k: int) -> float:
    dcg = sum(judgments.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(judgments.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], judgments: dict[str, int], k: int) -> float:
    relevant = {d for d, g in judgments.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def evaluate(engine, qrels_path: Path, *, k: int = 10) -> dict:
    """nDCG@k and recall@k of ``engine`` on the judgments of ``qrels_path``: the means,
    the means per ``kind`` and per ``language`` (optional fields of each query), and each
    query."""
    rows = []
    for line in Path(qrels_path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        result = search(engine, Query(entry["query"], page_size=SUBMISSION_DEPTH))
        ranked = list(dict.fromkeys(eval_key(h.document) for h in result.hits))
        judgments = entry["judgments"]
        rows.append({"qid": entry["qid"], "query": entry["query"], "kind": entry.get("kind"),
                     "language": entry.get("language"),
                     "ndcg": ndcg(ranked, judgments, k), "recall": recall(ranked, judgments, k),
                     "top": ranked[:k]})
    return {"k": k, **_means(rows), "kinds": _means_by(rows, "kind"),
            "languages": _means_by(rows, "language"), "queries": rows}


def _means_by(rows: list[dict], key: str) -> dict:
    """The means of the rows of each value of ``key`` (an optional field of a query)."""
    return {value: _means([r for r in rows if r[key] == value])
            for value in sorted({r[key] for r in rows if r[key]})}


def _means(rows: list[dict]) -> dict:
    n = len(rows) or 1
    return {"ndcg": sum(r["ndcg"] for r in rows) / n,
            "recall": sum(r["recall"] for r in rows) / n, "count": len(rows)}
