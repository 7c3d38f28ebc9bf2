"""The platform registry: the demo registry, sources' own platforms, every problem at once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.sources import load_sources
from searchhub.cli import main
from searchhub.errors import ConfigError
from searchhub.platforms import load_platforms

REPO = Path(__file__).resolve().parents[2]
TAXONOMY = REPO / "corpus" / "taxonomy"

SOURCES = """
[[source]]
id = "site-a"
name = "Site A"
agency = "IOM"
kind = "web"
urls = ["https://a.example.org/x"]
platform = "alpha"

[[source]]
id = "site-a-pdfs"
name = "Site A documents"
agency = "IOM"
kind = "web"
urls = ["https://a.example.org/y.pdf"]
platform = "alpha"

[[source]]
id = "loose"
name = "A loose source"
agency = "ILO"
kind = "web"
homepage = "https://loose.example.org/"
urls = ["https://loose.example.org/z"]
"""

PLATFORMS = """
[[platform]]
id = "alpha"
name = "Alpha"
agency = "IOM"
home = "https://a.example.org/"
prefixes = ["https://a.example.org/"]
scope = "regional"
regions = ["West and Central Africa"]

[[platform]]
id = "mapped"
name = "Mapped only"
agency = "UNHCR"
prefixes = ["https://m.example.org/", "https://m.example.org/deep/"]
"""


def write(tmp_path: Path, sources: str, platforms: str) -> tuple[Path, Path]:
    (tmp_path / "sources.toml").write_text(sources, encoding="utf-8")
    (tmp_path / "platforms.toml").write_text(platforms, encoding="utf-8")
    return tmp_path / "sources.toml", tmp_path / "platforms.toml"


def test_sources_feed_platforms_and_a_source_without_one_is_its_own(tmp_path):
    sources_file, platforms_file = write(tmp_path, SOURCES, PLATFORMS)
    sources = load_sources(sources_file)
    registry = load_platforms(platforms_file, sources, TAXONOMY)
    assert [p.id for p in registry.platforms] == ["alpha", "mapped", "loose"]
    alpha = registry.get("alpha")
    assert alpha.sources == ("site-a", "site-a-pdfs") and not alpha.mapped_only
    assert registry.get("mapped").mapped_only
    loose = registry.get("loose")
    assert (loose.name, loose.agency, loose.sources, loose.registered) == (
        "A loose source", "ILO", ("loose",), False)
    assert registry.owner("https://loose.example.org/page").id == "loose"
    assert registry.owner("https://m.example.org/deep/x").id == "mapped"
    assert registry.owner("https://elsewhere.example.org/") is None
    assert {s.id: s.defaults["platform"] for s in sources} == {
        "site-a": "alpha", "site-a-pdfs": "alpha", "loose": "loose"}


def test_a_missing_platform_file_makes_each_source_a_platform(tmp_path):
    sources_file, _ = write(tmp_path, SOURCES.replace('platform = "alpha"', ""), "")
    registry = load_platforms(tmp_path / "absent.toml", load_sources(sources_file))
    assert [p.id for p in registry.platforms] == ["site-a", "site-a-pdfs", "loose"]


def test_every_problem_of_a_broken_registry_is_reported_at_once(tmp_path):
    broken = """
[[platform]]
id = "Bad Id"
name = "x"
agency = "IOM"
home = "ftp://nowhere"
prefixes = ["a.example.org"]
colour = "red"

[[platform]]
id = "twice"
name = "One"
agency = "IOM"
scope = "regional"

[[platform]]
id = "twice"
name = "Two"
agency = "IOM"
scope = "thematic"
themes = ["Not a theme"]
languages = ["English"]

[[platform]]
id = "nameless"
scope = "everywhere"
"""
    sources_file, platforms_file = write(tmp_path, SOURCES.replace('"alpha"', '"ghost"', 1),
                                         broken)
    with pytest.raises(ConfigError) as info:
        load_platforms(platforms_file, load_sources(sources_file), TAXONOMY)
    text = "\n".join(info.value.problems)
    for expected in ("id must be lowercase", "home 'ftp://nowhere' is not an http(s) URL",
                     "prefix 'a.example.org' is not an http(s) URL", "unknown key 'colour'",
                     "a regional platform needs its regions", "duplicate id 'twice'",
                     "theme 'Not a theme' is not a theme of the taxonomy",
                     "language 'English' is not an ISO 639-1 code", "missing name, agency",
                     "scope must be one of global, regional, thematic, not 'everywhere'",
                     "source site-a: platform 'ghost' is not in the platform registry",
                     "source site-a-pdfs: platform 'alpha' is not in the platform registry"):
        assert expected in text, expected
    assert len(info.value.problems) == 12


def test_the_indexer_refuses_a_source_naming_an_unknown_platform(tmp_path):
    sources_file, platforms_file = write(tmp_path, SOURCES.replace('"alpha"', '"ghost"'),
                                         PLATFORMS)
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "data"), "--sources",
                                       str(sources_file), "index"],
                                env={"SEARCHHUB_PLATFORMS": str(platforms_file)})
    assert result.exit_code == 1
    assert result.output.count("platform 'ghost' is not in the platform registry") == 2
    assert not (tmp_path / "data" / "index").exists()


def test_the_demo_registry_maps_several_platforms_per_agency():
    sources = load_sources(REPO / "corpus" / "sources.toml")
    registry = load_platforms(REPO / "corpus" / "platforms.toml", sources, TAXONOMY)
    by_agency = Counter(p.agency for p in registry.platforms)
    assert by_agency["IOM"] >= 3 and by_agency["UNHCR"] >= 2
    assert any(p.scope == "regional" and p.regions for p in registry.platforms)
    assert any(p.mapped_only for p in registry.platforms)
    assert all(p.registered for p in registry.platforms)      # every demo source named one
    assert all(len(p.sources) == 1 for p in registry.platforms if not p.mapped_only)
