"""The web app: an app factory, one blueprint per concern, one error renderer."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from searchhub.engine import Engine
from searchhub.search import value_label
from searchhub.settings import REPO_ROOT, Settings


class Services:
    """Per-app resources, built on first use (nothing at import time)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = Engine(self.settings.index_dir, create=False)
        return self._engine


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then SEARCHHUB_CONFIG and the environment, then overrides."""
    settings = Settings.load(overrides)
    app = Flask(__name__, template_folder=str(REPO_ROOT / "web" / "templates"),
                static_folder=str(REPO_ROOT / "web" / "static"))
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
    )
    app.extensions["searchhub"] = Services(settings)
    app.jinja_env.filters["source_href"] = source_href
    app.jinja_env.filters["language_name"] = lambda code: value_label("language", code)

    from . import admin, api, auth, curate, documents, errors, search
    auth.init_app(app)
    app.register_blueprint(curate.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.bp)
    errors.register(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
        return response

    return app


#: Link schemes a document's source URL may have; others (javascript:, data:) are not links.
SOURCE_SCHEMES = ("http", "https", "ftp", "file")


def source_href(url: str | None) -> str:
    """``url`` if it is safe to link to, else "" (the template then shows no link)."""
    url = (url or "").strip()
    return url if urlsplit(url).scheme.lower() in SOURCE_SCHEMES else ""


def services() -> Services:
    from flask import current_app
    return current_app.extensions["searchhub"]
