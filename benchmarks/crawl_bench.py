"""Crawl benchmark: a generated partner platform on 127.0.0.1 (2,000 pages and 500 PDFs
by default), crawled in full, re-run with nothing changed, and re-run with 1% changed.

    .venv/bin/python benchmarks/crawl_bench.py                 # sitemap and crawl kinds
    .venv/bin/python benchmarks/crawl_bench.py --pages 200 --pdfs 50 --kind sitemap

Prints, per kind, the time of each run, the peak resident memory of the indexing
process during it (VmHWM, reset before each run), the requests sent and what the run
counted; the target is a re-run with nothing changed taking at most 5% of the full run.
``--pad-kb 100`` makes each page about 100 KB (an HTML comment after the article, as
markup-heavy pages are), so memory that grows with the pages crawled shows.
Needs the test extras (fpdf2) to make the PDFs.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import os
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORDS = ("migration migrant migrants refugee refugees asylum border borders labour worker "
         "workers remittances diaspora return reintegration displacement climate mobility "
         "protection trafficking smuggling integration health education children women "
         "recruitment fees policy governance data census corridor routes camp host community "
         "resettlement detention visa permit skills training employment wages housing "
         "language courses counselling psychosocial support livelihoods drought floods "
         "conflict violence rights justice access services municipality region province "
         "district survey household income savings transfer digital finance evaluation "
         "programme project partners government ministry national local regional global "
         "compact objective indicator monitoring report review study assessment").split()
PLACES = ("Kenya Ethiopia Somalia Sudan Nigeria Niger Mali Senegal Morocco Libya Tunisia "
          "Egypt Jordan Lebanon Syria Turkey Greece Italy Spain Germany Sweden Mexico "
          "Guatemala Honduras Colombia Venezuela Peru Brazil Bangladesh Nepal India "
          "Pakistan Afghanistan Philippines Indonesia Fiji Ukraine Moldova").split()


def _text(rng: random.Random, words: int) -> str:
    out = []
    for n in range(words):
        out.append(rng.choice(PLACES) if n % 17 == 0 else rng.choice(WORDS))
        if n % 14 == 13:
            out[-1] += "."
    return " ".join(out).capitalize() + "."


class Site:
    """The generated platform: path -> (body, content type, last modified)."""

    def __init__(self, pages: int, pdfs: int, seed: int = 7, pad_kb: int = 0):
        self.pages, self.pdfs, self.pad_kb = pages, pdfs, pad_kb
        self.rng = random.Random(seed)
        self.files: dict[str, tuple[bytes, str, str]] = {}
        self.requests = 0
        self.full_responses = 0
        self.lock = threading.Lock()
        stamp = email.utils.formatdate(1704067200, usegmt=True)
        for n in range(pages):
            self.files[f"/pages/{n}.html"] = (self._page(n, 0), "text/html", stamp)
        for n in range(pdfs):
            self.files[f"/docs/{n}.pdf"] = (self._pdf(n, 0), "application/pdf", stamp)
        self.files["/robots.txt"] = (b"User-agent: *\nDisallow: /private/\n", "text/plain",
                                     stamp)
        self.lastmod = {p: "2024-01-01" for p in self.files}
        self._sitemap()

    def _page(self, n: int, version: int) -> bytes:
        rng = random.Random(n * 1000 + version)
        links = [f"/pages/{(n * 2 + k) % self.pages}.html" for k in (1, 2)]
        if n < self.pdfs * 4:
            links += [f"/docs/{n // 4}.pdf"]
        body = "".join(f"<p>{_text(rng, 60)}</p>" for _ in range(5))
        anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
        page = (f"<!doctype html><html lang='en'><head><title>Page {n} v{version}: "
                f"{_text(rng, 6)}</title></head><body><nav><a href='/pages/0.html'>Home</a>"
                f"</nav><article><h1>Page {n}</h1>{body}<ul>{anchors}</ul></article>"
                f"</body></html>").encode()
        if self.pad_kb:
            pad = max(0, self.pad_kb * 1024 - len(page) - 9)
            page = page.replace(b"</body>", b"<!--" + b"x" * pad + b"--></body>")
        return page

    def _pdf(self, n: int, version: int) -> bytes:
        from fpdf import FPDF

        rng = random.Random(10**6 + n * 1000 + version)
        pdf = FPDF()
        pdf.set_font("helvetica", size=10)
        pdf.set_title(f"Report {n} v{version}")
        for _ in range(2):
            pdf.add_page()
            pdf.multi_cell(0, 5, _text(rng, 250))
        return bytes(pdf.output())

    def _sitemap(self) -> None:
        urls = "".join(f"<url><loc>{{base}}{p}</loc><lastmod>{self.lastmod[p]}</lastmod></url>"
                       for p in self.files if p.startswith(("/pages/", "/docs/")))
        self.sitemap = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.'
                        'sitemaps.org/schemas/sitemap/0.9">' + urls + "</urlset>")

    def change(self, share: float, version: int) -> int:
        """Rewrite ``share`` of the documents (content and lastmod); returns how many."""
        paths = [p for p in self.files if p.startswith(("/pages/", "/docs/"))]
        chosen = random.Random(version).sample(paths, max(1, int(len(paths) * share)))
        stamp = email.utils.formatdate(1704067200 + version * 86400, usegmt=True)
        for path in chosen:
            n = int(path.rsplit("/", 1)[1].split(".")[0])
            body = self._page(n, version) if path.endswith(".html") else self._pdf(n, version)
            self.files[path] = (body, self.files[path][1], stamp)
            self.lastmod[path] = f"2024-02-{version:02d}"
        self._sitemap()
        return len(chosen)

    def serve(self) -> ThreadingHTTPServer:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16                 # headers and body in one write
            disable_nagle_algorithm = True

            def do_GET(self):  # noqa: N802
                if self.path.startswith("/__"):
                    return self._control()
                with site.lock:
                    site.requests += 1
                base = f"http://{self.headers.get('Host')}"
                if self.path == "/sitemap.xml":
                    body, ctype, stamp = site.sitemap.replace("{base}", base).encode(), \
                        "application/xml", None
                elif self.path in site.files:
                    body, ctype, stamp = site.files[self.path]
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {"Content-Type": ctype}
                if stamp:
                    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    headers.update({"ETag": etag, "Last-Modified": stamp})
                    if self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        for k, v in headers.items():
                            self.send_header(k, v)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                with site.lock:
                    site.full_responses += 1
                self.send_response(200)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _control(self):
                if self.path.startswith("/__change/"):
                    _, _, share, version = self.path.split("/")
                    answer = {"changed": site.change(float(share), int(version))}
                else:
                    answer = {"requests": site.requests, "downloads": site.full_responses}
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        return server


def _serve(pages: int, pdfs: int, pad_kb: int, conn) -> None:
    """In its own process, so the platform does not compete with the indexer for the GIL."""
    site = Site(pages, pdfs, pad_kb=pad_kb)
    server = site.serve()
    conn.send(server.server_address[1])
    server.serve_forever()


class RemoteSite:
    """The parent's handle on the platform process."""

    def __init__(self, base: str):
        self.base = base

    def _get(self, path: str) -> dict:
        import urllib.request
        with urllib.request.urlopen(self.base + path, timeout=600) as resp:
            return json.loads(resp.read())

    def change(self, share: float, version: int) -> int:
        return self._get(f"/__change/{share}/{version}")["changed"]

    @property
    def requests(self) -> int:
        return self._get("/__stats")["requests"]

    @property
    def full_responses(self) -> int:
        return self._get("/__stats")["downloads"]


def _reset_peak_rss() -> None:
    """Start a new peak for VmHWM (Linux 4.0+: writing 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_rss_mib() -> float:
    """The indexing process's peak resident memory since the last reset, in MiB (VmHWM;
    where there is none, ru_maxrss: the peak of the whole process)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _bench_kind(kind: str, site: RemoteSite, base: str, workdir: Path, workers: int) -> dict:
    from indexer.pipeline import RunOptions, run
    from indexer.sources import load_sources
    from searchhub.engine import Engine

    folder = workdir / kind
    folder.mkdir()
    entry = (f'url = "{base}/sitemap.xml"' if kind == "sitemap" else
             f'urls = ["{base}/pages/0.html"]\nmax_depth = 100\nmax_documents = 100000')
    (folder / "sources.toml").write_text(f"""
[[source]]
id = "bench-{kind}"
name = "Generated platform"
agency = "IOM"
kind = "{kind}"
{entry}
allow_private = true
""", encoding="utf-8")
    sources = load_sources(folder / "sources.toml")
    options = RunOptions(taxonomy_dir=REPO / "corpus" / "taxonomy", workers=workers,
                         document_timeout=60, commit_every=500, http_timeout=20,
                         user_agent="searchhub-bench", data_dir=folder / "data",
                         host_delay=0.0, max_per_host=2, fetch_threads=2)
    rows = {}
    with Engine(folder / "data" / "index") as engine:
        for label, change in (("full", 0.0), ("nothing changed", None), ("1% changed", 0.01)):
            changed = site.change(change, version=3 if kind == "sitemap" else 4) if change \
                else 0
            requests_before, full_before = site.requests, site.full_responses
            _reset_peak_rss()
            started = time.perf_counter()
            report = run(engine, sources, options)
            elapsed = time.perf_counter() - started
            rows[label] = {"seconds": round(elapsed, 2), "peak_rss_mib": _peak_rss_mib(),
                           "changed_on_platform": changed,
                           "requests": site.requests - requests_before,
                           "downloads": site.full_responses - full_before,
                           "counts": {k: v for k, v in report.sources[0].counts.items() if v},
                           "documents": engine.count()}
    rows["rerun_share_of_full"] = round(rows["nothing changed"]["seconds"]
                                        / rows["full"]["seconds"], 4)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--pdfs", type=int, default=500)
    parser.add_argument("--pad-kb", type=int, default=0,
                        help="Pad each page to about this many KB (an HTML comment).")
    parser.add_argument("--kind", choices=["sitemap", "crawl", "both"], default="both")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()
    import multiprocessing as mp

    started = time.perf_counter()
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    server = ctx.Process(target=_serve, args=(args.pages, args.pdfs, args.pad_kb, child),
                         daemon=True)
    server.start()
    base = f"http://127.0.0.1:{parent.recv()}"
    site = RemoteSite(base)
    padded = f" of about {args.pad_kb} KB" if args.pad_kb else ""
    print(f"generated {args.pages} pages{padded} and {args.pdfs} PDFs in "
          f"{time.perf_counter() - started:.1f} s; {args.workers} workers")
    results = {"pages": args.pages, "pdfs": args.pdfs, "pad_kb": args.pad_kb,
               "workers": args.workers, "cpus": os.cpu_count()}
    kinds = ["sitemap", "crawl"] if args.kind == "both" else [args.kind]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            rows = _bench_kind(kind, site, base, Path(tmp), args.workers)
            results[kind] = rows
            print(f"\n{kind}:")
            for label in ("full", "nothing changed", "1% changed"):
                r = rows[label]
                print(f"  {label:16} {r['seconds']:8.2f} s  {r['peak_rss_mib']:7.1f} MiB peak  "
                      f"{r['requests']:5} requests  "
                      f"{r['downloads']:5} downloads  {r['documents']} documents  "
                      f"{json.dumps(r['counts'])}")
            share = rows["rerun_share_of_full"]
            print(f"  re-run with nothing changed: {share:.1%} of the full run "
                  f"({'meets' if share <= 0.05 else 'misses'} the 5% target)")
    server.kill()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
