"""The one error renderer: every error the app answers with, as HTML or as JSON.

``wants_json`` decides once for the whole app whether a request wants JSON: the API,
and scripts that ask for it (``Accept: application/json`` or ``X-Requested-With:
fetch``, as flag.js does). Every JSON error has one shape:
``{"error": {"status", "title", "message"}}``.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from searchhub.errors import SearchhubError

#: Titles of the statuses searchhub answers with.
TITLES = {400: "Bad request", 401: "Login required", 403: "Forbidden", 404: "Not found",
          409: "Busy", 429: "Too many requests", 500: "Something went wrong",
          503: "Search is not ready"}


def wants_json() -> bool:
    return (request.path.startswith("/api/")
            or request.accept_mimetypes.best == "application/json"
            or request.headers.get("X-Requested-With") == "fetch")


def render_error(status: int, message: str, title: str = ""):
    """A response for an error: JSON for a client that wants it, else the error page."""
    title = title or TITLES.get(status, "Error")
    if wants_json():
        return jsonify({"error": {"status": status, "title": title,
                                  "message": message}}), status
    return render_template("error.html", status=status, title=title,
                           message=message), status


def register(app: Flask) -> None:
    """Render every error through ``render_error``."""

    @app.errorhandler(SearchhubError)
    def searchhub_error(exc: SearchhubError):
        return render_error(exc.status, exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # A CSRF failure too: a script posting a form gets JSON it can show.
        return render_error(exc.code or 500, exc.description or exc.name, exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return render_error(500, "An unexpected error occurred; it has been logged.")
