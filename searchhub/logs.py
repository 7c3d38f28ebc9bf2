"""Logging for the indexer and the web app: one JSON object per line per event.

Modules log through their own ``logging.getLogger(__name__)``; an event's fields go
in ``extra={"fields": {...}}`` (with ``"event"`` naming it), anything else logged is
an event named by its message. Only the command-line edge calls ``configure``; a
library call logs nothing unless its caller configures logging.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import TextIO

#: Our handler, so that configuring twice replaces it instead of doubling each line.
_HANDLER_NAME = "searchhub"


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "event", ...fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                    timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name}
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["event"] = record.getMessage()
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class _StandardError(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (as logging's last resort
    does), so a command run inside another program logs where that program says."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure(level: int | str = logging.INFO, stream: TextIO | None = None) -> None:
    """Send every logger's records of ``level`` and above to ``stream`` (default:
    standard error) as JSON lines."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream) if stream is not None else _StandardError()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
