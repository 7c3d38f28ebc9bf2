"""The whole curation flow through HTTP, as a curator would do it."""

from __future__ import annotations

from click.testing import CliRunner

from searchhub import database
from searchhub.cli import main

from .conftest import rebuild, tiny_corpus


def _hit_ids(browser):
    return [li.get("data-id") for li in browser.xpath("//li[contains(@class, 'hit')]")]


def _facet(browser, name):
    return {a.get("data-value"): int(a.xpath("string(.//span[@class='count'])"))
            for a in browser.xpath(f"//section[@id='facet-{name}']//a")}


def _audit_actions(data_dir):
    conn = database.connect(data_dir / "curation.sqlite")
    rows = [(r["user_name"], r["action"], r["doc_id"]) for r in
            conn.execute("SELECT * FROM audit ORDER BY id")]
    conn.close()
    return rows


def test_flag_hide_rebuild_undo_correct_pin(browser, curator, data_dir):
    browser.login()
    # Search, and flag the second hit with a reason and comment.
    browser.get("/search?q=asylum")
    hits = _hit_ids(browser)
    assert "asylum-brief" in hits
    rank = hits.index("asylum-brief") + 1
    browser.submit("//li[@data-id='asylum-brief']//form[contains(@class, 'flag-form')]",
                   reason="outdated", comment="Superseded by the 2024 brief", status=302)

    # The flag is in the queue with its query and rank.
    browser.get("/curate")
    item = "//li[@class='queue-item'][@data-id='asylum-brief']"
    assert browser.xpath(item)
    row = browser.texts(item + "//li[contains(@class, 'flag-row')]")[0]
    assert "Outdated" in row and "curator" in row and "asylum" in row
    assert f"rank {rank}" in row and "Superseded by the 2024 brief" in row
    assert browser.texts(item + "//div[contains(@class, 'preview')]")[0].startswith(
        "A short brief on asylum")

    # Hide it: gone from the results, and the flag leaves the queue.
    browser.submit(item + "//form[@class='action-hide']", why="outdated", status=302)
    browser.get("/search?q=asylum")
    assert "asylum-brief" not in _hit_ids(browser)
    browser.get("/curate")
    assert not browser.xpath(item)

    # Rebuild the index from scratch: still hidden.
    rebuild(data_dir / "index", tiny_corpus())
    browser.get("/search?q=asylum")
    assert hits != _hit_ids(browser) and "asylum-brief" not in _hit_ids(browser)

    # Undo from the audit log: back.
    browser.get("/curate/audit")
    browser.submit("//tr[@data-action='hide']//form[@class='undo']", status=302)
    browser.get("/search?q=asylum")
    assert "asylum-brief" in _hit_ids(browser)
    browser.get("/curate")
    assert browser.xpath(item)           # its flag is open again

    # Correct its theme: facet counts change at once.
    browser.get("/search")
    before = _facet(browser, "theme")
    browser.get("/curate/doc/asylum-brief")
    browser.submit("//form[@class='action-correct']", themes="Labour migration",
                   why="it is about labour", status=302)
    browser.get("/search")
    after = _facet(browser, "theme")
    assert after["Forced displacement"] == before["Forced displacement"] - 1
    assert after["Labour migration"] == before["Labour migration"] + 1

    # ... and after a rebuild from scratch, `searchhub curation reapply` restores it.
    rebuild(data_dir / "index", tiny_corpus())
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "curation", "reapply"])
    assert result.exit_code == 0 and "1 document(s) corrected" in result.output
    browser.get("/search")
    assert _facet(browser, "theme") == after

    # Pin a best bet: first for that query only, marked as recommended.
    browser.get("/search?q=remittances")
    assert _hit_ids(browser)[0] == "remittances"
    browser.get("/curate/doc/labour-report")
    browser.submit("//form[@class='action-pin']", query="  Remittances ", status=302)
    browser.get("/search?q=remittances")
    assert _hit_ids(browser)[0] == "labour-report"
    assert browser.texts("//li[contains(@class, 'pinned')]//span[@class='badge']") \
        == ["Recommended"]
    browser.get("/search?q=asylum")
    assert _hit_ids(browser)[0] != "labour-report"
    assert not browser.xpath("//li[contains(@class, 'pinned')]")

    # The audit log records each step, with who did it.
    assert _audit_actions(data_dir) == [
        ("cora", "flag", "asylum-brief"), ("cora", "hide", "asylum-brief"),
        ("cora", "undo", "asylum-brief"), ("cora", "correct", "asylum-brief"),
        ("cora", "pin", "labour-report")]


def test_undo_a_correction_restores_the_original(browser, curator):
    browser.login()
    browser.get("/curate/doc/remittances")
    browser.submit("//form[@class='action-correct']", title="Remittances 2021",
                   agency="UNDP", status=302)
    browser.get("/search?agency=UNDP")
    assert _hit_ids(browser) == ["remittances"]
    browser.get("/curate/doc/remittances")
    browser.submit("//tr[@data-action='correct']//form[@class='undo']", status=302)
    browser.get("/search?agency=UNDP")
    assert _hit_ids(browser) == []
    browser.get("/doc/remittances")
    assert browser.texts("//h1") == ["Remittances and development"]


def test_weight_demotes_and_duplicate_merges(browser, curator):
    browser.login()
    browser.get("/search?q=asylum")
    first = _hit_ids(browser)[0]
    browser.get(f"/curate/doc/{first}")
    browser.submit("//form[@class='action-weight']", value="0.001", status=302)
    browser.get("/search?q=asylum")
    assert _hit_ids(browser)[-1] == first
    browser.get("/curate/doc/asylum-copy")
    browser.submit("//form[@class='action-duplicate']", value="asylum-brief", status=302)
    browser.get("/search?q=brief")
    assert "asylum-copy" not in _hit_ids(browser) and "asylum-brief" in _hit_ids(browser)
    browser.get("/curate/doc/remittances")
    response = browser.submit("//form[@class='action-duplicate']", value="no-such-doc")
    assert response.status_code == 302
    browser.follow(response)
    assert any("no document 'no-such-doc'" in t for t in browser.texts("//p[@class='notice']"))


def test_dismiss_and_recrawl(browser, curator, data_dir):
    browser.login()
    browser.get("/doc/remittances")
    browser.submit("//form[contains(@class, 'flag-form')]", reason="broken-link", status=302)
    browser.get("/curate/doc/remittances")
    browser.submit("//form[@class='action-recrawl']", why="link moved", status=302)
    browser.submit("//li[contains(@class, 'flag-row')]//form[@class='action-dismiss']",
                   status=302)
    browser.get("/curate")
    assert not browser.xpath("//li[@data-id='remittances']")
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "curation", "recrawls"])
    assert result.output.startswith("remittances\tcora\t")


def test_orphaned_decisions_are_kept_and_shown(browser, curator, data_dir):
    browser.login()
    browser.get("/curate/doc/remittances")
    browser.submit("//form[@class='action-hide']", status=302)
    rebuild(data_dir / "index", [d for d in tiny_corpus() if d.id != "remittances"])
    browser.get("/curate/decisions")
    assert browser.texts("//tr[contains(@class, 'orphaned')]/td[1]") == [
        "remittances orphaned"]
    browser.get("/curate/doc/remittances")
    assert browser.xpath("//p[contains(@class, 'orphan')]")
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "curation", "orphans"])
    assert "remittances" in result.output and "1 orphaned" in result.output
