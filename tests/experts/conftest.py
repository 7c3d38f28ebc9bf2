"""Fixtures for the experts: a data folder with the demo's example profiles imported
through the real command, and the CSV template's header."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from click.testing import CliRunner
from curation.conftest import PASSWORD, Browser
from werkzeug.datastructures import MultiDict

from searchhub import accounts, database
from searchhub.cli import main
from searchhub.web import create_app

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "corpus" / "experts" / "examples.csv"


@pytest.fixture(autouse=True)
def _no_searchhub_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SEARCHHUB_"):
            monkeypatch.delenv(name)


@pytest.fixture
def cli():
    """``cli(data_dir, *args)``: run `searchhub --data-dir DATA ARGS...`; returns the
    click Result."""
    runner = CliRunner()

    def run(data_dir: Path, *args: str):
        return runner.invoke(main, ["--data-dir", str(data_dir), *args])
    return run


@pytest.fixture(scope="session")
def demo_experts_dir(demo_index_copy) -> Path:
    """A data folder with the demo corpus indexed by the real pipeline (a copy of the
    run's one build, ``demo_index_dir``) and the example profiles imported by the real
    command (read-only: copy it to change it)."""
    data_dir = demo_index_copy("experts-demo")
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("SEARCHHUB_"):
                mp.delenv(name)
        result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "experts", "import",
                                           str(EXAMPLES)])
        assert result.exit_code == 0, result.output
    return data_dir


@pytest.fixture
def experts_dir(demo_experts_dir, tmp_path) -> Path:
    """A copy of the demo data folder this test may change."""
    target = tmp_path / "data"
    shutil.copytree(demo_experts_dir, target)
    return target


@pytest.fixture(scope="session")
def demo_app(demo_experts_dir):
    """The app over the demo data folder (read-only)."""
    return create_app({"data_dir": demo_experts_dir, "secret_key": "test-secret"})


@pytest.fixture
def app(experts_dir):
    """The app over a copy of the demo data folder, with a curator (cora) and a member
    (mo) who can log in."""
    conn = database.connect(experts_dir / "curation.sqlite")
    accounts.add(conn, "cora", PASSWORD, "curator")
    accounts.add(conn, "mo", PASSWORD, "member")
    conn.close()
    return create_app({"data_dir": experts_dir, "secret_key": "test-secret"})


class FormBrowser(Browser):
    """The curation tests' Browser, sending every ticked box of a field as a browser
    does (theirs keeps one value a name)."""

    def submit(self, expr: str, status: int | None = None, headers=None, **values):
        form = self.form(expr)
        pairs: list[tuple[str, str]] = []
        for el in form.xpath(".//input|.//select|.//textarea"):
            name = el.get("name")
            if not name or el.get("type") in ("submit", "button") or name in values:
                continue
            if el.get("type") in ("checkbox", "radio") and el.get("checked") is None:
                continue
            if el.tag == "textarea":
                pairs.append((name, el.text or ""))
            elif el.tag == "select":
                chosen = el.xpath("./option[@selected]") or el.xpath("./option")
                pairs += [(name, chosen[0].get("value", chosen[0].text))] if chosen else []
            else:
                pairs.append((name, el.get("value", "")))
        for name, value in values.items():
            pairs += [(name, v) for v in (value if isinstance(value, list) else [value])]
        action = urljoin(self.url, form.get("action") or self.url)
        response = self.client.post(action, data=MultiDict(pairs), headers=headers or {})
        if status is not None:
            assert response.status_code == status, (action, response.status_code,
                                                    response.get_data(as_text=True)[:500])
        return response


@pytest.fixture
def browser(app):
    return FormBrowser(app.test_client())


@pytest.fixture
def log_in():
    def log_in(browser: Browser, name: str) -> None:
        browser.get("/login")
        browser.follow(browser.submit("//form[.//input[@name='password']]",
                                      name=name, password=PASSWORD))
    return log_in
