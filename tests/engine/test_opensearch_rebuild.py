"""Zero-downtime rebuilds on OpenSearch: the configured index name becomes an alias that
moves to a new versioned index, in one step, only once that index is complete."""

from __future__ import annotations

import os
import threading
import time

import pytest
from click.testing import CliRunner

from searchhub.engine import open_engine, opensearch_admin
from searchhub.engine.opensearch_engine import OpenSearchEngine
from searchhub.models import Query
from searchhub.settings import Settings

from .conftest import make_doc, test_index_name


@pytest.fixture
def settings(opensearch_url, opensearch_replicas, tmp_path):
    name = test_index_name()
    settings = Settings.load({"data_dir": str(tmp_path / "data")},
                             environ={"SEARCHHUB_ENGINE": "opensearch",
                                      "SEARCHHUB_OPENSEARCH_URL": opensearch_url,
                                      "SEARCHHUB_OPENSEARCH_INDEX": name,
                                      "SEARCHHUB_OPENSEARCH_REPLICAS":
                                          str(opensearch_replicas)})
    yield settings
    client = opensearch_admin.client_for(settings)
    opensearch_admin.delete(client, name)
    client.close()


def _titles(engine) -> set[str]:
    return {hit.document.title for hit in engine.search(Query("", page_size=50)).hits}


def test_searches_answer_the_old_index_until_the_new_one_is_switched_in(settings):
    name = settings.opensearch_index
    first = open_engine(settings)                      # a plain index, as `index` makes it
    with first.writer() as writer:
        for n in range(3):
            writer.add(make_doc(f"old{n}", "asylum", title=f"Old {n}"))
    reader = open_engine(settings, create=False)       # a web server's engine
    client = first.client

    # A first rebuild: filled and committed, yet searches still see the old index.
    building = opensearch_admin.open_rebuild(settings)
    assert building.index != name and opensearch_admin.live_indices(client, name) == [name]
    with building.writer() as writer:
        for n in range(5):
            writer.add(make_doc(f"new{n}", "asylum", title=f"New {n}"))
    assert reader.count() == 3 and _titles(reader) == {f"Old {n}" for n in range(3)}

    opensearch_admin.switch(client, name, building.index)
    assert reader.count() == 5 and _titles(reader) == {f"New {n}" for n in range(5)}
    assert opensearch_admin.live_indices(client, name) == [building.index]
    assert client.indices.exists_alias(name=name)

    # A rebuild killed halfway: the name stays on the index it reached, and the next
    # rebuild removes the orphan before it starts.
    killed = opensearch_admin.open_rebuild(settings)
    with killed.writer() as writer:
        writer.add(make_doc("half", "asylum", title="Half"))
    assert reader.count() == 5 and opensearch_admin.orphans(client, name) == [killed.index]
    again = opensearch_admin.open_rebuild(settings)
    assert not client.indices.exists(index=killed.index)
    assert opensearch_admin.orphans(client, name) == [again.index]
    with again.writer() as writer:
        writer.add(make_doc("final", "asylum", title="Final"))
    opensearch_admin.switch(client, name, again.index)
    # The previous versioned index is deleted after the switch.
    assert not client.indices.exists(index=building.index)
    assert _titles(reader) == {"Final"} and opensearch_admin.orphans(client, name) == []
    assert OpenSearchEngine(client, name, create=False).count() == 1
    for engine in (first, reader, building, killed, again):
        engine.close()


def test_index_rebuild_on_opensearch_switches_while_searches_go_on(settings, tmp_path):
    """`searchhub index --rebuild` on OpenSearch: searches during the run answer from the
    old index (every one of them), then from the new one; never from a part of it.

    On a cluster of several nodes each node applies the switch on its own, within
    moments of the others (the client spreads searches over the nodes): while it
    spreads, a search coordinated by a node not yet told may still answer from the old
    complete index. Once the command has returned, every node has it."""
    folder = tmp_path / "notes"
    folder.mkdir()
    for n in range(4):
        (folder / f"note-{n}.txt").write_text(f"Field note {n}\n\nReintegration of "
                                              f"returnees, session {n}.", encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        f'[[source]]\nid = "notes"\nname = "Notes"\nagency = "IOM"\nkind = "files"\n'
        f'path = "{folder}"\n')
    from searchhub.cli import main

    env = {"SEARCHHUB_ENGINE": "opensearch",
           "SEARCHHUB_OPENSEARCH_URL": settings.opensearch_url,
           "SEARCHHUB_OPENSEARCH_INDEX": settings.opensearch_index,
           "SEARCHHUB_OPENSEARCH_REPLICAS": str(settings.opensearch_replicas)}
    args = ["--data-dir", str(tmp_path / "data"), "--sources", str(tmp_path / "sources.toml"),
            "index", "--quiet"]
    runner = CliRunner(env=env)
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    for n in range(4, 9):
        (folder / f"note-{n}.txt").write_text(f"Field note {n}\n\nReintegration of "
                                              f"returnees, session {n}.", encoding="utf-8")
    reader = open_engine(settings, create=False)
    seen: list[int] = []
    stop = threading.Event()

    def search_on():
        while not stop.is_set():
            seen.append(reader.search(Query("reintegration")).total)
    searcher = threading.Thread(target=search_on)
    searcher.start()
    try:
        while not seen and searcher.is_alive():      # one answer before the run starts
            time.sleep(0.01)
        rebuilt = runner.invoke(main, [*args, "--rebuild"])
        seen_at_switch = len(seen)       # the search under way now may have begun before
        while len(seen) < seen_at_switch + 4 and searcher.is_alive():
            time.sleep(0.01)
    finally:
        stop.set()
        searcher.join()
    assert rebuilt.exit_code == 0, rebuilt.output
    assert set(seen) <= {4, 9}                        # the old index or the new, whole
    assert seen[0] == 4                               # the old one while the run goes on
    after = seen[seen_at_switch + 1:]
    assert len(after) >= 3 and set(after) == {9}      # the new one once the run is done
    client = reader.client
    assert client.indices.exists_alias(name=settings.opensearch_index)
    assert opensearch_admin.orphans(client, settings.opensearch_index) == []
    reader.close()


def _facets(result) -> dict[str, dict[str, int]]:
    return {name: {fv.value: fv.count for fv in values}
            for name, values in result.facets.items()}


def test_engine_copy_moves_a_whoosh_index_into_opensearch(settings, make_engine, tmp_path):
    """`searchhub engine copy`: the same documents, totals and facet counts, without
    crawling again; the configured name then reaches the copy."""
    import datetime as dt

    from searchhub.cli import main

    agencies = ("IOM", "UNHCR", "ILO")
    docs = [make_doc(f"d{n}", "migrant workers" if n % 2 else "refugee health",
                     agency=agencies[n % 3], themes=[("labour", "health")[n % 2]],
                     countries=[("Sudan", "Chad", "Niger", "Mali")[n % 4]],
                     type=("Report", "Guide")[n % 2], gcm_objectives=[n % 5 + 1],
                     date=dt.date(2015 + n % 7, 1, 1), language=("en", "fr")[n % 2])
            for n in range(40)]
    whoosh = make_engine(docs)
    first = open_engine(settings)                      # something to replace
    with first.writer() as writer:
        writer.add(make_doc("stale", "gone"))
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "data"), "engine", "copy",
                                       "--index-dir", str(whoosh.path)],
                                env={"SEARCHHUB_OPENSEARCH_URL": settings.opensearch_url,
                                     "SEARCHHUB_OPENSEARCH_INDEX": settings.opensearch_index,
                                     "SEARCHHUB_OPENSEARCH_REPLICAS":
                                         str(settings.opensearch_replicas)})
    assert result.exit_code == 0, result.output
    assert "Copied 40 documents" in result.output
    copied = open_engine(settings, create=False)
    assert copied.count() == 40 and copied.get("stale") is None
    assert copied.get("d7") == whoosh.get("d7")
    for text in ("", "migrant", "health"):
        mine, theirs = whoosh.search(Query(text)), copied.search(Query(text))
        assert mine.total == theirs.total > 0
        assert _facets(mine) == _facets(theirs)
    copied.close()
    first.close()


def test_engine_copy_waits_for_no_indexing_run(make_engine, tmp_path):
    """The copy takes the indexing runs' lock: refused, naming the run, while one writes."""
    from indexer.lock import RunLock
    from searchhub.cli import main

    whoosh = make_engine([make_doc("a", "asylum")])
    lock = RunLock(tmp_path / "data")
    lock.acquire(what="searchhub index")
    try:
        result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "data"), "engine",
                                           "copy", "--index-dir", str(whoosh.path)])
    finally:
        lock.release()
    assert result.exit_code != 0 and "being written by searchhub index" in result.output


def _deleted(client, index: str) -> int:
    return client.indices.stats(index=index, metric="docs")["_all"]["primaries"]["docs"][
        "deleted"]


@pytest.mark.skipif(os.environ.get("SEARCHHUB_TEST_CLUSTER") != "1",
                    reason="waits about 30 s for OpenSearch's retention leases; run by make "
                           "test-cluster, or opt in with SEARCHHUB_TEST_CLUSTER=1")
def test_a_rebuild_merges_away_its_deleted_documents_before_the_switch(settings):
    # Lucene counts replaced documents in a word's rarity until their segments merge.
    building = opensearch_admin.open_rebuild(settings)
    for _ in range(2):                                  # the second time replaces each
        with building.writer() as writer:
            for n in range(40):
                writer.add(make_doc(f"d{n}", "asylum seekers", title=f"D {n}"))
    client = building.client
    assert _deleted(client, building.index) > 0
    opensearch_admin.finish_rebuild(settings, building.index)
    assert _deleted(client, building.index) == 0
    reader = open_engine(settings, create=False)
    assert reader.count() == 40
