"""Who asks, for this request: the viewer (``searchhub.visibility``) of Flask-Login's
``current_user``, and the curation view that carries it into every search."""

from __future__ import annotations

from dataclasses import replace

from flask import g

from searchhub import visibility
from searchhub.engine.base import CurationView
from searchhub.errors import ConfigError
from searchhub.models import Document

from .auth import current_user, get_db

#: Roles that see every document: they review and curate them.
SEE_ALL = ("curator", "admin")


def current_viewer() -> visibility.Viewer:
    """None for an anonymous visitor (or a disabled account); EVERYONE for curators and
    admins; "members" and the ids of their groups for members."""
    if "searchhub_viewer" not in g:
        g.searchhub_viewer = _viewer_of(current_user)
    return g.searchhub_viewer


def _viewer_of(user) -> visibility.Viewer:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.has_role(*SEE_ALL):
        return visibility.EVERYONE
    if user.has_role("member"):
        from searchhub.members.store import groups_of

        return frozenset({visibility.MEMBERS, *groups_of(get_db(), user.id)})
    return None


def _source_visibility() -> dict[str, list[str]]:
    """Each restricted source's visibility, from the source registry (none if the
    registry cannot be read: then no place is left out)."""
    from searchhub.platforms import registry_for

    from . import services

    try:
        sources = registry_for(services().settings).sources.values()
    except ConfigError:
        return {}
    return {s.id: list(s.defaults.get("visibility") or []) for s in sources
            if s.defaults.get("visibility")}


class ViewerCuration(CurationView):
    """A curation view that also says who asks: ``searching`` puts its ``viewer`` in
    every ``MatchRequest``, and ``correct`` leaves out the places of "also published
    by" (``Document.also_at``) whose source the viewer may not see; everything else is
    the wrapped view's."""

    def __init__(self, view: CurationView, viewer: visibility.Viewer):
        self._view = view
        self.viewer = viewer
        self._sources: dict[str, list[str]] | None = None

    def __getattr__(self, name: str):
        if name == "_view":
            raise AttributeError(name)
        return getattr(self._view, name)

    @property
    def hidden(self):  # type: ignore[override]
        return self._view.hidden

    @property
    def weights(self):  # type: ignore[override]
        return self._view.weights

    @property
    def facet_values(self):  # type: ignore[override]
        return self._view.facet_values

    def pinned_for(self, text: str) -> list[str]:
        return self._view.pinned_for(text)

    def correct(self, doc: Document) -> Document:
        doc = self._view.correct(doc)
        if not doc.also_at or not visibility.restricts(self.viewer):
            return doc
        if self._sources is None:
            self._sources = _source_visibility()
        places = [p for p in doc.also_at if visibility.may_see(
            self._sources.get(str(p.get("source", "")), ()), self.viewer)]
        return doc if len(places) == len(doc.also_at) else replace(doc, also_at=places)
