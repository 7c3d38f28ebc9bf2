"""Enrichment: taxonomy loading, language, places, themes, GCM objectives, quality."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from language_pages import REPORT

from indexer.enrich import enrich
from indexer.enrich.language import HEAD_CHARS, MIDDLE_CHARS, detect_language
from indexer.enrich.places import find_countries, regions_for
from indexer.enrich.quality import (
    GARBLED_SHORT_WORD_SHARE,
    LITTLE_TEXT_WORDS,
    MIN_LANGUAGE_CONFIDENCE,
    is_garbled,
    quality_signals,
)
from indexer.enrich.taxonomy import (
    PhraseMatcher,
    TaxonomyError,
    fold,
    gcm_titles,
    load_taxonomy,
    name_key,
)
from indexer.enrich.themes import detect_gcm_mentions, find_gcm, find_themes
from searchhub.models import Document

REAL_TAXONOMY = Path(__file__).resolve().parents[2] / "corpus" / "taxonomy"

THEMES_TOML = """
[[theme]]
id = "labour-migration"
label = "Labour migration"
label_fr = "Migration de main-d'œuvre"
label_es = "Migración laboral"
[theme.keywords]
en = ["labour migration", "migrant workers", "recruitment fees"]
fr = ["travailleurs migrants", "migration de main-d'œuvre"]
es = ["trabajadores migrantes", "migración laboral"]

[[theme]]
id = "trafficking"
label = "Trafficking in persons"
label_fr = "Traite des personnes"
label_es = "Trata de personas"
[theme.keywords]
en = ["human trafficking", "trafficking in persons", "victims of trafficking"]
fr = ["traite des êtres humains", "traite des personnes"]
es = ["trata de personas"]
ru = ["торговля людьми"]

[[theme]]
id = "health"
label = "Migration and health"
label_fr = "Migration et santé"
label_es = "Migración y salud"
[theme.keywords]
en = ["health care", "mental health"]
fr = ["santé mentale"]
es = ["salud mental"]
"""

GCM_TOML = """
[[objective]]
number = 6
title = "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work"
short = "Fair recruitment and decent work"
[objective.keywords]
en = ["fair recruitment", "decent work"]
fr = ["recrutement équitable", "travail décent"]
es = ["contratación equitativa", "trabajo decente"]

[[objective]]
number = 10
title = "Prevent, combat and eradicate trafficking in persons"
short = "Trafficking in persons"
[objective.keywords]
en = ["trafficking in persons", "human trafficking"]
fr = ["traite des personnes"]
es = ["trata de personas"]

[[objective]]
number = 21
title = "Cooperate in facilitating safe and dignified return and readmission"
short = "Return and reintegration"
[objective.keywords]
en = ["readmission", "sustainable reintegration"]
"""

REGIONS_TOML = """
[[region]]
id = "west-central-africa"
label = "West and Central Africa"
label_fr = "Afrique de l'Ouest et du Centre"
label_es = "África Occidental y Central"

[[region]]
id = "east-horn-africa"
label = "East and Horn of Africa"
label_fr = "Afrique de l'Est"
label_es = "África Oriental"

[[region]]
id = "latin-america-caribbean"
label = "Latin America and the Caribbean"
label_fr = "Amérique latine et Caraïbes"
label_es = "América Latina y el Caribe"

[[region]]
id = "asia-pacific"
label = "Asia and the Pacific"
label_fr = "Asie et Pacifique"
label_es = "Asia y el Pacífico"

[[region]]
id = "europe-central-asia"
label = "Europe and Central Asia"
label_fr = "Europe et Asie centrale"
label_es = "Europa y Asia Central"
"""

COUNTRIES_CSV = """iso3,name,name_fr,name_es,aliases,region
NER,Niger,Niger,Níger,Republic of the Niger,West and Central Africa
NGA,Nigeria,Nigéria,Nigeria,Federal Republic of Nigeria,West and Central Africa
GIN,Guinea,Guinée,Guinea,Republic of Guinea,West and Central Africa
GNB,Guinea-Bissau,Guinée-Bissau,Guinea-Bisáu,Guinea Bissau,West and Central Africa
GNQ,Equatorial Guinea,Guinée équatoriale,Guinea Ecuatorial,,West and Central Africa
PNG,Papua New Guinea,Papouasie-Nouvelle-Guinée,Papúa Nueva Guinea,,Asia and the Pacific
SEN,Senegal,Sénégal,Senegal,,West and Central Africa
KEN,Kenya,Kenya,Kenia,Republic of Kenya,East and Horn of Africa
MEX,Mexico,Mexique,México,United Mexican States,Latin America and the Caribbean
HTI,Haiti,Haïti,Haití,,Latin America and the Caribbean
DMA,Dominica,Dominique,Dominica,,Latin America and the Caribbean
DOM,Dominican Republic,République dominicaine,República Dominicana,,Latin America and the Caribbean
GEO,Georgia,Géorgie,Georgia,,Europe and Central Asia
GBR,United Kingdom,Royaume-Uni,Reino Unido,UK;Great Britain,Europe and Central Asia
CIV,Côte d'Ivoire,Côte d'Ivoire,Costa de Marfil,Ivory Coast,West and Central Africa
"""


def write_taxonomy(folder: Path, **overrides: str) -> Path:
    files = {"themes.toml": THEMES_TOML, "gcm.toml": GCM_TOML,
             "regions.toml": REGIONS_TOML, "countries.csv": COUNTRIES_CSV}
    files.update({name.replace("_", "."): text for name, text in overrides.items()})
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def taxonomy(tmp_path_factory):
    return load_taxonomy(write_taxonomy(tmp_path_factory.mktemp("taxonomy")))


real_taxonomy = pytest.mark.skipif(not (REAL_TAXONOMY / "themes.toml").exists(),
                                   reason="corpus/taxonomy not written yet")

FILLER = ("The programme supported local authorities with training, coordination meetings "
          "and monitoring visits throughout the reporting period. ")


def long_text(*insertions: str, words: int = 25_000) -> str:
    """About ``words`` words of neutral prose with ``insertions`` spread through it."""
    paragraphs = [FILLER * 10] * (words // 150)
    step = max(1, len(paragraphs) // (len(insertions) + 1))
    for i, insertion in enumerate(insertions, 1):
        paragraphs.insert(i * step, insertion)
    return "\n\n".join(paragraphs)


# --- Taxonomy ---------------------------------------------------------------------------

def test_load_taxonomy(taxonomy):
    assert [t.label for t in taxonomy.themes] == ["Labour migration", "Trafficking in persons",
                                                  "Migration and health"]
    assert [o.number for o in taxonomy.objectives] == [6, 10, 21]
    assert taxonomy.themes[1].keywords["ru"] == ("торговля людьми",)
    assert taxonomy.country_by_name["Senegal"].name_fr == "Sénégal"
    assert taxonomy.country_by_name["United Kingdom"].aliases == ("UK", "Great Britain")


def test_gcm_titles_come_from_the_taxonomy(taxonomy, tmp_path):
    titles = gcm_titles(taxonomy.folder)
    assert list(titles) == ["6", "10", "21"]
    assert titles["21"] == next(o.short for o in taxonomy.objectives if o.number == 21)
    assert gcm_titles(tmp_path / "no-taxonomy") == {}     # labels fall back to numbers


def test_load_taxonomy_is_cached_per_folder(tmp_path):
    folder = write_taxonomy(tmp_path / "t")
    assert load_taxonomy(folder) is load_taxonomy(str(folder))


@pytest.mark.parametrize(("files", "message"), [
    ({"gcm_toml": GCM_TOML.replace("number = 21", "number = 24")},
     r"gcm.toml: objective #3 \(number 24\): 'number' must be an integer from 1 to 23"),
    ({"themes_toml": THEMES_TOML.replace('label = "Gender"', "").replace(
        'label = "Migration and health"', 'label = ""')},
     r"themes.toml: theme #3 \(health\): 'label' must be a non-empty string"),
    ({"themes_toml": THEMES_TOML.replace('es = ["salud mental"]', 'es = "salud mental"')},
     r"themes.toml: theme #3 \(health\): keywords.es must be a list"),
    ({"themes_toml": "[[theme]\nid="}, r"themes.toml: not valid TOML"),
    ({"countries_csv": COUNTRIES_CSV.replace("West and Central Africa\nNGA", "Sahel\nNGA")},
     r"countries.csv: line 2 \(Niger\): region 'Sahel' is not a label in regions.toml"),
    ({"countries_csv": COUNTRIES_CSV.replace("KEN,Kenya,Kenya,", "KEN,Kenya,")},
     r"countries.csv: line 9: expected 6 columns, found 5"),
    ({"countries_csv": "code,name\n"}, r"countries.csv: line 1: the header must be"),
    ({"regions_toml": REGIONS_TOML + REGIONS_TOML}, r"regions.toml: duplicate region label"),
])
def test_bad_taxonomy_names_file_and_entry(tmp_path, files, message):
    folder = write_taxonomy(tmp_path / "t", **files)
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(folder)


def test_missing_taxonomy_file(tmp_path):
    folder = write_taxonomy(tmp_path / "t")
    (folder / "gcm.toml").unlink()
    with pytest.raises(TaxonomyError, match="gcm.toml: file not found"):
        load_taxonomy(folder)


def test_fold_removes_accents_and_ligatures_keeps_other_scripts():
    assert fold("Côte d’Ivoire, Haïti, México, main-d'œuvre") == \
        "Cote d’Ivoire, Haiti, Mexico, main-d'oeuvre"
    assert fold("торговля людьми") == "торговля людьми"


def test_phrase_matcher_longest_match_wins_and_acronyms_need_capitals():
    matcher = PhraseMatcher([("Guinea", "GIN"), ("Papua New Guinea", "PNG"),
                             ("Guinea-Bissau", "GNB"), ("UK", "GBR")])
    counts = matcher.count("Papua New Guinea, Guinea Bissau, guinea-bissau and Guinea. "
                           "Tell us about the UK, not the uk.")
    assert counts == {"PNG": 1, "GNB": 2, "GIN": 1, "GBR": 1}


# --- Language ---------------------------------------------------------------------------

SAMPLES = {
    "en": "Migrants who return to their country of origin often need help to find work, "
          "housing and schools for their children.",
    "fr": "Les migrants qui rentrent dans leur pays d'origine ont souvent besoin d'aide pour "
          "trouver un emploi, un logement et une école pour leurs enfants.",
    "es": "Los migrantes que regresan a su país de origen suelen necesitar ayuda para "
          "encontrar trabajo, vivienda y escuelas para sus hijos.",
    "ru": "Мигранты, которые возвращаются в свою страну происхождения, часто нуждаются в "
          "помощи, чтобы найти работу, жильё и школы для своих детей.",
    "ar": "غالبا ما يحتاج المهاجرون الذين يعودون إلى بلدهم الأصلي إلى المساعدة في العثور على "
          "عمل وسكن ومدارس لأطفالهم.",
    "zh": "返回原籍国的移民往往需要帮助寻找工作、住房和子女上学的学校。",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_detect_language(language):
    code, probability = detect_language(SAMPLES[language])
    assert code == language
    assert probability > MIN_LANGUAGE_CONFIDENCE


def test_detect_language_is_deterministic_whatever_came_before():
    mixed = "Migration et développement: the report covers remittances y la diáspora."
    first = detect_language(mixed)
    for language in ("ru", "fr", "es", "en", "ar"):
        detect_language(SAMPLES[language])
        assert detect_language(mixed) == first


@pytest.mark.parametrize("text", ["", "Hello world", "12345 678 90 -- ** ##", "https://iom.int/x"])
def test_detect_language_short_or_letterless_text_is_undetermined(text):
    assert detect_language(text) == ("und", 0.0)


@pytest.mark.parametrize("end", ["", "\n"], ids=["one-line", "lines"])
def test_detect_language_reads_a_bounded_sample(end):
    """Only the start and a slice of the middle are read: French there, with ~700 KB of
    English around them, is still French (a text of one line, as of many)."""
    def french(chars: int) -> str:
        return ((SAMPLES["fr"] + end) * (chars // len(SAMPLES["fr"]) + 1))[:chars]
    english = (SAMPLES["en"] + end) * 3000
    head = french(HEAD_CHARS)
    # The middle slice starts at len(text) // 2; French on both sides of it covers it.
    middle = french(4 * MIDDLE_CHARS)
    text = head + english + middle + english
    start = len(text) // 2
    assert len(head + english) < start and start + MIDDLE_CHARS < len(head + english + middle)
    assert 2 * len(english) > 0.95 * len(text)           # English is nearly all of it
    assert detect_language(text)[0] == "fr"
    assert detect_language(english + text)[0] == "en"    # the start is what it reads


# --- Places -----------------------------------------------------------------------------

def test_niger_does_not_match_inside_nigeria(taxonomy):
    text = "Migrants from Nigeria travel north. Nigeria is the largest country; Nigerian " \
           "workers and Nigeria's diaspora send remittances."
    assert find_countries("", text, taxonomy) == ["Nigeria"]
    assert find_countries("Niger and Nigeria", "", taxonomy) == ["Niger", "Nigeria"]


def test_guinea_does_not_fire_inside_longer_names(taxonomy):
    text = ("Papua New Guinea and Equatorial Guinea signed; Guinea-Bissau and Guinea Bissau "
            "observed. Papouasie-Nouvelle-Guinée et Guinée équatoriale.")
    found = find_countries("", text, taxonomy)
    assert "Guinea" not in found
    assert set(found) == {"Papua New Guinea", "Equatorial Guinea", "Guinea-Bissau"}
    assert find_countries("Return to Guinea", "", taxonomy) == ["Guinea"]


def test_dominica_is_not_the_dominican_republic(taxonomy):
    text = "La République dominicaine et Haïti partagent une île. République dominicaine."
    assert find_countries("", text, taxonomy) == ["Dominican Republic", "Haiti"]


def test_french_and_spanish_names_resolve_to_english(taxonomy):
    assert find_countries("Migration au Sénégal et en Haïti", "", taxonomy) == \
        ["Haiti", "Senegal"]
    assert find_countries("", "Retorno a México. México y Haití firmaron.", taxonomy) == \
        ["Mexico", "Haiti"]
    assert find_countries("", "Ivory Coast and Côte d’Ivoire", taxonomy) == ["Côte d'Ivoire"]


def test_country_salience_rules(taxonomy):
    # About Kenya: named early and often. Senegal: once, in a bibliography at the end.
    text = long_text(*["Refugees in Kenya's camps."] * 12,
                     "Bibliography: Diop, A. (2019). Migration in Senegal. Dakar.")
    text = "Refugee protection in Kenya.\n\n" + text
    assert find_countries("Annual report", text, taxonomy) == ["Kenya"]


def test_ambiguous_names_need_more_than_one_early_mention(taxonomy):
    assert find_countries("", "Our staff met in Georgia last spring.", taxonomy) == []
    assert find_countries("", "Georgia and Georgia again.", taxonomy) == ["Georgia"]
    assert find_countries("Migration in Georgia", "", taxonomy) == ["Georgia"]


def test_a_list_of_countries_in_the_lead_is_not_salience(taxonomy):
    sponsors = "Sponsors: Kenya, Mexico, Haiti, Senegal, Nigeria, Niger, Guinea, Georgia."
    assert find_countries("Draft resolution", sponsors, taxonomy) == []


def test_countries_capped_at_ten(taxonomy):
    names = [c.name for c in taxonomy.countries]
    found = find_countries(" ".join(names), "", taxonomy)
    assert len(found) == 10


def test_regions_for(taxonomy):
    assert regions_for(["Kenya", "Nigeria", "Niger", "Mexico", "Atlantis"], taxonomy) == \
        ["East and Horn of Africa", "West and Central Africa", "Latin America and the Caribbean"]
    assert regions_for([], taxonomy) == []


# --- Themes and GCM objectives ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Migrant workers pay recruitment fees. Human trafficking and trafficking in persons.",
    "Les travailleurs migrants et la migration de main-d'oeuvre; la traite des personnes, "
    "la traite des êtres humains.",
    "Los trabajadores migrantes y la migración laboral. La trata de personas y la trata de "
    "personas.",
])
def test_find_themes_in_three_languages(taxonomy, text):
    assert find_themes("", text, taxonomy) == ["Labour migration", "Trafficking in persons"]


def test_theme_needs_two_mentions_or_the_title(taxonomy):
    assert find_themes("", "One mention of mental health here.", taxonomy) == []
    assert find_themes("Mental health of migrants", "", taxonomy) == ["Migration and health"]
    assert find_themes("", "торговля людьми и торговля людьми", taxonomy) == \
        ["Trafficking in persons"]


def test_theme_threshold_grows_with_length(taxonomy):
    assert find_themes("", long_text("mental health", "mental health"), taxonomy) == []
    assert find_themes("", long_text(*["mental health"] * 12), taxonomy) == \
        ["Migration and health"]


@pytest.mark.parametrize("text", [
    "Fair recruitment and decent work for all; decent work agenda.",
    "Le recrutement équitable et le travail décent.",
    "La contratación equitativa y el trabajo decente.",
])
def test_find_gcm_in_three_languages(taxonomy, text):
    assert find_gcm("", text, taxonomy) == [6]


@pytest.mark.parametrize(("text", "expected"), [
    ("In line with Objective 21 of the Global Compact for Migration (GCM).", {21: 1}),
    ("Conformément aux objectifs 2 et 7 du Pacte mondial sur les migrations.", {2: 1, 7: 1}),
    ("El Pacto Mundial, objetivo n.º 5, y el objetivo 23.", {5: 1, 23: 1}),
    ("Objective 21 of our strategy.", {}),                      # no Global Compact nearby
    ("GCM objective 30 does not exist.", {}),
])
def test_detect_gcm_mentions(text, expected):
    assert detect_gcm_mentions(text) == expected


def test_explicit_gcm_mention_counts_on_its_own(taxonomy):
    text = long_text("This project contributes to GCM Objective 21 on return.")
    assert find_gcm("", text, taxonomy) == [21]


# --- Quality ----------------------------------------------------------------------------

PROSE = ("Migrants who return to their country of origin often need help to find work and "
         "housing. ") * 10
DATE = dt.date(2024, 1, 1)


def test_quality_clean_document_has_no_signals():
    assert quality_signals("Return and reintegration", [PROSE], 0.99, DATE) == []


@pytest.mark.parametrize(("title", "pages", "confidence", "date", "signal"), [
    ("T", ["", ""], 0.99, DATE, "no-text"),
    ("T", ["Only a few words here."], 0.99, DATE, "little-text"),
    ("T", [PROSE], MIN_LANGUAGE_CONFIDENCE - 0.01, DATE, "low-language-confidence"),
    ("  ", [PROSE], 0.99, DATE, "no-title"),
    ("T", [PROSE], 0.99, None, "no-date"),
    ("T", [PROSE + "\ufffd" * 20], 0.99, DATE, "garbled-text"),
    ("T", [PROSE + "\ue001\ue002" * 10], 0.99, DATE, "garbled-text"),
    ("T", ["p ro t o c o l re l a t i n g t o th e s tat u s o f re f u g e e s " * 8],
     0.99, DATE, "garbled-text"),
    ("T", ["%$ #@ !& *( )_ +{ }| :< >? ~` word " * 60], 0.99, DATE, "garbled-text"),
])
def test_quality_signal_triggered(title, pages, confidence, date, signal):
    assert signal in quality_signals(title, pages, confidence, date)


def test_quality_thresholds_not_triggered_at_the_edge():
    words = " ".join(["migration"] * LITTLE_TEXT_WORDS)
    assert "little-text" not in quality_signals("T", [words], 0.99, DATE)
    assert "low-language-confidence" not in \
        quality_signals("T", [PROSE], MIN_LANGUAGE_CONFIDENCE, DATE)


@pytest.mark.parametrize("text", [
    PROSE,
    SAMPLES["fr"] * 10,                                    # many short French words
    "Table 3. Code 1234 | 45,600 | 12.5% | 2019 | 2020 | 31,000 \n" * 30 + PROSE,
])
def test_ordinary_text_is_not_garbled(text):
    assert not is_garbled(text)
    short = [w for w in text.split() if w.isalpha() and len(w) <= 2]
    assert len(short) / len(text.split()) < GARBLED_SHORT_WORD_SHARE


# --- enrich() ---------------------------------------------------------------------------

def make_document(**fields) -> Document:
    values = {"id": "d1", "title": "Migrant workers in Kenya", "url": "https://x.org/d1",
              "source_id": "s", "agency": "IOM",
              "pages": [PROSE, "Recruitment fees, fair recruitment and decent work in Kenya."]}
    values.update(fields)
    return Document(**values)


def test_enrich_fills_empty_fields(taxonomy):
    doc = make_document()
    assert enrich(doc, taxonomy) is doc
    assert doc.language == "en"
    assert doc.countries == ["Kenya"]
    assert doc.regions == ["East and Horn of Africa"]
    assert doc.themes == ["Labour migration"]
    assert doc.gcm_objectives == [6]
    assert doc.quality == ["no-date"]


def test_enrich_never_overwrites_source_values(taxonomy):
    doc = make_document(language="fr", countries=["Senegal"], regions=["Global"],
                        themes=["Gender"], gcm_objectives=[3], date=DATE)
    enrich(doc, taxonomy, language_confidence=0.5)
    assert (doc.language, doc.countries, doc.regions, doc.themes, doc.gcm_objectives) == \
        ("fr", ["Senegal"], ["Global"], ["Gender"], [3])
    assert doc.quality == ["low-language-confidence"]
    # The declared language stays the main one; the detector adds the English it read.
    assert doc.languages == ["fr", "en"]


def test_a_declared_language_gets_the_others_its_text_holds(taxonomy):
    doc = enrich(make_document(title="Rapport", language="fr",
                               pages=[REPORT["fr"] * 2, REPORT["es"] * 2]), taxonomy)
    assert (doc.language, doc.languages) == ("fr", ["fr", "es"])
    assert doc.facet_values("language") == ["fr", "es"]
    declared_only = enrich(make_document(language="fr", pages=[REPORT["fr"] * 3]), taxonomy)
    assert declared_only.languages == ["fr"]


def test_the_languages_a_title_names_are_the_documents_too(taxonomy):
    # ReliefWeb's "[EN/AR]": the report is published in both, though the text read is
    # English; a declared French report tagged "[EN/FR]" over English text likewise.
    detected = enrich(make_document(title="Sudan: Humanitarian Bulletin [EN/AR]",
                                    pages=[REPORT["en"] * 3]), taxonomy)
    assert (detected.language, detected.languages) == ("en", ["en", "ar"])
    declared = enrich(make_document(title="Cholera Outbreaks: Regional Update [EN/FR]",
                                    language="fr", pages=[REPORT["en"] * 3]), taxonomy)
    assert (declared.language, declared.languages) == ("fr", ["fr", "en"])
    # Languages a source gave are its own: a title adds nothing to them.
    given = enrich(make_document(title="Bulletin [EN/AR]", language="en", languages=["en"],
                                 pages=[REPORT["en"] * 3]), taxonomy)
    assert given.languages == ["en"]


def test_enrich_regions_follow_given_countries(taxonomy):
    doc = enrich(make_document(countries=["Mexico"]), taxonomy)
    assert doc.regions == ["Latin America and the Caribbean"]


def test_enrich_empty_document(taxonomy):
    doc = enrich(make_document(title="", pages=[""]), taxonomy)
    assert doc.language == "und"
    assert doc.countries == doc.themes == doc.gcm_objectives == []
    assert doc.quality == ["no-text", "low-language-confidence", "no-title", "no-date"]


# --- Real taxonomy ----------------------------------------------------------------------

@real_taxonomy
def test_real_taxonomy_loads_and_matches():
    taxonomy = load_taxonomy(REAL_TAXONOMY)
    assert len(taxonomy.objectives) == 23
    assert {c.region for c in taxonomy.countries} <= {r.label for r in taxonomy.regions}
    text = ("Niger et Nigéria; le Niger. Papouasie-Nouvelle-Guinée. Haïti et la République "
            "dominicaine.")
    found = find_countries("", text, taxonomy)
    assert "Guinea" not in found and "Dominica" not in found
    assert {"Niger", "Nigeria", "Papua New Guinea", "Haiti", "Dominican Republic"} <= set(found)
    assert find_countries("Migration au Sénégal", "", taxonomy) == ["Senegal"]
    assert find_countries("Retorno a México", "", taxonomy) == ["Mexico"]


@real_taxonomy
def test_real_taxonomy_themes_and_gcm():
    taxonomy = load_taxonomy(REAL_TAXONOMY)
    text = ("Migrant workers pay recruitment fees; fair recruitment and decent work protect "
            "migrant workers from human trafficking and trafficking in persons.")
    assert "Labour migration" in find_themes("", text, taxonomy)
    assert 6 in find_gcm("", text, taxonomy)
    themes = {t.label for t in taxonomy.themes}
    assert set(find_themes("", text, taxonomy)) <= themes


@real_taxonomy
def test_enrich_a_fifty_page_text():
    # Its speed is measured by benchmarks/enrich_bench.py, not asserted here.
    taxonomy = load_taxonomy(REAL_TAXONOMY)
    pages = [FILLER * 25 + " migrant workers in Kenya and recruitment fees." for _ in range(50)]
    doc = enrich(make_document(pages=pages), taxonomy)
    assert doc.countries == ["Kenya"]
    assert doc.regions == regions_for(["Kenya"], taxonomy)
    assert "Labour migration" in doc.themes
    assert doc.language == "en"


def test_name_key_ignores_accents_case_spacing_and_apostrophes():
    assert name_key("  Migración   LABORAL ") == name_key("migracion laboral")
    assert name_key("Migration de main-d\u2019œuvre") == name_key("migration de main-d'oeuvre")
    assert name_key("Return") != name_key("Returns")
