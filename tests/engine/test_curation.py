"""The curation hook: hidden, weighted and pinned documents."""

from __future__ import annotations

import pytest

from searchhub.engine import CurationView
from searchhub.models import Query

from .conftest import ids, make_doc, search


class View(CurationView):
    def __init__(self, hidden=(), weights=None, pins=None, facet_values=None):
        self.hidden = frozenset(hidden)
        self.weights = dict(weights or {})
        self.pins = dict(pins or {})
        self.facet_values = dict(facet_values or {})

    def pinned_for(self, text: str) -> list[str]:
        return self.pins.get(text, [])


@pytest.fixture
def engine(make_any_engine):
    return make_any_engine([
        make_doc("strong", "asylum asylum asylum procedures", title="Asylum asylum"),
        make_doc("medium", "asylum procedures and appeals"),
        make_doc("weak", "a long text that mentions asylum once among many other words "
                         "about labour markets, remittances, climate and health"),
        make_doc("other", "labour markets"),
    ])


def test_no_curation_is_plain_ranking(engine):
    assert ids(engine.search(_q("asylum"), curation=View())) == ids(search(engine, "asylum"))
    assert ids(search(engine, "asylum"))[0] == "strong"


def test_hidden_documents_are_not_found_or_counted(engine):
    result = engine.search(_q("asylum"), curation=View(hidden={"strong"}))
    assert "strong" not in ids(result)
    assert result.total == 2
    assert sum(fv.count for fv in result.facets["agency"]) == 2
    browse = engine.search(_q(""), curation=View(hidden={"strong"}))
    assert "strong" not in ids(browse)


def test_weight_multiplies_the_score(engine):
    plain = {hit.document.id: hit.score for hit in search(engine, "asylum").hits}
    result = engine.search(_q("asylum"), curation=View(weights={"weak": 1000.0}))
    assert ids(result)[0] == "weak"
    assert result.hits[0].score == pytest.approx(plain["weak"] * 1000.0, rel=1e-4)
    demoted = engine.search(_q("asylum"), curation=View(weights={"strong": 0.0001}))
    assert ids(demoted)[-1] == "strong"


def test_pinned_document_comes_first_for_its_query_only(engine):
    view = View(pins={"asylum": ["weak"]})
    result = engine.search(_q("asylum"), curation=view)
    assert ids(result)[0] == "weak"
    assert [hit.pinned for hit in result.hits] == [True, False, False]
    assert result.total == 3
    other = engine.search(_q("asylum procedures"), curation=view)
    assert not any(hit.pinned for hit in other.hits)


def test_pin_does_not_bring_in_a_non_matching_or_hidden_document(engine):
    view = View(hidden={"strong"}, pins={"asylum": ["other", "strong"]})
    result = engine.search(_q("asylum"), curation=view)
    assert not any(hit.pinned for hit in result.hits)
    assert set(ids(result)) == {"medium", "weak"}


def test_pinned_document_is_not_repeated_on_page_two(engine):
    view = View(pins={"asylum": ["weak"]})
    first = engine.search(_q("asylum", page_size=2), curation=view)
    second = engine.search(_q("asylum", page=2, page_size=2), curation=view)
    assert ids(first)[0] == "weak"
    assert set(ids(first)).isdisjoint(ids(second))
    assert len(ids(first) + ids(second)) == 3


def test_corrected_facet_values_are_filtered_and_counted(engine):
    view = View(facet_values={"weak": {"agency": ["UNDP"]}, "other": {"agency": ["IOM"]},
                              "gone": {"agency": ["UNDP"]}})
    assert ids(engine.search(_q("", filters={"agency": ["UNDP"]}), curation=view)) == ["weak"]
    assert "weak" not in ids(engine.search(_q("asylum", filters={"agency": ["iom"]}),
                                           curation=view))
    counts = {fv.value: fv.count for fv in engine.search(_q("asylum"), curation=view)
              .facets["agency"]}
    assert counts == {"IOM": 2, "UNDP": 1}
    # A selected value the index does not know yet counts its corrected documents.
    chosen = engine.search(_q("", filters={"agency": ["UNDP"]}), curation=view)
    assert [(fv.value, fv.count, fv.selected) for fv in chosen.facets["agency"]
            if fv.value == "UNDP"] == [("UNDP", 1, True)]
    hidden = View(hidden={"weak"}, facet_values=view.facet_values)
    assert engine.search(_q("", filters={"agency": ["UNDP"]}), curation=hidden).total == 0


def _q(text: str, **kwargs) -> Query:
    return Query(text, **kwargs)
