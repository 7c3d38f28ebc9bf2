"""The members' area: ``/members``, a member's home: their groups (from the group
registry, ``searchhub.members.groups``) and each group's newest documents, found
through the search service under the member's viewer (``viewer``); and
``/admin/groups``, where admins set who belongs to which group."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from searchhub import accounts, visibility
from searchhub.members import store
from searchhub.members.groups import Group, load_groups
from searchhub.models import Query
from searchhub.platforms import registry_for
from searchhub.searching import search

from . import services
from .auth import current_user, get_db, role_required
from .curate import _done, current_view

bp = Blueprint("members", __name__)
#: Newest documents listed per group.
NEWEST = 5


def _groups() -> dict[str, Group]:
    return load_groups(services().settings.workstreams_file)


def _sources_for(audience: str) -> list[str]:
    """The ids of the sources whose documents are for ``audience`` (a group id, or
    "members")."""
    sources = registry_for(services().settings).sources.values()
    return sorted(s.id for s in sources if audience in s.defaults.get("visibility", ()))


def _newest(audience: str) -> tuple[int, list]:
    """How many documents are for ``audience`` and the newest NEWEST of them."""
    ids = _sources_for(audience)
    if not ids:
        return 0, []
    text = " OR ".join(f"source:{i}" for i in ids)
    page = search(services().engine, Query(text, sort="newest", page_size=NEWEST),
                  current_view())
    return page.total, [hit.document for hit in page.hits]


@bp.route("/members")
@role_required("member", "curator")
def home():
    groups = _groups()
    mine = [groups[g] for g in store.groups_of(get_db(), current_user.id) if g in groups]
    sections = []
    for audience, group in [(visibility.MEMBERS, None), *((g.id, g) for g in mine)]:
        total, newest = _newest(audience)
        sections.append({"id": audience, "group": group, "total": total, "newest": newest})
    return render_template("members/home.html", groups=mine, sections=sections)


@bp.route("/admin/groups")
@role_required("admin")
def admin_groups():
    conn = get_db()
    rows = [{"account": a, "groups": set(store.groups_of(conn, a.id))}
            for a in accounts.all_accounts(conn)]
    return render_template("members/admin_groups.html", rows=rows, groups=_groups())


@bp.route("/admin/groups", methods=["POST"])
@role_required("admin")
def admin_set_groups():
    back = url_for("members.admin_groups")
    conn = get_db()
    account = accounts.by_name(conn, request.form.get("name", ""))
    if account is None:
        return _done("There is no such account.", back, 400)
    known = _groups()
    chosen = request.form.getlist("group")
    unknown = [g for g in chosen if g not in known]
    if unknown:
        return _done(f"No group {', '.join(unknown)} in the group registry.", back, 400)
    store.set_groups(conn, account.id, chosen)
    names = ", ".join(known[g].name for g in sorted(set(chosen))) or "no group"
    return _done(f"{account.name} now belongs to {names}.", back)
