"""Two partner sites on 127.0.0.1 (two ports, two platforms of the registry) that link
to each other and share a report, crawled by the real indexer: the directory, the
platform pages, the interlinkage graph exactly as served, and the platform facet."""

from __future__ import annotations

import csv
import io

import lxml.html  # a dependency of trafilatura
from fpdf import FPDF
from pipeline_helpers import registry
from platform_server import Platform, Static

from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub import accounts, database
from searchhub.engine import Engine
from searchhub.web import create_app

SHARED = ("Seasonal agricultural workers moving between Guatemala and Canada: recruitment "
          "without fees, portable social security and return. ")


def pdf_with_link(target: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Labour migration statistics for the region, with sources. " * 12)
    pdf.cell(0, 8, "See the partner's data", link=target)
    return bytes(pdf.output())


def test_two_platforms_link_and_share_a_report(tmp_path, options):
    with Platform() as a, Platform() as b:
        a.page("/one.html", "Fair recruitment in the corridor",
               "Recruitment fees charged to migrant workers. " * 12,
               links=[b.url("/x.html"), b.url("/y.html"), a.url("/two.html")])
        a.page("/two.html", "Seasonal work", SHARED * 8)
        a.routes["/report.pdf"] = Static(pdf_with_link(b.url("/z.html")), "application/pdf")
        b.page("/x.html", "Asylum procedures at the border",
               "Asylum procedures and reception at the border. " * 12,
               links=[a.url("/one.html"), "https://unmapped.example.org/page"])
        b.page("/shared.html", "Seasonal work", SHARED * 8)
        sources = load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "a-pages"
name = "Alpha pages"
agency = "IOM"
kind = "web"
urls = ["{a.url('/one.html')}", "{a.url('/two.html')}"]
allow_private = true
platform = "alpha"

[[source]]
id = "a-reports"
name = "Alpha reports"
agency = "IOM"
kind = "web"
urls = ["{a.url('/report.pdf')}"]
allow_private = true
platform = "alpha"

[[source]]
id = "b-pages"
name = "Beta pages"
agency = "UNHCR"
kind = "web"
urls = ["{b.url('/x.html')}", "{b.url('/shared.html')}"]
allow_private = true
platform = "beta"
"""))
        platforms = registry(tmp_path / "platforms.toml", f"""
[[platform]]
id = "alpha"
name = "Alpha knowledge platform"
agency = "IOM"
home = "{a.url('/')}"
prefixes = ["{a.url('/')}"]

[[platform]]
id = "beta"
name = "Beta refugee library"
agency = "UNHCR"
home = "{b.url('/')}"
prefixes = ["{b.url('/')}"]
scope = "regional"
regions = ["Latin America and the Caribbean"]

[[platform]]
id = "gamma"
name = "Gamma, mapped only"
agency = "ILO"
""")
        data = tmp_path / "data"
        opts = type(options)(**{**options.__dict__, "data_dir": data})
        with Engine(data / "index") as engine:
            report = run(engine, sources, opts)
        assert report.total("failed") == 0 and report.total("merged") == 1

        app = create_app({"data_dir": data, "sources": tmp_path / "sources.toml",
                          "platforms": str(platforms)})
        client = app.test_client()

        directory = {p["id"]: p for p in client.get("/api/platforms").get_json()}
        assert set(directory) == {"alpha", "beta", "gamma"}
        assert (directory["alpha"]["documents"], directory["beta"]["documents"]) == (3, 1)
        assert directory["alpha"]["sources"] == ["a-pages", "a-reports"]
        assert directory["alpha"]["health"] == "ok" and directory["gamma"]["health"] == "never run"
        by_type = {v["value"]: v["count"] for v in directory["alpha"]["by_type"]}
        assert sum(by_type.values()) == 3

        facet = client.get("/api/search?platform=alpha").get_json()
        assert facet["total"] == 3 and {h["platform"] for h in facet["hits"]} == {"alpha"}
        counts = {fv["value"]: fv["count"] for fv in
                  client.get("/api/search").get_json()["facets"]["platform"]}
        assert counts == {"alpha": 3, "beta": 1}

        graph = client.get("/api/platforms/links").get_json()
        rows = {(r["from"], r["to"]): (r["links"], r["shared"]) for r in graph["links"]}
        # one.html: two links to beta (its link to two.html stays inside alpha); the PDF: one
        assert rows == {("alpha", "beta"): (3, 1), ("beta", "alpha"): (1, 0),
                        ("beta", "unmapped.example.org"): (1, 0)}
        assert graph["unknown_hosts"] == [{"host": "unmapped.example.org", "links": 1}]
        assert {p["id"]: p["documents"] for p in graph["platforms"]} == {
            "alpha": 3, "beta": 1, "gamma": 0}

        page = client.get("/platforms/links").get_data(as_text=True)
        assert page.count("<circle") >= 2 and "unmapped.example.org" in page
        table = [line for line in csv.reader(io.StringIO(
            client.get("/platforms/links.csv").get_data(as_text=True)))]
        assert table[0] == ["from", "to", "links", "shared"]
        assert {(r[0], r[1]): (int(r[2]), int(r[3])) for r in table[1:]} == rows

        alpha = client.get("/api/platforms/alpha").get_json()
        assert [(r["to"], r["links"], r["shared"]) for r in alpha["links_to"]] == [("beta", 3, 1)]
        assert [(r["from"], r["links"]) for r in alpha["linked_from"]] == [("beta", 1)]
        # curators see, on the directory, the hosts no platform maps; visitors do not
        assert "unmapped.example.org" not in client.get("/platforms").get_data(as_text=True)
        conn = database.connect(data / "curation.sqlite")
        accounts.add(conn, "cora", "correct horse battery", "curator")
        conn.close()
        curator = app.test_client()
        form = lxml.html.fromstring(curator.get("/login").get_data(as_text=True))
        token = form.xpath("//form[contains(@action, '/login')]//input[@name='csrf_token']"
                           "/@value")[0]
        assert curator.post("/login", data={"name": "cora", "password": "correct horse battery",
                                            "csrf_token": token}).status_code == 302
        listed = lxml.html.fromstring(curator.get("/platforms").get_data(as_text=True))
        assert listed.xpath("//ol[@class='unknown-hosts']/li/code/text()") == [
            "unmapped.example.org"]
        beta_page = client.get("/platforms/beta").get_data(as_text=True)
        assert "Alpha knowledge platform" in beta_page
        shared = client.get("/api/platforms/beta").get_json()["shared_reports"]
        assert [(s["title"], s["with"]) for s in shared] == [("Seasonal work", "alpha")]
        assert ">Seasonal work</a> <span class=\"muted\">also on Alpha knowledge platform" \
            in beta_page
        region = client.get("/api/regions/latin-america-caribbean").get_json()
        assert [p["id"] for p in region["platforms"]] == ["beta"]

        # a later run finds the shared report on a third place of beta: the graph of the
        # app already serving shows it (a merge changes no content hash)
        b.page("/again.html", "Seasonal work", SHARED * 8)
        sources = load_sources(registry(tmp_path / "sources.toml", (
            tmp_path / "sources.toml").read_text().replace(
                f'"{b.url("/shared.html")}"]', f'"{b.url("/shared.html")}", '
                                               f'"{b.url("/again.html")}"]')))
        with Engine(data / "index") as engine:
            assert run(engine, sources, opts).total("merged") == 1
        app.extensions["searchhub"].engine.refresh()
        graph = client.get("/api/platforms/links").get_json()
        rows = {(r["from"], r["to"]): (r["links"], r["shared"]) for r in graph["links"]}
        assert rows[("alpha", "beta")] == (3, 2)
