"""Members-only documents through HTTP, as people use the site: a visitor cannot find,
count, have suggested or open them; a member sees those for members, and those of
their groups; ``/members`` is a member's home; the CLI sets a member's groups."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from searchhub import accounts
from searchhub.cli import main
from searchhub.members import store
from searchhub.web import create_app

from .conftest import PASSWORD, Browser, make_doc, write_index

WORKSTREAMS = """
[[group]]
id = "wg-data"
name = "Working group on migration data"
kind = "working-group"
description = "Statistics and indicators."
leads = ["lena"]

[[group]]
id = "exco"
name = "Executive committee"
kind = "committee"
"""


def _sources(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir(exist_ok=True)
    return "".join(f"""
[[source]]
id = "{sid}"
name = "{sid}"
agency = "IOM"
kind = "files"
path = "{folder}"
{extra}
""" for sid, extra in (("tiny", ""), ("internal", 'visibility = "members"'),
                       ("wgdata", 'visibility = ["wg-data"]'),
                       ("exco-store", 'visibility = ["exco"]')))


RESTRICTED = [
    make_doc("members-note", "Workplan for members",
             "The workplan of the network for members: zanzibarite pilots. " * 5,
             source_id="internal", visibility=["members"], agency="IOM-internal",
             countries=["Tanzania"]),
    make_doc("wg-draft", "Draft indicator framework",
             "Draft indicator framework of the working group: quokkagram data. " * 5,
             source_id="wgdata", visibility=["wg-data"], agency="IOM-internal"),
    make_doc("exco-minutes", "Minutes of the executive committee",
             "Minutes: budget decisions on the workplan. " * 5,
             source_id="exco-store", visibility=["exco"], agency="IOM-internal"),
    # A public report that the members' store holds too: "also published by" it only
    # for those who may see that store.
    make_doc("shared-report", "Shared report on return",
             "A public report on return and reintegration. " * 5, also_at=[
                 {"source": "internal", "agency": "IOM intranet",
                  "url": "https://intranet.example.org/shared"},
                 {"source": "tiny", "agency": "UNHCR", "url": "https://example.org/copy"}]),
]


@pytest.fixture
def members_app(data_dir, db, tmp_path):
    write_index(data_dir / "index", RESTRICTED)
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "sources.toml").write_text(_sources(tmp_path), encoding="utf-8")
    (registry / "workstreams.toml").write_text(WORKSTREAMS, encoding="utf-8")
    accounts.add(db, "mia", PASSWORD, "member")               # members only
    lena = accounts.add(db, "lena", PASSWORD, "member")       # and the data group
    store.set_groups(db, lena.id, ["wg-data"])
    accounts.add(db, "cora", PASSWORD, "curator")
    return create_app({"data_dir": data_dir, "secret_key": "test-secret",
                       "sources": registry / "sources.toml"})


def _ids(browser: Browser, text: str) -> list[str]:
    browser.get(f"/search?q={text}")
    return [li.get("data-id") for li in browser.xpath("//li[contains(@class, 'hit')]")]


def _api(browser: Browser, url: str, status: int = 200):
    response = browser.client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_json()


def test_a_visitor_cannot_find_count_guess_or_open_restricted_documents(members_app):
    visitor = Browser(members_app.test_client())
    for word in ("workplan", "zanzibarite", "quokkagram", "budget"):
        assert _ids(visitor, word) == []
        assert _api(visitor, f"/api/search?q={word}")["total"] == 0
    # The misspelling of a word only restricted documents hold is not "corrected".
    assert _api(visitor, "/api/search?q=zanzibxrite")["suggestion"] is None
    everything = _api(visitor, "/api/search?q=")
    assert everything["total"] == 6
    agencies = {f["value"] for f in everything["facets"]["agency"]}
    assert "IOM-internal" not in agencies
    countries = {f["value"] for f in everything["facets"]["country"]}
    assert "Tanzania" not in countries
    atom = visitor.client.get("/search.atom?q=workplan").get_data(as_text=True)
    assert "members-note" not in atom and "Workplan" not in atom
    csv_text = visitor.client.get("/search.csv?q=").get_data(as_text=True)
    assert "Workplan" not in csv_text and "Minutes" not in csv_text
    # A restricted document answers exactly as a missing one.
    for doc_id in ("members-note", "wg-draft"):
        hidden = visitor.client.get(f"/doc/{doc_id}")
        missing = visitor.client.get(f"/doc/{doc_id}-nothing")
        assert hidden.status_code == missing.status_code == 404
        assert (hidden.get_data(as_text=True).replace(doc_id, "X")
                == missing.get_data(as_text=True).replace(f"{doc_id}-nothing", "X"))
        assert _api(visitor, f"/api/doc/{doc_id}", 404)["error"]["status"] == 404
    assert _api(visitor, "/api/health")["documents"] == 6
    overview = visitor.client.get("/api/overview").get_data(as_text=True)
    assert "IOM-internal" not in overview
    assert visitor.client.get("/members").status_code in (302, 401)


def test_a_member_sees_documents_for_members_and_for_their_groups(members_app):
    mia = Browser(members_app.test_client()).login("mia")
    assert _ids(mia, "workplan") == ["members-note"]
    assert _ids(mia, "quokkagram") == []
    assert _api(mia, "/api/search?q=zanzibxrite")["suggestion"] == "zanzibarite"
    mia.get("/doc/members-note")
    mia.get("/doc/wg-draft", status=404)

    lena = Browser(members_app.test_client()).login("lena")
    assert sorted(_ids(lena, "workplan")) == ["members-note"]
    assert _ids(lena, "quokkagram") == ["wg-draft"]
    lena.get("/doc/wg-draft")
    lena.get("/doc/exco-minutes", status=404)
    assert _api(lena, "/api/search?q=")["total"] == 8

    cora = Browser(members_app.test_client()).login("cora")      # curators see all
    assert _api(cora, "/api/search?q=")["total"] == 9
    assert _api(cora, "/api/health")["documents"] == 9
    assert "IOM-internal" in cora.client.get("/api/overview").get_data(as_text=True)
    cora.get("/doc/exco-minutes")


def test_also_published_by_names_only_places_the_viewer_may_see(members_app):
    visitor = Browser(members_app.test_client())
    for page in ("/doc/shared-report", "/search?q=reintegration"):
        text = visitor.client.get(page).get_data(as_text=True)
        assert "UNHCR" in text and "IOM intranet" not in text, page
    places = _api(visitor, "/api/doc/shared-report")["also_at"]
    assert [p["agency"] for p in places] == ["UNHCR"]
    mia = Browser(members_app.test_client()).login("mia")
    assert "IOM intranet" in mia.client.get("/doc/shared-report").get_data(as_text=True)


def test_the_members_home_lists_my_groups_and_their_newest_documents(members_app):
    lena = Browser(members_app.test_client()).login("lena")
    lena.get("/members")
    assert [s.get("data-group") for s in lena.xpath("//section[@data-group]")] == [
        "members", "wg-data"]
    assert lena.xpath("//section[@data-group='wg-data']//li/@data-id") == ["wg-draft"]
    assert lena.xpath("//section[@data-group='members']//li/@data-id") == ["members-note"]
    assert "Statistics and indicators." in lena.texts("//section[@data-group='wg-data']")[0]
    mia = Browser(members_app.test_client()).login("mia")
    mia.get("/members")
    assert [s.get("data-group") for s in mia.xpath("//section[@data-group]")] == ["members"]
    assert "exco-minutes" not in mia.client.get("/members").get_data(as_text=True)


def test_users_add_and_groups_on_the_command_line(data_dir, tmp_path):
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "sources.toml").write_text(_sources(tmp_path), encoding="utf-8")
    (registry / "workstreams.toml").write_text(WORKSTREAMS, encoding="utf-8")

    def run(*args, input=None):
        return CliRunner().invoke(main, ["--data-dir", str(data_dir), "--sources",
                                         str(registry / "sources.toml"), "users", *args],
                                  input=input)

    added = run("add", "max", "--role", "member", "--group", "wg-data", "--password-stdin",
                input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "Added max (member) in wg-data." in added.output
    assert run("groups", "max", "--show").output.strip() == "max: wg-data."
    assert run("groups", "max", "exco", "wg-data").output.strip() == "max: exco, wg-data."
    unknown = run("groups", "max", "wg-nothing")
    assert unknown.exit_code != 0 and "No group 'wg-nothing'" in unknown.output
    assert run("groups", "max", "--show").output.strip() == "max: exco, wg-data."
    assert run("groups", "max").output.strip() == "max: no group."
    bad = run("add", "nia", "--role", "member", "--group", "nope", "--password-stdin",
              input=PASSWORD + "\n")
    assert bad.exit_code != 0 and "No group 'nope'" in bad.output


def test_an_admin_sets_groups_on_the_admin_page(members_app, db):
    accounts.add(db, "ada", PASSWORD, "admin")
    mia = Browser(members_app.test_client()).login("mia")
    mia.get("/admin/groups", status=403)
    admin = Browser(members_app.test_client()).login("ada")
    admin.get("/admin/groups")
    admin.follow(admin.submit("//form[@data-name='mia']", group=["wg-data", "exco"]))
    assert "mia now belongs to" in " ".join(admin.texts("//div[@class='flashes']"))
    assert store.groups_of(db, accounts.by_name(db, "mia").id) == ["exco", "wg-data"]
    assert set(admin.xpath("//form[@data-name='mia']//input[@checked]/@value")) == {
        "exco", "wg-data"}
    refused = admin.submit("//form[@data-name='mia']", group=["wg-nothing"])
    assert refused.status_code in (302, 400)
    assert store.groups_of(db, accounts.by_name(db, "mia").id) == ["exco", "wg-data"]
    # Mia now finds the group's document (her viewer is read per request).
    assert _ids(mia, "quokkagram") == ["wg-draft"]


def test_a_group_page_is_for_its_members(members_app):
    lena = Browser(members_app.test_client()).login("lena")
    lena.get("/members")
    lena.get(lena.xpath("//section[@data-group='wg-data']//h2/a/@href")[0])
    assert lena.texts("//h1") == ["Working group on migration data"]
    # The group's documents and those for all members (its members see both).
    assert lena.xpath("//ul[@class='newest']/li/@data-id") == ["members-note", "wg-draft"]
    assert lena.texts("//dd[@class='members']") == ["lena"]
    assert lena.texts("//dd[@class='leads']") == ["lena"]
    lena.get("/members/groups/exco", status=404)
    lena.get("/members/groups/nothing", status=404)
    mia = Browser(members_app.test_client()).login("mia")
    mia.get("/members/groups/wg-data", status=404)
    cora = Browser(members_app.test_client()).login("cora")
    cora.get("/members/groups/exco")
    assert cora.xpath("//ul[@class='newest']/li/@data-id") == ["members-note", "exco-minutes"]


def test_disabled_agrees_with_what_is_disabled_in_french(data_dir, members_app, db, tmp_path):
    # "disabled" labels a source (la source: désactivée) and an account (le compte:
    # désactivé); one message for both was wrong for one of them.
    registry = tmp_path / "registry" / "sources.toml"
    registry.write_text(registry.read_text(encoding="utf-8") + f"""
[[source]]
id = "paused"
name = "Paused platform"
agency = "ILO"
kind = "files"
path = "{tmp_path / 'empty'}"
enabled = false
""", encoding="utf-8")
    app = create_app({"data_dir": data_dir, "secret_key": "test-secret",
                      "sources": registry})
    accounts.add(db, "ada", PASSWORD, "admin")
    accounts.set_disabled(db, "mia")
    admin = Browser(app.test_client()).login("ada")
    admin.get("/admin/groups?lang=fr")
    assert admin.texts("//tr[.//strong[.='mia']]/td[1]") == ["mia · désactivé"]
    admin.get("/admin/sources?lang=fr")
    cell = admin.texts("//tr[.//strong[.='paused']]/td[1]")[0]
    assert cell.endswith("· désactivée")
    admin.get("/admin/sources?lang=ru")
    assert admin.texts("//tr[.//strong[.='paused']]/td[1]")[0].endswith("· отключен")
