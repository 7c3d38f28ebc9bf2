"""`searchhub index --rebuild`: the index is derived data and can be built again."""

from __future__ import annotations

import json

from click.testing import CliRunner
from pipeline_helpers import LOREM_EN, files_registry, make_pdf

from searchhub.cli import main
from searchhub.engine import Engine
from searchhub.models import Query


def test_rebuild_replaces_an_outdated_index(tmp_path):
    folder = tmp_path / "docs"
    make_pdf(folder / "a.pdf", [LOREM_EN * 2], title="Fair recruitment")
    make_pdf(folder / "b.pdf", ["Remittances to Nepal and Guatemala. " * 20], title="Remittances")
    files_registry(tmp_path, folder)
    args = ["--data-dir", str(tmp_path / "data"), "--sources", str(tmp_path / "sources.toml")]
    runner = CliRunner()
    first = runner.invoke(main, [*args, "index", "--quiet", "--json"])
    assert first.exit_code == 0, first.output
    index_dir = tmp_path / "data" / "index"
    (index_dir / "searchhub-index-format").write_text("1\n")   # as an older version left it

    refused = runner.invoke(main, [*args, "index", "--quiet"])
    assert refused.exit_code != 0 and "searchhub index --rebuild" in refused.output

    rebuilt = runner.invoke(main, [*args, "index", "--rebuild", "--quiet", "--json"])
    assert rebuilt.exit_code == 0, rebuilt.output
    report = json.loads(rebuilt.stdout)
    assert report["totals"]["added"] == 2 and report["totals"]["unchanged"] == 0
    with Engine(index_dir, create=False) as engine:
        assert engine.count() == 2
        assert engine.search(Query("remittances Nepal")).total == 1


def test_rebuild_refuses_a_folder_that_is_not_an_index(tmp_path):
    (tmp_path / "data" / "index").mkdir(parents=True)
    (tmp_path / "data" / "index" / "precious.txt").write_text("not an index")
    (tmp_path / "sources.toml").write_text('[[source]]\nid = "x"\nname = "X"\nagency = "IOM"\n'
                                           f'kind = "files"\npath = "{tmp_path}"\n')
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "data"), "--sources",
                                       str(tmp_path / "sources.toml"), "index", "--rebuild"])
    assert result.exit_code != 0 and "does not look like a searchhub index" in result.output
    assert (tmp_path / "data" / "index" / "precious.txt").exists()
