"""`searchhub serve` as people run it: a real waitress server over real HTTP."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests
from demo_corpus import DEMO_COUNT
from live_server import free_port, wait_for_health

SEARCHHUB = Path(sys.executable).with_name("searchhub")


@pytest.fixture
def server(demo_data_dir, tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [str(SEARCHHUB), "--data-dir", str(demo_data_dir), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--threads", "2"], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, process, (tmp_path / "serve.log").read_text, seconds=30)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.mark.e2e
def test_served_over_real_http(server):
    with requests.Session() as http:
        health = http.get(f"{server}/api/health", timeout=10)
        assert health.json() == {"status": "ok", "documents": DEMO_COUNT}
        # waitress sends its `ident` as the Server header
        assert health.headers["Server"] == "searchhub"

        home = http.get(f"{server}/", timeout=10)
        assert home.status_code == 200 and home.headers["Server"] == "searchhub"
        assert "text/html" in home.headers["Content-Type"]
        assert 'class="facets"' in home.text and f"Search {DEMO_COUNT} documents" in home.text
        assert home.headers["X-Content-Type-Options"] == "nosniff"

        api = http.get(f"{server}/api/search", params={"q": "migration"}, timeout=10)
        data = api.json()
        assert data["total"] > 10 and len(data["hits"]) == 10
        assert data["hits"][0]["snippet"]

        css = http.get(f"{server}/static/style.css", timeout=10)
        assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]

        missing = http.get(f"{server}/doc/nope", timeout=10)
        assert missing.status_code == 404 and "There is no document" in missing.text
