"""Reading content: local files, and HTTP(S) with a timeout and a size limit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import requests

from indexer.extract.base import ExtractionError, TooLarge


class FetchError(ExtractionError):
    """The content could not be read: a missing file, an HTTP error, a timeout."""

    reason = "fetch-failed"

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        if reason:
            self.reason = reason

    def __reduce__(self):   # keep the reason when sent back from a worker process
        return (FetchError, (self.message, self.reason))


@dataclass
class Fetched:
    data: bytes
    content_type: str | None
    final_url: str


@dataclass(frozen=True)
class FetchOptions:
    max_bytes: int
    timeout: float
    user_agent: str


def fetch(location: str, options: FetchOptions) -> Fetched:
    """Read a file path or an http(s) URL; raise FetchError or TooLarge."""
    if location.startswith(("http://", "https://")):
        return _http(location, options)
    if "://" in location:
        raise FetchError(f"{location}: only http(s) URLs and local files are read",
                         "unsupported-scheme")
    path = Path(location)
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise TooLarge(f"{path.name} is {size / 2**20:.1f} MiB, over the limit of "
                           f"{options.max_bytes / 2**20:.1f} MiB")
        return Fetched(path.read_bytes(), None, path.resolve().as_uri())
    except FileNotFoundError:
        raise FetchError(f"{path} no longer exists", "missing") from None
    except PermissionError:
        raise FetchError(f"{path} cannot be read (permission denied)", "unreadable") from None


def _http(url: str, options: FetchOptions) -> Fetched:
    headers = {"User-Agent": options.user_agent}
    try:
        with requests.get(url, headers=headers, timeout=options.timeout, stream=True) as resp:
            if resp.status_code >= 400:
                raise FetchError(f"{url} answered HTTP {resp.status_code}",
                                 f"http-{resp.status_code}")
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > options.max_bytes:
                raise TooLarge(f"{url} is {int(declared) / 2**20:.1f} MiB, over the limit of "
                               f"{options.max_bytes / 2**20:.1f} MiB")
            chunks, total = [], 0
            for chunk in resp.iter_content(65536):
                total += len(chunk)
                if total > options.max_bytes:
                    raise TooLarge(f"{url} is over the limit of "
                                   f"{options.max_bytes / 2**20:.1f} MiB")
                chunks.append(chunk)
            return Fetched(b"".join(chunks), resp.headers.get("Content-Type"), resp.url)
    except requests.Timeout:
        raise FetchError(f"{url} did not answer within {options.timeout:g} s", "timeout") from None
    except requests.ConnectionError as exc:
        raise FetchError(f"{url} could not be reached: {exc.__class__.__name__}",
                         "connection") from None
    except requests.RequestException as exc:
        raise FetchError(f"{url}: {exc}", "http-error") from None
