"""The directory of experts: ``/experts`` (words and facets, the search page's habits),
``/experts/<key>`` (a profile with its documents), and the same as JSON under
``/api/experts``. Members-only profiles are shown to people who are logged in only;
e-mail addresses and consent details are never shown here."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_login import current_user

from searchhub.errors import NotFound
from searchhub.experts import directory, matching, store
from searchhub.experts.model import Profile
from searchhub.models import Document
from searchhub.notice import Notice, notice
from searchhub.search import value_label
from searchhub.text import fold

from . import i18n, services
from .auth import get_db
from .curate import corrected

bp = Blueprint("experts", __name__)
MAX_DOCUMENTS = 200


def may_see(profile: Profile | None) -> bool:
    """Whether the person asking may see ``profile``: active, and public or logged in."""
    return (profile is not None and profile.status == "active"
            and (profile.public or current_user.is_authenticated))


def visible_profiles() -> list[Profile]:
    return [p for p in store.profiles(get_db()) if may_see(p)]


def label(facet: str, value) -> str:
    return value_label(facet, str(value), services().settings.taxonomy_dir)


def ui_label(facet: str, value) -> str:
    """A facet value's label in the interface's language (for the HTML pages; the JSON
    keeps ``label``'s English)."""
    return i18n.value_label(facet, str(value), default=label(facet, value))


def find_profile(key: str) -> Profile:
    profile = store.get(get_db(), key)
    if not may_see(profile):
        raise NotFound(notice("There is no expert %(key)s you may see. Some profiles are "
                              "shown only to people who are logged in.", key=repr(key)))
    return profile


def run_directory(params) -> directory.ExpertPage:
    page = directory.search(visible_profiles(), directory.ExpertQuery.from_params(params),
                            gcm_label=lambda n: label("gcm", n))
    for name, values in page.facets.items():
        for fv in values:
            fv.label = label(name, fv.value)
    return page


def expert_to_dict(profile: Profile, *, full: bool = False) -> dict:
    """What anyone who may see the profile may read (never the e-mail or the consent)."""
    out = {
        "id": profile.key, "name": profile.name, "title": profile.title,
        "organisation": profile.organisation, "agency": profile.agency,
        "themes": profile.themes, "gcm_objectives": profile.gcm_objectives,
        "regions": profile.regions, "countries": profile.countries,
        "languages": profile.languages, "visibility": profile.visibility,
        "example": profile.example,
        "url": url_for("experts.profile", key=profile.key, _external=True),
    }
    if full:
        out.update(bio=profile.bio, links=profile.links,
                   contact=profile.contact != "none")
    return out


def profile_documents(profile: Profile, text: str = "") -> list[Document]:
    """The profile's documents that are in the index (as curators corrected them), and
    with ``text`` only those whose title or text hold every word of it."""
    engine = services().engine
    docs = [d for d in (corrected(engine.get(i)) for i in profile.documents[:MAX_DOCUMENTS])
            if d is not None]
    words = fold(text).lower().split()
    if words:
        docs = [d for d in docs
                if all(w in fold(f"{d.title}\n{d.text}").lower() for w in words)]
    return docs


def experts_beside(result) -> list[matching.Match]:
    """Experts on the topic of a search, matched through its hits (up to three)."""
    if not result.hits:
        return []
    return matching.experts_for([h.document for h in result.hits], visible_profiles())


def matches_to_dicts(matches: list[matching.Match]) -> list[dict]:
    return [{"id": m.profile.key, "name": m.profile.name,
             "organisation": m.profile.organisation, "reason": m.reason,
             "url": url_for("experts.profile", key=m.profile.key, _external=True)}
            for m in matches]


def document_experts(doc: Document) -> list[Profile]:
    """The experts who wrote or are known for ``doc``, among those the person may see."""
    return [p for p in visible_profiles() if matching.authored(p, doc)]


def author_suggestions(doc: Document) -> list[tuple[str, str, Profile]]:
    """For curators: (author key, author, expert) where an author of ``doc`` bears an
    expert's name and nobody has decided yet whether they are the same person."""
    if not (current_user.is_authenticated and current_user.has_role("curator")):
        return []
    keys = matching.authors(doc)
    if not keys:
        return []
    decided = store.author_decisions(get_db(), keys)
    return matching.suggested_authors(doc, store.profiles(get_db()), decided)


def reason_text(reason: str) -> str:
    """A match's reason in the interface's language, its topic and place named there
    too, with a capital (the search API keeps ``reason`` in English)."""
    if isinstance(reason, Notice) and "topic_facet" in reason.values:
        values = dict(reason.values)
        values["topic"] = i18n.value_label(values["topic_facet"], values["topic_value"],
                                           default=values["topic"])
        if "place" in values:
            values["place"] = i18n.value_label(values["place_facet"], values["place"])
        reason = Notice(reason.msgid, reason.plural, **values)
    text = i18n.translate_notice(reason)
    return text[:1].upper() + text[1:]


@bp.app_context_processor
def _experts_in_pages():
    return {"experts_beside": experts_beside, "document_experts": document_experts,
            "author_suggestions": author_suggestions, "expert_reason": reason_text}


@bp.route("/experts")
def directory_page():
    page = run_directory(request.args)
    query = page.query

    def link(q: directory.ExpertQuery, **changes) -> str:
        return url_for("experts.directory_page", **q.params(**changes))
    for name, values in page.facets.items():
        for fv in values:
            fv.label = ui_label(name, fv.value)
    chips = [(name, i18n.facet_label(name), value, ui_label(name, value),
              link(query.without_filter(name, value)))
             for name, values in query.filters.items() for value in values]
    return render_template(
        "experts/directory.html", page=page, query=query, chips=chips,
        facets=[(name, i18n.facet_label(name)) for name in directory.FACETS],
        add_filter=lambda n, v: link(query.with_filter(n, v)),
        remove_filter=lambda n, v: link(query.without_filter(n, v)),
        label=ui_label, api_url=url_for("experts.api_directory", **query.params()))


@bp.route("/experts/<key>")
def profile(key: str):
    expert = find_profile(key)
    text = request.args.get("q", "").strip()[:200]
    return render_template("experts/profile.html", expert=expert, label=ui_label, q=text,
                           documents=profile_documents(expert, text))


@bp.route("/api/experts")
def api_directory():
    page = run_directory(request.args)
    return jsonify({
        "query": {"q": page.query.text, "filters": page.query.filters},
        "total": page.total,
        "experts": [expert_to_dict(p) for p in page.experts],
        "facets": {name: [{"value": fv.value, "count": fv.count, "selected": fv.selected,
                           "label": fv.label or fv.value} for fv in values]
                   for name, values in page.facets.items()},
    })


@bp.route("/api/experts/<key>")
def api_profile(key: str):
    expert = find_profile(key)
    docs = profile_documents(expert, request.args.get("q", "").strip()[:200])
    return jsonify({**expert_to_dict(expert, full=True),
                    "documents": [{"id": d.id, "title": d.title, "agency": d.agency,
                                   "date": d.date.isoformat() if d.date else None,
                                   "url": url_for("documents.document", doc_id=d.id,
                                                  _external=True)} for d in docs]})
