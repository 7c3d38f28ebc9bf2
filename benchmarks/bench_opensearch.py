"""The OpenSearch side of ``bench.py --engine opensearch``: the same synthetic corpus
and queries as the Whoosh run, indexed into an OpenSearch index and queried through the
same ``searchhub serve`` (SEARCHHUB_ENGINE=opensearch), and the two side by side.

The cluster is the one at ``--opensearch-url``, or one node started for the run with
``scripts/opensearch_cluster.py`` in the working folder and stopped after it. Memory
is the searchhub server's peak plus the resident memory of the cluster's node
processes (when they run on this machine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLUSTER = REPO / "scripts" / "opensearch_cluster.py"
INDEX = "searchhub-bench"


def start_cluster(out: Path, *, nodes: int, heap: str) -> str:
    """Start ``nodes`` OpenSearch nodes in ``out/cluster``; their URL."""
    if os.geteuid() == 0:
        # As root the nodes run as nobody (OpenSearch refuses root), who must be able
        # to reach out/cluster: a temporary folder is made readable by its owner only.
        out.chmod(0o755)
    found = subprocess.run(
        [sys.executable, str(CLUSTER), "up", "--cluster-dir", str(out / "cluster"),
         "--nodes", str(nodes), "--heap", heap, "--port", "0"],
        capture_output=True, text=True, check=False)
    if found.returncode != 0:
        raise RuntimeError(f"the OpenSearch cluster did not start:\n{found.stderr[-3000:]}")
    return found.stdout.strip().splitlines()[-1]


def stop_cluster(out: Path) -> None:
    subprocess.run([sys.executable, str(CLUSTER), "down", "--cluster-dir",
                    str(out / "cluster")], capture_output=True, check=False)


def node_pids(out: Path) -> list[int]:
    try:
        state = json.loads((out / "cluster" / "cluster.json").read_text())
    except (OSError, ValueError):
        return []
    return [n["pid"] for n in state["nodes"]]


def _java_pids(pid: int) -> list[int]:
    """The node's processes: the start script execs Java, or runs it as a child."""
    found = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return found + [int(c) for c in children]


def index_corpus(bench, url: str, n: int, *, seed: int, commit_every: int, vocab,
                 progress: bool, replicas: int = 0) -> dict:
    """``bench.index_corpus`` for OpenSearch: add and commit (bulk requests and a
    refresh) timed; CPU is this process's (the client's), the cluster's apart."""
    from searchhub.engine.opensearch_engine import OpenSearchEngine, connect

    client = connect(url, timeout=120.0)
    client.indices.delete(index=INDEX, ignore_unavailable=True)
    engine = OpenSearchEngine(client, INDEX, replicas=replicas)
    writer = engine.writer()
    indexing = cpu = 0.0
    commits = []
    for i, doc in enumerate(bench.make_documents(n, seed=seed, vocab=vocab), start=1):
        t0, c0 = time.perf_counter(), time.process_time()
        writer.add(doc)
        if i % commit_every == 0 or i == n:
            t1 = time.perf_counter()
            writer.commit()
            commits.append(round(time.perf_counter() - t1, 3))
            if progress:
                print(f"  indexed {i} documents into OpenSearch", flush=True)
        cpu += time.process_time() - c0
        indexing += time.perf_counter() - t0
    stats = client.indices.stats(index=INDEX, metric="store,segments")["_all"]["primaries"]
    count = engine.count()
    engine.close()
    return {
        "documents": count,
        "indexing_seconds": round(indexing, 2),
        "docs_per_second": round(n / indexing, 1) if indexing else 0.0,
        "cpu_seconds": round(cpu, 2),
        "docs_per_cpu_second": round(n / cpu, 1) if cpu > 0 else 0.0,
        "commit_seconds": commits,
        "index_mib": round(stats["store"]["size_in_bytes"] / 2**20, 1),
        "segments": stats["segments"]["count"],
    }


def run(bench, docs: int, *, out: Path, queries: list[dict], vocab, seed: int,
        commit_every: int, warmup: int, url: str | None, nodes: int, heap: str,
        progress: bool = True) -> dict:
    """Index and query the corpus on OpenSearch; the report's ``opensearch`` part."""
    say = print if progress else (lambda *a, **k: None)
    started = url is None
    if started:
        say(f"Starting {nodes} OpenSearch node(s) (heap {heap}) ...", flush=True)
        url = start_cluster(out, nodes=nodes, heap=heap)
    try:
        say(f"Indexing {docs} synthetic documents into OpenSearch ({url}) ...", flush=True)
        indexing = index_corpus(bench, url, docs, seed=seed, commit_every=commit_every,
                                vocab=vocab, progress=progress)
        say(f"Querying the server on OpenSearch ({len(queries)} queries) ...", flush=True)
        data_dir = out / "opensearch-data"
        data_dir.mkdir(parents=True, exist_ok=True)
        server = bench.bench_server(data_dir, queries, warmup=warmup, env={
            "SEARCHHUB_ENGINE": "opensearch", "SEARCHHUB_OPENSEARCH_URL": url,
            "SEARCHHUB_OPENSEARCH_INDEX": INDEX})
        pids = [p for pid in node_pids(out) for p in _java_pids(pid)] if started else []
        cluster = {"nodes": nodes if started else None, "heap": heap if started else None,
                   "rss_mib": round(sum(bench.read_status_kib(p, "VmRSS") for p in pids)
                                    / 1024, 1) if pids else None,
                   "peak_mib": round(sum(bench.read_status_kib(p, "VmHWM") for p in pids)
                                     / 1024, 1) if pids else None}
    finally:
        if started:
            stop_cluster(out)
        else:
            from searchhub.engine.opensearch_engine import connect

            client = connect(url)
            client.indices.delete(index=INDEX, ignore_unavailable=True)
            client.close()
    return {"url": url, "indexing": indexing, "server": server, "cluster": cluster}


def format_side_by_side(r: dict) -> str:
    """The Whoosh and OpenSearch figures of one run, in two columns."""
    w, o = r, r["opensearch"]
    wl, ol = w["server"]["latency_ms"], o["server"]["latency_ms"]
    cluster = o["cluster"]
    rows = [
        ("indexing documents/s", w["indexing"]["docs_per_second"],
         o["indexing"]["docs_per_second"]),
        ("  per CPU-s of searchhub", w["indexing"]["docs_per_cpu_second"],
         o["indexing"]["docs_per_cpu_second"]),
        ("index size MiB", w["indexing"]["index_mib"], o["indexing"]["index_mib"]),
        ("query p50 ms (HTTP, 8 facets)", wl["p50"], ol["p50"]),
        ("query p95 ms", wl["p95"], ol["p95"]),
        ("query p99 ms", wl["p99"], ol["p99"]),
        ("queries failed", w["server"]["failed"], o["server"]["failed"]),
        ("searchhub server peak MiB", w["server"]["peak_mib"], o["server"]["peak_mib"]),
        ("  + OpenSearch nodes peak MiB", "-",
         cluster["peak_mib"] if cluster["peak_mib"] is not None else "n/a"),
    ]
    lines = [f"Side by side: {r['docs']} documents, {r['queries']} queries "
             f"(OpenSearch: {cluster['nodes'] or 'given'} node(s), heap {cluster['heap']})",
             f"  {'':34} {'Whoosh':>10} {'OpenSearch':>12}"]
    lines += [f"  {label:34} {a!s:>10} {b!s:>12}" for label, a, b in rows]
    return "\n".join(lines)
