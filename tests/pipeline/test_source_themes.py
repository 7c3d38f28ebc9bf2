"""Theme values from sources and catalogues in the taxonomy's vocabulary: automatic
normalisation, a source's ``themes_map`` and ``unmapped_themes``, checked by the
registry loader and end to end through a real run into a real index."""

from __future__ import annotations

import json
import shutil

import pytest
from pipeline_helpers import registry

from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub.engine import Engine
from searchhub.errors import ConfigError
from searchhub.models import Query

#: Neutral text: no theme keyword of the taxonomy, so nothing is inferred from it.
NEUTRAL = ("The office published its quarterly update on operations, staffing and "
           "budget execution in the northern provinces. ")
#: Text the theme inference reads as trafficking in persons, and nothing else.
TRAFFICKING = ("Victims of trafficking were identified at the hotline; human trafficking "
               "cases are referred to shelters and prosecutors. ")
#: Text the theme inference reads as labour migration, and nothing else.
LABOUR = ("Recruitment fees charged to migrant workers were reimbursed under the fair "
          "recruitment scheme; migrant workers kept their passports. ")


def _catalog(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


def _source(source_id: str, export, extra: str = "") -> str:
    return f"""
[[source]]
id = "{source_id}"
name = "Catalogue {source_id}"
agency = "OCHA"
kind = "catalog"
path = "{export}"
format = "jsonl"
id_field = "id"
title_field = "title"
text_field = "text"
themes_field = "themes"
{extra}"""


def _problems(path, *args) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_sources(path, *args)
    return info.value.problems


# -- the registry -----------------------------------------------------------------------


def test_registry_accepts_maps_to_labels_and_to_nothing(tmp_path):
    path = registry(tmp_path / "sources.toml", _source("rw", "x.jsonl", """
unmapped_themes = "drop"
[source.themes_map]
"Climate Change and Environment" = "Climate and environment"
"Protection and Human Rights" = "Migrant rights and protection"
"Coordination" = ""
""") + _source("plain", "y.jsonl", 'unmapped_themes = "keep"\n'))
    rw, plain = load_sources(path)
    assert rw.options["themes_map"] == {
        "Climate Change and Environment": "Climate and environment",
        "Protection and Human Rights": "Migrant rights and protection",
        "Coordination": ""}
    assert rw.options["unmapped_themes"] == "drop"
    assert plain.options["unmapped_themes"] == "keep"
    assert "themes_map" not in plain.options


def test_registry_reports_every_bad_map_at_once(tmp_path):
    path = registry(tmp_path / "sources.toml", _source("a", "a.jsonl", """
[source.themes_map]
"Health" = "Health"
"Climate Change and Environment" = "climate and environment"
"Gender" = "Gender"
"Mine Action" = "Demining"
""") + _source("b", "b.jsonl", """
unmapped_themes = "discard"
themes_map = ["Health"]
""") + _source("c", "c.jsonl", """
[source.themes_map]
"Shelter" = 3
"Santé" = "Migration and health"
" SANTE " = "Displacement"
""") + """
[[source]]
id = "d"
name = "D"
agency = "IOM"
kind = "files"
path = "docs"
colour = "blue"
""")
    problems = _problems(path)
    text = "\n".join(problems)
    assert ("source #1 (a): themes_map: 'Health' maps to 'Health', which is not a theme "
            "label in") in text
    assert "(did you mean 'Migration and health'?)" in text          # "health" is an id
    assert ("'Climate Change and Environment' maps to 'climate and environment'" in text
            and "(did you mean 'Climate and environment'?)" in text)
    assert "'Mine Action' maps to 'Demining'" in text
    assert "'Gender' maps" not in text                                # a real label
    assert "source #2 (b): unmapped_themes must be one of keep, drop, not 'discard'" in text
    assert "source #2 (b): themes_map must be a table" in text
    assert "source #3 (c): themes_map: 'Shelter' must map to a theme label or \"\", not 3" in text
    assert ("source #3 (c): themes_map: 'Santé' and ' SANTE ' are the same value" in text
            and "'Migration and health' and 'Displacement'" in text)
    assert "source #4 (d): unknown key 'colour'" in text              # the old checks too
    assert len(problems) == 8, problems


def test_map_targets_are_checked_against_the_given_taxonomy(tmp_path, repo_root):
    taxonomy = shutil.copytree(repo_root / "corpus" / "taxonomy", tmp_path / "taxonomy")
    themes = taxonomy / "themes.toml"
    themes.write_text(themes.read_text(encoding="utf-8") + """
[[theme]]
id = "mine-action"
label = "Mine action"
label_fr = "Action contre les mines"
label_es = "Acción contra las minas"
[theme.keywords]
en = ["landmines"]
""", encoding="utf-8")
    path = registry(tmp_path / "sources.toml", _source("rw", "x.jsonl", """
[source.themes_map]
"Mine Action" = "Mine action"
"""))
    assert load_sources(path, taxonomy)[0].options["themes_map"] == {
        "Mine Action": "Mine action"}
    assert "'Mine Action' maps to 'Mine action', which is not a theme label" in "\n".join(
        _problems(path))                                  # the default taxonomy has no such theme
    missing = _problems(path, tmp_path / "nowhere")
    assert len(missing) == 1 and "themes_map cannot be checked" in missing[0]


# -- end to end -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, module_options):
    """The three catalogues indexed by one real run, once for the tests below (they
    only read the index)."""
    tmp_path = tmp_path_factory.mktemp("themes")
    with Engine(tmp_path / "index") as engine:
        yield _index(tmp_path, engine, module_options)


def _index(tmp_path, engine, options):
    keep = _catalog(tmp_path / "keep.jsonl", [
        {"id": "1", "title": "Quarterly update one", "text": NEUTRAL * 6,
         "themes": ["Climate Change and Environment", "HEALTH", " Gender "]},
        {"id": "2", "title": "Quarterly update two", "text": NEUTRAL * 7,
         "themes": ["climat et environnement", "Mine Action", "Trata de Personas"]},
        {"id": "3", "title": "Hotline report", "text": TRAFFICKING * 6,
         "themes": ["Coordination"]},
        {"id": "4", "title": "Quarterly update four", "text": NEUTRAL * 8,
         "themes": ["Protection and Human Rights", "Climate Change and Environment",
                    "Disaster Management", "Health", "Protection and Human Rights"]},
    ])
    drop = _catalog(tmp_path / "drop.jsonl", [
        {"id": "1", "title": "Field note one", "text": NEUTRAL * 9,
         "themes": ["Mine Action", "Health"]},
        {"id": "2", "title": "Recruitment survey", "text": LABOUR * 6,
         "themes": ["Mine Action", "Logistics and Telecommunications"]},
    ])
    defaults = _catalog(tmp_path / "defaults.jsonl", [
        {"id": "1", "title": "Field note three", "text": NEUTRAL * 10, "themes": []},
        {"id": "2", "title": "Field note four", "text": NEUTRAL * 11,
         "themes": ["Mine Action"]},
    ])
    maps = """
[source.themes_map]
"Climate Change and Environment" = "Climate and environment"
"Disaster Management" = "Climate and environment"
"Protection and Human Rights" = "Migrant rights and protection"
"coordination" = ""
"""
    sources = load_sources(registry(tmp_path / "sources.toml", _source("keep", keep, maps)
                                    + _source("drop", drop, 'unmapped_themes = "drop"\n' + maps)
                                    + _source("dflt", defaults, f"""
unmapped_themes = "drop"
themes = ["Climate Change and Environment", "  réfugiés et asile", "Mine Action"]
{maps}""")))
    report = run(engine, sources, options)
    assert report.total("added") == 8 and report.failed == 0
    return engine


def _themes(engine, **filters) -> dict[str, int]:
    result = engine.search(Query("", {k: [v] for k, v in filters.items()}, page_size=50))
    return {fv.value: fv.count for fv in result.facets["theme"]}


def test_catalogue_themes_are_mapped_into_the_taxonomy(indexed):
    engine = indexed
    # Mapped by themes_map, or by a taxonomy label, id or translation; kept as written
    # when neither (the default); collapsed and in order.
    assert engine.get("keep-1").themes == ["Climate and environment", "Migration and health",
                                           "Gender"]
    assert engine.get("keep-2").themes == ["Climate and environment", "Mine Action",
                                           "Trafficking in persons"]
    assert engine.get("keep-4").themes == ["Migrant rights and protection",
                                           "Climate and environment", "Migration and health"]
    # "Coordination" mapped to "" leaves nothing: the themes are inferred from the text.
    assert engine.get("keep-3").themes == ["Trafficking in persons"]
    # unmapped_themes = "drop": the unknown value goes; when nothing is left, inference.
    assert engine.get("drop-1").themes == ["Migration and health"]
    assert engine.get("drop-2").themes == ["Labour migration"]
    # A record without themes gets the source's themes, mapped the same way, and so does
    # a record whose themes all went.
    for doc_id in ("dflt-1", "dflt-2"):
        assert engine.get(doc_id).themes == ["Climate and environment", "Refugees and asylum"]


def test_the_theme_facet_shows_one_vocabulary(indexed):
    engine = indexed
    assert _themes(engine) == {
        "Climate and environment": 5, "Migration and health": 3, "Trafficking in persons": 2,
        "Refugees and asylum": 2, "Gender": 1, "Mine Action": 1,
        "Migrant rights and protection": 1, "Labour migration": 1}
    hits = engine.search(Query("", {"theme": ["Climate and environment"]}, page_size=50)).hits
    assert sorted(h.document.id for h in hits) == ["dflt-1", "dflt-2", "keep-1", "keep-2",
                                                   "keep-4"]
    assert engine.search(Query("", {"theme": ["Climate Change and Environment"]})).total == 0


def test_a_records_markdown_emphasis_is_shown_plain(tmp_path, engine, options):
    # As ReliefWeb's export: the body's first heading glued to the title in bold, and
    # bold and italics in the text. The words stay; the markers go.
    export = _catalog(tmp_path / "md.jsonl", [
        {"id": "1", "title": "Hawiga Reserve Allocation Strategy (2 October 2017) **Overview**",
         "text": "**Key figures** " + NEUTRAL * 4 + "*European Commission - Fact Sheet* "
                 "scored 5*3 on the index; Libya* and Niger* are footnoted.",
         "themes": []},
    ])
    sources = load_sources(registry(tmp_path / "sources.toml", _source("md", export)))
    assert run(engine, sources, options).total("added") == 1
    doc = engine.get("md-1")
    assert doc.title == "Hawiga Reserve Allocation Strategy (2 October 2017) Overview"
    assert doc.text.startswith("Key figures The office")
    assert "European Commission - Fact Sheet scored 5*3" in doc.text
    assert "Libya* and Niger*" in doc.text and "**" not in doc.text
    assert [h.document.id for h in engine.search(Query("overview hawiga")).hits] == ["md-1"]
