"""Cities and regions name their country: the taxonomy's places.csv, how the indexer
counts them, and the rules of scripts/build_places.py that made the file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from test_enrich import COUNTRIES_CSV, REAL_TAXONOMY, write_taxonomy

from indexer.enrich import enrich
from indexer.enrich.places import find_countries
from indexer.enrich.taxonomy import TaxonomyError, load_taxonomy
from searchhub.dictionary import bundled_dictionary
from searchhub.models import Document

REPO = Path(__file__).resolve().parents[2]

PLACES_CSV = """# a comment line
name,iso3
Maiduguri,NGA
Mombasa,KEN
Guadalajara,MEX
Nuevo León,MEX
Port-au-Prince,HTI
"""


@pytest.fixture(scope="module")
def taxonomy(tmp_path_factory):
    return load_taxonomy(write_taxonomy(tmp_path_factory.mktemp("taxonomy"),
                                        places_csv=PLACES_CSV))


def test_places_are_read_with_their_countries(taxonomy):
    assert ("Maiduguri", "Nigeria") in taxonomy.places
    assert ("Nuevo León", "Mexico") in taxonomy.places
    assert len(taxonomy.places) == 5


def test_the_places_file_is_optional_and_checked(tmp_path):
    assert load_taxonomy(write_taxonomy(tmp_path / "none")).places == []
    bad = write_taxonomy(tmp_path / "bad", places_csv="name,iso3\nAtlantis,ATL\n")
    with pytest.raises(TaxonomyError, match="'ATL' is not a country of countries.csv"):
        load_taxonomy(bad)
    header = write_taxonomy(tmp_path / "header", places_csv="city,country\nLima,PER\n")
    with pytest.raises(TaxonomyError, match="header must be name,iso3"):
        load_taxonomy(header)


def test_a_title_naming_a_city_gives_its_country(taxonomy):
    assert find_countries("Cholera cases rise in Maiduguri", "", taxonomy) == ["Nigeria"]
    # Accents and hyphens as the country names have them: folded, cut into words.
    assert find_countries("Lluvias en Nuevo Leon", "", taxonomy) == ["Mexico"]
    assert find_countries("Port au Prince: distribution", "", taxonomy) == ["Haiti"]


def test_places_in_the_text_need_the_full_mention_count(taxonomy):
    # One mention of a city in the lead is not enough (a country's name is), two are.
    assert find_countries("Flood response", "Teams left Mombasa on Monday.", taxonomy) == []
    assert find_countries("Flood response", "Teams left Kenya on Monday.", taxonomy) == \
        ["Kenya"]
    assert find_countries("Flood response", "Mombasa and the coast. Back to Mombasa.",
                          taxonomy) == ["Kenya"]
    # A city and its region count together, towards the same country.
    assert find_countries("Rains", "Guadalajara flooded; Nuevo León too.", taxonomy) == \
        ["Mexico"]


def test_places_are_proper_names(taxonomy):
    # Written as a name or in capitals (a dateline), never in lower case.
    assert find_countries("", "MAIDUGURI, 4 December. Maiduguri again.", taxonomy) == \
        ["Nigeria"]
    assert find_countries("", "maiduguri and maiduguri", taxonomy) == []


def test_an_agreement_named_after_a_city_is_not_about_its_country(taxonomy):
    text = ("The Mombasa Declaration and the Mombasa Process were signed. "
            "La Déclaration de Guadalajara; el Grupo de Guadalajara; the Maiduguri "
            "framework.")
    assert find_countries("", text, taxonomy) == []
    assert find_countries("", text + " Mombasa port. Mombasa town.", taxonomy) == ["Kenya"]


def test_enrich_sets_country_and_region_from_places(taxonomy):
    doc = Document(id="d1", title="Huracán: albergues en Guadalajara",
                   url="https://x.org/d1", source_id="s", agency="IOM", language="es",
                   pages=["Las familias de Guadalajara y de Nuevo León reciben ayuda."])
    enrich(doc, taxonomy)
    assert doc.countries == ["Mexico"]
    assert doc.regions == ["Latin America and the Caribbean"]


# --- the bundled file ------------------------------------------------------------------

bundled = pytest.mark.skipif(not (REAL_TAXONOMY / "places.csv").exists(),
                             reason="corpus/taxonomy/places.csv not built")


@bundled
def test_the_bundled_places_name_local_reports_countries():
    taxonomy = load_taxonomy(REAL_TAXONOMY)
    assert len(taxonomy.places) > 5000
    cases = {
        "Huánuco: continúa limpieza de tres carreteras afectadas por huaicos": "Peru",
        "En Pereira, 200 jóvenes víctimas del conflicto obtuvieron su grado": "Colombia",
        "Incendio en Viña del Mar obliga a declarar alerta roja": "Chile",
        "Sud-Kivu : des maisons endommagées": "Democratic Republic of the Congo",
        "Airstrikes on hospitals in Idlib": "Syria",
        "Cholera in Sanaa": "Yemen",
    }
    for title, country in cases.items():
        assert find_countries(title, "", taxonomy) == [country], title


@bundled
def test_the_bundled_places_leave_out_words_people_seats_and_namesakes():
    names = {name for name, _ in load_taxonomy(REAL_TAXONOMY).places}
    # Words ("Meta", Spanish "goal"; "Ouest"), given names, UN seats whose names head
    # press releases, names shared by places of several countries, countries' names.
    for name in ("Meta", "Ouest", "Centre", "Gilbert", "Mary", "Nelson", "Geneva",
                 "Nairobi", "Amazonas", "Córdoba", "San Pedro", "Para", "Armenia"):
        assert name not in names, name
    # A capital that is a French or Spanish word stays: it is matched capitalised.
    assert {"Lima", "Asunción", "Sanaa", "Kinshasa", "Maiduguri"} <= names


def _build_places():
    spec = importlib.util.spec_from_file_location("build_places",
                                                  REPO / "scripts" / "build_places.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_keeps_a_name_only_when_it_says_one_country(tmp_path):
    build_places = _build_places()
    countries_csv = COUNTRIES_CSV + "PER,Peru,Pérou,Perú,,Latin America and the Caribbean\n"
    taxonomy = load_taxonomy(write_taxonomy(tmp_path, countries_csv=countries_csv))
    cities = {str(i): {"name": name, "countrycode": code, "population": people}
              for i, (name, code, people) in enumerate([
                  ("Lima", "PE", 7_700_000), ("Lima", "US", 38_000),       # a small namesake
                  ("Kano", "NG", 3_600_000),
                  ("San Pedro", "MX", 120_000), ("San Pedro", "PH", 330_000),
                  ("Tiny", "NG", 20_000),                                   # too small
                  ("Nairobi", "KE", 4_000_000),                             # a UN seat
                  ("Mombasa", "KE", 1_200_000), ("Mombása", "HT", 900_000),  # one folded name
                  ("Gilbert", "MX", 250_000),                               # a given name
                  ("Nice", "SN", 300_000),                                  # an English word
                  ("Dakar", "SN", 2_500_000)])}
    countries = {"PE": {"iso": "PE", "iso3": "PER", "capital": "Lima"},
                 "US": {"iso": "US", "iso3": "USA", "capital": "Washington"},
                 "NG": {"iso": "NG", "iso3": "NGA", "capital": "Abuja"},
                 "MX": {"iso": "MX", "iso3": "MEX", "capital": "Mexico City"},
                 "PH": {"iso": "PH", "iso3": "PHL", "capital": "Manila"},
                 "KE": {"iso": "KE", "iso3": "KEN", "capital": "Nairobi"},
                 "HT": {"iso": "HT", "iso3": "HTI", "capital": "Port-au-Prince"},
                 "SN": {"iso": "SN", "iso3": "SEN", "capital": "Dakar"}}
    subdivisions = [{"code": "PE-HUC", "name": "Huánuco", "type": "Region"},
                    {"code": "MX-ROO", "name": "Quintana Roo", "type": "State"},
                    {"code": "NG-KN", "name": "Kano", "type": "State"},
                    {"code": "PH-01", "name": "Ilocos (Region I)", "type": "Region"},
                    {"code": "HT-OU", "name": "Ouest", "type": "Department"},
                    {"code": "HT-X", "name": "Sub", "type": "X", "parent": "HT-OU"}]
    rows = build_places.build(cities, countries, subdivisions, taxonomy,
                              bundled_dictionary(), {"fr": {"ouest"}},
                              lambda word: word == "gilbert")
    assert set(rows) == {("Lima", "PER"), ("Kano", "NGA"), ("Huánuco", "PER"),
                         ("Quintana Roo", "MEX")}
