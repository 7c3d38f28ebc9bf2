"""The interlinkages of the partner platforms: links between their documents (kept by
the indexer in ``Document.links``), attributed by the registry's URL prefixes, and
the reports they share (``Document.also_at``: the same report merged from another
platform). A link to no known platform counts towards its host, so that platforms
worth mapping show up.

Computed from the index, document by document, with a cache keyed by each document's
content hash: after a run that changed nothing, nothing is read again. A merge changes
a document's places but not its hash, so a run that merged or removed places (the
``since`` mark the caller passes) reads every document again.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from searchhub.engine.base import CurationView, SearchEngine
from searchhub.visibility import may_see

from .registry import Registry


@dataclass(frozen=True)
class _Entry:
    hash: str
    platform: str
    links: tuple[str, ...]
    also_sources: tuple[str, ...]
    visibility: tuple[str, ...] = ()


@dataclass
class Graph:
    """``edges``: (from, to) -> [links, shared]; ``to`` is a platform id or, for links
    to no known platform, a host. ``documents``: platform id -> documents."""

    edges: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    documents: Counter = field(default_factory=Counter)
    unknown: Counter = field(default_factory=Counter)          # host -> links
    #: (platform holding the document, platform it is also published on) -> doc ids
    shared: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def shared_by(self, platform_id: str) -> list[tuple[str, str]]:
        """(document id, other platform) of the reports ``platform_id`` shares, in
        either direction, documents in id order."""
        out = set()
        for (a, b), ids in self.shared.items():
            if platform_id in (a, b):
                out.update((doc_id, b if a == platform_id else a) for doc_id in ids)
        return sorted(out)

    def rows(self) -> list[dict]:
        return [{"from": a, "to": b, "links": n, "shared": s}
                for (a, b), (n, s) in sorted(self.edges.items(),
                                             key=lambda kv: (-kv[1][0] - kv[1][1], kv[0]))]

    def of(self, platform_id: str) -> tuple[list[dict], list[dict]]:
        """(rows from ``platform_id``, rows to it)."""
        rows = self.rows()
        return ([r for r in rows if r["from"] == platform_id],
                [r for r in rows if r["to"] == platform_id])


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _entries(engine: SearchEngine, since: object = None) -> dict[str, _Entry]:
    """Every live document's platform, links and sharing sources, read again only for
    documents whose content hash changed since the last call, or all of them when
    ``since`` (a mark of the runs that merged or removed places) moved."""
    with _lock:
        cache: dict[str, _Entry] = _caches.setdefault(engine, {})
        if cache.get("") != since:
            cache.clear()
            cache[""] = since
        known = engine.known()
        for doc_id in [d for d in cache if d and d not in known]:
            del cache[doc_id]
        for doc_id, digest in known.items():
            entry = cache.get(doc_id)
            if entry is not None and entry.hash == digest and digest:
                continue
            doc = engine.get(doc_id)
            if doc is None:
                continue
            cache[doc_id] = _Entry(digest, doc.platform or doc.source_id, tuple(doc.links),
                                   tuple(str(p.get("source", "")) for p in doc.also_at),
                                   tuple(doc.visibility))
        return {k: v for k, v in cache.items() if k}


def build(engine: SearchEngine, registry: Registry, curation: CurationView | None = None,
          since: object = None) -> Graph:
    """The graph of the live documents that curation does not hide and its viewer may
    see. ``since`` marks the last run that merged or removed places (see ``_entries``)."""
    curation = curation or CurationView()
    hidden, viewer = curation.hidden, curation.viewer
    graph = Graph()
    source_platform = {s.id: str(s.defaults.get("platform") or s.id)
                       for s in registry.sources.values()}
    owners: dict[str, str | None] = {}
    for doc_id, entry in _entries(engine, since).items():
        if doc_id in hidden or not may_see(entry.visibility, viewer):
            continue
        graph.documents[entry.platform] += 1
        for url in entry.links:
            if url not in owners:
                owner = registry.owner(url)
                owners[url] = owner.id if owner else None
            target = owners[url]
            if target == entry.platform:
                continue
            if target is None:
                target = urlsplit(url).netloc.lower()
                graph.unknown[target] += 1
            graph.edges.setdefault((entry.platform, target), [0, 0])[0] += 1
        for source in entry.also_sources:
            other = source_platform.get(source, source)
            if other and other != entry.platform:
                graph.edges.setdefault((entry.platform, other), [0, 0])[1] += 1
                graph.shared.setdefault((entry.platform, other), []).append(doc_id)
    return graph


#: Agency colours of the graph (dark enough for white-on-colour and 3:1 on white).
PALETTE = ("#0b5cad", "#a1261b", "#1e6b24", "#7a3e9d", "#8a5a00", "#006d77", "#b3366b",
           "#4d5966")


def layout(graph: Graph, registry: Registry, size: int = 640) -> dict:
    """Plain geometry for the SVG template: platforms (those with documents or links)
    on a circle, radius by documents, edges by links; colours by agency."""
    linked = {a for a, _ in graph.edges} | {b for _, b in graph.edges}
    ids = [p.id for p in registry.platforms if graph.documents[p.id] or p.id in linked]
    agencies = sorted({registry.get(i).agency for i in ids})
    colour = {a: PALETTE[n % len(PALETTE)] for n, a in enumerate(agencies)}
    centre, ring = size / 2, size / 2 - 70
    peak = max([graph.documents[i] for i in ids] + [1])
    nodes = {}
    for n, pid in enumerate(ids):
        angle = 2 * math.pi * n / max(len(ids), 1) - math.pi / 2
        platform = registry.get(pid)
        nodes[pid] = {"id": pid, "name": platform.name, "agency": platform.agency,
                      "documents": graph.documents[pid], "colour": colour[platform.agency],
                      "x": round(centre + ring * math.cos(angle), 1),
                      "y": round(centre + ring * math.sin(angle), 1),
                      "r": round(6 + 18 * math.sqrt(graph.documents[pid] / peak), 1)}
    top = max([n + s for (a, b), (n, s) in graph.edges.items()
               if a in nodes and b in nodes] + [1])
    edges = [{"from": a, "to": b, "links": n, "shared": s,
              "x1": nodes[a]["x"], "y1": nodes[a]["y"], "x2": nodes[b]["x"],
              "y2": nodes[b]["y"], "width": round(1 + 5 * (n + s) / top, 1)}
             for (a, b), (n, s) in graph.edges.items() if a in nodes and b in nodes]
    return {"size": size, "nodes": list(nodes.values()), "edges": edges,
            "legend": list(colour.items())}
