"""A source crawled for members only is not named to those who may not see its
documents: the platform directory, a platform's page, the link graph and the region
pages list it only for its audience (issue 11: "never see, count or infer")."""

from __future__ import annotations

from .conftest import Browser
from .test_members import members_app  # noqa: F401 - the fixture

RESTRICTED = {"internal", "wgdata", "exco-store"}


def _platforms(browser: Browser) -> set[str]:
    response = browser.client.get("/api/platforms")
    assert response.status_code == 200
    return {p["id"] for p in response.get_json()}


def test_a_restricted_store_is_named_only_to_its_audience(members_app):  # noqa: F811
    visitor = Browser(members_app.test_client())
    assert "tiny" in _platforms(visitor)
    assert _platforms(visitor).isdisjoint(RESTRICTED)
    for pid in sorted(RESTRICTED):
        assert visitor.client.get(f"/api/platforms/{pid}").status_code == 404
        assert visitor.client.get(f"/platforms/{pid}").status_code == 404
    html = visitor.client.get("/platforms").get_data(as_text=True)
    assert "exco-store" not in html and "wgdata" not in html
    graph = visitor.client.get("/api/platforms/links").get_json()
    assert {p["id"] for p in graph["platforms"]}.isdisjoint(RESTRICTED)

    mia = Browser(members_app.test_client()).login("mia")        # members only
    assert RESTRICTED & _platforms(mia) == {"internal"}
    assert mia.client.get("/api/platforms/wgdata").status_code == 404
    lena = Browser(members_app.test_client()).login("lena")      # and wg-data
    assert RESTRICTED & _platforms(lena) == {"internal", "wgdata"}
    assert lena.client.get("/api/platforms/wgdata").status_code == 200
    cora = Browser(members_app.test_client()).login("cora")      # curators: all
    assert RESTRICTED <= _platforms(cora)
