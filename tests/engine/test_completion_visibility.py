"""Title suggestions (``searchhub.completion``) reveal only what a search would show:
documents the asker may see, and not those curators hid."""

from __future__ import annotations

from pathlib import Path

from searchhub.completion import complete
from searchhub.visibility import EVERYONE

from .conftest import make_doc

TAXONOMY = Path(__file__).resolve().parents[2] / "corpus" / "taxonomy"


def _titles(engine, typed, **who):
    return {s.text for s in complete(engine, typed, taxonomy_dir=TAXONOMY, **who)
            if s.kind == "title"}


def test_restricted_and_hidden_titles_are_not_suggested(make_engine):
    engine = make_engine([
        make_doc("open", "text", title="Zanzibar fisheries outlook"),
        make_doc("wg", "text", title="Zanzibar negotiation brief", visibility=["wg-data"]),
        make_doc("members", "text", title="Zanzibar members note", visibility=["members"]),
    ])
    assert _titles(engine, "zanz") == {"Zanzibar fisheries outlook"}
    assert _titles(engine, "zanz", viewer=frozenset({"members"})) == {
        "Zanzibar fisheries outlook", "Zanzibar members note"}
    assert _titles(engine, "zanz", viewer=frozenset({"members", "wg-data"})) == {
        "Zanzibar fisheries outlook", "Zanzibar members note", "Zanzibar negotiation brief"}
    assert len(_titles(engine, "zanz", viewer=EVERYONE)) == 3
    assert _titles(engine, "zanz", viewer=EVERYONE, hidden=frozenset({"open"})) == {
        "Zanzibar members note", "Zanzibar negotiation brief"}
