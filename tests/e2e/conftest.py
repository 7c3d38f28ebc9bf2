"""A real server over the demo corpus for the browser tests (accessibility, keyboard,
phone), started once per session; chromium launched once per test file, a fresh
context and page per test.

The demo corpus is indexed by the real CLI, so an indexing run is recorded for the
admin pages; a curator (cora) and an admin (ada) can log in; the example expert
profiles are imported.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from live_server import free_port, wait_for_health

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "correct horse battery"
REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _build_demo_server_data(data: Path) -> None:
    """The demo server's data folder, made by the real CLI as a person would."""
    env = _environment(data)
    cli = [sys.executable, "-m", "searchhub.cli"]
    subprocess.run([*cli, "index", "--quiet", "--workers", "1"], env=env, check=True,
                   capture_output=True)
    subprocess.run([*cli, "collections", "seed"], env=env, check=True, capture_output=True)
    for name, role in (("cora", "curator"), ("ada", "admin")):
        subprocess.run([*cli, "users", "add", name, "--role", role, "--password-stdin"],
                       input=f"{PASSWORD}\n".encode(), env=env, check=True,
                       capture_output=True)
    subprocess.run([*cli, "experts", "import", str(REPO / "corpus" / "experts" / "examples.csv")],
                   env=env, check=True, capture_output=True)


def _environment(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHHUB_")}
    env["SEARCHHUB_DATA_DIR"] = str(data)
    return env


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, built_once):
    """Base URL of ``searchhub serve`` over the indexed demo corpus: the data folder is
    made once per run (``built_once``); each worker serves a copy of its own."""
    built = built_once("demo-server-data", _build_demo_server_data)
    data = tmp_path_factory.mktemp("demo-server") / "data"
    shutil.copytree(built, data)
    with serving(_environment(data)) as base:
        yield base


@pytest.fixture(scope="session")
def serve():
    """``serve(env)``: a context manager running ``searchhub serve`` (see ``serving``)."""
    return serving


@contextlib.contextmanager
def serving(env: dict[str, str]):
    """``searchhub serve`` with ``env`` on a free loopback port: yields its base URL
    once it answers, and stops it afterwards."""
    port = free_port()
    # Its log goes to a file, not a pipe: a pipe nobody reads while the server runs
    # would block the server once it held 64 KB.
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "searchhub.cli", "serve", "--host",
                                 "127.0.0.1", "--port", str(port)], env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"

        def output() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")
        try:
            wait_for_health(base, proc, output)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright (skips when either is missing), launched
    once per test file: each test opens a context of its own (its own cookies and
    storage), so one launch serves them all."""
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed")
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def log_in(demo_server):
    """``log_in(page, name)``: log in to the demo server as cora or ada."""
    def log_in(page, name: str) -> None:
        page.goto(demo_server + "/login")
        page.fill("#name", name)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
    return log_in
