"""searchhub as an installable package: its dependencies are exactly what the code
imports, and (e2e) a plain ``pip install`` into a fresh venv, with the pip that the
system's Python ships, runs ``searchhub index``, ``search`` and ``serve`` from a folder
that is not the checkout, on the bundled demo corpus."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import requests
from demo_corpus import DEMO_COUNT
from live_server import free_port, wait_for_health

REPO = Path(__file__).resolve().parents[1]
CODE = ("searchhub", "indexer")
OURS = {"searchhub", "indexer", "searchhub_assets"}
# Declared without being imported by our code; pyproject.toml says why.
NEEDED_NOT_IMPORTED = {"lxml-html-clean"}
DEMO_DOCUMENTS = DEMO_COUNT      # counted from corpus/sources.toml and its folders
#: Wheels of every dependency, fetched by `make install` (see the Makefile).
WHEELHOUSE = Path(sys.prefix) / "wheelhouse"


def normal(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(extra: str | None = None) -> dict[str, str]:
    """Normalised distribution name -> requirement, from pyproject.toml."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = (project["dependencies"] if extra is None
                    else project["optional-dependencies"][extra])
    return {normal(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", r).group()): r
            for r in requirements}


def imported() -> dict[str, set[str]]:
    """Distribution -> files of searchhub/ and indexer/ that import it."""
    owners = importlib.metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    for folder in CODE:
        for path in sorted((REPO / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for top in {name.partition(".")[0] for name in names}:
                    if top in sys.stdlib_module_names or top in OURS:
                        continue
                    where = str(path.relative_to(REPO))
                    assert top in owners, f"{where} imports {top}, which nothing installs"
                    for distribution in owners[top]:
                        found.setdefault(normal(distribution), set()).add(where)
    return found


def test_dependencies_are_exactly_what_the_code_imports():
    uses, declares = imported(), declared()
    undeclared = {name: sorted(where) for name, where in uses.items() if name not in declares}
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"
    unused = set(declares) - set(uses) - NEEDED_NOT_IMPORTED
    assert not unused, f"in [project] dependencies but imported nowhere: {sorted(unused)}"
    # Test tools stay out of what users install.
    assert not set(declares) & {"pytest", "requests", "fpdf2", "ruff", "playwright"}


def test_pins_are_what_is_installed():
    for extra in (None, "test"):
        for name, requirement in declared(extra).items():
            if "==" in requirement:
                pinned = requirement.partition("==")[2].split(";")[0].strip()
                assert importlib.metadata.version(name) == pinned, requirement


def test_bundled_defaults_are_the_shipped_files():
    from searchhub import resources
    from searchhub.settings import Settings

    settings = Settings.load(environ={})
    assert settings.sources == resources.bundled_sources()
    assert settings.sources.is_file() and settings.sources.name == "sources.toml"
    assert (settings.taxonomy_dir / "themes.toml").is_file()
    assert (resources.templates_dir() / "base.html").is_file()
    assert (resources.static_dir() / "style.css").is_file()
    # The data folder is taken from where searchhub runs, not from where it is installed.
    assert settings.data_dir == Path("data")


# --- a plain pip install, run from elsewhere (e2e) ---------------------------------------

def system_python() -> str:
    """Debian's python3 (whose venvs get pip 23.0.1) when present, else the Python this
    venv was made from; either way a venv made with it has that Python's own pip."""
    candidates = ["/usr/bin/python3", getattr(sys, "_base_executable", sys.executable)]
    for candidate in candidates:
        if Path(candidate).exists() and subprocess.run(
                [candidate, "-c", "import sys, ensurepip, venv; "
                 "sys.exit(sys.version_info < (3, 11))"], capture_output=True).returncode == 0:
            return candidate
    pytest.fail(f"no Python 3.11+ with venv and ensurepip among {candidates}")


def clean_environment() -> dict[str, str]:
    """Nothing of this test run or of the checkout leaks into the installed searchhub."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SEARCHHUB_", "PYTHON", "VIRTUAL_ENV", "PYTEST"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _copy_ignore(folder: str, names: list[str]) -> set[str]:
    at_top = {".venv", "data", "build", "dist", ".git"} if Path(folder) == REPO else set()
    return {n for n in names if n in at_top or n in {"__pycache__", ".pytest_cache",
                                                     ".ruff_cache"} or n.endswith(".egg-info")}


class Installed:
    def __init__(self, venv: Path, pip_version: str):
        self.venv = venv
        self.pip_version = pip_version
        self.bin = venv / "bin"

    def run(self, *args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.bin / "searchhub"), *args], cwd=cwd,
                              env=clean_environment(), capture_output=True, text=True,
                              timeout=timeout)

    def python(self, code: str, cwd: Path) -> str:
        done = subprocess.run([str(self.bin / "python"), "-c", code], cwd=cwd,
                              env=clean_environment(), capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """A fresh venv with its stock pip (never upgraded) and ``pip install <project>`` from
    a copy of the project that is deleted afterwards. pip resolves every dependency
    itself, as a person's install would, but from the wheelhouse ``make install`` filled
    (nothing is downloaded while tests run)."""
    if not any(WHEELHOUSE.glob("*.whl")):
        pytest.skip(f"no wheelhouse at {WHEELHOUSE}: `make install` builds it")
    root = tmp_path_factory.mktemp("install")
    venv = root / "venv"
    subprocess.run([system_python(), "-m", "venv", str(venv)], check=True,
                   env=clean_environment(), timeout=300)
    pip_version = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--version"],
                                 capture_output=True, text=True, check=True).stdout
    source = root / "searchhub-source"
    shutil.copytree(REPO, source, ignore=_copy_ignore)
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           "--no-index", "--find-links", str(WHEELHOUSE), str(source)],
                          cwd=root, env=clean_environment(),
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{pip_version}\n{done.stdout}\n{done.stderr}"
    shutil.rmtree(source)
    return Installed(venv, pip_version)


@pytest.mark.e2e
def test_the_package_ships_templates_static_files_and_the_demo_corpus(installed, tmp_path):
    where = installed.python(
        "import searchhub, searchhub_assets.web as w, searchhub_assets.corpus as c; "
        "print(searchhub.__file__); print(w.__file__); print(c.__file__)", cwd=tmp_path)
    code, web, corpus = (Path(line).parent for line in where.split())
    for folder in (code, web, corpus):
        assert folder.is_relative_to(installed.venv), folder

    def files(folder: Path, left_out=()) -> set[str]:
        return {str(p.relative_to(folder)) for p in folder.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts
                and not any(str(p.relative_to(folder)).startswith(x) for x in left_out)}

    assert files(web) == files(REPO / "web")
    assert files(corpus) == files(REPO / "corpus", ("demo/src/", "demo/build_demo.py"))
    assert {p.name for p in code.rglob("*.py")} >= {p.name for p in (REPO / "searchhub")
                                                    .rglob("*.py")}


@pytest.mark.e2e
def test_index_search_and_serve_from_a_folder_that_is_not_the_checkout(installed, tmp_path):
    # trafilatura (the HTML documents) imports lxml.html.clean: a pip that does not resolve
    # it installs a trafilatura that fails at import, and every HTML document fails.
    installed.python("import trafilatura", cwd=tmp_path)

    indexing = installed.run("index", "--quiet", "--json", "--workers", "2", cwd=tmp_path)
    assert indexing.returncode == 0, indexing.stdout + indexing.stderr
    totals = json.loads(indexing.stdout)["totals"]
    assert (totals["added"], totals["failed"]) == (DEMO_DOCUMENTS, 0), installed.pip_version
    assert (tmp_path / "data" / "index").is_dir()   # ./data: where the command ran

    found = installed.run("search", "Rohingya refugees in Cox's Bazar", "--json", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    hits = [hit["id"] for hit in json.loads(found.stdout)["hits"]]
    assert hits[0] == "demo-unhcr-rohingya-coxs-bazar-2017.html"

    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(installed.bin / "searchhub"), "serve", "--host", "127.0.0.1", "--port",
             str(port), "--threads", "2"], cwd=tmp_path, env=clean_environment(),
            stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            health = wait_for_health(base, server, log_path.read_text)
            assert health.json() == {"status": "ok", "documents": DEMO_DOCUMENTS}

            page = requests.get(f"{base}/search", params={"q": "remittances"}, timeout=10)
            assert page.status_code == 200 and 'class="facets"' in page.text
            assert "demo-oecd-remittance-costs-digital-2024.html" in page.text

            document = requests.get(f"{base}/doc/demo-unhcr-rohingya-coxs-bazar-2017.html",
                                    timeout=10)
            assert document.status_code == 200 and "Rohingya" in document.text

            css = requests.get(f"{base}/static/style.css", timeout=10)
            assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
