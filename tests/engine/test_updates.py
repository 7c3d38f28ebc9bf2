"""Adding, replacing and deleting documents; readers in other Engine instances,
concurrent writes, and a writer that dies before committing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from searchhub.engine import Engine
from searchhub.errors import IndexBusy, IndexMissing

from .conftest import ids, index_docs, make_doc, search


@pytest.fixture
def engine(make_engine):
    return make_engine([
        make_doc("a", "first version about remittances", title="Old title",
                 content_hash="h-a1"),
        make_doc("b", "another document about detention", content_hash="h-b"),
    ])


def test_readding_an_id_replaces_the_document(engine):
    index_docs(engine, [make_doc("a", "second version about asylum", title="Shiny headline",
                                 content_hash="h-a2")])
    assert engine.count() == 2
    assert ids(search(engine, "headline")) == ["a"]
    assert search(engine, "remittances").total == 0
    assert engine.get("a").title == "Shiny headline"
    assert engine.known() == {"a": "h-a2", "b": "h-b"}


def test_delete_removes_the_document(engine):
    with engine.writer() as writer:
        writer.delete("a")
    assert engine.count() == 1
    assert search(engine, "remittances").total == 0
    assert engine.get("a") is None
    assert "a" not in engine.known()
    assert search(engine).facets["agency"][0].count == 1


def test_known_returns_ids_with_hashes_per_source(make_engine):
    engine = make_engine([make_doc("x", "one", source_id="s1", content_hash="hx"),
                          make_doc("y", "two", source_id="s2", content_hash="hy")])
    assert engine.known() == {"x": "hx", "y": "hy"}
    assert engine.known("s1") == {"x": "hx"}
    assert engine.known("nope") == {}


def test_get_round_trips_the_document(make_engine):
    doc = make_doc("r", pages=["page one", "page two"], format="pdf", regions=["Africa"],
                   countries=["Kenya"], themes=["health"], gcm_objectives=[3, 17],
                   author="A. Author", description="About it", quality=["short"])
    engine = make_engine([doc])
    stored = engine.get("r")
    assert stored.indexed_at is not None
    stored.indexed_at = None
    assert stored == doc


def test_nothing_is_visible_before_commit(engine):
    writer = engine.writer()
    writer.add(make_doc("c", "pending words about resettlement"))
    engine.refresh()
    assert search(engine, "resettlement").total == 0
    writer.commit()
    assert ids(search(engine, "resettlement")) == ["c"]


def test_writer_rolls_back_on_error(engine):
    with pytest.raises(RuntimeError), engine.writer() as writer:
        writer.add(make_doc("c", "resettlement"))
        raise RuntimeError("boom")
    engine.refresh()
    assert engine.count() == 2
    engine.writer().cancel()   # the lock was released


def test_second_writer_is_refused_while_one_is_open(engine):
    writer = engine.writer()
    try:
        with pytest.raises(IndexBusy):
            Engine(engine.path).writer()
    finally:
        writer.cancel()


def test_missing_index_is_reported(tmp_path):
    with pytest.raises(IndexMissing):
        Engine(tmp_path / "nothing", create=False)


def test_second_engine_sees_commits_after_refresh(engine):
    reader = Engine(engine.path)
    assert reader.count() == 2
    index_docs(engine, [make_doc("c", "resettlement")])
    reader.refresh()
    assert reader.count() == 3
    assert ids(search(reader, "resettlement")) == ["c"]


def test_writer_in_a_second_engine_replaces_a_fresh_commit(engine):
    # The second engine's snapshot predates the first engine's commit; its writer
    # must still replace "c" rather than add a duplicate.
    other = Engine(engine.path)
    assert other.count() == 2
    index_docs(engine, [make_doc("c", "first copy")])
    index_docs(other, [make_doc("c", "second copy")])
    engine.refresh()
    assert engine.count() == 3
    assert ids(search(engine, "copy")) == ["c"]
    assert engine.get("c").text == "second copy"


def test_search_while_another_thread_commits(engine):
    """Searches interleave with commits: the writer commits only after the reader has
    searched since its last commit, so every commit falls between two searches (or
    during one); the counts of both are fixed, not what fits in some seconds."""
    commits_wanted = 30
    errors: list[BaseException] = []
    searched = threading.Semaphore(0)
    done = threading.Event()
    commits = 0

    def write():
        nonlocal commits
        try:
            for i in range(commits_wanted):
                if not searched.acquire(timeout=60):   # a guard: the reader failed
                    raise RuntimeError("the reader stopped searching")
                with engine.writer(timeout=5.0) as writer:
                    writer.add(make_doc(f"w{i}", f"resettlement batch {i}"))
                    if i % 3 == 0:
                        writer.add(make_doc("a", f"rewritten {i} remittances"))
                    if i and i % 5 == 0:
                        writer.delete(f"w{i - 1}")
                commits += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    searches = 0
    try:
        while not done.is_set():
            engine.refresh()
            result = search(engine, "resettlement OR remittances", page_size=5)
            assert result.total == sum(fv.count for fv in result.facets["language"])
            assert len(search(engine, "remittances").hits) == 1
            searches += 1
            searched.release()
    finally:
        done.set()
        searched.release(commits_wanted)
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert errors == []
    assert commits == commits_wanted and searches >= commits_wanted
    engine.refresh()
    # 2 documents to start with, 30 added, one deleted on each multiple of 5 from 5 to 25.
    assert engine.count() == 2 + commits_wanted - 5


def test_cancelled_writer_leaves_the_committed_index(engine):
    writer = engine.writer()
    writer.add(make_doc("c", "uncommitted resettlement"))
    writer.delete("a")
    writer.cancel()
    fresh = Engine(engine.path)
    assert fresh.count() == 2
    assert search(fresh, "resettlement").total == 0
    assert ids(search(fresh, "remittances")) == ["a"]
    fresh.writer().cancel()


KILLED_WRITER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, sys.argv[2])
    from engine.conftest import make_doc
    from searchhub.engine import Engine
    writer = Engine(sys.argv[1]).writer()
    for i in range(50):
        writer.add(make_doc(f"k{i}", "uncommitted resettlement " * 50))
    os._exit(9)   # killed: no commit, no cancel, no cleanup
""")


def test_killed_writer_leaves_the_committed_index_and_releases_the_lock(engine):
    tests_dir = str(Path(__file__).resolve().parents[1])
    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(engine.path), tests_dir],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr
    fresh = Engine(engine.path)
    assert fresh.count() == 2
    assert search(fresh, "resettlement").total == 0
    index_docs(fresh, [make_doc("c", "after the crash")])
    assert fresh.count() == 3


def test_same_id_twice_in_one_writer_is_one_document(make_engine):
    engine = make_engine([make_doc("y", "committed")])
    with engine.writer() as writer:
        writer.add(make_doc("x", "first", title="first"))
        writer.add(make_doc("x", "second", title="second"))
        writer.add(make_doc("y", "replaced once", title="replaced once"))
        writer.add(make_doc("y", "replaced twice", title="replaced twice"))
        writer.add(make_doc("z", "added then deleted"))
        writer.delete("z")
    assert engine.count() == 2
    assert engine.get("x").title == "second"
    assert engine.get("y").title == "replaced twice"
    assert engine.get("z") is None
