"""A facet is declared once (``models.FACET_LIST``); everything else follows from it."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from searchhub.cli import main
from searchhub.curation.fields import CORRECTABLE
from searchhub.curation.handoff import corrected, facet_values
from searchhub.engine.schema import FACET_FIELDS
from searchhub.models import FACET_LIST, FACETS, Document


def test_each_facet_reaches_index_cli_and_curation():
    help_text = CliRunner().invoke(main, ["search", "--help"]).output
    for facet in FACET_LIST:
        assert facet.name in FACET_FIELDS
        assert f"--{facet.name}" in help_text
        assert (facet.field in CORRECTABLE) is facet.correctable
    assert FACETS == tuple((f.name, f.label) for f in FACET_LIST)


def test_document_values_and_corrected_values_agree():
    doc = Document(id="d", title="T", pages=["x"], url="https://e.org", source_id="s",
                   agency="IOM", regions=["Africa"], countries=["Mali"], themes=["Return"],
                   gcm_objectives=[21], language="fr", type="Report",
                   date=dt.date(2019, 6, 12), format="html", content_hash="h")
    correctable = [f for f in FACET_LIST if f.correctable]
    changes = {f.field: getattr(doc, f.field) for f in correctable}
    changes["date"] = "2019-06-12"                   # as a correction form stores it
    assert facet_values(changes) == {f.name: doc.facet_values(f.name) for f in correctable}
    # a field curators may not correct (the platform) is no correction's business
    assert facet_values({"platform": "elsewhere"}) == {}
    assert doc.facet_values("year") == ["2019"] and doc.facet_values("gcm") == ["21"]


def test_a_documents_languages_are_its_main_one_first_then_the_others():
    doc = Document(id="d", title="T", pages=["x"], url="https://e.org", source_id="s",
                   agency="IOM", language="fr", languages=["en", "fr"])
    assert doc.facet_values("language") == ["fr", "en"]
    assert Document(id="e", title="T", pages=["x"], url="https://e.org", source_id="s",
                    agency="IOM").facet_values("language") == ["und"]
    # A curator's language replaces them all, in the index as at query time.
    fixed = corrected(doc, {"language": "es"})
    assert fixed.facet_values("language") == facet_values({"language": "es"})["language"]
    assert fixed.facet_values("language") == ["es"]
