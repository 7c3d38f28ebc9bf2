"""Writing to an expert without seeing their address: the contact form of a profile
puts the message in the outbox (and a copy for the writer) and relays it at once
through SMTP; what cannot be sent stays in the outbox, listed for admins, and is tried
again later (``searchhub experts send``). CSRF-protected, rate-limited per address and
per expert, and only as far as the expert's contact preference allows.

The messages are written in the language of the page the sender wrote on (the
sender's, and the one they chose to write in): the outbox keeps them as sent, so the
relay needs no language of its own. Form problems and refusals are notices, translated
on the page."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number, gettext, ngettext
from flask_login import current_user

from searchhub import database
from searchhub.experts import outbox, relay
from searchhub.experts.model import EMAIL, Profile
from searchhub.notice import notice, plural_notice

from . import services
from .auth import get_db, role_required
from .experts import find_profile
from .i18n import translate_notice

bp = Blueprint("experts_contact", __name__)
CONTACT_FROM = "expert-contact"
CONTACT_TO = "expert-contact-to"
LIMITS = {"name": 120, "email": 254, "subject": 150, "message": 5000}


def may_contact(profile: Profile) -> bool:
    """The expert's contact preference: nobody, logged-in members, or anyone."""
    return profile.contact == "anyone" or (profile.contact == "members"
                                           and current_user.is_authenticated)


def _check(values: dict[str, str]) -> list[tuple[str, str]]:
    problems = [(name, notice("required")) for name in LIMITS if not values[name]]
    problems += [(name, plural_notice("at most %(num)s character", "at most %(num)s characters",
                                      limit))
                 for name, limit in LIMITS.items() if len(values[name]) > limit]
    if values["email"] and not EMAIL.fullmatch(values["email"]):
        problems.append(("email", notice("not an e-mail address")))
    return sorted(problems, key=lambda p: list(LIMITS).index(p[0]))     # in form order


@bp.app_context_processor
def _contact_in_pages():
    return {"may_contact": may_contact}


@bp.route("/experts/<key>/contact", methods=["POST"])
def contact(key: str):
    expert = find_profile(key)
    if not may_contact(expert):
        abort(403, notice("This expert cannot be written to through this site.")
              if current_user.is_authenticated else
              notice("This expert cannot be written to through this site by visitors."))
    values = {name: request.form.get(name, "").strip() for name in LIMITS}
    values["name"] = " ".join(values["name"].split())
    values["subject"] = re.sub(r"\s+", " ", values["subject"])      # no header breaks
    problems = [(name, translate_notice(message)) for name, message in _check(values)]
    if problems:
        return render_template("experts/contact.html", expert=expert, values=values,
                               problems=problems,
                               errors={name: message for name, message in problems}), 400
    settings = services().settings
    conn = get_db()
    window = settings.contact_window_minutes * 60
    if not (database.take_attempt(conn, CONTACT_FROM, request.remote_addr or "unknown",
                                  window, settings.contact_limit)
            and database.take_attempt(conn, CONTACT_FROM, values["email"].lower(), window,
                                      settings.contact_limit)):
        abort(429, notice("Too many messages from this address. Try again later."))
    # by number, not by key: a removed expert leaves no name behind here either
    if not database.take_attempt(conn, CONTACT_TO, str(expert.id), window,
                                 settings.contact_expert_limit):
        abort(429, notice("%(name)s has received many messages lately. Try again later.",
                          name=expert.name))
    subject = f"[searchhub] {values['subject']}"
    outbox.enqueue(conn, expert.id, expert.email, subject, _body(values),
                   reply_to=values["email"])
    outbox.enqueue(conn, expert.id, values["email"],
                   gettext("Copy: %(subject)s", subject=subject), _copy(expert, values))
    relay.send_due(conn, settings)
    flash(gettext("Your message to %(name)s is on its way; a copy goes to you.",
                  name=expert.name))
    return redirect(url_for("experts.profile", key=key))


def _body(values: dict[str, str]) -> str:
    """The message to the expert, in the language of the sender's page."""
    return "\n\n".join((
        gettext("%(name)s <%(email)s> wrote to you through the experts directory of "
                "searchhub:", name=values["name"], email=values["email"]),
        values["message"],
        "-- \n" + gettext("Reply to this message to answer them. Your address is not "
                          "shown on the site.")))


def _copy(expert: Profile, values: dict[str, str]) -> str:
    """The sender's copy, in the language of their page."""
    return "\n\n".join((
        gettext("A copy of your message to %(name)s, sent through searchhub. They answer "
                "you directly if they wish.", name=expert.name),
        values["message"]))


@bp.route("/admin/outbox", methods=["GET", "POST"])
@role_required("admin")
def waiting():
    """Messages not sent yet, with their errors; "send now" tries every one again."""
    if request.method == "POST":
        sent, failed = relay.send_due(get_db(), services().settings, every=True)
        flash(ngettext("%(num)s sent, %(failed)s still waiting.",
                       "%(num)s sent, %(failed)s still waiting.", sent,
                       failed=format_number(failed)))
        return redirect(url_for("experts_contact.waiting"))
    return render_template("experts/outbox.html", messages=outbox.waiting(get_db()))
