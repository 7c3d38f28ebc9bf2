"""Checks on the data under corpus/: taxonomies, source registry and demo corpus."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

CORPUS = Path(__file__).parents[1] / "corpus"
TAXONOMY = CORPUS / "taxonomy"
DEMO = CORPUS / "demo"

REQUIRED_THEMES = {
    "labour-migration": "Labour migration",
    "trafficking": "Trafficking in persons",
    "smuggling": "Migrant smuggling",
    "return-reintegration": "Return and reintegration",
    "displacement": "Displacement",
    "climate-environment": "Climate and environment",
    "migration-data": "Migration data",
    "health": "Migration and health",
    "children": "Children and youth",
    "gender": "Gender",
    "integration": "Integration and social cohesion",
    "border-management": "Border management",
    "remittances-diaspora": "Remittances and diaspora",
    "rights-protection": "Migrant rights and protection",
    "governance": "Migration governance",
}

REGIONS = {
    "east-horn-africa": "East and Horn of Africa",
    "southern-africa": "Southern Africa",
    "west-central-africa": "West and Central Africa",
    "mena": "Middle East and North Africa",
    "europe-central-asia": "Europe and Central Asia",
    "asia-pacific": "Asia and the Pacific",
    "latin-america-caribbean": "Latin America and the Caribbean",
    "north-america": "North America",
    "global": "Global",
}

# Keywords so generic they would tag every document of the corpus.
TOO_GENERIC = {"migration", "migrant", "migrants", "refugee", "refugees", "migración",
               "migrantes", "réfugiés", "migrations"}

AGENCY_FOLDERS = {"iom", "unhcr", "ilo", "unodc", "undp", "ohchr", "undesa", "oecd"}


def load_toml(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def fold(text: str) -> str:
    """Lowercase and strip accents, as the keyword matcher does."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def mentions(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fold(phrase))}(?!\w)", text) is not None


@pytest.fixture(scope="module")
def themes() -> list[dict]:
    return load_toml(TAXONOMY / "themes.toml")["theme"]


@pytest.fixture(scope="module")
def objectives() -> list[dict]:
    return load_toml(TAXONOMY / "gcm.toml")["objective"]


@pytest.fixture(scope="module")
def regions() -> list[dict]:
    return load_toml(TAXONOMY / "regions.toml")["region"]


@pytest.fixture(scope="module")
def countries() -> list[dict]:
    with (TAXONOMY / "countries.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def sources() -> list[dict]:
    return load_toml(CORPUS / "sources.toml")["source"]


@pytest.fixture(scope="module")
def build_demo():
    # Loaded from its path: corpus/ is data, not a package.
    spec = importlib.util.spec_from_file_location("corpus_build_demo", DEMO / "build_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


@pytest.fixture(scope="module")
def demo_docs(build_demo) -> list:
    return build_demo.load_documents()


@pytest.fixture(scope="module")
def demo_texts(demo_docs) -> dict[str, str]:
    """Folded title and text of every demo document, keyed by output file name."""
    return {d.filename: fold(d.title + "\n" + "\n".join(d.pages)) for d in demo_docs}


# --- taxonomies ----------------------------------------------------------


def test_themes_have_required_ids_and_labels(themes):
    by_id = {t["id"]: t for t in themes}
    for theme_id, label in REQUIRED_THEMES.items():
        assert theme_id in by_id, theme_id
        assert by_id[theme_id]["label"] == label
    assert len(themes) >= 16


def test_theme_ids_and_labels_are_unique(themes):
    assert len({t["id"] for t in themes}) == len(themes)
    assert len({t["label"] for t in themes}) == len(themes)


def test_every_theme_has_translated_labels_and_keywords(themes):
    for theme in themes:
        assert theme["label_fr"] and theme["label_es"], theme["id"]
        for lang in ("en", "fr", "es"):
            keywords = theme["keywords"][lang]
            assert 8 <= len(keywords) <= 20, (theme["id"], lang, len(keywords))
            assert len(set(map(fold, keywords))) == len(keywords), (theme["id"], lang)
        for lang, keywords in theme["keywords"].items():
            assert all(k.strip() == k and k for k in keywords), (theme["id"], lang)
            assert not TOO_GENERIC & {fold(k) for k in keywords}, (theme["id"], lang)


def test_gcm_has_the_23_objectives_once_each(objectives):
    assert sorted(o["number"] for o in objectives) == list(range(1, 24))
    for objective in objectives:
        assert objective["title"] and objective["short"], objective["number"]
        for lang in ("en", "fr", "es"):
            keywords = objective["keywords"][lang]
            assert 5 <= len(keywords) <= 15, (objective["number"], lang, len(keywords))


def test_gcm_titles_match_the_official_ones(objectives):
    titles = {o["number"]: o["title"] for o in objectives}
    assert titles[1].startswith("Collect and utilize accurate and disaggregated data")
    assert titles[9] == "Strengthen the transnational response to smuggling of migrants"
    assert titles[21].startswith("Cooperate in facilitating safe and dignified return")


def test_regions_are_exactly_the_nine(regions):
    assert {r["id"]: r["label"] for r in regions} == REGIONS
    for region in regions:
        assert region["label_fr"] and region["label_es"], region["id"]


# --- countries -----------------------------------------------------------


def test_countries_header_and_size(countries):
    assert list(countries[0]) == ["iso3", "name", "name_fr", "name_es", "aliases", "region"]
    assert len(countries) >= 195


def test_country_codes_and_names_are_unique(countries):
    codes = [c["iso3"] for c in countries]
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)
    assert [k for k, n in Counter(codes).items() if n > 1] == []
    names = [c["name"] for c in countries]
    assert [k for k, n in Counter(names).items() if n > 1] == []
    assert all(c["name"] and c["name_fr"] and c["name_es"] for c in countries)


def test_country_regions_are_region_labels(countries, regions):
    labels = {r["label"] for r in regions} - {"Global"}
    assert {c["region"] for c in countries} == labels


def test_aliases_never_name_another_country(countries):
    owner: dict[str, set[str]] = {}
    for c in countries:
        for key in ("name", "name_fr", "name_es"):
            owner.setdefault(fold(c[key]), set()).add(c["iso3"])
    seen: dict[str, str] = {}
    for c in countries:
        aliases = [a for a in c["aliases"].split(";")] if c["aliases"] else []
        for alias in aliases:
            assert alias and alias.strip() == alias, (c["iso3"], c["aliases"])
            key = fold(alias)
            assert owner.get(key, {c["iso3"]}) <= {c["iso3"]}, (c["iso3"], alias)
            assert seen.setdefault(key, c["iso3"]) == c["iso3"], (c["iso3"], alias)


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Kenya", "East and Horn of Africa"),
        ("Mexico", "Latin America and the Caribbean"),
        ("Afghanistan", "Asia and the Pacific"),
        ("Türkiye", "Europe and Central Asia"),
        ("Egypt", "Middle East and North Africa"),
        ("Haiti", "Latin America and the Caribbean"),
        ("United States", "North America"),
        ("Canada", "North America"),
        ("Niger", "West and Central Africa"),
        ("South Africa", "Southern Africa"),
    ],
)
def test_country_regions_spot_checks(countries, name, region):
    assert {c["name"]: c["region"] for c in countries}[name] == region


def test_ambiguous_countries_are_distinct(countries):
    names = {c["name"] for c in countries}
    for name in ("Niger", "Nigeria", "Guinea", "Equatorial Guinea", "Guinea-Bissau",
                 "Papua New Guinea", "Congo", "Democratic Republic of the Congo",
                 "Dominica", "Dominican Republic", "Georgia", "Jordan", "Chad"):
        assert name in names
    aliases = {c["name"]: c["aliases"].split(";") for c in countries}
    assert "Turkey" in aliases["Türkiye"]
    assert "Syrian Arab Republic" in aliases["Syria"]
    assert "DRC" in aliases["Democratic Republic of the Congo"]


# --- source registry -----------------------------------------------------


def test_sources_are_well_formed_and_paths_exist(sources):
    ids = [s["id"] for s in sources]
    assert len(set(ids)) == len(ids)
    for source in sources:
        assert source["kind"] in {"files", "web", "catalog"}, source["id"]
        assert source["name"] and source["agency"], source["id"]
        if source["kind"] in {"files", "catalog"}:
            assert (CORPUS / source["path"]).exists(), source["id"]


def test_every_agency_folder_is_a_source(sources):
    folders = {p.name for p in DEMO.iterdir()
               if p.is_dir() and p.name != "src" and not p.name.startswith((".", "_"))}
    assert AGENCY_FOLDERS <= folders
    referenced = {Path(s["path"]).name for s in sources if s["kind"] == "files"}
    assert folders <= referenced


# --- demo corpus ---------------------------------------------------------


def demo_files() -> list[Path]:
    return sorted(p for p in DEMO.glob("*/*") if p.is_file() and p.parent.name != "src"
                  and not p.parent.name.startswith((".", "_")))   # __pycache__ from imports


def test_demo_corpus_size_and_mix(demo_docs):
    files = demo_files()
    assert len(files) >= 44
    formats = Counter(p.suffix for p in files)
    assert formats[".pdf"] >= 18 and formats[".html"] >= 18
    languages = Counter(d.language for d in demo_docs)
    assert languages["fr"] >= 8 and languages["es"] >= 8
    assert languages["en"] > len(demo_docs) / 2
    assert {d.folder for d in demo_docs} >= AGENCY_FOLDERS
    pages = Counter(len(d.pages) for d in demo_docs if d.format == "pdf")
    assert pages[1] >= 3 and sum(n for k, n in pages.items() if 3 <= k <= 6) >= 8


def test_sources_and_outputs_are_in_sync(demo_docs):
    expected = {d.output for d in demo_docs}
    assert expected == set(demo_files())
    for doc in demo_docs:
        assert doc.folder == doc.source.parent.name, doc.source


def test_demo_documents_metadata(demo_docs):
    for doc in demo_docs:
        assert dt.date(2015, 1, 1) <= doc.date <= dt.date(2026, 12, 31), doc.filename
        words = sum(len(p.split()) for p in doc.pages)
        assert 300 <= words <= 1500, (doc.filename, words)
    assert len({d.date.year for d in demo_docs}) >= 10


@pytest.mark.parametrize("path", [p for p in demo_files() if p.suffix == ".pdf"],
                         ids=lambda p: p.name)
def test_pdf_opens_with_text_on_every_page(path, demo_docs):
    doc = next(d for d in demo_docs if d.output == path)
    reader = PdfReader(path)
    assert len(reader.pages) == len(doc.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert len(page.extract_text().split()) >= 40, (path.name, number)
    meta = reader.metadata
    assert meta.title == doc.title
    assert meta.author == doc.author
    assert meta.creation_date.date() == doc.date


@pytest.mark.parametrize("path", [p for p in demo_files() if p.suffix == ".html"],
                         ids=lambda p: p.name)
def test_html_has_metadata_and_boilerplate(path, demo_docs):
    doc = next(d for d in demo_docs if d.output == path)
    page = path.read_text(encoding="utf-8")
    assert f'<html lang="{doc.language}">' in page
    assert f'<meta name="date" content="{doc.date.isoformat()}">' in page
    assert '<meta name="author"' in page and "<title>" in page
    assert page.count("<article>") == 1
    assert "cookie" in page.lower() and "<footer" in page and "<nav" in page


def test_build_is_reproducible(demo_docs, build_demo):
    pytest.importorskip("fpdf")
    for doc in demo_docs:
        rendered = build_demo.RENDERERS[doc.format](doc)
        assert rendered == doc.output.read_bytes(), f"{doc.filename}: re-run build_demo.py"


# --- coverage of the taxonomies by the demo corpus -------------------------


def test_every_theme_is_covered_by_two_documents(themes, demo_texts):
    for theme in themes:
        keywords = [k for words in theme["keywords"].values() for k in words]
        hits = [name for name, text in demo_texts.items()
                if any(mentions(text, k) for k in keywords)]
        assert len(hits) >= 2, (theme["id"], hits)


def test_countries_and_regions_are_covered(countries, demo_texts):
    found: set[str] = set()
    for country in countries:
        names = [country["name"], country["name_fr"], country["name_es"]]
        names += [a for a in country["aliases"].split(";") if a]
        if any(mentions(text, n) for text in demo_texts.values() for n in names):
            found.add(country["iso3"])
    assert len(found) >= 10
    covered = {c["region"] for c in countries if c["iso3"] in found}
    assert covered == set(REGIONS.values()) - {"Global"}


@pytest.mark.parametrize(
    ("number", "minimum"), [(1, 2), (9, 2), (10, 2), (20, 2), (21, 2)])
def test_some_gcm_objectives_have_specific_documents(objectives, demo_texts, number, minimum):
    objective = next(o for o in objectives if o["number"] == number)
    keywords = [k for words in objective["keywords"].values() for k in words]
    hits = [name for name, text in demo_texts.items()
            if any(mentions(text, k) for k in keywords)]
    assert len(hits) >= minimum, (number, hits)


def test_demo_queries_have_a_home(demo_texts):
    for phrase, at_least in (("return and reintegration", 2), ("recruitment fees", 2)):
        hits = [name for name, text in demo_texts.items() if mentions(text, phrase)]
        assert len(hits) >= at_least, (phrase, hits)
