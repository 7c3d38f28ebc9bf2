"""The one error renderer: every error the app answers with, as HTML or as JSON.

``wants_json`` decides once for the whole app whether a request wants JSON: the API,
and scripts that ask for it (``Accept: application/json`` or ``X-Requested-With:
fetch``, as flag.js does). Every JSON error has one shape:
``{"error": {"status", "title", "message"}}``.

Messages are English and stay so in JSON (scripts may match them); the page's own
scripts (``X-Requested-With: fetch``, outside ``/api/``) also get ``display``, the
message in the page's language, to show. Those written with
``searchhub.notice.notice`` (the errors of searchhub.errors raised by the blueprints,
the engines and the services, ``abort``'s descriptions) are translated on the HTML page
only, at display time, as search notices are; so are werkzeug's own texts for a status
(an unknown URL's 404) and Flask-WTF's reasons for refusing a form.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from searchhub.errors import SearchhubError
from searchhub.notice import notice

from .i18n import translate_notice

#: Titles of the statuses searchhub answers with.
TITLES = {400: "Bad request", 401: "Login required", 403: "Forbidden", 404: "Not found",
          409: "Busy", 429: "Too many requests", 500: "Something went wrong",
          503: "Search is not ready"}

#: werkzeug's own texts for a status, to translate on the page (JSON keeps werkzeug's).
STANDARD = {
    400: notice("The browser (or proxy) sent a request that this server could not "
                "understand."),
    401: notice("The server could not verify that you are authorized to access the URL "
                "requested. You either supplied the wrong credentials (e.g. a bad "
                "password), or your browser doesn't understand how to supply the "
                "credentials required."),
    403: notice("You don't have the permission to access the requested resource. It is "
                "either read-protected or not readable by the server."),
    404: notice("The requested URL was not found on the server. If you entered the URL "
                "manually please check your spelling and try again."),
    405: notice("The method is not allowed for the requested URL."),
    413: notice("The data value transmitted exceeds the capacity limit."),
    429: notice("This user has exceeded an allotted request count. Try again later."),
    500: notice("The server encountered an internal error and was unable to complete your "
                "request. Either the server is overloaded or there is an error in the "
                "application."),
}
UNEXPECTED = notice("An unexpected error occurred; it has been logged.")
#: Flask-WTF's reasons for refusing a form (a CSRFError's description), to translate.
CSRF_REASONS = {str(n): n for n in (
    notice("The CSRF token is missing."), notice("The CSRF session token is missing."),
    notice("The CSRF token has expired."), notice("The CSRF token is invalid."),
    notice("The CSRF tokens do not match."), notice("The referrer header is missing."),
    notice("The referrer does not match the host."), notice("CSRF validation failed."))}


def wants_json() -> bool:
    return (request.path.startswith("/api/")
            or request.accept_mimetypes.best == "application/json"
            or request.headers.get("X-Requested-With") == "fetch")


def render_error(status: int, message: str, title: str = ""):
    """A response for an error: JSON for a client that wants it, else the error page."""
    title = title or TITLES.get(status, "Error")
    if wants_json():
        error = {"status": status, "title": title, "message": message}
        if request.headers.get("X-Requested-With") == "fetch" \
                and not request.path.startswith("/api/"):
            # The page's own script (flag.js) shows ``display``: the message in the
            # page's language; ``message`` stays English for scripts that match it.
            error["display"] = translate_notice(message)
        return jsonify({"error": error}), status
    return render_template("error.html", status=status, title=title,
                           message=translate_notice(message)), status


def register(app: Flask) -> None:
    """Render every error through ``render_error``."""

    @app.errorhandler(SearchhubError)
    def searchhub_error(exc: SearchhubError):
        return render_error(exc.status, exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # A CSRF failure too: a script posting a form gets JSON it can show.
        message = exc.description or exc.name
        if not wants_json():
            if isinstance(exc.description, str) and exc.description in CSRF_REASONS:
                message = CSRF_REASONS[exc.description]
            elif exc.description == type(exc).description:
                message = STANDARD.get(exc.code or 500, message)
        return render_error(exc.code or 500, message, exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return render_error(500, UNEXPECTED)
