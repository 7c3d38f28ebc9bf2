"""The errors searchhub reports to people: each has an HTTP status and a message
saying what to do. The web app renders them once, as HTML or JSON; the CLI turns
them into ``click.ClickException``.

A message a page can show is written with ``searchhub.notice.notice`` and its values:
it stays English in JSON and the CLI, and the HTML page translates it
(searchhub.web.errors)."""

from __future__ import annotations


class SearchhubError(Exception):
    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadRequest(SearchhubError):
    status = 400


class NotFound(SearchhubError):
    status = 404


class IndexMissing(SearchhubError):
    status = 503


class IndexOutdated(SearchhubError):
    status = 503


class IndexBusy(SearchhubError):
    status = 409


class ConfigError(SearchhubError):
    """Settings or the source registry are invalid; ``problems`` lists every one."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("Invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems))
