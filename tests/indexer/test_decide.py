"""The decide stage on plain inputs: what it decides is the actions it returns, so
no index is needed (the index it reads is a set of ids here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.actions import (
    Add,
    Delete,
    Forget,
    Merge,
    Missed,
    Record,
    RecordError,
    RefetchMerged,
    Unmerge,
)
from indexer.decide import Decider
from indexer.discover.base import Item, Source
from indexer.fetch import FetchError
from indexer.options import RunOptions
from indexer.report import SourceReport
from indexer.state import CrawlState, UrlState
from indexer.worker import Outcome
from searchhub.models import Document

URL = "https://platform.example/a.pdf"


class Ids:
    """The index as the decide stage reads it: which ids exist, and their documents."""

    def __init__(self, *docs: Document):
        self.docs = {doc.id: doc for doc in docs}

    def exists(self, doc_id: str) -> bool:
        return doc_id in self.docs

    def get(self, doc_id: str) -> Document | None:
        return self.docs.get(doc_id)


def doc(doc_id: str, url: str = URL) -> Document:
    return Document(id=doc_id, title=doc_id, url=url, source_id="src", agency="IOM",
                    pages=["text"])


def row(url: str, doc_id: str, status: str = "indexed", **extra) -> UrlState:
    values = dict(url=url, source_id="src", status=status, etag="", last_modified="",
                  lastmod="", content_hash="h", fingerprint="", simhash=0, band0=0,
                  band1=0, band2=0, band3=0, doc_id=doc_id, links="", first_seen="",
                  last_seen="", last_error="", error_count=0, missing_runs=0)
    values.update(extra)
    return UrlState(**values)


@pytest.fixture
def state(tmp_path: Path):
    with CrawlState(tmp_path / "crawl.sqlite") as crawl:
        yield crawl


def decider(state, *, http: bool, index: Ids, known: dict[str, str],
            rows: dict[str, UrlState] | None = None) -> Decider:
    source = Source(id="src", name="Source", agency="IOM", kind="sitemap" if http else "files",
                    options={}, over_http=http)
    return Decider(source, SourceReport("src"), index=index, state=state, known=known,
                   rows=rows or {}, options=RunOptions(taxonomy_dir=Path(".")), force=False,
                   emit=lambda event: None, run_number=5)


def item(doc_id: str = "d1", url: str = URL) -> Item:
    return Item(source_id="src", doc_id=doc_id, location=url, url=url)


def test_a_gone_page_leaves_through_a_delete_action(state):
    decide = decider(state, http=True, index=Ids(doc("d1")), known={"d1": "h"},
                     rows={URL: row(URL, "d1")})
    decision = decide.arrived(item(), FetchError("Not Found", "http-404"))

    assert decision.task is None
    assert decision.actions == (
        Delete("d1"), RefetchMerged("d1"),
        RecordError(URL, "http-404: Not Found"),
        Record(URL, {"status": "gone"}),
        Record(URL, {"dead_reason": "http-404", "dead_checks": 1, "dead_retry_run": 6}),
    )
    assert decide.report.counts["removed"] == 1
    assert decide.report.counts["failed"] == 0


def test_a_gone_page_merged_elsewhere_leaves_only_its_place(state):
    decide = decider(state, http=True, index=Ids(doc("d0")), known={},
                     rows={URL: row(URL, "d0", status="duplicate")})
    actions = decide.arrived(item(), FetchError("Gone", "http-410")).actions

    assert actions[0] == Unmerge("d0", URL)
    assert not any(isinstance(action, Delete) for action in actions)
    assert decide.report.counts["removed"] == 1


def test_a_known_dead_link_with_nothing_indexed_changes_no_document(state):
    dead = row(URL, "d1", status="gone", dead_reason="http-404", dead_checks=2)
    decide = decider(state, http=True, index=Ids(), known={}, rows={URL: dead})
    actions = decide.arrived(item(), FetchError("Not Found", "http-404")).actions

    assert not any(isinstance(action, Delete | Unmerge) for action in actions)
    assert Record(URL, {"dead_reason": "http-404", "dead_checks": 3,
                        "dead_retry_run": 9}) in actions
    assert decide.report.counts["known_dead"] == 1
    assert decide.report.counts["failed"] == 0


def test_a_new_dead_link_is_a_failure_and_removes_nothing(state):
    decide = decider(state, http=True, index=Ids(), known={})
    actions = decide.arrived(item(), FetchError("Not Found", "http-404")).actions

    assert RecordError(URL, "http-404: Not Found") in actions
    assert not any(isinstance(action, Delete) for action in actions)
    assert decide.report.counts["failed"] == 1


def test_a_changed_document_is_an_add_action_and_an_updated_count(state):
    decide = decider(state, http=False, index=Ids(doc("d1")), known={"d1": "old"})
    new = doc("d1")
    actions = decide.worker_result(item(), True, Outcome("changed", new, "new"))

    assert actions == (Add(new, update=True),)      # no crawl-state rows for files
    assert decide.report.counts["updated"] == 1


def test_the_same_text_at_a_new_url_merges_into_the_document_indexed(state):
    state.record("src", "https://platform.example/old.pdf", status="indexed", doc_id="d0",
                 fingerprint="f", content_hash="h0")
    decide = decider(state, http=True, index=Ids(doc("d0")), known={"d0": "h0"})
    decide.admit(item())
    decide.admit(item("d0", "https://platform.example/old.pdf"))
    decide.listing_done()
    actions = decide.worker_result(item(), True,
                                   Outcome("changed", doc("d1"), "h1", fingerprint="f"))

    assert actions[0] == Merge("d0", {"source": "src", "agency": "IOM", "url": URL})
    assert actions[1].values["status"] == "duplicate"
    assert not any(isinstance(action, Add) for action in actions)
    assert decide.report.counts["merged"] == 1


def test_files_no_longer_listed_leave_after_the_listing(state):
    decide = decider(state, http=False, index=Ids(doc("d1"), doc("d2")),
                     known={"d1": "h", "d2": "h"})
    decide.admit(item("d1"))
    decide.listing_done()

    actions = [action for batch in decide.after_listing() for action in batch]
    assert actions == [Delete("d2")]
    assert decide.report.counts["removed"] == 1


@pytest.mark.parametrize("missing_before, leaves", [(0, False), (1, False), (2, True)])
def test_unlisted_pages_leave_after_gone_after_runs(state, missing_before, leaves):
    old = "https://platform.example/old.pdf"
    state.record("src", old, status="indexed", doc_id="d2", missing_runs=missing_before)
    decide = decider(state, http=True, index=Ids(doc("d2")), known={"d2": "h"},
                     rows={old: row(old, "d2")})
    decide.listing_done()
    actions = [action for batch in decide.after_listing() for action in batch]

    if leaves:      # the third run in a row it is missing (gone_after_runs = 3)
        assert actions == [Missed(old), Delete("d2"), RefetchMerged("d2"),
                           Forget("src", old)]
        assert decide.report.counts["removed"] == 1
    else:
        assert actions == [Missed(old)]
        assert decide.report.counts["removed"] == 0


def test_no_action_is_planned_twice(state):
    """Each decision's actions are returned once: the next decision starts afresh."""
    decide = decider(state, http=False, index=Ids(doc("d1")), known={"d1": "h"})
    first = decide.worker_result(item(), True, Outcome("changed", doc("d1"), "n"))
    second = decide.worker_result(item(), True, Outcome("unchanged", None, "n"))
    assert first and second == ()
