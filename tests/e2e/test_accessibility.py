"""axe-core (installed by ``npm ci`` from package-lock.json) in Debian's chromium: no
serious or critical finding on any kind of page, for visitors, curators and admins."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

PUBLIC_PAGES = {
    "home": "/",
    "search": "/search?q=migrants",
    "search with filters": "/search?q=migrants&agency=IOM&language=en",
    "no results": "/search?q=zzyzxqwv&agency=IOM",
    "document": "/doc/demo-unhcr-asylum-borders-greece-hungary-2016.html",
    "all values of a facet": "/facet/country?q=migrants",
    "login": "/login",
    "experts": "/experts?theme=Labour+migration",
    "expert profile": "/experts/example-awa-ndiaye",
    "suggest an expert": "/experts/suggest",
    "JSON API": "/api/docs",
    "platform directory": "/platforms",
    "platform directory, filtered": "/platforms?agency=IOM&scope=thematic",
    "a platform": "/platforms/iom-publications",
    "a mapped platform": "/platforms/r4v-platform",
    "how the platforms link": "/platforms/links",
    "overview": "/overview",
    "regions": "/regions",
    "a region": "/regions/latin-america-caribbean",
    "collections": "/collections",
    "a collection": "/collections/core-documents",
}
CURATOR_PAGES = {
    "curation queue": "/curate",
    "curation document": "/curate/doc/demo-iom-avrr-west-africa-2019.pdf",
    "a collection, for curators": "/collections/core-documents",
    "platform directory, for curators": "/platforms",
    "add an expert": "/experts/new",
    "edit an expert": "/experts/example-awa-ndiaye/edit",
    "suggested experts": "/experts/pending",
}
#: The pages translated so far (searchhub/web/i18n.py), in the other five languages;
#: Arabic, right to left, on every kind of them.
TRANSLATED_PAGES = {
    **{f"search ({lang})": f"/search?q=migrants&agency=IOM&lang={lang}"
       for lang in ("fr", "es", "ar", "ru", "zh")},
    "home (ar)": "/?lang=ar",
    "no results (zh)": "/search?q=zzyzxqwv&agency=IOM&lang=zh",
    "document (ar)": "/doc/demo-unhcr-asylum-borders-greece-hungary-2016.html?lang=ar",
    "all values of a facet (ru)": "/facet/country?q=migrants&lang=ru",
    "login (ar)": "/login?lang=ar",
    "not found (fr)": "/doc/no-such-document?lang=fr",
    "platform directory (ar)": "/platforms?lang=ar",
    "regions (zh)": "/regions?lang=zh",
    "a region (ar)": "/regions/latin-america-caribbean?lang=ar",
    "collections (es)": "/collections?lang=es",
    "a collection (ru)": "/collections/core-documents?lang=ru",
}
ADMIN_PAGES = {"indexing runs": "/admin/runs", "sources": "/admin/sources",
               "messages to experts": "/admin/outbox"}


def axe_findings(page, url: str) -> list[dict]:
    """axe's violations on ``url``: one dict per rule (id, impact, nodes)."""
    page.goto(url)
    page.wait_for_load_state()
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        // target-size (WCAG 2.2, 24 px) is off by default in axe 4
        const r = await axe.run(document, {resultTypes: ['violations'],
                                           rules: {'target-size': {enabled: true}}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")


def check(page, base: str, pages: dict[str, str]) -> None:
    report, blocking = [], []
    for name, path in pages.items():
        findings = axe_findings(page, base + path)
        counts = Counter()
        for f in findings:
            counts[f["impact"]] += len(f["nodes"])
            if f["impact"] in BLOCKING:
                blocking.append((name, f["id"], f["impact"], f["nodes"][:3]))
        rules = sorted({f"{f['id']} ({f['impact']})" for f in findings})
        report.append(f"{name}: {dict(counts) or 'none'} {', '.join(rules)}")
    print("\naxe findings by impact (elements):\n  " + "\n  ".join(report))
    assert not blocking, blocking


@pytest.fixture(params=[(1280, 800), (390, 844)], ids=["desktop", "phone"])
def page(request):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm ci` at the repository root")
    browser = request.getfixturevalue("browser")
    # The app's Content-Security-Policy forbids inline scripts, axe's included.
    width, height = request.param
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
    yield context.new_page()
    context.close()


def test_public_pages_have_no_serious_findings(page, demo_server):
    check(page, demo_server, PUBLIC_PAGES)


def test_translated_pages_have_no_serious_findings(page, demo_server):
    check(page, demo_server, TRANSLATED_PAGES)


def test_curation_pages_have_no_serious_findings(page, demo_server, log_in):
    log_in(page, "cora")
    # a flag, so that the queue shows a document with its text preview
    page.goto(demo_server + CURATOR_PAGES["curation document"].replace("/curate", ""))
    page.locator("details.flag summary").first.click()
    page.locator("form.flag-form textarea[name=comment]").first.fill("Checked by axe.")
    page.locator("form.flag-form button[type=submit]").first.click()
    page.wait_for_function("() => document.querySelector('.flag-status').textContent.length > 0")
    page.goto(demo_server + CURATOR_PAGES["curation queue"])
    assert page.locator(".queue-item .pagetext").count() >= 1
    check(page, demo_server, CURATOR_PAGES)


def test_admin_pages_have_no_serious_findings(page, demo_server, log_in):
    log_in(page, "ada")
    check(page, demo_server, ADMIN_PAGES)
