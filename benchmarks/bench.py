"""End-to-end benchmark of searchhub: indexing rate, index size, query latency
through the real HTTP server (with every facet count), server memory, a naive
Whoosh baseline and, optionally, the real indexer on a folder of PDFs.

    .venv/bin/python benchmarks/bench.py --docs 20000
    .venv/bin/python benchmarks/bench.py --docs 100000 --out /tmp/bench100k --keep
    .venv/bin/python benchmarks/bench.py --docs 20000 --mix     # cheap and expensive mixed
    .venv/bin/python benchmarks/bench.py --docs 10000 --engine opensearch   # both, side by side

Everything is deterministic (seeded ``random.Random``): the same ``--docs`` and
``--seed`` give the same corpus and the same queries.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TAXONOMY = REPO / "corpus" / "taxonomy"
VENV_BIN = Path(sys.executable).parent
SEARCHHUB_BIN = VENV_BIN / "searchhub"
DEFAULT_PDF_DIR = REPO.parent / "shared" / "corpus-real" / "pdf"

from searchhub.models import FACET_NAMES as FACETS  # noqa: E402 - plain types, no Whoosh

# -- vocabulary and facet values ---------------------------------------------

AGENCIES = ("IOM", "UNHCR", "ILO", "UNODC", "UNDP", "OHCHR", "UN DESA", "UNU", "UNITAR",
            "OECD", "UNICEF", "WHO")
#: Skewed: IOM and UNHCR publish most of the documents.
AGENCY_WEIGHTS = (30, 20, 10, 7, 7, 5, 5, 4, 3, 4, 3, 2)
TYPES = ("Report", "Evaluation", "Policy brief", "Guidance", "Legal text", "News")
TYPE_WEIGHTS = (40, 15, 15, 12, 8, 10)
LANGUAGES = ("en", "fr", "es")
LANGUAGE_WEIGHTS = (80, 12, 8)

REAL_WORDS = """
migrant migrants migration migrations refugee refugees return returns returnee returnees
reintegration labour labor worker workers trafficking trafficked traffickers remittances
remittance climate border borders asylum displacement displaced internally persons person
smuggling smugglers diaspora integration cohesion protection rights health children child
youth women gender girls boys family families unaccompanied separated minors detention
alternatives deportation removal readmission resettlement relocation humanitarian crisis
emergency disaster disasters drought flood floods environmental environment degradation
sea level rise desertification mobility mobile seasonal circular temporary permanent
irregular regular regularization pathways visa visas permit permits recruitment fees
employment unemployment wage wages decent work informal economy sector agriculture
construction domestic care nurses doctors skills skilled qualification recognition
education school schools training vocational language inclusion xenophobia discrimination
racism hate speech social services housing shelter camp camps settlement settlements urban
rural cities city municipal local government governance policy policies law laws legal
legislation framework compact global objectives objective implementation review progress
data statistics census survey surveys indicators monitoring evaluation evidence research
estimates flows stocks population demographic ageing fertility mortality development
sustainable poverty inequality income livelihoods financial inclusion transfer costs
banking mobile money investment entrepreneurship business private partnership cooperation
bilateral regional multilateral agreement agreements dialogue consultation consultations
stakeholders civil society organizations community communities host origin transit
destination countries country national nationals citizenship statelessness stateless
nationality documentation identity registration birth certificates consular assistance
search rescue missing dead deaths maritime land air routes route journey journeys
corridor corridors mediterranean sahel horn gulf caribbean andean balkans pacific islands
conflict violence persecution war armed insecurity peace peacebuilding recovery resilience
adaptation mitigation planned relocation loss damage vulnerability vulnerable exploitation
abuse forced labour slavery servitude victims victim identification referral prosecution
justice accountability judicial courts judges police enforcement security screening
biometric management information systems technology digital cash transfers voucher food
nutrition water sanitation hygiene mental psychosocial support covid pandemic vaccination
""".split()

#: Multi-word expressions sprinkled into bodies so that quoted phrases have matches.
PHRASES = ("human trafficking", "labour migration", "climate change", "return and reintegration",
           "internally displaced persons", "migrant workers", "forced labour",
           "border management", "recruitment fees", "social cohesion", "mixed migration",
           "durable solutions", "remittance costs", "unaccompanied children",
           "migration governance", "regular pathways", "search and rescue",
           "statelessness", "disaster displacement", "decent work")

SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + \
            [c + v + e for c in "bdgkmnrst" for v in "aeiou" for e in "nrsl"]


def _load_taxonomy() -> dict[str, list[str]]:
    regions = [r["label"] for r in
               tomllib.loads((TAXONOMY / "regions.toml").read_text("utf-8"))["region"]]
    themes = [t["label"] for t in
              tomllib.loads((TAXONOMY / "themes.toml").read_text("utf-8"))["theme"]]
    with open(TAXONOMY / "countries.csv", encoding="utf-8", newline="") as fh:
        countries = [row["name"] for row in csv.DictReader(fh) if row.get("name")]
    return {"regions": regions, "themes": themes, "countries": countries}


@dataclass
class Vocabulary:
    """Words by Zipf rank (rank 0 most frequent) and cumulative weights for sampling."""

    words: list[str]
    cum: list[float]
    real: list[str]

    def mid(self, lo: int = 300, hi: int = 6000) -> list[str]:
        """Mid-frequency words: frequent enough to match, rare enough to be selective."""
        return self.words[lo:hi]


def make_vocabulary(size: int = 30_000, seed: int = 7, s: float = 1.07) -> Vocabulary:
    rng = random.Random(seed)
    seen: set[str] = set()
    pseudo: list[str] = []
    real = list(dict.fromkeys(REAL_WORDS))
    real_set = set(real)
    while len(pseudo) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))
        if word not in seen and word not in real_set:
            seen.add(word)
            pseudo.append(word)
    # Real words take ranks spread over 5..4000 so that real queries hit
    # a realistic range of documents (a few very common, most mid-frequency).
    words = list(pseudo)
    positions = sorted(rng.sample(range(5, 4000), len(real)))
    for pos, word in zip(positions, rng.sample(real, len(real)), strict=True):
        words.insert(pos, word)
    weights = [1.0 / (r + 1) ** s for r in range(len(words))]
    return Vocabulary(words, list(accumulate(weights)), real)


# -- corpus ------------------------------------------------------------------

def _text(rng: random.Random, vocab: Vocabulary, n: int, phrase_rate: float = 0.0) -> str:
    words = rng.choices(vocab.words, cum_weights=vocab.cum, k=n)
    if phrase_rate:
        for _ in range(int(n * phrase_rate)):
            words[rng.randrange(n)] = rng.choice(PHRASES)
    # Sentences of ~12-20 words.
    out, i = [], 0
    while i < n:
        k = rng.randint(12, 20)
        sentence = " ".join(words[i:i + k])
        out.append(sentence[:1].upper() + sentence[1:] + ".")
        i += k
    return " ".join(out)


def make_documents(n: int, seed: int = 1, vocab: Vocabulary | None = None):
    """Yield ``n`` synthetic ``Document`` objects, deterministically."""
    from searchhub.models import Document

    vocab = vocab or make_vocabulary()
    tax = _load_taxonomy()
    rng = random.Random(seed)
    start = dt.date(2000, 1, 1).toordinal()
    span = dt.date(2026, 6, 30).toordinal() - start
    indexed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i in range(n):
        agency = rng.choices(AGENCIES, weights=AGENCY_WEIGHTS)[0]
        language = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
        title = _text(rng, vocab, rng.randint(7, 13)).rstrip(".")
        body_words = max(50, int(rng.gauss(600, 150)))
        body = _text(rng, vocab, body_words, phrase_rate=0.004)
        npages = rng.randint(1, 3)
        cut = [len(body) * k // npages for k in range(npages + 1)]
        pages = []
        for a, b in zip(cut, cut[1:], strict=False):
            # Cut on a space so words are not split across pages.
            a2 = body.find(" ", a) if a else 0
            b2 = body.find(" ", b) if b < len(body) else len(body)
            pages.append(body[a2:b2 if b2 != -1 else len(body)].strip())
        fmt = rng.choices(("pdf", "html", "record"), weights=(60, 30, 10))[0]
        doc_id = f"bench-{i:07d}"
        yield Document(
            id=doc_id,
            title=title,
            url=f"https://example.org/{agency.lower().replace(' ', '-')}/{doc_id}",
            source_id="bench",
            agency=agency,
            pages=pages,
            language=language,
            regions=rng.sample(tax["regions"], rng.choice((1, 1, 1, 2))),
            countries=rng.sample(tax["countries"], rng.choice((1, 1, 2, 3))),
            themes=rng.sample(tax["themes"], rng.choice((1, 1, 2, 3))),
            gcm_objectives=sorted(rng.sample(range(1, 24), rng.choice((0, 1, 1, 2)))),
            type=rng.choices(TYPES, weights=TYPE_WEIGHTS)[0],
            date=dt.date.fromordinal(start + rng.randrange(span)),
            author="",
            description="",
            format=fmt,
            content_hash=f"{rng.getrandbits(64):016x}",
            location=f"/bench/{doc_id}.{fmt}",
            indexed_at=indexed,
        )


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def index_corpus(index_dir: Path, n: int, *, seed: int = 1, commit_every: int = 10_000,
                 vocab: Vocabulary | None = None, progress: bool = False) -> dict:
    """Index ``n`` synthetic documents with one writer. Only ``add`` and ``commit``
    are timed (not the generation of the documents)."""
    from searchhub.engine import Engine

    engine = Engine(index_dir)
    documents = make_documents(n, seed=seed, vocab=vocab)
    writer = engine.writer()
    indexing = 0.0
    cpu = 0.0
    commits = []
    generated = 0.0
    chars = 0
    t_gen = time.perf_counter()
    wall_start = time.perf_counter()
    for i, doc in enumerate(documents, start=1):
        t0 = time.perf_counter()
        c0 = time.process_time()
        generated += t0 - t_gen
        writer.add(doc)
        chars += sum(len(p) for p in doc.pages)
        if i % commit_every == 0 and i < n:
            t1 = time.perf_counter()
            writer.commit()
            commits.append(round(time.perf_counter() - t1, 3))
            writer = engine.writer()
            if progress:
                print(f"  indexed {i} documents ({i / (indexing + time.perf_counter() - t0):.0f}"
                      " docs/s so far)", flush=True)
        cpu += time.process_time() - c0
        t_gen = time.perf_counter()
        indexing += t_gen - t0
    t1 = time.perf_counter()
    c0 = time.process_time()
    writer.commit()
    cpu += time.process_time() - c0
    final_commit = time.perf_counter() - t1
    commits.append(round(final_commit, 3))
    indexing += final_commit
    wall = time.perf_counter() - wall_start
    count = engine.count()
    size = dir_size(index_dir)
    return {
        "documents": count,
        "indexing_seconds": round(indexing, 2),
        "docs_per_second": round(n / indexing, 1) if indexing else 0.0,
        # CPU seconds of this process in add and commit: what the rate
        # would be on an otherwise idle core. Useful on a shared, loaded machine.
        "cpu_seconds": round(cpu, 2),
        "docs_per_cpu_second": round(n / cpu, 1) if cpu > 0 else 0.0,
        "commit_seconds": commits,
        "generation_seconds": round(generated, 2),
        "wall_seconds_with_generation": round(wall, 2),
        "mean_body_chars": round(chars / max(n, 1)),
        "index_bytes": size,
        "index_mib": round(size / 2**20, 1),
        "segments": len(list(Path(index_dir).glob("*.seg"))),
    }


# -- queries -----------------------------------------------------------------

def make_queries(n: int = 200, *, seed: int = 3, vocab: Vocabulary | None = None) -> list[dict]:
    """``n`` deterministic API parameter sets (lists for repeated parameters)."""
    vocab = vocab or make_vocabulary()
    tax = _load_taxonomy()
    rng = random.Random(seed)
    mid = vocab.mid()
    real = vocab.real
    facet_values = {
        "agency": list(AGENCIES), "theme": tax["themes"], "region": tax["regions"],
        "language": list(LANGUAGES), "type": list(TYPES),
        "year": [str(y) for y in range(2000, 2027)], "gcm": [str(g) for g in range(1, 24)],
        "country": tax["countries"][:40],
    }
    queries = []
    for i in range(n):
        kind = i % 10
        nwords = rng.choice((1, 1, 2, 2, 2, 3))
        pool = real if rng.random() < 0.6 else mid
        words = [rng.choice(pool) for _ in range(nwords)]
        params: dict[str, object] = {"q": " ".join(words)}
        if kind in (1, 2):                          # one facet filter
            name = rng.choice(("agency", "agency", "theme", "region", "language", "type",
                               "year", "gcm"))
            params[name] = [rng.choice(facet_values[name])]
        elif kind == 3:                             # two values of one facet (OR)
            name = rng.choice(("agency", "theme", "region", "country"))
            params[name] = rng.sample(facet_values[name], 2)
        elif kind == 4:                             # a quoted phrase
            params["q"] = f'"{rng.choice(PHRASES)}"'
            if rng.random() < 0.5:
                params["q"] += " " + rng.choice(real)
        elif kind == 5:                             # newest first
            params["sort"] = "newest"
        elif kind == 6:                             # second page
            params["page"] = 2
        elif kind == 7:                             # two facets of different names
            params["agency"] = [rng.choice(AGENCIES[:4])]
            params["theme"] = [rng.choice(tax["themes"])]
        queries.append(params)
    return queries


def make_hostile_queries(vocab: Vocabulary | None = None, seed: int = 11) -> list[dict]:
    """Queries that once held a server thread for seconds to a minute: very long
    words, many unknown words, misspellings (did you mean), short prefixes, odd
    syntax. The goal is no query over 1 s at 100,000 documents."""
    vocab = vocab or make_vocabulary()
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"

    def gibberish(n):
        return "".join(rng.choice(letters) for _ in range(n))

    def typo(word):
        i = rng.randrange(1, max(2, len(word) - 1))
        return word[:i] + word[i + 1:] if len(word) > 4 else word + "x"

    long_words = [w for w in vocab.real if len(w) > 6] or list(vocab.real)
    queries = [
        {"q": "a" * 5000}, {"q": gibberish(1000)}, {"q": gibberish(200)},
        {"q": " ".join(gibberish(8) for _ in range(64))},
        {"q": " ".join(gibberish(12) for _ in range(300))},
        {"q": " ".join(typo(rng.choice(long_words)) for _ in range(6))},
        {"q": "NOT NOT " + rng.choice(long_words)}, {"q": "NOT AND OR"},
        {"q": " OR ".join(rng.choice(vocab.real) for _ in range(150))},
        {"q": '"' + " ".join(rng.choice(vocab.real) for _ in range(60)) + '"'},
        {"q": "year:[1900 TO 2100]"}, {"q": "m*"}, {"q": "a*"}, {"q": "*a*"},
        {"q": rng.choice(long_words) + "~2"},
        {"q": rng.choice(long_words), "page": 500},
    ]
    queries += [{"q": typo(rng.choice(long_words))} for _ in range(10)]
    queries += [{"q": gibberish(rng.randint(6, 14))} for _ in range(10)]
    return queries


def bench_hostile(data_dir: Path, queries: list[dict]) -> dict:
    """Each expensive query once against a fresh server (after one warm-up query):
    its latency, status and hits; the worst first."""
    import requests

    with Server(Path(data_dir)) as server, requests.Session() as http:
        http.get(server.base + "/api/search", params={"q": "migration"}, timeout=120)
        rows = []
        for params in queries:
            t0 = time.perf_counter()
            resp = http.get(server.base + "/api/search", params=params, timeout=300)
            ms = (time.perf_counter() - t0) * 1000
            total = resp.json().get("total") if resp.status_code == 200 else None
            rows.append({"ms": round(ms, 1), "status": resp.status_code, "total": total,
                         "q": str(params.get("q", ""))[:60]
                         + ("..." if len(str(params.get("q", ""))) > 60 else "")
                         + (f" (page {params['page']})" if "page" in params else "")})
    rows.sort(key=lambda row: -row["ms"])
    return {"queries": len(rows), "worst_ms": rows[0]["ms"] if rows else 0.0,
            "over_1s": sum(1 for r in rows if r["ms"] > 1000),
            "errors": sum(1 for r in rows if r["status"] != 200), "rows": rows}


def _load(base: str, queries: list[dict], clients: int, stop_at: float,
          offset: int = 0) -> list[list[float]]:
    """``clients`` threads, each with its own HTTP connection, sending ``queries`` in
    turn (each thread from its own place in the list) until ``stop_at``
    (time.monotonic); the latencies (ms) of each thread's answered queries. A query
    that is not answered 200 counts as a failure: raised at the end."""
    import threading

    import requests

    results: list[list[float]] = [[] for _ in range(clients)]
    failures: list[str] = []

    def client(i: int) -> None:
        with requests.Session() as http:
            n = offset + i * 7
            while time.monotonic() < stop_at:
                params = queries[n % len(queries)]
                n += 1
                t0 = time.perf_counter()
                resp = http.get(base + "/api/search", params=params, timeout=300)
                if resp.status_code != 200:
                    failures.append(f"{resp.status_code} {params}")
                    continue
                results[i].append((time.perf_counter() - t0) * 1000)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} queries failed, e.g. {failures[:3]}")
    return results


def bench_mix(data_dir: Path, cheap: list[dict], expensive: list[dict], *, threads: int = 8,
              expensive_clients: int = 2, seconds: float = 20.0) -> dict:
    """Cheap queries from ``threads`` clients for ``seconds``, first alone, then beside
    ``expensive_clients`` clients sending the ``expensive`` queries in a loop, against
    one fresh server: the cheap queries' throughput and latency in both phases, and
    the expensive queries' worst time. Expensive queries must not starve cheap ones."""
    from concurrent.futures import ThreadPoolExecutor

    with Server(Path(data_dir)) as server:
        warm = time.monotonic() + min(2.0, seconds / 4)
        _load(server.base, cheap, threads, warm)
        phases = {}
        for name, heavy in (("alone", 0), ("with_expensive", expensive_clients)):
            cpu0 = cpu_seconds_of(server.proc.pid)
            started = time.monotonic()
            stop_at = started + seconds
            with ThreadPoolExecutor(1) as pool:
                heavy_load = pool.submit(_load, server.base, expensive, heavy, stop_at)
                cheap_result = _load(server.base, cheap, threads, stop_at)
                heavy_result = heavy_load.result()
            elapsed = time.monotonic() - started
            latencies = [ms for per_thread in cheap_result for ms in per_thread]
            heavy_ms = [ms for per_thread in heavy_result for ms in per_thread]
            phases[name] = {
                "cheap_queries": len(latencies),
                "cheap_per_second": round(len(latencies) / elapsed, 1),
                "cheap_latency_ms": percentiles(latencies),
                "expensive_queries": len(heavy_ms),
                "expensive_latency_ms": percentiles(heavy_ms),
                "server_cpu_share": round((cpu_seconds_of(server.proc.pid) - cpu0)
                                          / elapsed, 2),
            }
    return {"threads": threads, "expensive_clients": expensive_clients, "seconds": seconds,
            "cpus": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()],
            **phases}


def format_mix(docs: int, m: dict) -> str:
    alone, mixed = m["alone"], m["with_expensive"]

    def row(label: str, phase: dict) -> str:
        lat = phase["cheap_latency_ms"]
        return (f"  {label:<26} {phase['cheap_per_second']:>8} /s  p50 {lat['p50']:>7} ms  "
                f"p95 {lat['p95']:>7} ms  ({phase['cheap_queries']} queries; server CPU "
                f"{phase['server_cpu_share']} cores)")

    heavy = mixed["expensive_latency_ms"]
    return "\n".join([
        f"Load mix: {docs} documents, {m['threads']} clients of cheap queries for "
        f"{m['seconds']} s, alone and beside {m['expensive_clients']} clients of expensive "
        f"queries; {m['cpus']} CPUs, load average {m['loadavg'][0]}",
        row("cheap queries alone", alone),
        row("cheap beside expensive", mixed),
        f"  expensive queries          {mixed['expensive_queries']} answered: p50 "
        f"{heavy['p50']} ms, worst {heavy['max']} ms",
        f"  cheap throughput kept      "
        f"{round(100 * mixed['cheap_per_second'] / max(alone['cheap_per_second'], 0.1))} %",
    ])


def run_mix(docs: int, *, out: Path, threads: int = 8, expensive_clients: int = 2,
            seconds: float = 20.0, seed: int = 1, commit_every: int = 10_000,
            progress: bool = True) -> dict:
    """Index ``docs`` synthetic documents into ``out``, then ``bench_mix`` on them."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if (out / "index").exists():
        shutil.rmtree(out / "index")
    vocab = make_vocabulary()
    say = print if progress else (lambda *a, **k: None)
    say(f"Indexing {docs} synthetic documents into {out / 'index'} ...", flush=True)
    indexing = index_corpus(out / "index", docs, seed=seed, commit_every=commit_every,
                            vocab=vocab, progress=progress)
    say(f"Load mix ({threads} cheap clients, {expensive_clients} expensive, "
        f"{seconds} s each phase) ...", flush=True)
    mix = bench_mix(out, make_queries(200, vocab=vocab), make_hostile_queries(vocab),
                    threads=threads, expensive_clients=expensive_clients, seconds=seconds)
    report = {"docs": docs, "indexing": indexing, "mix": mix}
    (out / "bench-mix.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def percentiles(values_ms: list[float]) -> dict:
    if not values_ms:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0, "max": 0.0, "n": 0}
    s = sorted(values_ms)

    def pct(p):   # nearest-rank
        return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]

    return {"p50": round(pct(50), 1), "p95": round(pct(95), 1), "p99": round(pct(99), 1),
            "mean": round(statistics.fmean(s), 1), "max": round(s[-1], 1), "n": len(s)}


# -- the real server ---------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds_of(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (from /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_status_kib(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


@dataclass
class Server:
    data_dir: Path
    port: int = 0
    proc: subprocess.Popen | None = None
    log: Path | None = None
    startup_seconds: float = 0.0
    #: Extra environment of the server (SEARCHHUB_ENGINE=opensearch and its cluster).
    env: dict = field(default_factory=dict)
    _fh: object = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> Server:
        import requests

        self.port = self.port or free_port()
        self.log = Path(self.data_dir) / "server.log"
        self._fh = open(self.log, "wb")   # noqa: SIM115 - closed in stop()
        env = dict(os.environ)
        env.pop("SEARCHHUB_CONFIG", None)
        env.update(self.env)
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [str(SEARCHHUB_BIN), "--data-dir", str(self.data_dir), "serve",
             "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=self._fh, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}):\n"
                                   + self.log.read_text("utf-8", "replace")[-3000:])
            try:
                if requests.get(self.base + "/api/health", timeout=2).status_code == 200:
                    self.startup_seconds = time.perf_counter() - started
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer /api/health within {timeout} s")

    def peak_mib(self) -> float:
        return round(read_status_kib(self.proc.pid, "VmHWM") / 1024, 1)

    def rss_mib(self) -> float:
        return round(read_status_kib(self.proc.pid, "VmRSS") / 1024, 1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def bench_server(data_dir: Path, queries: list[dict], *, warmup: int = 10,
                 page_size: int = 10, env: dict | None = None) -> dict:
    """Run ``queries`` sequentially against a fresh ``searchhub serve`` on ``data_dir``
    (with ``env`` added to its environment)."""
    import requests

    with Server(Path(data_dir), env=env or {}) as server, requests.Session() as http:
        def get(params):
            return http.get(server.base + "/api/search",
                            params={**params, "page_size": page_size}, timeout=60)

        rss_after_start = server.rss_mib()
        for params in queries[-warmup:] if warmup else []:
            get(params)
        latencies, server_ms, failures, totals = [], [], [], []
        missing_facets = 0
        slowest = []
        cpu0 = cpu_seconds_of(server.proc.pid)
        for params in queries:
            t0 = time.perf_counter()
            resp = get(params)
            ms = (time.perf_counter() - t0) * 1000
            latencies.append(ms)
            if resp.status_code != 200:
                failures.append({"params": params, "status": resp.status_code,
                                 "body": resp.text[:300]})
                continue
            data = resp.json()
            if set(data.get("facets", {})) != set(FACETS):
                missing_facets += 1
                failures.append({"params": params, "status": resp.status_code,
                                 "body": f"facets: {sorted(data.get('facets', {}))}"})
            totals.append(data.get("total", 0))
            server_ms.append(float(data.get("elapsed_ms", 0.0)))
            slowest.append((round(ms, 1), params, data.get("total", 0)))
        server_cpu = cpu_seconds_of(server.proc.pid) - cpu0
        slowest.sort(key=lambda row: -row[0])
        return {
            "queries": len(queries),
            "failed": len(failures),
            "failures": failures[:10],
            "missing_facets": missing_facets,
            "latency_ms": percentiles(latencies),
            "engine_ms": percentiles(server_ms),
            "server_cpu_ms_per_query": round(server_cpu * 1000 / max(len(queries), 1), 1),
            "mean_total_hits": round(statistics.fmean(totals), 1) if totals else 0,
            "zero_hit_queries": sum(1 for t in totals if t == 0),
            "slowest": [{"ms": ms, "params": p, "total": t} for ms, p, t in slowest[:5]],
            "startup_seconds": round(server.startup_seconds, 2),
            "rss_after_start_mib": rss_after_start,
            "rss_after_queries_mib": server.rss_mib(),
            "peak_mib": server.peak_mib(),
            # VmRSS counts the index files Whoosh maps into memory (reclaimable page
            # cache) as well as the heap: RssAnon is the heap part.
            "rss_anon_mib": round(read_status_kib(server.proc.pid, "RssAnon") / 1024, 1),
            "rss_file_mib": round(read_status_kib(server.proc.pid, "RssFile") / 1024, 1),
        }


# -- naive Whoosh baseline ---------------------------------------------------

#: Modules of searchhub a stock Whoosh process may load: the field formats that are
#: pickled into the index's schema (Whoosh's extension point for them), no more.
STOCK_ALLOWED = {"searchhub", "searchhub.models", "searchhub.text", "searchhub.engine",
                 "searchhub.engine.schema", "searchhub.engine.analysis"}


def bench_naive(index_dir: Path, queries: list[dict]) -> dict:
    """The same queries with stock Whoosh, in a fresh process that never loads our
    engine (so nothing of ours can speed Whoosh up): see ``naive_search``."""
    with tempfile.TemporaryDirectory(prefix="searchhub-naive-") as tmp:
        qfile, out = Path(tmp) / "queries.json", Path(tmp) / "naive.json"
        qfile.write_text(json.dumps(queries), encoding="utf-8")
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--naive",
                               str(index_dir), str(qfile), str(out)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return {"queries": len(queries), "failed": len(queries),
                    "errors": [proc.stderr[-300:]], "fields": [],
                    "latency_ms": percentiles([0.0]), "mean_total_hits": 0}
        return json.loads(out.read_text(encoding="utf-8"))


def naive_search(index_dir: Path, queries: list[dict]) -> dict:
    """Plain Whoosh: a new searcher per query, MultifieldParser, Term filters and
    ``groupedby`` FieldFacets for all eight facets. Refuses to run in a process
    where more of searchhub than the field formats is loaded."""
    from whoosh import index as windex
    from whoosh import query as wq
    from whoosh import sorting
    from whoosh.qparser import MultifieldParser

    ix = windex.open_dir(str(index_dir), indexname="documents")
    with ix.reader() as reader:
        present = set(reader.indexed_field_names())
    fields = [f for f in ix.schema.names()
              if f.startswith(("title_", "body_")) and f in present]
    parser = MultifieldParser(fields, schema=ix.schema)
    latencies, totals, errors = [], [], []
    for params in queries:
        t0 = time.perf_counter()
        try:
            with ix.searcher() as searcher:
                q = parser.parse(str(params.get("q", "")))
                filters = []
                for name in FACETS:
                    values = params.get(name)
                    if values:
                        terms = [wq.Term(name, str(v).lower()) for v in values]
                        filters.append(terms[0] if len(terms) == 1 else wq.Or(terms))
                flt = None if not filters else (filters[0] if len(filters) == 1
                                                else wq.And(filters))
                groupedby = {name: sorting.FieldFacet(name, allow_overlap=True)
                             for name in FACETS}
                page = int(params.get("page", 1))
                results = searcher.search(q, limit=10 * page, filter=flt, groupedby=groupedby)
                groups = {name: results.groups(name) for name in FACETS}
                totals.append(len(results))
                _ = [results[i]["id"] for i in range((page - 1) * 10, min(len(results),
                                                                          10 * page))]
                del groups
        except Exception as exc:   # noqa: BLE001 - a baseline failure is a number
            errors.append(f"{params}: {exc!r}"[:300])
        latencies.append((time.perf_counter() - t0) * 1000)
    loaded = {m for m in sys.modules if m.startswith("searchhub")}
    if not loaded <= STOCK_ALLOWED:
        raise RuntimeError(f"not a stock Whoosh process: {sorted(loaded - STOCK_ALLOWED)}")
    return {"queries": len(queries), "failed": len(errors), "errors": errors[:5],
            "fields": fields, "latency_ms": percentiles(latencies),
            "mean_total_hits": round(statistics.fmean(totals), 1) if totals else 0}


# -- the real indexer on PDFs ------------------------------------------------

def count_pdf_pages(folder: Path) -> tuple[int, int]:
    """(files, pages) of the PDFs in ``folder``; unreadable files count 0 pages."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    files = pages = 0
    for path in sorted(Path(folder).rglob("*.pdf")):
        files += 1
        try:
            pages += len(PdfReader(str(path)).pages)
        except Exception:   # noqa: BLE001
            pass
    return files, pages


def bench_pdf_indexer(pdf_dir: Path, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    sources = work / "sources.toml"
    sources.write_text(
        "[[source]]\n"
        'id = "bench-pdf"\n'
        'name = "Benchmark PDFs"\n'
        'agency = "IOM"\n'
        'kind = "files"\n'
        f"path = {json.dumps(str(Path(pdf_dir).resolve()))}\n"
        'include = ["*.pdf"]\n', encoding="utf-8")
    env = dict(os.environ)
    env.pop("SEARCHHUB_CONFIG", None)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(SEARCHHUB_BIN), "--data-dir", str(work), "--sources", str(sources),
         "index", "--quiet", "--json"],
        capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        report = {}
    files, pages = count_pdf_pages(pdf_dir)

    def total(key):
        return sum(s.get("counts", {}).get(key, 0) for s in report.get("sources", [])) \
            if isinstance(report.get("sources"), list) else None

    added = total("added")
    failed = total("failed")
    return {
        "pdf_dir": str(pdf_dir),
        "exit_code": proc.returncode,
        "files": files,
        "pages": pages,
        "added": added,
        "failed": failed,
        "seconds": round(seconds, 2),
        "pages_per_second": round(pages / seconds, 1) if seconds else 0.0,
        "docs_per_second": round(files / seconds, 2) if seconds else 0.0,
        "failures": [{k: str(v)[:200] for k, v in f.items() if k in ("reason", "location",
                                                                      "message")}
                     for src in report.get("sources", []) for f in src.get("failures", [])][:10],
        "stderr_tail": proc.stderr[-500:] if proc.returncode not in (0, 1) else "",
    }


# -- the report --------------------------------------------------------------

def run(docs: int, *, queries: int = 200, out: Path, baseline: bool = True,
        pdf_dir: Path | None = None, seed: int = 1, commit_every: int = 10_000,
        warmup: int = 10, progress: bool = True, engine: str = "whoosh",
        opensearch: dict | None = None) -> dict:
    """Index and query on Whoosh; with ``engine="opensearch"``, the same corpus and
    queries on OpenSearch as well (``bench_opensearch``; ``opensearch`` holds its url,
    nodes and heap), in the report's ``opensearch`` part."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    index_dir = out / "index"
    if index_dir.exists():
        shutil.rmtree(index_dir)
    vocab = make_vocabulary()
    report: dict = {"docs": docs, "queries": queries, "seed": seed, "cpus": os.cpu_count(),
                    "commit_every": commit_every,
                    "python": sys.version.split()[0],
                    "started": dt.datetime.now().isoformat(timespec="seconds"),
                    "loadavg_start": [round(x, 2) for x in os.getloadavg()]}
    say = print if progress else (lambda *a, **k: None)
    say(f"Indexing {docs} synthetic documents into {index_dir} ...", flush=True)
    report["indexing"] = index_corpus(index_dir, docs, seed=seed, commit_every=commit_every,
                                      vocab=vocab, progress=progress)
    qs = make_queries(queries, vocab=vocab)
    say(f"Querying the server ({queries} queries) ...", flush=True)
    report["server"] = bench_server(out, qs, warmup=warmup)
    say("Expensive queries ...", flush=True)
    report["hostile"] = bench_hostile(out, make_hostile_queries(vocab))
    if baseline:
        say("Naive Whoosh baseline ...", flush=True)
        report["naive"] = bench_naive(index_dir, qs)
    if pdf_dir is not None:
        if Path(pdf_dir).is_dir():
            say(f"Real indexer on {pdf_dir} ...", flush=True)
            with tempfile.TemporaryDirectory(prefix="searchhub-pdfbench-") as tmp:
                report["pdf"] = bench_pdf_indexer(Path(pdf_dir), Path(tmp))
        else:
            report["pdf"] = {"skipped": f"{pdf_dir} does not exist"}
    if engine == "opensearch":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import bench_opensearch

        options = {"url": None, "nodes": 1, "heap": "1g", **(opensearch or {})}
        report["opensearch"] = bench_opensearch.run(
            sys.modules[__name__], docs, out=out, queries=qs, vocab=vocab, seed=seed,
            commit_every=commit_every, warmup=warmup, progress=progress, **options)
    report["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    report["targets"] = {
        "query_p95_ms_max": 150, "docs_per_second_min": 400,
        "query_p95_ok": report["server"]["latency_ms"]["p95"] <= 150,
        "worst_query_ms_max": 1000,
        "worst_query_ok": report["hostile"]["worst_ms"] <= 1000,
        "indexing_ok": report["indexing"]["docs_per_second"] >= 400,
    }
    (out / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False),
                                    encoding="utf-8")
    return report


def format_report(r: dict) -> str:
    ix, sv = r["indexing"], r["server"]
    lat = sv["latency_ms"]
    lines = [
        f"searchhub benchmark: {r['docs']} documents, {r['queries']} queries, "
        f"{r['cpus']} CPUs, Python {r['python']}, load average {r['loadavg_start'][0]} at "
        f"start, {r['loadavg_end'][0]} at end",
        "",
        f"Indexing (one writer, commit every "
        f"{r.get('commit_every', 10_000):,} documents)",
        f"  documents/s         {ix['docs_per_second']:>10}   "
        f"({ix['documents']} docs in {ix['indexing_seconds']} s; "
        f"generation {ix['generation_seconds']} s not counted)",
        f"  documents/CPU-s     {ix['docs_per_cpu_second']:>10}   "
        f"(rate on an idle core: {ix['cpu_seconds']} CPU s)",
        f"  commits (s)         {ix['commit_seconds']}",
        f"  index size          {ix['index_mib']:>10} MiB   ({ix['segments']} segments, "
        f"~{ix['mean_body_chars']} body chars/doc)",
        "",
        "Queries through GET /api/search (sequential, all 8 facet counts)",
        f"  latency ms          p50 {lat['p50']}  p95 {lat['p95']}  p99 {lat['p99']}  "
        f"mean {lat['mean']}  max {lat['max']}",
        f"  engine ms (server)  p50 {sv['engine_ms']['p50']}  p95 {sv['engine_ms']['p95']}  "
        f"p99 {sv['engine_ms']['p99']};  server CPU {sv['server_cpu_ms_per_query']} ms/query",
        f"  failed              {sv['failed']} of {sv['queries']}   "
        f"(missing facets: {sv['missing_facets']}; zero-hit queries: "
        f"{sv['zero_hit_queries']}; mean hits {sv['mean_total_hits']})",
        f"  server memory       peak (VmHWM) {sv['peak_mib']} MiB; RSS after start "
        f"{sv['rss_after_start_mib']} MiB, after queries {sv['rss_after_queries_mib']} MiB "
        f"(heap {sv['rss_anon_mib']} + mapped files {sv['rss_file_mib']}); "
        f"startup {sv['startup_seconds']} s",
        "  slowest             " + "; ".join(
            f"{s['ms']} ms {json.dumps(s['params'], ensure_ascii=False)}"
            for s in sv["slowest"][:3]),
    ]
    if sv["failures"]:
        lines.append("  failures: " + json.dumps(sv["failures"][:3], ensure_ascii=False))
    if "hostile" in r:
        h = r["hostile"]
        lines += ["", f"Expensive queries ({h['queries']}, each once): worst {h['worst_ms']} ms, "
                      f"{h['over_1s']} over 1 s, {h['errors']} not answered 200"]
        lines += [f"  {row['ms']:>9} ms  {row['status']}  {row['total']!s:>7} hits  {row['q']}"
                  for row in h["rows"][:8]]
    if "naive" in r:
        nv = r["naive"]["latency_ms"]
        lines += [
            "",
            "Comparison (ms)        p50       p95       p99      mean",
            f"  searchhub (HTTP) {lat['p50']:>9} {lat['p95']:>9} {lat['p99']:>9} "
            f"{lat['mean']:>9}",
            f"  naive Whoosh     {nv['p50']:>9} {nv['p95']:>9} {nv['p99']:>9} {nv['mean']:>9}"
            f"   (stock Whoosh, own process; {r['naive']['failed']} errors)",
        ]
    if "pdf" in r:
        p = r["pdf"]
        lines.append("")
        if "skipped" in p:
            lines.append(f"Real indexer on PDFs: skipped ({p['skipped']})")
        else:
            lines += [
                f"Real indexer on {p['pdf_dir']}",
                f"  {p['files']} files, {p['pages']} pages in {p['seconds']} s: "
                f"{p['pages_per_second']} pages/s, {p['docs_per_second']} docs/s "
                f"(added {p['added']}, failed {p['failed']}, exit {p['exit_code']})",
            ] + [f"  failed: [{f.get('reason')}] {Path(f.get('location', '')).name}: "
                 f"{f.get('message')}" for f in p.get("failures", [])]
    if "opensearch" in r:
        import bench_opensearch

        lines += ["", bench_opensearch.format_side_by_side(r)]
    t = r["targets"]
    lines += ["", f"Targets: p95 <= 150 ms: {'OK' if t['query_p95_ok'] else 'MISSED'};  "
                  f">= 400 docs/s: {'OK' if t['indexing_ok'] else 'MISSED'};  "
                  f"no query over 1 s: {'OK' if t.get('worst_query_ok') else 'MISSED'}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--naive"]:          # the baseline's own process (bench_naive)
        index_dir, qfile, out = map(Path, argv[1:4])
        result = naive_search(index_dir, json.loads(qfile.read_text(encoding="utf-8")))
        out.write_text(json.dumps(result), encoding="utf-8")
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, required=True, help="synthetic documents to index")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--out", type=Path, default=None,
                    help="working folder (default: a temp folder, removed unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the working folder")
    ap.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                    help="also time a naive Whoosh search (default: on)")
    ap.add_argument("--pdf-dir", type=Path, default=None,
                    help=f"PDFs for the real indexer (default: {DEFAULT_PDF_DIR} if present)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--commit-every", type=int, default=10_000)
    ap.add_argument("--engine", choices=("whoosh", "opensearch"), default="whoosh",
                    help="opensearch: also index and query the same corpus on OpenSearch "
                         "and print both side by side")
    ap.add_argument("--opensearch-url", default=None,
                    help="a running cluster (default: start nodes for the run)")
    ap.add_argument("--opensearch-nodes", type=int, default=1)
    ap.add_argument("--opensearch-heap", default="1g")
    ap.add_argument("--mix", action="store_true",
                    help="only the load mix: cheap queries alone, then beside expensive ones")
    ap.add_argument("--threads", type=int, default=8, help="cheap clients in --mix")
    ap.add_argument("--expensive-clients", type=int, default=2, help="in --mix")
    ap.add_argument("--seconds", type=float, default=20.0, help="each phase of --mix")
    args = ap.parse_args(argv)

    if args.mix and args.engine != "whoosh":
        ap.error("--mix runs on Whoosh only")
    if args.mix:
        out = args.out or Path(tempfile.mkdtemp(prefix="searchhub-bench-"))
        try:
            report = run_mix(args.docs, out=out, threads=args.threads,
                             expensive_clients=args.expensive_clients, seconds=args.seconds,
                             seed=args.seed, commit_every=args.commit_every)
            print()
            print(format_mix(args.docs, report["mix"]))
        finally:
            if args.out is None and not args.keep:
                shutil.rmtree(out, ignore_errors=True)
        return 0

    pdf_dir = args.pdf_dir
    if pdf_dir is None:
        if DEFAULT_PDF_DIR.is_dir():
            pdf_dir = DEFAULT_PDF_DIR
        else:
            print(f"note: no --pdf-dir and {DEFAULT_PDF_DIR} is absent; "
                  "skipping the PDF indexer run")
    out = args.out or Path(tempfile.mkdtemp(prefix="searchhub-bench-"))
    remove = args.out is None and not args.keep
    try:
        report = run(args.docs, queries=args.queries, out=out, baseline=args.baseline,
                     pdf_dir=pdf_dir, seed=args.seed, commit_every=args.commit_every,
                     engine=args.engine,
                     opensearch={"url": args.opensearch_url, "nodes": args.opensearch_nodes,
                                 "heap": args.opensearch_heap})
        print()
        print(format_report(report))
        print(f"\nJSON report: {out / 'bench.json'}" + (" (removed)" if remove else ""))
    finally:
        if remove:
            shutil.rmtree(out, ignore_errors=True)
    failed = report["server"]["failed"] + report.get("opensearch", {}).get(
        "server", {}).get("failed", 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
