"""Who asks, for this request: the viewer (``searchhub.visibility``) of Flask-Login's
``current_user``, and the curation view that carries it into every search."""

from __future__ import annotations

from flask import g

from searchhub import visibility
from searchhub.engine.base import CurationView
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


class ViewerCuration(CurationView):
    """A curation view that also says who asks: ``searching`` puts its ``viewer`` in
    every ``MatchRequest``; everything else is the wrapped view's."""

    def __init__(self, view: CurationView, viewer: visibility.Viewer):
        self._view = view
        self.viewer = viewer

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
        return self._view.correct(doc)
