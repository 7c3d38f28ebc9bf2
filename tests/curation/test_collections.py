"""Collections: made by a curator through the forms (CSRF and all), audited, a filter
in search and the API, and kept across `searchhub index --rebuild`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from searchhub import accounts, database
from searchhub.cli import main
from searchhub.web import create_app

from .conftest import PASSWORD, Browser

REPO = Path(__file__).resolve().parents[2]
PAGE = ("<!doctype html><html lang='en'><head><title>{title}</title></head><body><article>"
        "<h1>{title}</h1><p>{text}</p></article></body></html>")


def corpus(tmp_path: Path) -> list[str]:
    folder = tmp_path / "corpus" / "pages"
    folder.mkdir(parents=True)
    names = []
    for n, (title, words) in enumerate([
            ("Fair recruitment principles", "recruitment fees paid by migrant workers"),
            ("Border rights guidelines", "human rights at international borders"),
            ("Migrant stock highlights", "international migrant stock estimates"),
            ("Remittance costs", "the cost of sending remittances home")]):
        name = f"doc-{n}.html"
        (folder / name).write_text(PAGE.format(title=title, text=(words + ". ") * 20),
                                   encoding="utf-8")
        names.append(f"pages-{name}")
    (tmp_path / "corpus" / "sources.toml").write_text(
        '[[source]]\nid = "pages"\nname = "Pages"\nagency = "IOM"\nkind = "files"\n'
        'path = "pages"\ninclude = ["*.html"]\n', encoding="utf-8")
    return names


def index(tmp_path: Path, *extra: str) -> None:
    result = CliRunner().invoke(main, [
        "--data-dir", str(tmp_path / "data"), "--sources",
        str(tmp_path / "corpus" / "sources.toml"), "index", "--quiet", "--workers", "1",
        *extra])
    assert result.exit_code == 0, result.output


def test_a_collection_made_through_the_forms_survives_a_rebuild(tmp_path):
    ids = corpus(tmp_path)
    index(tmp_path)
    data = tmp_path / "data"
    conn = database.connect(data / "curation.sqlite")
    accounts.add(conn, "cora", PASSWORD, "curator")
    settings = {"data_dir": data, "sources": tmp_path / "corpus" / "sources.toml",
                "secret_key": "test-secret"}
    app = create_app(settings)
    browser = Browser(app.test_client()).login()

    browser.get("/collections")
    made = browser.submit("//form[contains(@action, '/collections')][.//input[@name='title']]",
                          title="Core reading", description="What to read first.",
                          status=302)
    browser.follow(made)
    assert browser.url.endswith("/collections/core-reading")
    # without its CSRF token the same post is refused
    assert browser.client.post("/collections", data={"title": "Sneaky"}).status_code == 400

    for doc_id, note in ((ids[2], "The baseline."), (ids[0], "Fees."), (ids[1], "")):
        browser.get(f"/doc/{doc_id}")
        browser.follow(browser.submit("//details[contains(@class, 'add-to-collection')]//form",
                                      note=note, status=302))
    browser.get("/collections/core-reading")
    assert [li.get("data-id") for li in browser.xpath("//ol[@class='collection-items']/li")] \
        == [ids[2], ids[0], ids[1]]
    # reorder, annotate, remove
    browser.follow(browser.submit(f"//li[@data-id='{ids[0]}']//form", action="up", status=302))
    browser.follow(browser.submit(f"//li[@data-id='{ids[1]}']//form", action="note",
                                  note="Read with care.", status=302))
    browser.get("/collections/core-reading")
    browser.follow(browser.submit(f"//li[@data-id='{ids[2]}']//form", action="remove",
                                  status=302))
    expected = [ids[0], ids[1]]
    api = app.test_client()
    listed = api.get("/api/collections/core-reading").get_json()
    assert [d["id"] for d in listed["documents"]] == expected
    assert [d["note"] for d in listed["documents"]] == ["Fees.", "Read with care."]
    search = api.get("/api/search?collection=core-reading").get_json()
    assert sorted(h["id"] for h in search["hits"]) == sorted(expected)
    assert {fv["value"]: fv["count"] for fv in search["facets"]["collection"]} == {
        "core-reading": 2}

    actions = [row["action"] for row in database.connect(data / "curation.sqlite").execute(
        "SELECT action FROM audit WHERE action LIKE 'collection-%' ORDER BY id")]
    assert actions == ["collection-create", "collection-add", "collection-add",
                       "collection-add", "collection-move", "collection-note",
                       "collection-remove"]

    index(tmp_path, "--rebuild")
    again = create_app(settings).test_client()
    listed = again.get("/api/collections/core-reading").get_json()
    assert [d["id"] for d in listed["documents"]] == expected
    search = again.get("/api/search?collection=core-reading").get_json()
    assert sorted(h["id"] for h in search["hits"]) == sorted(expected)
    page = again.get("/collections/core-reading").get_data(as_text=True)
    assert "Read with care." in page and "Border rights guidelines" in page
    found = CliRunner().invoke(main, ["--data-dir", str(data), "search", "--collection",
                                      "core-reading", "--json"])
    assert found.exit_code == 0, found.output
    assert sorted(h["id"] for h in json.loads(found.output)["hits"]) == sorted(expected)


def test_visitors_cannot_change_collections_and_do_not_see_hidden_documents(browser, db,
                                                                            curator):
    from searchhub.collections import store
    from searchhub.curation.store import act

    store.create(db, "cora", "Asylum", slug="asylum")
    store.add(db, "cora", "asylum", "asylum-guide", "A guide.")
    store.add(db, "cora", "asylum", "asylum-brief")
    act(db, "cora", "hide", "asylum-brief")
    browser.get("/collections/asylum")
    assert [li.get("data-id") for li in browser.xpath("//ol/li")] == ["asylum-guide"]
    assert not browser.xpath("//form[contains(@action, '/item')]")
    refused = browser.client.post("/collections/asylum/item",
                                  data={"doc_id": "asylum-guide", "action": "remove"})
    assert refused.status_code in (302, 400, 401, 403)
    assert [i.doc_id for i in store.get(db, "asylum").items] == ["asylum-guide", "asylum-brief"]


def test_the_seed_file_makes_the_core_documents_collection(tmp_path):
    from searchhub.collections.seed import read_seed, seed

    conn = database.connect(tmp_path / "curation.sqlite")
    path = REPO / "corpus" / "collections.toml"
    entries = read_seed(path)
    wanted = [item["doc"] for item in entries[0]["item"]]
    first = seed(conn, path, known=set(wanted[:-1]))
    assert first["created"] == ["core-documents"] and first["missing"] == wanted[-1:]
    again = seed(conn, path, known=set(wanted))
    assert again == {"created": [], "added": 1, "missing": []}
    from searchhub.collections import store
    core = store.get(conn, "core-documents")
    assert core.title.startswith("Core documents of the Global Compact for Migration")
    assert [i.doc_id for i in core.items] == wanted
    details = [json.loads(r["detail"]) for r in conn.execute(
        "SELECT detail FROM audit WHERE user_name = 'seed'")]
    assert len(details) == 1 + len(wanted)
