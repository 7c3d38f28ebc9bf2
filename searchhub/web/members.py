"""The members' area: ``/members``, a member's home: their groups (from the group
registry, ``searchhub.members.groups``) and each group's newest documents, found
through the search service under the member's viewer (``viewer``); and
``/admin/groups``, where admins set who belongs to which group."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request, url_for

from searchhub import accounts, visibility
from searchhub.errors import NotFound
from searchhub.members import store
from searchhub.members.groups import Group, load_groups
from searchhub.models import Query
from searchhub.notice import notice
from searchhub.platforms import registry_for
from searchhub.searching import search

from . import services
from .auth import current_user, get_db, role_required
from .curate import _done, current_view
from .viewer import current_viewer

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


def _uploaded(audiences: set[str], workstream: str | None = None) -> list:
    """The approved uploads for ``audiences`` (or to ``workstream``) that this viewer
    may see, as the index holds them."""
    from searchhub.uploads import store as uploads

    engine, viewer = services().engine, current_viewer()
    found = []
    for upload in uploads.approved(get_db()):
        audience = upload.metadata.get("visibility") or []
        if upload.workstream != workstream and audiences.isdisjoint(audience):
            continue
        doc = engine.get(upload.doc_id)
        if doc is not None and visibility.may_see(doc.visibility, viewer):
            found.append(doc)
    return found


def _newest(audiences: set[str], count: int = NEWEST,
            workstream: str | None = None) -> tuple[int, list]:
    """How many documents are for ``audiences`` (group ids, "members"), uploads
    included (and those to ``workstream``), and the newest ``count`` of them."""
    ids = sorted({i for audience in audiences for i in _sources_for(audience)})
    total, documents = 0, []
    if ids:
        text = " OR ".join(f"source:{i}" for i in ids)
        page = search(services().engine, Query(text, sort="newest", page_size=count),
                      current_view())
        total, documents = page.total, [hit.document for hit in page.hits]
    uploaded = _uploaded(audiences, workstream)
    documents = sorted(documents + uploaded, key=lambda d: d.date or dt.date.min,
                       reverse=True)[:count]
    return total + len(uploaded), documents


@bp.route("/members")
@role_required("member", "curator")
def home():
    groups = _groups()
    mine = [groups[g] for g in store.groups_of(get_db(), current_user.id) if g in groups]
    sections = []
    for audience, group in [(visibility.MEMBERS, None), *((g.id, g) for g in mine)]:
        total, newest = _newest({audience})
        sections.append({"id": audience, "group": group, "total": total, "newest": newest})
    from searchhub.uploads import store as uploads

    from .uploads import reviews, shown
    contributions = uploads.of_member(get_db(), current_user.name)
    return render_template("members/home.html", groups=mine, sections=sections,
                           uploads=contributions, shown=shown(contributions),
                           reviews=reviews())


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
        return _done(notice("There is no such account."), back, 400)
    known = _groups()
    chosen = request.form.getlist("group")
    unknown = [g for g in chosen if g not in known]
    if unknown:
        return _done(notice("No group %(groups)s in the group registry.",
                            groups=", ".join(unknown)), back, 400)
    store.set_groups(conn, account.id, chosen)
    names = ", ".join(known[g].name for g in sorted(set(chosen)))
    return _done(notice("%(name)s now belongs to %(groups)s.", name=account.name, groups=names)
                 if names else notice("%(name)s now belongs to no group.", name=account.name),
                 back)


#: Documents listed on a group's page.
GROUP_PAGE = 50


@bp.route("/members/groups/<group_id>")
@role_required("member", "curator")
def group(group_id: str):
    """A group's page, for its members (and curators): what it is, who leads it and
    belongs to it, and its newest documents. Others get 404, as for a missing group."""
    found = _groups().get(group_id)
    if found is None or not visibility.may_see([group_id], current_viewer()):
        raise NotFound(notice("There is no group %(group)s.", group=repr(group_id)))
    total, newest = _newest({group_id, visibility.MEMBERS}, GROUP_PAGE,
                            workstream=group_id if found.template is not None else None)
    from .uploads import LABELS

    return render_template("members/group.html", group=found, total=total, newest=newest,
                           members=store.members_of(get_db(), group_id), labels=LABELS,
                           template=_template_rows(found),
                           may_upload=found.template is not None and (
                               current_user.has_role("curator")
                               or group_id in store.groups_of(get_db(), current_user.id)))


def _template_rows(group: Group) -> list[dict]:
    """A workstream's template as rows to show: each field, whether it is required,
    its allowed values (the taxonomy's are named, not listed) and its default."""
    from searchhub.uploads.templates import FIELDS, TAXONOMY_FIELDS

    template = group.template
    if template is None:
        return []
    return [{"name": name, "required": name in template.required,
             "allowed": list(template.allowed.get(name, ())),
             "taxonomy": name in TAXONOMY_FIELDS,
             "default": template.defaults.get(name, "")} for name in FIELDS]
