"""Fixtures for the engine tests: a fresh Whoosh index in tmp_path per test,
built from a handful of documents made by ``make_doc``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import pytest

from searchhub.engine import Engine
from searchhub.models import Document, Query


def make_doc(doc_id: str, text: str = "", *, title: str | None = None,
             pages: list[str] | None = None, **fields) -> Document:
    """A Document with sensible defaults; ``text`` becomes its only page."""
    defaults = {
        "url": f"https://example.org/{doc_id}",
        "source_id": "test",
        "agency": "IOM",
        "language": "en",
        "format": "html",
        "date": dt.date(2020, 1, 1),
        "content_hash": f"hash-{doc_id}",
    }
    defaults.update(fields)
    return Document(id=doc_id, title=title if title is not None else f"Document {doc_id}",
                    pages=pages if pages is not None else [text], **defaults)


def index_docs(engine: Engine, docs: Iterable[Document]) -> Engine:
    with engine.writer(timeout=5.0) as writer:
        for doc in docs:
            writer.add(doc)
    return engine


@pytest.fixture
def make_engine(tmp_path) -> Callable[[Iterable[Document]], Engine]:
    """Build an Engine in a fresh folder from documents: ``make_engine([doc, ...])``."""
    counter = iter(range(1000))

    def build(docs: Iterable[Document] = ()) -> Engine:
        engine = Engine(tmp_path / f"index{next(counter)}")
        return index_docs(engine, docs)
    return build


def ids(result) -> list[str]:
    return [hit.document.id for hit in result.hits]


def search(engine: Engine, text: str = "", **kwargs):
    kwargs.setdefault("page_size", 50)
    return engine.search(Query(text, **kwargs))
