"""The indexing fast path must produce exactly what the query-side analyzers do."""

from __future__ import annotations

import json

import pytest

from searchhub.engine import Engine
from searchhub.engine.analysis import GROUPS, analyse, analyzer, terms
from searchhub.errors import IndexOutdated

SAMPLES = [
    "Les travailleurs migrants et la migración laboral: réintégration, İstanbul, don't "
    "e.g. U.S.A. 2019's a b I",
    "Return and reintegration of migrants in the Horn of Africa may yet help us all.",
    "Мигранты и беженцы в России. المهاجرين واللاجئين في الأردن",
    "国际移民组织 IOM report 移民",
    "Trabajadores migrantes, niñas y niños no acompañados; ação; Übergang; straße",
]


@pytest.mark.parametrize("group", GROUPS)
def test_terms_equal_the_analyzer(group, corpus_real_or_none):
    texts = list(SAMPLES)
    if corpus_real_or_none is not None:
        lines = (corpus_real_or_none / "meta" / "reliefweb-reports.jsonl").open(encoding="utf-8")
        texts += [json.loads(line)["text"] for _, line in zip(range(60), lines, strict=False)]
        lines.close()
    for text in texts + ["The migrants of the world", "a I of migrants"]:
        assert terms(group, text) == [t.text for t in analyzer(group)(text)]
        # Positions as Whoosh numbers them (stop words before the first term count).
        positions = [t.pos for t in analyzer(group)(text, positions=True, mode="index")]
        if positions:
            assert analyse(group, text).first == positions[0]


@pytest.fixture
def corpus_real_or_none(repo_root):
    folder = repo_root.parent / "shared" / "corpus-real"
    return folder if folder.is_dir() else None


def test_index_of_another_format_asks_for_a_rebuild(tmp_path):
    with Engine(tmp_path / "index"):
        pass
    (tmp_path / "index" / "searchhub-index-format").write_text("1\n")
    with pytest.raises(IndexOutdated, match="searchhub index --rebuild"):
        Engine(tmp_path / "index")


def test_a_rebuilt_index_is_noticed_at_the_same_generation(tmp_path):
    """Deleting the index and rebuilding it in one commit reaches the same generation
    number as before; a running engine must still serve the new content."""
    import shutil

    from searchhub.models import Document, Query

    def build(title):
        with Engine(tmp_path / "index") as writer_engine, writer_engine.writer() as w:
            w.add(Document("a", title, "http://x/a", "s", "IOM", [title], "en"))

    build("Remittance corridors")
    reader = Engine(tmp_path / "index", create=False)
    assert reader.search(Query("remittance")).total == 1
    shutil.rmtree(tmp_path / "index")
    build("Seasonal workers")
    reader.refresh()
    assert reader.search(Query("remittance")).total == 0
    assert reader.search(Query("seasonal")).total == 1
    reader.close()
