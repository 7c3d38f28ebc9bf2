"""The web app never writes the index: a curator's correction shows at once (applied at
query time) and the indexer process writes it into the document afterwards."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from click.testing import CliRunner

from searchhub import database
from searchhub.cli import main
from searchhub.curation import store
from searchhub.engine import Engine


def _index_files(index_dir: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in index_dir.iterdir()}


def _stored(data_dir: Path, doc_id: str):
    """The document as the index holds it (not as searches show it)."""
    with Engine(data_dir / "index", create=False) as engine:
        return engine.get(doc_id), engine.index.latest_generation()


def _hit_ids(browser):
    return [li.get("data-id") for li in browser.xpath("//li[contains(@class, 'hit')]")]


def test_curator_actions_never_touch_the_index(browser, curator, data_dir):
    before = _index_files(data_dir / "index")
    generation = _stored(data_dir, "remittances")[1]
    browser.login()
    browser.get("/doc/remittances")
    browser.submit("//form[contains(@class, 'flag-form')]", reason="outdated", status=302)
    browser.get("/curate/doc/remittances")
    for form, values in (("action-correct", {"title": "Remittances 2021", "agency": "UNDP"}),
                         ("action-hide", {}), ("action-weight", {"value": "2"}),
                         ("action-pin", {"query": "remittances"}),
                         ("action-recrawl", {})):
        browser.submit(f"//form[@class='{form}']", status=302, **values)
        browser.get("/curate/doc/remittances")
    for _ in range(2):     # undo the correction, then the hide
        browser.submit("(//form[@class='undo'])[last()]", status=302)
        browser.get("/curate/doc/remittances")
    browser.get("/search?q=remittances")
    assert _index_files(data_dir / "index") == before
    assert _stored(data_dir, "remittances")[1] == generation


def test_a_correction_shows_at_once_and_the_indexer_writes_it(app, browser, curator,
                                                              data_dir):
    browser.login()
    browser.get("/curate/doc/remittances")
    browser.submit("//form[@class='action-correct']", title="Remittances 2021",
                   agency="UNDP", themes="Remittances", date="2019-03-01", status=302)

    # Shown at once: hits, facet filters and counts, the document page, the API.
    browser.get("/search?q=remittances")
    hit = "//li[@data-id='remittances']"
    assert browser.texts(hit + "//h3") == ["Remittances 2021"]
    browser.get("/search?agency=UNDP")
    assert _hit_ids(browser) == ["remittances"]
    browser.get("/search?year=2019")
    assert _hit_ids(browser) == ["remittances"]
    browser.get("/search")
    agencies = {a.get("data-value"): a.xpath("string(.//span[@class='count'])")
                for a in browser.xpath("//section[@id='facet-agency']//a")}
    assert agencies["UNDP"] == "1" and agencies["ILO"] == "1"     # was ILO: 2
    browser.get("/doc/remittances")
    assert browser.texts("//h1") == ["Remittances 2021"]
    api = browser.client.get("/api/doc/remittances").get_json()
    assert (api["title"], api["agency"], api["themes"], api["date"]) == (
        "Remittances 2021", "UNDP", ["Remittances"], "2019-03-01")
    assert "Remittances 2021" in browser.client.get(
        "/search.csv?agency=UNDP").get_data(as_text=True)
    # ... while the index still holds what the indexer wrote.
    assert _stored(data_dir, "remittances")[0].title == "Remittances and development"

    # The indexer process writes it into the document and takes it off the queue.
    cli = ["--data-dir", str(data_dir), "curation", "reapply"]
    result = CliRunner().invoke(main, cli)
    assert result.exit_code == 0 and "1 document(s) corrected" in result.output
    stored = _stored(data_dir, "remittances")[0]
    assert (stored.title, stored.agency, stored.themes) == (
        "Remittances 2021", "UNDP", ["Remittances"])
    conn = database.connect(data_dir / "curation.sqlite")
    assert store.pending_rewrites(conn) == {}

    # Undone: the original shows at once, and the indexer restores it in the index.
    browser.get("/curate/doc/remittances")
    browser.submit("//tr[@data-action='correct']//form[@class='undo']", status=302)
    browser.get("/doc/remittances")
    assert browser.texts("//h1") == ["Remittances and development"]
    browser.get("/search?agency=UNDP")
    assert _hit_ids(browser) == []
    assert set(store.pending_rewrites(conn)) == {"remittances"}
    assert "1 document(s) corrected" in CliRunner().invoke(main, cli).output
    assert _stored(data_dir, "remittances")[0].agency == "ILO"
    assert store.pending_rewrites(conn) == {}
    # The web app's engine picks up the indexer's commit within a second; no waiting here.
    app.extensions["searchhub"].engine.refresh()
    browser.get("/search?agency=ILO")
    assert "remittances" in _hit_ids(browser)
    conn.close()


def test_corrected_facet_values_are_those_the_document_would_have():
    from searchhub.curation.handoff import corrected, facet_values

    from .conftest import make_doc

    doc = make_doc("d", "Title", "Some text about labour migration. " * 5)
    changes = {"title": "New title", "agency": "UNDP", "regions": ["Asia", "Europe"],
               "countries": [], "themes": ["Return"], "gcm_objectives": [3, 21],
               "language": "fr", "type": "", "date": "0999-01-02"}
    facets = facet_values(changes)
    assert set(facets) == {"agency", "region", "country", "theme", "gcm", "language",
                           "type", "year"}
    fixed = corrected(doc, changes)
    for name, values in facets.items():
        assert values == fixed.facet_values(name), name
    assert facet_values({"date": None}) == {"year": []}


def test_a_document_queued_again_while_the_indexer_wrote_it_stays_queued(db):
    value = {"fields": {"title": "First"}, "before": {"title": "Remittances"}}
    store.act(db, "cora", "correct", "remittances", value=value)
    seen = store.pending_rewrites(db)
    store.act(db, "cora", "correct", "remittances",
              value={"fields": {"title": "Second"}, "before": {"title": "First"}})
    store.rewrites_done(db, seen)             # the indexer wrote what it had read
    assert set(store.pending_rewrites(db)) == {"remittances"}
    store.rewrites_done(db, store.pending_rewrites(db))
    assert store.pending_rewrites(db) == {}
    assert store.all_corrections(db)["remittances"].changes() == {"title": "Second"}


def test_a_corrected_language_replaces_the_detected_ones_and_its_undo_restores_them(
        browser, curator, data_dir):
    # The tiny corpus's documents are in English; this one also holds French.
    with Engine(data_dir / "index") as engine, engine.writer(timeout=5.0) as writer:
        writer.add(dataclasses.replace(engine.get("remittances"), languages=["en", "fr"]))
    browser.login()
    browser.get("/curate/doc/remittances")
    browser.submit("//form[@class='action-correct']", language="es", status=302)
    assert browser.client.get("/api/doc/remittances").get_json()["languages"] == ["es"]
    browser.get("/search?language=fr")
    assert "remittances" not in _hit_ids(browser)
    cli = ["--data-dir", str(data_dir), "curation", "reapply"]
    assert "1 document(s) corrected" in CliRunner().invoke(main, cli).output
    assert _stored(data_dir, "remittances")[0].languages == ["es"]

    # Undone: the languages the detector found are back, at once and in the index.
    browser.get("/curate/doc/remittances")
    browser.submit("//tr[@data-action='correct']//form[@class='undo']", status=302)
    assert browser.client.get("/api/doc/remittances").get_json()["languages"] == ["en", "fr"]
    browser.get("/search?language=fr")
    assert _hit_ids(browser) == ["remittances"]
    assert "1 document(s) corrected" in CliRunner().invoke(main, cli).output
    stored = _stored(data_dir, "remittances")[0]
    assert (stored.language, stored.languages) == ("en", ["en", "fr"])
