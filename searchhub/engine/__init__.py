"""The seam between searchhub and its full-text engine (``base``), the Whoosh engine and
the OpenSearch engine, and ``open_engine``, which opens the one the settings name.

Names are imported on first use, so that importing one module of the package
(``schema``, which defines the field formats pickled into an index) loads no more.
"""

from importlib import import_module

_WHERE = {"CurationView": ".base", "IndexWriter": ".base", "Match": ".base",
          "MatchRequest": ".base", "Matches": ".base", "SearchEngine": ".base",
          "Vocabulary": ".base", "Engine": ".whoosh_engine", "EngineWriter": ".whoosh_engine",
          "OpenSearchEngine": ".opensearch_engine"}

__all__ = sorted([*_WHERE, "open_engine"])


def open_engine(settings, *, create: bool = True, path=None):
    """The engine ``settings.engine`` names: a Whoosh index in ``path`` (default
    ``settings.index_dir``), or the index ``settings.opensearch_index`` of the cluster
    at ``settings.opensearch_url``. ``create=False`` raises ``IndexMissing`` when there
    is no index yet."""
    if settings.engine == "opensearch":
        from .opensearch_admin import client_for
        from .opensearch_engine import OpenSearchEngine

        return OpenSearchEngine(client_for(settings), settings.opensearch_index, create=create,
                                shards=settings.opensearch_shards,
                                replicas=settings.opensearch_replicas,
                                max_clauses=settings.opensearch_max_clauses)
    from .whoosh_engine import Engine

    return Engine(path if path is not None else settings.index_dir, create=create)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value
