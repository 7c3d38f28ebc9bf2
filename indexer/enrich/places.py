"""Countries and regions a document is about, found by name in its title and text."""

from __future__ import annotations

import math

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


def find_countries(title: str, text: str, taxonomy: Taxonomy) -> list[str]:
    """English names of the countries ``title`` and ``text`` are about, most salient first.

    Names in English, French and Spanish and the taxonomy's aliases all count.
    """
    matcher = taxonomy.country_matcher
    in_title = matcher.count(title)
    in_text = matcher.count(text)
    in_lead = matcher.count(text[:LEAD_CHARS]) if len(text) > LEAD_CHARS else in_text
    lead_counts = len(in_lead) <= LEAD_LIST_SIZE
    needed = mentions_needed(len(Tokens.of(text)), MIN_MENTIONS, WORDS_PER_MENTION)
    scores = {}
    for name in in_title.keys() | in_text.keys():
        mentions = in_text[name]
        if (in_title[name] or mentions >= needed
                or (lead_counts and in_lead[name] and name not in AMBIGUOUS)):
            scores[name] = TITLE_WEIGHT * in_title[name] + mentions + in_lead[name]
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
