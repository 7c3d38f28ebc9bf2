"""``open_engine``: the engine the settings name, and the same refusals from both."""

from __future__ import annotations

import uuid

import pytest

from searchhub.engine import Engine, OpenSearchEngine, open_engine
from searchhub.errors import ConfigError, IndexMissing, IndexOutdated
from searchhub.settings import Settings

from .conftest import make_doc


def test_whoosh_by_default(tmp_path):
    settings = Settings.load({"data_dir": str(tmp_path)}, environ={})
    with pytest.raises(IndexMissing):
        open_engine(settings, create=False)
    engine = open_engine(settings)
    assert isinstance(engine, Engine) and engine.path == tmp_path / "index"
    engine.close()


def test_an_unknown_engine_is_refused():
    with pytest.raises(ConfigError) as info:
        Settings.load(environ={"SEARCHHUB_ENGINE": "solr"})
    assert any("SEARCHHUB_ENGINE" in p and "opensearch" in p for p in info.value.problems)


def test_opensearch_from_the_settings(opensearch_url):
    name = f"searchhub-test-{uuid.uuid4().hex[:12]}"
    settings = Settings.load(environ={"SEARCHHUB_ENGINE": "opensearch",
                                      "SEARCHHUB_OPENSEARCH_URL": opensearch_url,
                                      "SEARCHHUB_OPENSEARCH_INDEX": name,
                                      "SEARCHHUB_OPENSEARCH_REPLICAS": "0"})
    with pytest.raises(IndexMissing):
        open_engine(settings, create=False)
    engine = open_engine(settings)
    try:
        assert isinstance(engine, OpenSearchEngine) and engine.index == name
        with engine.writer() as writer:
            writer.add(make_doc("a", "asylum"))
        again = open_engine(settings, create=False)
        assert again.get("a").pages == ["asylum"] and again.count() == 1
        again.close()
        # An index of another mapping version is refused, with what to do.
        engine.client.indices.put_mapping(index=name, body={"_meta": {"searchhub_mapping": 0}})
        with pytest.raises(IndexOutdated, match="index again"):
            open_engine(settings, create=False)
    finally:
        engine.client.indices.delete(index=name)
        engine.close()
