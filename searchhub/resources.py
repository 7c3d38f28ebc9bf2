"""The files that ship with searchhub: the web app's templates and static files, and
the bundled source registry with its demo corpus and the default taxonomies.

They are package data of ``searchhub_assets.web`` and ``searchhub_assets.corpus``
(the repository's ``web/`` and ``corpus/`` folders, mapped in setup.py), so they are
found the same way in a checkout's editable install and in a plain ``pip install``.
Each function returns a folder or file on disk; searchhub is not run from a zip.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

WEB = "searchhub_assets.web"
CORPUS = "searchhub_assets.corpus"


def _path(package: str, name: str) -> Path:
    resource = files(package) / name
    if not isinstance(resource, Path):
        raise RuntimeError(f"{package} is not installed as files on disk ({resource!r}); "
                           "install searchhub with pip, not as a zip")
    return resource


def templates_dir() -> Path:
    """The Jinja templates of the web app."""
    return _path(WEB, "templates")


def static_dir() -> Path:
    """The CSS and JavaScript of the web app."""
    return _path(WEB, "static")


def translations_dir() -> Path:
    """The interface's message catalogues: <lang>/LC_MESSAGES/messages.po and .mo."""
    return _path(WEB, "translations")


def bundled_sources() -> Path:
    """The bundled source registry: the demo corpus of eight agencies."""
    return _path(CORPUS, "sources.toml")


def bundled_taxonomy_dir() -> Path:
    """The default themes, GCM objectives, regions and countries."""
    return _path(CORPUS, "taxonomy")


def bundled_lexicon_file() -> Path:
    """The migration lexicon: concepts named in six languages (query expansion)."""
    return _path(CORPUS, "lexicon.toml")


def bundled_dictionary_file() -> Path:
    """The bilingual dictionary of English, French and Spanish words (query expansion)."""
    return _path(CORPUS, "dictionary.tsv.gz")


def bundled(path: Path) -> str | None:
    """``path`` as ``corpus/...`` when it is one of the bundled files, else None."""
    corpus = _path(CORPUS, "sources.toml").parent
    return f"corpus/{path.relative_to(corpus)}" if path.is_relative_to(corpus) else None
