"""Experts on this topic: profiles matched to a search through its hits.

The top results' authors, GCM objectives, themes, regions and countries are set
against each expert's documents and expertise. An expert counts only through what
the hits share with them: the documents they wrote or are known for among the hits,
and the hits on an objective or theme they work on (places add weight to those, never
alone). Each match comes with a one-line reason a person can check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from indexer.enrich.taxonomy import name_key
from searchhub.models import Document
from searchhub.notice import notice, plural_notice

from .model import Profile

MAX_EXPERTS = 3
#: Weights of what a hit shares with an expert (at most one of each a hit).
AUTHORED, OBJECTIVE, THEME, PLACE = 4.0, 1.5, 1.0, 0.5


@dataclass(frozen=True)
class Match:
    profile: Profile
    score: float
    reason: str


def authors(doc: Document) -> dict[str, str]:
    """The authors named in a document's metadata (``;`` between several): their
    normalised key (case, accents, spacing ignored) -> the name as written."""
    names = [" ".join(a.split()) for a in doc.author.split(";")]
    return {name_key(n): n for n in names if name_key(n)}


def authored(profile: Profile, doc: Document) -> bool:
    """Whether the expert wrote or is known for ``doc``: listed on the profile, or one
    of its authors is a name a curator confirmed is theirs."""
    return doc.id in profile.documents or any(k in profile.author_keys for k in authors(doc))


def suggested_authors(doc: Document, profiles: Iterable[Profile],
                      decided: Iterable[tuple[str, int]]) -> list[tuple[str, str, Profile]]:
    """(author key, author as written, expert) for each author of ``doc`` who bears an
    expert's name and on whom no curator has decided yet."""
    decided = set(decided)
    found = []
    names = authors(doc)
    for profile in profiles:
        key = name_key(profile.name)
        if key in names and (key, profile.id) not in decided \
                and key not in profile.author_keys:
            found.append((key, names[key], profile))
    return found


def match(profile: Profile, docs: list[Document],
          gcm_label: Callable[[int], str] = lambda n: f"objective {n}") -> Match | None:
    """How well ``profile`` fits the hits ``docs``, with a reason; None if it does not."""
    wrote = sum(authored(profile, d) for d in docs)
    objectives: Counter[int] = Counter()
    themes: Counter[str] = Counter()
    places: Counter[str] = Counter()
    mine_places = set(profile.regions) | set(profile.countries)
    score = AUTHORED * wrote
    for doc in docs:
        shared_objectives = set(doc.gcm_objectives) & set(profile.gcm_objectives)
        shared_themes = set(doc.themes) & set(profile.themes)
        objectives.update(shared_objectives)
        themes.update(shared_themes)
        if shared_objectives or shared_themes:
            shared_places = (set(doc.regions) | set(doc.countries)) & mine_places
            places.update(shared_places)
            # per hit, so that a hit's author always outranks expertise in it
            score += (OBJECTIVE * bool(shared_objectives) + THEME * bool(shared_themes)
                      + PLACE * bool(shared_places))
    if not score:
        return None
    if wrote:
        reason = plural_notice("author of %(num)s of these results",
                               "author of %(num)s of these results", wrote) \
            if len(docs) > 1 or wrote > 1 else notice("author of this result")
    else:
        # The facet and value of the topic and place travel with the English text, so
        # that the web page can name them in its own language.
        if objectives:
            number = objectives.most_common(1)[0][0]
            what = {"topic": gcm_label(number), "topic_facet": "gcm",
                    "topic_value": str(number)}
        else:
            theme = themes.most_common(1)[0][0]
            what = {"topic": theme.lower(), "topic_facet": "theme", "topic_value": theme}
        if places:
            # regions first: "in West and Central Africa" reads better than a country
            region = [p for p, _ in places.most_common() if p in profile.regions]
            place = (region or [places.most_common(1)[0][0]])[0]
            reason = notice("works on %(topic)s in %(place)s", place=place,
                            place_facet="region" if region else "country", **what)
        else:
            reason = notice("works on %(topic)s", **what)
    return Match(profile, score, reason)


def experts_for(docs: Iterable[Document], profiles: Iterable[Profile], *,
                limit: int = MAX_EXPERTS,
                gcm_label: Callable[[int], str] = lambda n: f"objective {n}") -> list[Match]:
    """Up to ``limit`` experts best matched to the hits ``docs`` (best first, then by
    name). ``profiles`` must be the ones the person may see."""
    docs = list(docs)
    if not docs:
        return []
    found = [m for m in (match(p, docs, gcm_label) for p in profiles) if m is not None]
    found.sort(key=lambda m: (-m.score, m.profile.name.casefold()))
    return found[:limit]
