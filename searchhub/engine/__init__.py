"""The seam between searchhub and its full-text engine (``base``), and the Whoosh engine.

Names are imported on first use, so that importing one module of the package
(``schema``, which defines the field formats pickled into an index) loads no more.
"""

from importlib import import_module

_WHERE = {"CurationView": ".base", "IndexWriter": ".base", "Match": ".base",
          "MatchRequest": ".base", "Matches": ".base", "SearchEngine": ".base",
          "Vocabulary": ".base", "Engine": ".whoosh_engine", "EngineWriter": ".whoosh_engine"}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value
