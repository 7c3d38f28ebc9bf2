"""What a run did, per source: the counts, the failures, the source-level error.

``COUNT_KEYS`` is the one list of what a run counts; the run report, the runs
database, ``searchhub runs`` and the admin pages all use it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

#: What happens to a listed document in a run. ``unsupported``: a link to a format
#: nothing extracts (a Word file, an image), skipped; not a failure. ``known_dead``: a
#: link already found dead (404, 410, soft 404, no connection) in an earlier run, still
#: dead or not asked again yet; not a new failure. ``failed`` counts this run's new
#: problems.
#: Counted in a source's report and events but not kept per run: ``disallowed`` (by
#: robots.txt) and ``noindex`` (a page's robots meta tag or X-Robots-Tag header).
COUNT_KEYS = ("added", "updated", "unchanged", "merged", "removed", "failed", "unsupported",
              "known_dead")


@dataclass
class Failure:
    doc_id: str
    location: str
    reason: str                 # a short code: image-only, not-found, timeout, error...
    message: str
    error_type: str = ""        # the exception's class name
    traceback: str = ""         # a short traceback, for errors nobody expected


@dataclass
class SourceReport:
    source_id: str
    counts: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    error: str = ""          # the source as a whole could not be listed
    # For curation, with a CurationInput only: the written documents with quality
    # signals (or open automatic flags), and the re-crawl requests fulfilled.
    signals: list = field(default_factory=list)      # searchhub.curation.handoff.DocSignals
    recrawled: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    sources: list[SourceReport] = field(default_factory=list)
    run_id: int | None = None
    requests: int = 0               # HTTP requests sent to partner platforms
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    finished: dt.datetime | None = None

    def total(self, key: str) -> int:
        return sum(s.counts[key] for s in self.sources)

    @property
    def failed(self) -> int:
        """This run's new problems (a link known dead is none): the CLI exits 1 if any."""
        return self.total("failed") + sum(1 for s in self.sources if s.error)

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "requests": self.requests,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": self.finished.isoformat(timespec="seconds") if self.finished else None,
            "totals": {k: self.total(k) for k in COUNT_KEYS},
            "sources": [{"id": s.source_id, "error": s.error, "counts": dict(s.counts),
                         "failures": [f.__dict__ for f in s.failures]} for s in self.sources],
        }

