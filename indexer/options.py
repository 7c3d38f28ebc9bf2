"""The options of a run, in one typed object (built from the settings by the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.fetch import FetchOptions, HttpPolicy


@dataclass(frozen=True)
class RunOptions:
    """Everything a run needs, in one typed object."""

    taxonomy_dir: Path
    workers: int = 0
    document_timeout: float = 60.0
    max_bytes: int = 50 * 2**20
    http_timeout: float = 20.0
    user_agent: str = "searchhub"
    commit_every: int = 500
    commit_interval: float = 60.0   # seconds at most between two commits
    progress: bool = False
    #: Where crawl.sqlite and run.lock live; None keeps the crawl state in memory and
    #: takes no lock (a library call in a test).
    data_dir: Path | None = None
    lock_wait: float = 0.0          # seconds to wait for another run to finish
    host_delay: float = 1.0         # seconds between two requests to one host
    max_per_host: int = 2           # connections open at once to one host
    http_retries: int = 3
    gone_after_runs: int = 3        # runs a URL may be missing from its listing
    #: A page skipped for an unchanged sitemap or feed lastmod is still asked
    #: (conditionally) at least every this many runs (0: never).
    recheck_every: int = 10
    fetch_threads: int = 8

    def http_policy(self) -> HttpPolicy:
        return HttpPolicy(user_agent=self.user_agent,
                          timeout=min(self.http_timeout, self.document_timeout),
                          max_bytes=self.max_bytes, host_delay=self.host_delay,
                          max_per_host=self.max_per_host, retries=self.http_retries)

    def fetch_options(self) -> FetchOptions:
        """What a worker needs to read a document the parent did not fetch."""
        return FetchOptions(self.max_bytes, self.http_timeout, self.user_agent)
