"""The settings table: documented, validated together, read from TOML and the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchhub.errors import ConfigError
from searchhub.settings import SETTINGS, Settings, settings_help

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_has_a_help_line_and_an_env_var():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    for s in SETTINGS:
        assert s.help.strip() and "\n" not in s.help, s.name
        assert s.env == "SEARCHHUB_" + s.name.upper()
        assert s.env in settings_help()


def test_every_setting_is_in_the_readme():
    if not README.exists():
        pytest.skip("README.md is not written yet; each SEARCHHUB_* setting must be in it")
    readme = README.read_text(encoding="utf-8")
    missing = [s.env for s in SETTINGS if s.env not in readme]
    assert not missing, f"settings not documented in README.md: {missing}"


def test_defaults_load_without_any_configuration():
    settings = Settings.load(environ={})
    assert settings.page_size == 10 and settings.workers == 0
    assert settings.index_dir == settings.data_dir / "index"


def test_environment_values_are_converted():
    settings = Settings.load(environ={"SEARCHHUB_WORKERS": "3", "SEARCHHUB_HTTP_TIMEOUT": "2.5",
                                      "SEARCHHUB_DATA_DIR": "/srv/searchhub"})
    assert settings.workers == 3 and settings.http_timeout == 2.5
    assert settings.data_dir == Path("/srv/searchhub")


def test_invalid_environment_values_are_reported_together():
    with pytest.raises(ConfigError) as info:
        Settings.load(environ={"SEARCHHUB_WORKERS": "abc", "SEARCHHUB_PORT": "-1",
                               "SEARCHHUB_PAGE_SIZE": "0", "SEARCHHUB_HTTP_TIMEOUT": "soon"})
    problems = info.value.problems
    assert len(problems) == 4
    for env in ("SEARCHHUB_WORKERS", "SEARCHHUB_PORT", "SEARCHHUB_PAGE_SIZE",
                "SEARCHHUB_HTTP_TIMEOUT"):
        assert sum(env in p for p in problems) == 1, (env, problems)
        assert env in info.value.message
    assert info.value.status == 500


def test_toml_file_from_searchhub_config(tmp_path):
    config = tmp_path / "searchhub.toml"
    config.write_text('[searchhub]\npage_size = 20\nworkers = 2\nhost = "0.0.0.0"\n'
                      f'data_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    settings = Settings.load(environ={"SEARCHHUB_CONFIG": str(config)})
    assert (settings.page_size, settings.workers, settings.host) == (20, 2, "0.0.0.0")
    assert settings.data_dir == tmp_path / "data"


def test_toml_without_a_section_and_precedence(tmp_path):
    config = tmp_path / "flat.toml"
    config.write_text("page_size = 20\nworkers = 2\nport = 8080\n", encoding="utf-8")
    settings = Settings.load({"port": 9000}, environ={"SEARCHHUB_CONFIG": str(config),
                                                      "SEARCHHUB_WORKERS": "5"})
    # defaults < TOML file < environment < explicit overrides
    assert (settings.page_size, settings.workers, settings.port) == (20, 5, 9000)


def test_unknown_and_invalid_toml_keys_are_reported_with_the_environment(tmp_path):
    config = tmp_path / "searchhub.toml"
    config.write_text('[searchhub]\npage_sise = 20\nthreads = "many"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Settings.load(environ={"SEARCHHUB_CONFIG": str(config), "SEARCHHUB_PORT": "x"})
    problems = info.value.problems
    assert len(problems) == 3, problems
    assert any("unknown setting 'page_sise'" in p for p in problems)
    assert any(p.startswith("threads") and str(config) in p for p in problems)
    assert any("SEARCHHUB_PORT" in p for p in problems)


@pytest.mark.parametrize("content", ["page_size = ", "[searchhub\n"])
def test_unreadable_toml_is_reported(tmp_path, content):
    config = tmp_path / "broken.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match="SEARCHHUB_CONFIG"):
        Settings.load(environ={"SEARCHHUB_CONFIG": str(config)})


def test_missing_toml_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="cannot read it"):
        Settings.load(environ={"SEARCHHUB_CONFIG": str(tmp_path / "absent.toml")})


def test_unknown_override_and_inconsistent_page_sizes():
    with pytest.raises(ConfigError) as info:
        Settings.load({"page_size": 50, "max_page_size": 20, "colour": "blue"}, environ={})
    assert len(info.value.problems) == 2
    assert any("page_size must not exceed max_page_size" in p for p in info.value.problems)


@pytest.mark.parametrize("name, value", [("workers", 2.5), ("port", True), ("page_size", "7.0"),
                                         ("http_timeout", True),
                                         ("data_dir", ""), ("data_dir", 3)])
def test_values_of_the_wrong_type_are_rejected(name, value):
    with pytest.raises(ConfigError, match=name):
        Settings.load({name: value}, environ={})
