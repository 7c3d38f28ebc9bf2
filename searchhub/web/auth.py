"""Logins: the login and logout pages, sessions, CSRF, and the decorators that guard views.

Other blueprints protect their views with ``login_required`` or ``role_required(*roles)``
(admins pass every role check) and read ``current_user``. Anonymous visitors search as
before. ``init_app`` wires everything into the app: the per-request database
connection, Flask-Login, CSRF protection on every POST, cookie settings.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect, generate_csrf
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from searchhub import accounts, database
from searchhub.notice import notice

from . import services
from .errors import render_error, wants_json

__all__ = ["bp", "current_user", "get_db", "init_app", "login_required", "role_required"]

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()
LOGIN_FAILURE = "login-failure"
LOGIN_ADDRESS = "login-address"
#: An address may fail this many times the per-name limit within the lock-out window.
ADDRESS_FACTOR = 4


def get_db() -> sqlite3.Connection:
    """This request's connection to the curation database (closed at teardown)."""
    if "curation_db" not in g:
        g.curation_db = database.connect(services().settings.curation_db)
    return g.curation_db


def _close_db(exc=None) -> None:
    conn = g.pop("curation_db", None)
    if conn is not None:
        conn.close()


def _unauthorized():
    if wants_json():
        return render_error(401, notice("Log in as a curator to do this."))
    return redirect(url_for("auth.login", next=_safe_next(request.full_path)))


def login_required(view):
    """Only for people who are logged in; others are sent to the login page."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return _unauthorized()
        return view(*args, **kwargs)
    return wrapped


def role_required(*roles: str):
    """Only for accounts holding one of ``roles`` (admins always); 403 for others."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return _unauthorized()
            if not current_user.has_role(*roles):
                abort(403, notice("Your account may not do this."))
            return view(*args, **kwargs)
        return wrapped
    return decorate


def _safe_next(target: str | None) -> str:
    """A local path to go back to after a form; anything else (other hosts, control
    characters that would break the Location header) gives the search page."""
    target = (target or "").rstrip("?")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc \
            or "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return url_for("search.search")
    return target


class LoginForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    next_url = _safe_next(request.args.get("next"))
    status, error = 200, ""
    if form.validate_on_submit():
        settings = services().settings
        conn = get_db()
        key = form.name.data.strip().lower()
        address = request.remote_addr or "unknown"
        window = settings.login_lockout_minutes * 60
        # Each password check is counted before it is made (atomically), per name and
        # per address: parallel guesses cannot pass the limit, and one address cannot
        # lock out every curator in turn.
        if not database.take_attempt(conn, LOGIN_ADDRESS, address, window,
                                     ADDRESS_FACTOR * settings.login_max_failures):
            status, error = 429, ("Too many failed logins from this address. Try again "
                                  "later.")
        elif not database.take_attempt(conn, LOGIN_FAILURE, key, window,
                                       settings.login_max_failures):
            database.forget_attempt(conn, LOGIN_ADDRESS, address)
            oldest = database.oldest_attempt(conn, LOGIN_FAILURE, key, window) or time.time()
            minutes = max(1, round((oldest + window - time.time()) / 60))
            status = 429
            error = (f"Too many failed logins for this name. Try again in about "
                     f"{minutes} minute{'s' if minutes != 1 else ''}.")
        else:
            account = accounts.authenticate(conn, form.name.data, form.password.data)
            if account is None:
                status, error = 401, "Wrong name or password, or the account is disabled."
            else:
                database.clear_attempts(conn, LOGIN_FAILURE, key)
                database.forget_attempt(conn, LOGIN_ADDRESS, address)
                session.clear()          # a fresh session: no fixation across the login
                login_user(account)
                session.permanent = True
                return redirect(next_url)
    elif request.method == "POST":
        status, error = 400, "Give a name and a password."
    return render_template("auth/login.html", form=form, error=error,
                           next_url=next_url), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:      # every session of the account, everywhere
        accounts.end_sessions(get_db(), current_user.id)
    logout_user()
    session.clear()
    flash(gettext("You are logged out."))
    return redirect(url_for("search.search"))


@bp.route("/csrf-token")
def csrf_token():
    """A CSRF token for this session, as JSON: a visitor's page carries none (so that it
    sets no cookie and caches may keep it); flag.js asks here when a form is opened."""
    response = jsonify({"csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Wire logins, CSRF, cookie settings and the database connection into ``app``."""
    settings = app.extensions["searchhub"].settings
    app.config.update(
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        SESSION_COOKIE_NAME="searchhub_session",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=settings.session_hours),
        # A token lives as long as the session: a curator's open queue page stays usable.
        WTF_CSRF_TIME_LIMIT=None,
    )
    csrf.init_app(app)
    manager = LoginManager()
    manager.session_protection = "strong"
    manager.unauthorized_handler(_unauthorized)

    @manager.user_loader
    def load_user(session_id: str):
        return accounts.for_session(get_db(), session_id)

    manager.init_app(app)
    app.teardown_appcontext(_close_db)
    app.register_blueprint(bp)


def current_name() -> str:
    """The logged-in account's name, or "" for a visitor."""
    return current_user.name if current_user.is_authenticated else ""
