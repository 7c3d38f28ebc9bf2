"""The overview: its counts are the search facets' counts, as page, CSV and JSON."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from demo_corpus import DEMO_COUNT


def facet(api, name: str, **filters) -> dict[str, int]:
    data = api("/api/search?" + urlencode(filters))
    return {fv["value"]: fv["count"] for fv in data["facets"][name]}


def test_the_tables_hold_the_search_facet_counts(api):
    data = api("/api/overview")
    assert data["documents"] == DEMO_COUNT
    tables = data["tables"]
    for name in ("agency-theme", "region-theme", "theme-gcm"):
        table = tables[name]
        assert table["rows"], name
        for row, cells in zip(table["rows"], table["cells"], strict=True):
            expected = facet(api, table["column_facet"], **{table["row_facet"]: row})
            got = {c: n for c, n in zip(table["columns"], cells, strict=True) if n}
            assert got == expected, (name, row)
    for name in ("year", "language", "type"):
        table = tables[name]
        assert dict(zip(table["columns"], table["cells"][0], strict=True)) == facet(api, name)
    assert {row for row in tables["agency-theme"]["rows"]} == set(facet(api, "agency"))


def test_gaps_are_the_thinnest_cells(api):
    data = api("/api/overview")
    gaps = data["gaps"]
    assert gaps and [g["documents"] for g in gaps] == sorted(g["documents"] for g in gaps)
    table = data["tables"]["region-theme"]
    for gap in (g for g in gaps if g["table"] == "region-theme"):
        row = table["rows"].index(gap["region"])
        assert table["cells"][row][table["columns"].index(gap["theme"])] == gap["documents"]
        assert gap["documents"] <= data["gap_at_most"]


def test_each_cell_links_to_the_search_it_counts(get_page, client):
    page = get_page("/overview")
    links = page.xpath("//table[@data-table='region-theme']//td/a")
    assert links
    for a in links[:12]:
        count = int(a.text.replace(",", ""))
        target = get_page(a.get("href"))
        total = target.xpath("string(//div[@class='summary']//strong)")
        assert int(total.replace(",", "")) == count, a.get("href")
    assert page.xpath("//table[@data-table='theme-gcm']//td[contains(@class, 'gap')]")


def test_every_table_has_a_csv_equal_to_the_json(api, client):
    data = api("/api/overview")
    for name, table in data["tables"].items():
        response = client.get(f"/overview/{name}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        if table["row_facet"]:
            assert rows[0][1:] == table["columns"]
            assert [r[0] for r in rows[1:]] == table["rows"]
            assert [[int(n) for n in r[1:]] for r in rows[1:]] == table["cells"]
        else:
            assert [r[0] for r in rows[1:]] == table["columns"]
            assert [int(r[1]) for r in rows[1:]] == table["cells"][0]
    assert client.get("/overview/nothing.csv").status_code == 404


def test_hidden_documents_are_not_counted(make_app, make_doc):
    from searchhub import database
    from searchhub.curation.store import act

    docs = [make_doc(f"d{n}", f"Report {n}", "Remittances text " * 5, agency="ILO",
                     themes=["Remittances and diaspora"], regions=["Southern Africa"])
            for n in range(3)]
    app = make_app(docs)
    client = app.test_client()

    def cell(data, name, row, column):
        table = data["tables"][name]
        return table["cells"][table["rows"].index(row)][table["columns"].index(column)]

    before = client.get("/api/overview").get_json()
    assert cell(before, "region-theme", "Southern Africa", "Remittances and diaspora") == 3
    conn = database.connect(app.extensions["searchhub"].settings.curation_db)
    act(conn, "cora", "hide", "d1", why="a test")
    conn.close()
    after = client.get("/api/overview").get_json()
    assert after["documents"] == 2
    assert cell(after, "region-theme", "Southern Africa", "Remittances and diaspora") == 2
    assert cell(after, "agency-theme", "ILO", "Remittances and diaspora") == 2
    search = client.get("/api/search?region=Southern+Africa").get_json()
    assert search["total"] == 2
