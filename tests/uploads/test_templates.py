"""Workstream templates: read from the group registry with every problem reported,
and what a member typed validated with every error at once."""

from __future__ import annotations

import pytest

from searchhub.errors import ConfigError
from searchhub.members.groups import load_groups
from searchhub.uploads.templates import Template, Vocabulary, validate

from .conftest import REPO, WORKSTREAMS

VOCABULARY = Vocabulary(regions=("East and Horn of Africa",), countries=("Kenya", "Uganda"),
                        themes=("Labour migration",), gcm_objectives=("6", "20"))
GROUPS = {"ws-knowledge": None, "wg-data": None}


def _template(tmp_path) -> Template:
    path = tmp_path / "workstreams.toml"
    path.write_text(WORKSTREAMS, encoding="utf-8")
    return load_groups(path)["ws-knowledge"].template


def test_the_bundled_registry_has_a_template():
    template = load_groups(REPO / "corpus" / "workstreams.toml")["ws-knowledge"].template
    assert "title" in template.required and "docx" in template.file_types
    assert template.initial()["licence"] == "CC BY 4.0"


def test_a_template_reports_every_problem(tmp_path):
    path = tmp_path / "workstreams.toml"
    path.write_text("""
[[group]]
id = "ws"
name = "W"
kind = "workstream"
[group.template]
required = ["title", "colour"]
file_types = ["pdf", "exe"]
max_mb = -1
visibility = ["nobody"]
shape = "round"
""", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_groups(path)
    text = "\n".join(err.value.problems)
    for word in ("required", "file_types", "max_mb", "nobody", "shape"):
        assert word in text


def test_every_error_at_once_and_the_typed_values_kept(tmp_path):
    template = _template(tmp_path)
    typed = {"title": "", "agency": "Nobody", "workstream": "ws-knowledge",
             "countries": ["Kenya", "Atlantis"], "themes": [], "language": "xx",
             "date": "next week", "summary": "Kept as typed.", "visibility": "wg-nope"}
    clean, errors = validate(template, typed, VOCABULARY, GROUPS)
    assert {k: p.code for k, p in errors.items()} == {
        "title": "required", "agency": "choose-one", "countries": "not-listed",
        "themes": "choose", "language": "language", "date": "date",
        "visibility": "visibility"}
    assert str(errors["countries"]) == "Not in the list: Atlantis."
    assert clean["summary"] == "Kept as typed."


def test_valid_metadata_is_cleaned(tmp_path):
    template = _template(tmp_path)
    typed = {**template.initial(), "title": "  A   report ", "themes": ["Labour migration"],
             "gcm_objectives": ["6"], "date": "2024-3", "visibility": "wg-data"}
    clean, errors = validate(template, typed, VOCABULARY, GROUPS)
    assert errors == {}
    assert clean["title"] == "A report" and clean["date"] == "2024-03-01"
    assert clean["gcm_objectives"] == [6] and clean["visibility"] == ["wg-data"]
    assert clean["agency"] == "UN Network on Migration"
