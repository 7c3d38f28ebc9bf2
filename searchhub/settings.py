"""The settings table: every setting with its type, default, environment variable
and help line. Values come from the defaults, then an optional TOML file
(``SEARCHHUB_CONFIG``), then the environment, then explicit overrides; all are
validated together and every problem is reported at once."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchhub import resources
from searchhub.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "SEARCHHUB_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", Path, Path("data"),
            "Folder that holds the index and the SQLite databases; a relative path is "
            "taken from the current folder."),
    Setting("sources", Path, resources.bundled_sources(),
            "The source registry (TOML) that `searchhub index` reads; the default is the "
            "bundled demo registry."),
    Setting("platforms", str, "",
            "The platform registry (TOML): the partner platforms the sources feed, and "
            "those only mapped; empty means platforms.toml next to the source registry."),
    Setting("workstreams", str, "",
            "The group registry (TOML): working groups, the executive committee and the "
            "workstreams members belong to; empty means workstreams.toml next to the "
            "source registry."),
    Setting("taxonomy_dir", Path, resources.bundled_taxonomy_dir(),
            "Folder of the theme, GCM objective, region and country taxonomies."),
    Setting("workers", int, 0,
            "Extraction worker processes; 0 means one per CPU core."),
    Setting("document_timeout", float, 60.0,
            "Seconds one document may take to extract before its worker is stopped."),
    Setting("max_document_mb", float, 50.0,
            "Largest file or HTTP response, in MiB, that is indexed; larger ones fail."),
    Setting("http_timeout", float, 20.0, "Seconds to wait for a partner platform's answer."),
    Setting("user_agent", str, "searchhub/0.1 (+https://example.org/searchhub/about)",
            "User-Agent sent to partner platforms, with a contact URL."),
    Setting("commit_every", int, 500,
            "Documents written between two index commits during a run (crash safety)."),
    Setting("commit_interval", float, 60.0,
            "Seconds at most between two index commits while a run writes, so searches "
            "see new documents soon even when a slow crawl writes few."),
    Setting("host_delay", float, 1.0,
            "Seconds between two requests to one partner host (robots.txt Crawl-delay wins "
            "when longer)."),
    Setting("max_connections_per_host", int, 2,
            "Connections open at once to one partner host."),
    Setting("http_retries", int, 3,
            "Retries, with backoff and honouring Retry-After, on 429, 5xx and lost connections."),
    Setting("gone_after_runs", int, 3,
            "Runs a URL may be missing from its sitemap, feed or crawl before its document "
            "leaves the index (404 and 410 remove it at once)."),
    Setting("page_size", int, 10, "Results per page unless the request asks otherwise."),
    Setting("max_page_size", int, 100, "Largest page_size a request may ask for."),
    Setting("secret_key", str, "",
            "Flask secret key for sessions; a random one is made per process when empty."),
    Setting("host", str, "127.0.0.1", "Address `searchhub serve` listens on."),
    Setting("port", int, 5000, "Port `searchhub serve` listens on."),
    Setting("threads", int, 8, "Request threads of the WSGI server."),
    Setting("cookie_secure", bool, False,
            "Send the session cookie over HTTPS only; set true when served behind HTTPS."),
    Setting("session_hours", float, 8.0,
            "Hours a curator stays logged in without activity before logging in again."),
    Setting("login_max_failures", int, 5,
            "Failed logins for one account name before it is locked for a while."),
    Setting("login_lockout_minutes", float, 15.0,
            "Minutes an account name stays locked after too many failed logins."),
    Setting("report_limit", int, 5,
            "Reports a visitor who is not logged in may send from one address per window."),
    Setting("report_window_minutes", float, 10.0,
            "Length of the window, in minutes, over which public reports are counted."),
    Setting("engine", str, "whoosh",
            "The search engine: whoosh (an index folder in data_dir) or opensearch (a "
            "cluster at opensearch_url)."),
    Setting("opensearch_url", str, "http://127.0.0.1:9201",
            "The OpenSearch nodes searchhub talks to, comma-separated URLs."),
    Setting("opensearch_index", str, "searchhub",
            "Name of the OpenSearch index (a prefix per platform keeps several apart)."),
    Setting("opensearch_shards", int, 1, "Primary shards of a new OpenSearch index."),
    Setting("opensearch_replicas", int, 1,
            "Replicas of each shard of a new OpenSearch index (0 on a single node)."),
    Setting("opensearch_user", str, "", "User for OpenSearch's security plugin (basic auth)."),
    Setting("opensearch_password", str, "", "Password of opensearch_user."),
    Setting("opensearch_ca_certs", str, "",
            "CA certificate file (PEM) that signed the cluster's TLS certificates."),
    Setting("opensearch_verify_certs", bool, True,
            "Check the cluster's TLS certificates; turn off only for a local test cluster."),
    Setting("opensearch_connections", int, 16,
            "HTTP connections kept open to each OpenSearch node: at least the threads that "
            "search or index at once."),
    Setting("opensearch_max_clauses", int, 1024,
            "The cluster's indices.query.bool.max_clause_count: queries are translated "
            "below it."),
    Setting("smtp_host", str, "",
            "SMTP server that relays messages to experts; none set: messages wait in the "
            "outbox."),
    Setting("smtp_port", int, 25, "Port of the SMTP server."),
    Setting("smtp_tls", bool, False, "Use STARTTLS with the SMTP server."),
    Setting("smtp_user", str, "", "User name for the SMTP server (none: no login)."),
    Setting("smtp_password", str, "", "Password for the SMTP server."),
    Setting("smtp_sender", str, "searchhub@localhost",
            "From address of relayed messages (the writer is the Reply-To)."),
    Setting("contact_limit", int, 5,
            "Messages to experts one address may send per contact window."),
    Setting("contact_expert_limit", int, 20,
            "Messages one expert may receive per contact window."),
    Setting("contact_window_minutes", float, 60.0,
            "Length of the window, in minutes, over which contact messages are counted."),
    Setting("querylog", bool, True,
            "Count the words visitors search (normalised text, interface language and day "
            "only: no address, no account) in querylog.sqlite, and suggest the frequent "
            "ones as people type."),
    Setting("querylog_min_days", int, 3,
            "Distinct days a query must have been searched on before it is suggested "
            "(or querylog_min_count times)."),
    Setting("querylog_min_count", int, 25,
            "Times a query must have been searched before it is suggested (or on "
            "querylog_min_days days)."),
    Setting("querylog_keep_days", int, 365,
            "Days a day's counts of a query are kept; older ones are dropped."),
    Setting("querylog_rare_days", int, 30,
            "Days after which a query searched too rarely to be suggested is forgotten."),
)

ENGINES = ("whoosh", "opensearch")

_BY_NAME = {s.name: s for s in SETTINGS}


def _convert(setting: Setting, raw: Any) -> Any:
    if setting.type is Path:
        if not isinstance(raw, str | Path) or not str(raw):
            raise ValueError("expected a path")
        return Path(raw).expanduser()
    if setting.type is bool:
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("1", "true", "yes", "on"):
            return True
        if str(raw).lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError("expected true or false")
    if setting.type is int:
        # int(2.5) would silently truncate a TOML float; bools are ints in Python.
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            raise ValueError("expected a whole number")
        return int(raw)
    if setting.type is float:
        if isinstance(raw, bool):
            raise ValueError("expected a number")
        return float(raw)
    return str(raw)


_MINIMUMS = {"workers": 0, "document_timeout": 0.1, "max_document_mb": 0.001,
             "http_timeout": 0.1, "commit_every": 1, "host_delay": 0.0,
             "commit_interval": 1.0, "max_connections_per_host": 1, "http_retries": 0,
             "gone_after_runs": 1,
             "page_size": 1, "max_page_size": 1,
             "port": 0, "threads": 1, "opensearch_connections": 1,
             "opensearch_max_clauses": 128, "session_hours": 0.01, "login_max_failures": 1,
             "login_lockout_minutes": 0, "report_limit": 0, "report_window_minutes": 0.01,
             "opensearch_shards": 1, "opensearch_replicas": 0,
             "smtp_port": 0, "contact_limit": 0, "contact_expert_limit": 0,
             "contact_window_minutes": 0.01, "querylog_min_days": 1,
             "querylog_min_count": 1, "querylog_keep_days": 1, "querylog_rare_days": 1}


class Settings:
    """Validated settings; read them as attributes (``settings.data_dir``)."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def platforms_file(self) -> Path:
        """The platform registry: the ``platforms`` setting, else platforms.toml next to
        the source registry (which need not exist: each source is then a platform)."""
        return (Path(self.platforms).expanduser() if self.platforms
                else Path(self.sources).parent / "platforms.toml")

    @property
    def workstreams_file(self) -> Path:
        """The group registry (``searchhub.members.groups``): the ``workstreams``
        setting, else workstreams.toml next to the source registry (may not exist)."""
        return (Path(self.workstreams).expanduser() if self.workstreams
                else Path(self.sources).parent / "workstreams.toml")

    @property
    def curation_db(self) -> Path:
        """The SQLite file of accounts and curation: never dropped, unlike the index."""
        return self.data_dir / "curation.sqlite"

    @classmethod
    def load(cls, overrides: dict[str, Any] | None = None,
             environ: dict[str, str] | None = None) -> Settings:
        environ = dict(os.environ if environ is None else environ)
        problems: list[str] = []
        raw: dict[str, tuple[Any, str]] = {s.name: (s.default, "default") for s in SETTINGS}

        config_file = environ.get("SEARCHHUB_CONFIG")
        if config_file:
            try:
                data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                problems.append(f"SEARCHHUB_CONFIG={config_file}: cannot read it ({exc})")
                data = {}
            section = data.get("searchhub", data)
            for key, value in section.items():
                if key not in _BY_NAME:
                    problems.append(f"{config_file}: unknown setting {key!r}")
                else:
                    raw[key] = (value, config_file)
        for s in SETTINGS:
            if s.env in environ:
                raw[s.name] = (environ[s.env], s.env)
        for key, value in (overrides or {}).items():
            if key not in _BY_NAME:
                problems.append(f"unknown setting {key!r}")
            elif value is not None:
                raw[key] = (value, "override")

        values: dict[str, Any] = {}
        for s in SETTINGS:
            value, origin = raw[s.name]
            try:
                values[s.name] = _convert(s, value)
            except (TypeError, ValueError) as exc:
                problems.append(f"{s.name} ({origin}): {value!r} is not valid: {exc}")
                continue
            minimum = _MINIMUMS.get(s.name)
            if minimum is not None and values[s.name] < minimum:
                problems.append(f"{s.name} ({origin}): must be at least {minimum}")
        if values.get("engine", "whoosh") not in ENGINES:
            problems.append(f"engine ({raw['engine'][1]}): {values['engine']!r} is not one "
                            f"of {', '.join(ENGINES)}")
        if not str(values.get("opensearch_index", "x")).strip():
            problems.append("opensearch_index must not be empty")
        if "page_size" in values and "max_page_size" in values \
                and values["page_size"] > values["max_page_size"]:
            problems.append("page_size must not exceed max_page_size")
        if problems:
            raise ConfigError(problems)
        return cls(values)


def settings_help() -> str:
    """The settings table as text, for `searchhub settings` and the README."""
    lines = []
    for s in SETTINGS:
        default = s.default
        if isinstance(default, Path):
            default = resources.bundled(default) or default
        lines.append(f"{s.env:32} {s.type.__name__:6} default {default!s:28} {s.help}")
    return "\n".join(lines)
