"""Who may see a document: the one rule, for the engines, the registry and the web app.

A document's ``visibility`` is a list of audiences: empty for a public document,
``["members"]`` for every member, or group ids (``["wg-data"]``) for the members of
those groups. Who asks is a *viewer*: None for an anonymous visitor (public documents
only), else a frozenset of the audiences they belong to ("members" and their group
ids), or ``EVERYONE`` (curators and admins, who review everything).

The engines apply ``may_see`` where they apply curators' hidden ids
(``engine.base.MatchRequest.viewer``), so hits, totals, facet counts, pins and "did
you mean" follow it; the web app answers 404 for a document its viewer may not see.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from searchhub.models import Document

#: The audience of every member.
MEMBERS = "members"
#: A viewer who may see every document (curators and admins).
ALL = "*"
EVERYONE: frozenset[str] = frozenset({ALL})
#: What a group id looks like (as source and platform ids).
GROUP_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

Viewer = frozenset[str] | None


def parse(value) -> list[str]:
    """A registry's or a template's ``visibility`` as a document's: "public" -> [],
    "members" -> ["members"], a list of group ids -> that list (sorted, unique).
    Raises ValueError with a message a person can act on."""
    if value is None or value == "public":
        return []
    if value == MEMBERS:
        return [MEMBERS]
    if isinstance(value, list) and value and all(
            isinstance(v, str) and GROUP_ID.match(v) for v in value):
        return sorted(set(value))
    raise ValueError('visibility must be "public", "members" or a non-empty list of '
                     'group ids (lowercase letters, digits, - or _)')


def restricts(viewer: Viewer) -> bool:
    """Whether ``viewer`` may be kept from some document."""
    return viewer is None or ALL not in viewer


def may_see(visibility: Sequence[str], viewer: Viewer) -> bool:
    """Whether ``viewer`` may see a document of ``visibility``."""
    if not visibility:
        return True
    if viewer is None:
        return False
    return ALL in viewer or not viewer.isdisjoint(visibility)


def visible(doc: Document | None, viewer: Viewer) -> Document | None:
    """``doc`` if ``viewer`` may see it, else None (so a page answers as for a missing id)."""
    return doc if doc is not None and may_see(doc.visibility, viewer) else None


def key(viewer: Viewer) -> frozenset[str] | None:
    """What caches of visible data are keyed by: viewers who see the same documents
    share one."""
    return EVERYONE if viewer is not None and ALL in viewer else viewer
