"""Changing the directory of experts: curators create, edit, approve, reject and remove
profiles; anyone may suggest an expert (rate-limited per address), which makes a
pending profile a curator approves (once the person's consent is recorded) or rejects.

Every form is CSRF-protected (``auth.csrf``), reports every invalid field at once and
shows again everything that was typed. Changes go through ``experts.store``, audited.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from indexer.enrich.taxonomy import name_key
from searchhub import database
from searchhub.errors import NotFound
from searchhub.experts import store
from searchhub.experts.model import (
    CONTACTS,
    FIELDS,
    LIST_FIELDS,
    SEPARATOR,
    VISIBILITIES,
    Profile,
    as_text,
    check_profile,
    vocabulary,
)
from searchhub.notice import notice
from searchhub.text import fold

from . import services
from .auth import _safe_next, current_name, get_db, role_required
from .curate import CURATORS
from .i18n import translate_notice, value_label

bp = Blueprint("experts_curate", __name__)
SUGGESTION = "expert-suggestion"
#: What a visitor may fill in when suggesting an expert.
SUGGEST_FIELDS = ("name", "title", "organisation", "agency", "themes", "gcm_objectives",
                  "regions", "countries", "languages", "bio", "links")
#: Fields offered as boxes to tick, from the taxonomies.
CHOICE_FIELDS = ("themes", "gcm_objectives", "regions")


def _choices() -> dict[str, list[tuple[str, str]]]:
    from indexer.enrich.taxonomy import load_taxonomy  # the one taxonomy loader
    taxonomy = load_taxonomy(services().settings.taxonomy_dir)
    return {"themes": [(t.label, value_label("theme", t.label)) for t in taxonomy.themes],
            "gcm_objectives": [(str(o.number), value_label("gcm", str(o.number)))
                               for o in taxonomy.objectives],
            "regions": [(r.label, value_label("region", r.label)) for r in taxonomy.regions]}


def _submitted(names) -> dict[str, str]:
    """The form's values as text, several values joined by ';' (what check_profile and
    the template read)."""
    out = {}
    for name in names:
        if name in CHOICE_FIELDS:
            out[name] = f"{SEPARATOR} ".join(request.form.getlist(name))
        elif name in LIST_FIELDS:
            out[name] = f"{SEPARATOR} ".join(
                v.strip() for v in re.split(r"[;\n]", request.form.get(name, "")) if v.strip())
        else:
            out[name] = request.form.get(name, "")
    return out


def _form(values: dict, problems, *, mode: str, expert: Profile | None = None,
          status: int = 200):
    problems = [(name, translate_notice(message)) for name, message in problems]
    by_field: dict[str, list[str]] = {}
    for name, message in problems:
        by_field.setdefault(name, []).append(message)
    return render_template(
        "experts/form.html", values=values, problems=problems, errors=by_field, mode=mode,
        expert=expert, choices=_choices(), visibilities=VISIBILITIES, contacts=CONTACTS,
        selected=lambda name: {v.strip() for v in values.get(name, "").split(SEPARATOR)},
        fields=SUGGEST_FIELDS if mode == "suggest" else FIELDS), status


def _vocab():
    return vocabulary(services().settings.taxonomy_dir)


def _existing(key: str) -> Profile:
    profile = store.get(get_db(), key)
    if profile is None:
        raise NotFound(notice("There is no expert %(key)s.", key=repr(key)))
    return profile


@bp.route("/experts/new", methods=["GET", "POST"])
@role_required(*CURATORS)
def create():
    if request.method == "GET":
        return _form({"visibility": "members", "contact": "none"}, [], mode="create")
    values = _submitted(FIELDS)
    profile, problems = check_profile(values, _vocab())
    if profile is not None and store.get(get_db(), profile.key) is not None:
        profile, problems = None, [("key", notice("%(key)s is taken: choose another key "
                                                  "or edit that profile",
                                                  key=repr(profile.key)))]
    if profile is None:
        return _form(values, problems, mode="create", status=400)
    store.save(get_db(), profile, current_name())
    flash(gettext("Added %(name)s.", name=profile.name))
    return redirect(url_for("experts.profile", key=profile.key))


@bp.route("/experts/<key>/edit", methods=["GET", "POST"])
@role_required(*CURATORS)
def edit(key: str):
    expert = _existing(key)
    if request.method == "GET":
        return _form(as_text(expert), [], mode="edit", expert=expert)
    values = {**_submitted(FIELDS), "key": expert.key}       # the key never changes
    profile, problems = check_profile(values, _vocab())
    if profile is None:
        return _form(values, problems, mode="edit", expert=expert, status=400)
    for name in CHOICE_FIELDS:         # boxes come in taxonomy order: keep the profile's
        if set(getattr(profile, name)) == set(getattr(expert, name)):
            setattr(profile, name, getattr(expert, name))
    store.save(get_db(), profile, current_name())
    flash(gettext("Saved %(name)s.", name=profile.name))
    return redirect(url_for("experts_curate.pending") if expert.status == "pending"
                    else url_for("experts.profile", key=key))


@bp.route("/experts/<key>/remove", methods=["POST"])
@role_required(*CURATORS)
def remove(key: str):
    _existing(key)
    if request.form.get("confirm") != "yes":
        flash(gettext("Tick the box to confirm the removal."))
        return redirect(url_for("experts_curate.edit", key=key))
    store.remove(get_db(), key, current_name())
    flash(gettext("The expert was removed, with the consent record, links and history."))
    return redirect(url_for("experts.directory_page"))


@bp.route("/experts/pending")
@role_required(*CURATORS)
def pending():
    return render_template("experts/pending.html",
                           experts=store.profiles(get_db(), "pending"))


@bp.route("/experts/<key>/status", methods=["POST"])
@role_required(*CURATORS)
def decide(key: str):
    expert = _existing(key)
    status = request.form.get("decision")
    if status not in ("active", "rejected"):
        abort(400, notice("Approve (active) or reject."))
    if status == "active" and expert.consent_date is None:
        flash(gettext("Record the consent of %(name)s (date, by whom, what may be shown) "
                      "before approving the profile.", name=expert.name))
        return redirect(url_for("experts_curate.edit", key=key))
    store.set_status(get_db(), key, status, current_name())
    flash(gettext("%(name)s: approved.", name=expert.name) if status == "active"
          else gettext("%(name)s: rejected.", name=expert.name))
    return redirect(url_for("experts_curate.pending"))


@bp.route("/experts/<key>/author", methods=["POST"])
@role_required(*CURATORS)
def author(key: str):
    """A curator decides once whether a document's author is this expert."""
    expert = _existing(key)
    author_key = name_key(request.form.get("author", ""))
    confirmed = request.form.get("same") == "yes"
    if not author_key or request.form.get("same") not in ("yes", "no"):
        abort(400, notice("Name the author and say whether it is the same person."))
    store.decide_author(get_db(), author_key, key, confirmed, current_name())
    flash(gettext("Kept: this author is %(name)s.", name=expert.name) if confirmed
          else gettext("Kept: this author is not %(name)s.", name=expert.name))
    return redirect(_safe_next(request.form.get("next")))


def _new_key(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-")[:60] or "expert"
    key, n = base, 1
    while store.get(get_db(), key) is not None:
        n += 1
        key = f"{base}-{n}"
    return key


@bp.route("/experts/suggest", methods=["GET", "POST"])
def suggest():
    if request.method == "GET":
        return _form({}, [], mode="suggest")
    settings = services().settings
    values = _submitted(SUGGEST_FIELDS)
    if not database.take_attempt(get_db(), SUGGESTION, request.remote_addr or "unknown",
                                 settings.report_window_minutes * 60,
                                 settings.report_limit):
        abort(429, notice("Too many suggestions from this address. Try again later."))
    draft = {**values, "key": "suggested", "visibility": "members", "contact": "none"}
    profile, problems = check_profile(draft, _vocab(), suggestion=True)
    if profile is None:
        return _form(values, problems, mode="suggest", status=400)
    profile.key = _new_key(profile.name)
    store.save(get_db(), profile, current_name() or f"visitor {request.remote_addr}",
               status="pending", action="suggest")
    flash(gettext("Thank you: a curator will review the suggestion and ask the person's "
                  "consent before anything is shown."))
    return redirect(url_for("experts.directory_page"))

