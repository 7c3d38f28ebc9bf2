"""Visibility at the seam (``MatchRequest.viewer``, ``searchhub.visibility``): whatever
a viewer asks, the answer is the answer of an index holding only the documents that
viewer may see. A seeded random property test, on both engines."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from searchhub import visibility
from searchhub.engine.base import CurationView
from searchhub.models import Query
from searchhub.searching import facet_counts, search

from .conftest import make_doc

#: Words every kind of document may hold, and words only restricted documents hold.
COMMON = ["migration", "border", "asylum", "labour", "remittances", "return",
          "health", "climate", "displacement", "integration"]
SECRET = ["confidential", "budgetline", "quarantine", "negotiation"]
AGENCIES = ["IOM", "UNHCR", "ILO", "UNICEF"]
COUNTRIES = ["Kenya", "Mexico", "Nepal", "Jordan", "Chile"]
AUDIENCES = [[], [], [visibility.MEMBERS], ["wg-data"], ["wg-exec"], ["wg-data", "wg-exec"]]
VIEWERS = [None, frozenset({visibility.MEMBERS}),
           frozenset({visibility.MEMBERS, "wg-data"})]
#: Queries: plain words (one, two, three and more: minimum-should-match and its
#: relaxation), operators, phrases, field syntax, and misspellings ("did you mean").
QUERIES = ["", "migration", "border asylum", "labour health climate return",
           "confidential", "budgetline migration", "confidentail", "quarantin",
           "negotiaton border", "migraton", "asylum OR quarantine", "border NOT health",
           '"climate displacement"', "agency:unicef", "remittances -labour",
           "integration return health budgetline negotiation"]


class Viewing(CurationView):
    """A curation view with a viewer, and pins (which may name restricted ids)."""

    def __init__(self, viewer, pinned=()):
        self.viewer = viewer
        self._pinned = list(pinned)

    def pinned_for(self, text: str) -> list[str]:
        return list(self._pinned)


def _documents(rng: random.Random, n: int):
    docs = []
    for i in range(n):
        audience = rng.choice(AUDIENCES)
        pool = COMMON + SECRET if audience else COMMON
        words = rng.choices(pool, k=rng.randint(3, 12))
        docs.append(make_doc(
            f"d{i}", " ".join(words), title=" ".join(rng.sample(pool, 2)),
            agency=rng.choice(AGENCIES), countries=rng.sample(COUNTRIES, rng.randint(0, 2)),
            date=dt.date(2000, 1, 1) + dt.timedelta(days=37 * i),   # distinct dates
            visibility=list(audience)))
    return docs


def _answer(engine, text: str, view: Viewing, **query):
    page = search(engine, Query(text, page_size=200, **query), view)
    return {
        "total": page.total,
        "ids": ({h.document.id for h in page.hits} if page.query.sort == "relevance"
                else [h.document.id for h in page.hits]),
        "pinned": [h.document.id for h in page.hits if h.pinned],
        "facets": {name: sorted((v.value, v.count) for v in values)
                   for name, values in page.facets.items()},
        "suggestion": page.suggestion,
        "notices": page.notices,
        "country": sorted(facet_counts(engine, Query(text), "country", view)),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_a_viewer_gets_the_answers_of_an_index_of_what_it_may_see(make_any_engine, seed,
                                                                   request):
    if seed > 1 and request.node.callspec.params["make_any_engine"] == "opensearch":
        # The same code at the seam answers for both engines; each seed on OpenSearch
        # is about 600 searches and 40-50 s of a two-core CI machine's ten minutes.
        pytest.skip("the second seed runs on Whoosh only (the first runs on both)")
    rng = random.Random(seed)
    docs = _documents(rng, 40)
    restricted = [d.id for d in docs if d.visibility]
    assert restricted and len(restricted) < len(docs)
    mixed = make_any_engine(docs)
    for viewer in VIEWERS:
        seen = [d for d in docs if visibility.may_see(d.visibility, viewer)]
        reference = make_any_engine(seen)
        pins = rng.sample(restricted, 2) + [seen[0].id]
        for text in QUERIES:
            for query in ({}, {"sort": "newest"}, {"filters": {"agency": ["IOM", "ILO"]}}):
                got = _answer(mixed, text, Viewing(viewer, pins), **query)
                want = _answer(reference, text, Viewing(viewer, pins), **query)
                assert got == want, (viewer, text, query)
        assert (mixed.vocabulary(viewer).frequency("migration")
                == reference.vocabulary(viewer).frequency("migration"))


def test_the_rule(make_any_engine):
    """Everyone sees public documents; members those for members; a group's members
    its documents; curators (EVERYONE) all; an anonymous visitor only public ones."""
    engine = make_any_engine([
        make_doc("pub", "migration"),
        make_doc("mem", "migration", visibility=["members"]),
        make_doc("grp", "migration", visibility=["wg-data"]),
    ])

    def seen(viewer):
        return {h.document.id for h in search(engine, Query("migration"),
                                              Viewing(viewer)).hits}

    assert seen(None) == {"pub"}
    assert seen(frozenset()) == {"pub"}
    assert seen(frozenset({"members"})) == {"pub", "mem"}
    assert seen(frozenset({"members", "wg-data"})) == {"pub", "mem", "grp"}
    assert seen(frozenset({"wg-other", "members"})) == {"pub", "mem"}
    assert seen(visibility.EVERYONE) == {"pub", "mem", "grp"}
    # get() is not a search: the web layer checks the rule for a document page.
    assert engine.get("grp").visibility == ["wg-data"]


def test_parse_validates_a_registry_value():
    assert visibility.parse("public") == []
    assert visibility.parse("members") == ["members"]
    assert visibility.parse(["wg-b", "wg-a", "wg-a"]) == ["wg-a", "wg-b"]
    for bad in ("everyone", [], ["Bad Id"], 3, ["ok", 4]):
        with pytest.raises(ValueError):
            visibility.parse(bad)
