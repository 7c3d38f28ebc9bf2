"""Countries and regions a document is about, found by name in its title and text."""

from __future__ import annotations

import math
import re

from indexer.enrich.taxonomy import Taxonomy, Tokens

#: A country named in the first LEAD_CHARS characters counts after one mention.
LEAD_CHARS = 2000
#: ...unless the lead names more than LEAD_LIST_SIZE countries: then it is a list
#: (sponsors of a resolution, a series of reports) and the rule is off.
LEAD_LIST_SIZE = 6
#: Elsewhere it needs MIN_MENTIONS mentions, one more per WORDS_PER_MENTION words of
#: text, so a passing mention in a long report's bibliography does not tag it.
MIN_MENTIONS = 2
WORDS_PER_MENTION = 5000
#: A mention in the title weighs as much as this many in the text when ranking.
TITLE_WEIGHT = 10
MAX_COUNTRIES = 10
#: English names of countries whose names are also common words, people, rivers or
#: US states ("Georgia", "Jordan", "Chad", French "Dominique", the Niger river):
#: they need the title or the full mention count; one mention in the lead is not enough.
AMBIGUOUS = frozenset({"Georgia", "Jordan", "Chad", "Dominica", "Niger"})
#: Agreements, processes and frameworks named after the city where they were made
#: ("Sendai Framework", "Kampala Convention", "Khartoum Process", "Grupo de Lima",
#: "Déclaration de Carthagène"): the city's name there says nothing of the country.
_CAPITALISED = r"(?:[A-Z][\w'’.-]*)"
_INSTRUMENTS = re.compile(
    rf"\b{_CAPITALISED}(?:[ -]{_CAPITALISED}){{0,2}}\s+(?i:Framework|Convention|Process|"
    r"Declaration|Agreements?|Accords?|Protocol|Regulations?|Charter|Compact|Group|"
    r"Summit|Dialogue|Principles|Commitments|Plan of Action|Action Plan)\b"
    r"|\b(?:Cadre d'action|Cadre|Convention|Processus|Déclaration|Accords?|Protocole|"
    r"Règlement|Charte|Pacte|Groupe|Sommet|Plan d'action|Marco|Convención|Proceso|"
    r"Declaración|Acuerdos?|Protocolo|Reglamento|Carta|Pacto|Grupo|Cumbre|Plan de Acción)"
    rf"\s+(?:de\s+|d['’]\s*|du\s+){_CAPITALISED}(?:[ -]{_CAPITALISED}){{0,2}}")


def find_countries(title: str, text: str, taxonomy: Taxonomy) -> list[str]:
    """English names of the countries ``title`` and ``text`` are about, most salient first.

    Names in English, French and Spanish and the taxonomy's aliases all count. So do
    the names of its cities and regions (``Taxonomy.places``), each as a mention of its
    country, for a local report may name only them ("Huánuco: continúa la limpieza de
    carreteras afectadas por huaicos"); but a place is not a country's name: it counts
    in the title or with the full mention count, never after one mention in the lead
    (where a person, a "Nelson", is as likely), and not in the name of an agreement or
    a process ("Sendai Framework", "Proceso de Quito").
    """
    names, places = taxonomy.country_matcher, taxonomy.place_matcher
    in_title = names.count(title)
    in_text = names.count(text)
    in_lead = names.count(text[:LEAD_CHARS]) if len(text) > LEAD_CHARS else in_text
    place_title = places.count(_INSTRUMENTS.sub(" ", title))
    place_text = places.count(_INSTRUMENTS.sub(" ", text))
    lead_counts = len(in_lead) <= LEAD_LIST_SIZE
    needed = mentions_needed(len(Tokens.of(text)), MIN_MENTIONS, WORDS_PER_MENTION)
    scores = {}
    for name in in_title.keys() | in_text.keys() | place_title.keys() | place_text.keys():
        mentions = in_text[name] + place_text[name]
        titled = in_title[name] + place_title[name]
        if (titled or mentions >= needed
                or (lead_counts and in_lead[name] and name not in AMBIGUOUS)):
            scores[name] = TITLE_WEIGHT * titled + mentions + in_lead[name]
    ranked = sorted(scores, key=lambda name: (-scores[name], name))
    return ranked[:MAX_COUNTRIES]


def regions_for(countries: list[str], taxonomy: Taxonomy) -> list[str]:
    """Region labels of ``countries`` (English names), unique, in the countries' order."""
    by_name = taxonomy.country_by_name
    regions = (by_name[name].region for name in countries if name in by_name)
    return list(dict.fromkeys(regions))


def mentions_needed(words: int, minimum: int, words_per_mention: int) -> int:
    """The mention count a term needs in a text of ``words`` words: grows with length."""
    return max(minimum, math.ceil(words / words_per_mention))
