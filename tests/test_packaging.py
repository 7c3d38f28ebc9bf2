"""searchhub as an installable package: its dependencies are exactly what the code
imports, and the files it ships are where the settings look for them."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODE = ("searchhub", "indexer")
OURS = {"searchhub", "indexer", "searchhub_assets"}
# Declared without being imported by our code; pyproject.toml says why.
NEEDED_NOT_IMPORTED = {"lxml-html-clean"}


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
