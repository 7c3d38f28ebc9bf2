"""The web app: an app factory, one blueprint per concern, one error renderer."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from flask_compress import Compress
from flask_login import current_user

from searchhub import resources
from searchhub.engine import SearchEngine, open_engine
from searchhub.settings import Settings


class Services:
    """Per-app resources, built on first use (nothing at import time)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._engine: SearchEngine | None = None

    @property
    def engine(self) -> SearchEngine:
        if self._engine is None:
            self._engine = open_engine(self.settings, create=False)
        return self._engine


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then SEARCHHUB_CONFIG and the environment, then overrides."""
    settings = Settings.load(overrides)
    app = Flask(__name__, template_folder=str(resources.templates_dir()),
                static_folder=str(resources.static_dir()))
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
    )
    app.extensions["searchhub"] = Services(settings)
    from . import (
        admin,
        api,
        auth,
        collections,
        curate,
        documents,
        errors,
        feeds,
        i18n,
        openapi,
        overview,
        platforms,
        regions,
        search,
    )
    app.jinja_env.filters["source_href"] = source_href
    app.jinja_env.globals["export_links"] = lambda: list(feeds.export_links())

    auth.init_app(app)
    app.register_blueprint(curate.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(platforms.bp)
    app.register_blueprint(overview.bp)
    app.register_blueprint(regions.bp)
    app.register_blueprint(collections.bp)
    from . import experts, experts_contact, experts_curate  # the directory of experts
    app.register_blueprint(experts.bp)
    app.register_blueprint(experts_curate.bp)
    app.register_blueprint(experts_contact.bp)
    from . import members  # the members' area
    app.register_blueprint(members.bp)
    from . import uploads  # members' uploads and their review
    app.register_blueprint(uploads.bp)
    errors.register(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
        return response

    @app.after_request
    def cache_headers(response):
        """Public pages a shared cache (a reverse proxy) may keep for a minute, as long
        as they set no cookie and nobody is logged in; everything else is private."""
        if "Cache-Control" in response.headers or request.endpoint == "static":
            return response
        response.vary.add("Cookie")
        public = (request.method == "GET" and response.status_code == 200
                  and request.blueprint in PUBLIC_BLUEPRINTS
                  and "Set-Cookie" not in response.headers
                  and not current_user.is_authenticated)
        response.headers["Cache-Control"] = (f"public, max-age={PUBLIC_MAX_AGE}" if public
                                             else "private, no-cache")
        return response

    # After cache_headers in the file, so before it at each response: it sees the cookie.
    i18n.init_app(app)     # the interface's language; filters language_name, theme_label…

    # gzip/deflate for pages, JSON, feeds and exports (HTML shrinks about 8x).
    app.config.update(COMPRESS_ALGORITHM=["gzip", "deflate"],
                      COMPRESS_MIMETYPES=["text/html", "text/css", "text/plain", "text/csv",
                                          "application/javascript", "application/json",
                                          "application/atom+xml", "application/xml",
                                          "application/x-research-info-systems",
                                          "application/x-bibtex",
                                          "application/opensearchdescription+xml"])
    Compress(app)

    return app


#: Blueprints whose GET pages are the same for every anonymous visitor.
PUBLIC_BLUEPRINTS = frozenset({"search", "documents", "api", "feeds", "openapi",
                               "platforms", "overview", "regions"})
PUBLIC_MAX_AGE = 60

#: Link schemes a document's source URL may have; others (javascript:, data:) are not
#: links, and a file: URL would be a dead link for visitors showing the server's folders.
SOURCE_SCHEMES = ("http", "https", "ftp")


def source_href(url: str | None) -> str:
    """``url`` if it is safe to link to, else "" (the template then shows no link)."""
    url = (url or "").strip()
    return url if urlsplit(url).scheme.lower() in SOURCE_SCHEMES else ""


def document_link(doc) -> str:
    """Where a visitor reads ``doc``: its source URL on the web, else its document page
    here (a folder's files have no public URL unless their source names one)."""
    from flask import url_for
    return source_href(doc.url) or url_for("documents.document", doc_id=doc.id,
                                           _external=True)


def public_places(also_at: list[dict]) -> list[dict]:
    """``Document.also_at`` with only the places a visitor can follow."""
    return [place for place in also_at if source_href(place.get("url"))]


def services() -> Services:
    from flask import current_app
    return current_app.extensions["searchhub"]
