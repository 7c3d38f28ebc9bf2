"""A query naming a country ranks the documents about that country higher among its
first matches, whatever language either is written in (``searching.PLACE_BONUS``)."""

from __future__ import annotations

from searchhub.engine.base import CurationView
from searchhub.models import Query
from searchhub.searching import PLACE_WINDOW

from .conftest import ids, make_doc, search

REFUGEES_ES = "Los refugiados reciben ayuda alimentaria y refugio en los campamentos. "
REFUGEES_EN = "Refugees from Sudan receive food and shelter in camps in eastern Chad. "
#: A mention in passing: the document is not about Chad (the indexer did not tag it).
IN_PASSING = "Una delegación del Chad y otra de Kenia asistieron a la reunión. "


def corpus(extra: int = 0):
    docs = [
        # Spanish, on refugees in general: the query's own words, many times, and Chad
        # and Kenya once in passing.
        make_doc("es-general", REFUGEES_ES * 2 + IN_PASSING, title="Situación de los refugiados",
                 language="es"),
        # English, about Chad (tagged by the indexer's enrichment): the answer.
        make_doc("en-chad", REFUGEES_EN * 4, title="Sudanese refugees in Chad",
                 countries=["Chad"]),
        make_doc("en-kenya", "Refugees in Kakuma camp, Kenya, receive food. " * 3,
                 title="Kakuma", countries=["Kenya"]),
    ]
    docs += [make_doc(f"es-{n}", REFUGEES_ES * 4 + IN_PASSING + f"Informe número {n}.",
                      language="es") for n in range(extra)]
    return docs


def test_a_query_naming_a_country_ranks_documents_about_it_first(make_engine):
    engine = make_engine(corpus())
    # Both documents hold the words; the Spanish one holds "refugiados" in the query's
    # language and names Chad in passing, the English one is about Chad.
    assert set(ids(search(engine, "refugiados en Chad", sort="newest"))) \
        == {"en-chad", "es-general"}
    assert ids(search(engine, "refugiados"))[0] == "es-general"
    assert ids(search(engine, "refugiados en Chad"))[0] == "en-chad"
    assert ids(search(engine, "los refugiados del Chad"))[0] == "en-chad"


class Curation(CurationView):
    def __init__(self, pinned=(), chad=()):
        self.pinned, self.chad = list(pinned), set(chad)

    def pinned_for(self, text):
        return self.pinned

    def correct(self, doc):
        if doc.id in self.chad:                          # a curator tagged it Chad
            doc.countries = ["Chad"]
        return doc


def test_pinned_documents_stay_first_and_corrected_countries_count(make_engine):
    engine = make_engine(corpus())
    query = Query("refugiados en Chad")
    assert ids(engine.search(query, Curation(pinned=["es-general"])))[0] == "es-general"
    assert ids(engine.search(query, Curation(chad=["es-general"])))[0] == "es-general"
    assert ids(engine.search(query, Curation()))[0] == "en-chad"


def test_pages_of_a_reordered_ranking_neither_repeat_nor_lose_a_document(make_engine):
    engine = make_engine(corpus(extra=PLACE_WINDOW + 12))
    seen = []
    for page in range(1, 8):
        seen += ids(search(engine, "refugiados en Chad", page=page, page_size=7))
    total = search(engine, "refugiados en Chad").total
    assert len(seen) == len(set(seen)) == total
    assert seen.index("en-chad") < 7               # on the first page


def test_a_query_naming_a_region_ranks_documents_about_its_countries_first(make_engine):
    drought = "La sécheresse menace les récoltes et le bétail. " * 2
    engine = make_engine([
        # On drought in general, naming the Sahel in passing.
        make_doc("general", drought + "Des experts du Sahel et des Andes ont débattu.",
                 title="Un débat", language="fr"),
        # About Niger (tagged by the indexer), and about a country outside the Sahel:
        # the same words, the Sahel named once in each.
        make_doc("niger", drought + "Au Niger, des experts du Sahel sont venus.",
                 title="Un débat", language="fr", countries=["Niger"]),
        make_doc("peru", drought + "Au Pérou, des experts du Sahel sont venus.",
                 title="Un débat", language="fr", countries=["Peru"]),
    ])

    def scores(query):
        return {hit.document.id: hit.score for hit in search(engine, query).hits}

    plain = scores("sécheresse")
    assert plain["niger"] == plain["peru"]
    sahel = scores("sécheresse au Sahel")
    assert max(sahel, key=sahel.get) == "niger"
    assert sahel["niger"] > sahel["peru"]
    assert sahel["peru"] <= sahel["general"] * 1.01
