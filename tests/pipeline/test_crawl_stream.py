"""A crawl is extracted while it goes on, and drops each page's body once its task is
with a worker; redirects, duplicates and limits come out as they did when the whole
crawl was listed first. Real HTTP on 127.0.0.1, real workers, a real index."""

from __future__ import annotations

import json
import random
import weakref

import pytest
from pipeline_helpers import counts, registry
from platform_server import Platform, redirect

import indexer.decide
from indexer.pipeline import run
from indexer.sources import load_sources
from searchhub.models import Query

PAGES = 40
DONE = ("added", "updated", "unchanged", "merged", "failed")
WORDS = ("migration migrants refugees asylum border labour workers remittances diaspora "
         "return reintegration displacement climate mobility protection trafficking "
         "integration health education children women recruitment policy governance data "
         "corridor camp community resettlement detention visa skills training employment "
         "housing language counselling livelihoods drought floods conflict rights justice "
         "services municipality survey household income savings evaluation programme").split()


@pytest.fixture
def crawl_options(options, tmp_path):
    return type(options)(**{**options.__dict__, "data_dir": tmp_path / "data",
                            "http_timeout": 2.0})


def _crawl_source(tmp_path, p: Platform, start: str = "/pages/index.html", **extra):
    options = "".join(f"{k} = {json.dumps(v)}\n" for k, v in extra.items())
    return load_sources(registry(tmp_path / "sources.toml", f"""
[[source]]
id = "crawler"
name = "Partner site"
agency = "IOM"
kind = "crawl"
urls = ["{p.base}{start}"]
prefixes = ["{p.base}/pages/"]
allow_private = true
{options}"""))


def _note(n: int, version: int = 0) -> str:
    """A text of its own (no two are near-duplicates), with a code to search for."""
    rng = random.Random(n * 1000 + version)
    words = [rng.choice(WORDS) for _ in range(80)]
    return f"Field note code RX{n:03}V{version}. " + " ".join(words) + "."


def _chain_site(p: Platform, pad: int = 0) -> None:
    """An index linking to PAGES notes, each note linking to the next two."""
    p.page("/pages/", "Field notes", "All our field notes, newest first. " * 6,
           links=[f"/pages/{n}.html" for n in range(PAGES)])
    for n in range(PAGES):
        body = _note(n) + ("\n\n<!--" + "x" * pad + "-->" if pad else "")
        p.page(f"/pages/{n}.html", f"Field note {n}", body,
               links=[f"/pages/{(n + k) % PAGES}.html" for k in (1, 2)])


def test_extraction_starts_before_the_crawl_ends(tmp_path, engine, crawl_options, platform):
    p = platform
    _chain_site(p)
    events = []
    report = run(engine, _crawl_source(tmp_path, p), crawl_options, on_event=events.append)
    assert counts(report) == {"added": PAGES + 1}
    kinds = [e["event"] for e in events]
    crawled = [i for i, kind in enumerate(kinds) if kind == "crawled"]
    added = [i for i, kind in enumerate(kinds) if kind == "added"]
    assert len(crawled) == PAGES + 1 and len(added) == PAGES + 1
    # The first documents were extracted and written while most pages were still to
    # be fetched: the crawl runs only a few pages ahead of the workers.
    assert added[0] < crawled[-1]
    assert sum(i < added[0] for i in crawled) <= 15
    # The number of items is told once the crawl is over, before the last documents.
    discovered = [e for e in events if e["event"] == "discovered"]
    assert [e["items"] for e in discovered] == [PAGES + 1]
    assert kinds.index("discovered") > crawled[-1]
    assert engine.count() == PAGES + 1
    assert len(engine.search(Query("RX039V0")).hits) == 1


def test_page_bodies_are_released_once_handed_to_a_worker(tmp_path, engine, crawl_options,
                                                        platform, monkeypatch):
    p = platform
    _chain_site(p, pad=100_000)          # markup-heavy pages of about 100 KB
    bodies: dict[str, weakref.ref] = {}
    make_task = indexer.decide.make_task

    def watching_make_task(item, source, known_hash, fetch_options, force, fetched):
        # The item the task carries has no body of its own: the task's is the only one.
        assert item.prefetched is None
        if fetched is not None:
            bodies[item.doc_id] = weakref.ref(fetched)
        return make_task(item, source, known_hash, fetch_options, force, fetched)

    monkeypatch.setattr(indexer.decide, "make_task", watching_make_task)
    alive_at_crawl = []
    checked = set()

    def on_event(event):
        if event["event"] == "crawled":
            alive_at_crawl.append(sum(ref() is not None for ref in bodies.values()))
        elif event["event"] in DONE and event.get("id") in bodies:
            # Its worker is done with it: no one in the parent holds the page any more.
            assert bodies[event["id"]]() is None, event
            checked.add(event["id"])

    report = run(engine, _crawl_source(tmp_path, p), crawl_options, on_event=on_event)
    assert counts(report) == {"added": PAGES + 1}
    assert len(bodies) == PAGES + 1 and checked == set(bodies)
    # Whenever the crawl takes the next page, every task made so far has been sent to
    # a worker and its body dropped (listing the crawl first held all PAGES + 1).
    assert len(alive_at_crawl) == PAGES + 1
    assert max(alive_at_crawl) == 0, alive_at_crawl
    assert all(ref() is None for ref in bodies.values())


def test_redirect_to_a_page_already_extracted_becomes_its_alias(tmp_path, engine,
                                                                crawl_options, platform):
    p = platform
    p.page("/pages/", "Publications", "Our publications on migration. " * 6,
           links=["/pages/target.html", "/pages/f1.html", "/pages/f2.html",
                  "/pages/f3.html", "/pages/old.html"])
    p.page("/pages/target.html", "Climate mobility brief",
           "Planned relocation of communities in Fiji and Kiribati after sea level rise. " * 8)
    for n in (1, 2, 3):
        p.page(f"/pages/f{n}.html", f"Filler {n}", _note(n))
    p.page("/pages/old.html", "Labour migration brief",
           "Seasonal agricultural workers and their recruitment in Morocco and Spain. " * 8)
    sources = _crawl_source(tmp_path, p)
    first = run(engine, sources, crawl_options)
    assert counts(first) == {"added": 6}
    old_id = engine.search(Query('"seasonal agricultural workers"')).hits[0].document.id

    # old.html now redirects to target.html, handed over for extraction before the
    # crawl reaches old.html: the old document leaves the index at once.
    p.routes["/pages/old.html"] = redirect("/pages/target.html")
    events = []
    second = run(engine, sources, crawl_options, on_event=events.append)
    assert counts(second) == {"unchanged": 5, "removed": 1}
    removed = [e for e in events if e["event"] == "removed"]
    assert removed == [{"event": "removed", "source": "crawler",
                        "id": removed[0]["id"], "url": p.url("/pages/target.html"),
                        "reason": "moved", "old_url": p.url("/pages/old.html")}]
    assert engine.get(old_id) is None
    assert engine.search(Query('"seasonal agricultural workers"')).hits == []
    assert len(engine.search(Query('"Fiji and Kiribati"')).hits) == 1
    third = run(engine, sources, crawl_options)
    assert counts(third) == {"unchanged": 5}       # nothing left to retire later


def test_duplicates_of_pages_not_yet_crawled_are_decided_at_its_end(tmp_path, engine,
                                                                    crawl_options, platform):
    p = platform
    report_text = ("Remittance corridors from the Gulf to South Asia lower the cost of "
                   "sending money home to rural families in Nepal and Bangladesh. ") * 6
    fillers = [f"/pages/f{n}.html" for n in range(20)]
    p.page("/pages/", "Publications", "Our publications on migration. " * 6,
           links=fillers + ["/pages/report.html"])
    for n, path in enumerate(fillers):
        p.page(path, f"Filler {n}", _note(n))
    p.page("/pages/report.html", "Remittance corridors", report_text)
    sources = _crawl_source(tmp_path, p)
    assert counts(run(engine, sources, crawl_options)) == {"added": 22}

    # The same report now also at copy.html, linked first; report.html comes after 20
    # changed fillers, so copy.html is extracted before the crawl reaches report.html.
    # As when the crawl was listed first: report.html is still there, the copy merges.
    for n, path in enumerate(fillers):
        p.page(path, f"Filler {n}", _note(n, version=1))
    p.page("/pages/copy.html", "Remittance corridors", report_text)
    p.page("/pages/", "Publications", "Our publications on migration. " * 6,
           links=["/pages/copy.html"] + fillers + ["/pages/report.html"])
    events = []
    second = run(engine, sources, crawl_options, on_event=events.append)
    assert counts(second) == {"updated": 21, "merged": 1, "unchanged": 1}
    kinds = [(e["event"], e.get("url")) for e in events]
    report_crawled = kinds.index(("crawled", p.url("/pages/report.html")))
    assert kinds.index(("updated", p.url(fillers[0]))) < report_crawled
    assert kinds.index(("merged", p.url("/pages/copy.html"))) > report_crawled
    hits = engine.search(Query('"rural families in Nepal"')).hits
    assert [h.document.url for h in hits] == [p.url("/pages/report.html")]
    assert hits[0].document.also_at == [{"source": "crawler", "agency": "IOM",
                                         "url": p.url("/pages/copy.html")}]

    # report.html leaves the site and a third copy appears: once the crawl is over
    # without report.html, the page moved; the new URL takes over.
    p.page("/pages/", "Publications", "Our publications on migration. " * 6,
           links=["/pages/moved.html"] + fillers)
    p.page("/pages/moved.html", "Remittance corridors", report_text)
    events = []
    third = run(engine, sources, crawl_options, on_event=events.append)
    assert counts(third) == {"added": 1, "updated": 1, "unchanged": 20, "removed": 1}
    assert [(e["url"], e["reason"], e["old_url"]) for e in events
            if e["event"] == "removed"] == [
        (p.url("/pages/moved.html"), "moved", p.url("/pages/report.html"))]
    hits = engine.search(Query('"rural families in Nepal"')).hits
    assert [h.document.url for h in hits] == [p.url("/pages/moved.html")]


def test_limits_and_scope_rules_hold_while_streaming(tmp_path, engine, crawl_options,
                                                     platform):
    p = platform
    _chain_site(p)
    p.page("/pages/", "Field notes", "All our field notes, newest first. " * 6,
           links=[f"/pages/{n}.html" for n in range(PAGES)] + ["/private/x.html"])
    p.page("/private/x.html", "Private", "Not to be crawled. " * 20)
    events = []
    sources = _crawl_source(tmp_path, p, max_documents=10, include=["*/pages/[0-9]*"],
                            exclude=["*/private/*"])
    report = run(engine, sources, crawl_options, on_event=events.append)
    assert counts(report) == {"added": 10}     # the index page is followed, not indexed
    assert [e["items"] for e in events if e["event"] == "discovered"] == [10]
    assert p.hits("/private/x.html") == []
    # Pages fetched after the tenth document: at most the few fetched ahead (the crawl
    # keeps 4 per connection to the host in flight).
    assert len([h for h in p.hits() if h.path.startswith("/pages/")]) <= 11 + 4 * 2
    assert engine.search(Query("field notes")).hits
