"""The partner platforms: the registry (``registry``), what each holds and how it fares
(``directory``). Pages and the API are in ``searchhub.web.platforms``."""

from __future__ import annotations

import threading
from pathlib import Path

from .registry import Platform, Registry, load_platforms

__all__ = ["Platform", "Registry", "load_platforms", "registry_for"]

_cache: dict[tuple, Registry] = {}
_lock = threading.Lock()


def _stamp(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def registry_for(settings) -> Registry:
    """The platform registry of ``settings`` (its source registry joined with its
    platform file), read again when either file changes. Raises ConfigError."""
    from indexer.sources import load_sources

    key = (_stamp(Path(settings.sources)), _stamp(settings.platforms_file),
           str(settings.taxonomy_dir))
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    sources = load_sources(settings.sources, settings.taxonomy_dir)
    registry = load_platforms(settings.platforms_file, sources, settings.taxonomy_dir)
    with _lock:
        if len(_cache) > 8:
            _cache.clear()
        _cache[key] = registry
    return registry
