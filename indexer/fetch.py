"""Reading content: local files, and HTTP(S) through one polite, guarded fetcher.

``Fetcher`` is used by the parent process for every request to a partner platform
(discovery and documents alike), so one place applies robots.txt (with
Crawl-delay), the User-Agent, a delay and a connection limit per host, retries
with backoff on 429/5xx honouring Retry-After, conditional requests, a size limit,
http(s) only, and the private-address guard, which checks the address actually
connected to: after DNS resolution and after every redirect.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import NewConnectionError, ProtocolError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from indexer.extract.base import ExtractionError, TooLarge

log = logging.getLogger(__name__)


class FetchError(ExtractionError):
    """The content could not be read: a missing file, an HTTP error, a timeout."""

    reason = "fetch-failed"

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        if reason:
            self.reason = reason

    def __reduce__(self):   # keep the reason when sent back from a worker process
        return (FetchError, (self.message, self.reason))

    @property
    def gone(self) -> bool:
        """The platform says the URL no longer exists (not a temporary failure): by its
        status, or by a page that says so with a 200 (``soft-404``, raised by the worker
        that read it: ``extract.soft404``)."""
        return self.reason in ("http-404", "http-410", "soft-404")


@dataclass
class Fetched:
    data: bytes
    content_type: str | None
    final_url: str
    status: int = 200               # 304 when a conditional request found no change
    etag: str = ""
    last_modified: str = ""
    robots_tag: str = ""            # its X-Robots-Tag headers, one a line

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class FetchOptions:
    max_bytes: int
    timeout: float
    user_agent: str


def fetch(location: str, options: FetchOptions) -> Fetched:
    """Read a local file; raise FetchError or TooLarge. URLs go through ``Fetcher``."""
    if "://" in location:
        raise FetchError(f"{location}: only local files are read here; URLs are fetched by "
                         "the polite fetcher", "unsupported-scheme")
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


# -- the private-address guard ---------------------------------------------------


class PrivateAddress(Exception):  # not an OSError, so urllib3 does not retry or wrap it
    def __init__(self, address: str):
        super().__init__(address)
        self.address = address


Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


def private_networks(allow_private) -> bool | Networks:
    """A source's ``allow_private``: true (any address), false, or a list of networks
    (e.g. ``["10.20.0.0/16"]``: only those private addresses are allowed)."""
    if isinstance(allow_private, list | tuple):
        return tuple(ipaddress.ip_network(n, strict=False) for n in allow_private)
    return bool(allow_private)


def is_private(address: str, allowed: Networks = ()) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in net for net in allowed):
        return False
    return not ip.is_global or ip.is_multicast


class _Watch:
    """One request's total deadline, headers and body included: a timer that shuts the
    connection's socket when the deadline passes, so a server trickling its headers
    or body a byte at a time cannot hold a fetch (and the run) past it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.fired = False
        self._sock = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock) -> None:
        with self._lock:
            self._sock = sock
            if self.fired:
                self._shut()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shut()

    def _shut(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


#: The deadline of the request this thread is making (set by ``Fetcher._request``).
_current = threading.local()


def _connection(base: type, allowed: Networks | None) -> type:
    """``base`` whose connections refuse non-global peers (unless ``allowed`` is None)
    and put themselves under the current request's deadline."""
    class Connection(base):
        def _new_conn(self):
            sock = super()._new_conn()
            if allowed is not None:
                address = sock.getpeername()[0]      # the address really connected to
                if is_private(address, allowed):
                    sock.close()
                    raise PrivateAddress(address)
            return sock

        def getresponse(self, *args, **kwargs):
            watch = getattr(_current, "watch", None)
            if watch is not None and self.sock is not None:
                watch.watch(self.sock)
            return super().getresponse(*args, **kwargs)
    return Connection


def _pool_manager(allow_private, maxsize: int) -> urllib3.PoolManager:
    """Connection pools (urllib3 directly: a conditional request costs a quarter of the
    CPU it costs through requests); unless ``allow_private`` is true, their connections
    refuse loopback, private, link-local and other non-global peers (except the
    networks it lists)."""
    manager = urllib3.PoolManager(maxsize=maxsize)
    allowed = None if allow_private is True else (allow_private or ())
    manager.pool_classes_by_scheme = {
        "http": type("GuardedHTTPPool", (HTTPConnectionPool,),
                     {"ConnectionCls": _connection(HTTPConnection, allowed)}),
        "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,),
                      {"ConnectionCls": _connection(HTTPSConnection, allowed)})}
    return manager


# -- the polite fetcher -----------------------------------------------------------


@dataclass(frozen=True)
class HttpPolicy:
    """How politely and defensively to fetch; built from the settings."""

    user_agent: str = "searchhub"
    timeout: float = 20.0          # connect and read timeout; a whole response gets 3x,
                                   # headers and body together, whatever the server does
    max_bytes: int = 50 * 2**20
    host_delay: float = 1.0        # seconds between two requests to one host (at least)
    max_per_host: int = 2          # connections open at once to one host
    retries: int = 3               # on 429, 5xx and connection errors
    backoff: float = 1.0           # first wait; doubled at each retry
    max_retry_after: float = 120.0 # a longer Retry-After gives up instead of waiting
    max_redirects: int = 10


RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass
class _Host:
    slots: threading.Semaphore
    turn: threading.Lock = field(default_factory=threading.Lock)
    last_start: float = float("-inf")   # when the last request to the host was sent
    crawl_delay: float = 0.0            # robots.txt's Crawl-delay, once known
    robots_lock: threading.Lock = field(default_factory=threading.Lock)


class Fetcher:
    """Fetches URLs politely. Thread-safe; robots.txt is read once per host and run."""

    def __init__(self, policy: HttpPolicy):
        self.policy = policy
        self._headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"}
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, object] = {}
        self._lock = threading.Lock()
        self._managers: dict[object, urllib3.PoolManager] = {}
        self.requests = 0           # how many HTTP requests were sent (for reports and tests)

    def close(self) -> None:
        for manager in self._managers.values():
            manager.clear()

    # -- public ----------------------------------------------------------------

    def get(self, url: str, *, allow_private=False, etag: str = "",
            last_modified: str = "", delay: float | None = None) -> Fetched:
        """GET ``url``, following redirects; a 304 comes back as ``status == 304``.
        Raises FetchError (reason robots, private-address, http-NNN, timeout, ...) or
        TooLarge."""
        allow_private = private_networks(allow_private)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(self.policy.max_redirects + 1):
            self._check_url(current, allow_private)
            if not self.allowed(current, allow_private=allow_private):
                raise FetchError(f"{current} is disallowed by robots.txt", "robots")
            resp, watch = self._request(current, headers, allow_private, delay)
            if resp.status in (301, 302, 303, 307, 308) and "Location" in resp.headers:
                self._discard(resp, watch)
                current = urljoin(current, resp.headers["Location"])
                continue
            return self._read(url, current, resp, watch)
        raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects",
                         "too-many-redirects")

    def allowed(self, url: str, *, allow_private=False) -> bool:
        """Whether robots.txt of the URL's host lets our User-Agent fetch it."""
        robots = self._robots_for(url, private_networks(allow_private))
        if isinstance(robots, FetchError):
            raise robots
        return robots is None or robots.can_fetch(url, self.policy.user_agent)

    def robots_sitemaps(self, url: str, *, allow_private=False) -> list[str]:
        robots = self._robots_for(url, private_networks(allow_private))
        if isinstance(robots, FetchError):
            raise robots
        return list(robots.sitemaps) if robots is not None else []

    # -- internals -------------------------------------------------------------

    def _check_url(self, url: str, allow_private) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: only http(s) URLs are fetched", "unsupported-scheme")
        if allow_private is not True:
            allowed = allow_private or ()
            try:
                literal = is_private(parts.hostname, allowed)
            except ValueError:        # a name, not an address: checked once connected
                literal = False
            if literal or parts.hostname.lower() in ("localhost", "localhost.localdomain"):
                raise FetchError(f"{url}: refusing a private or loopback address "
                                 "(the source does not say allow_private = true)",
                                 "private-address")

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(threading.Semaphore(self.policy.max_per_host))
            return host

    def _robots_for(self, url: str, allow_private):
        """The host's robots rules (Protego), None when it has none (4xx: nothing is
        disallowed), or a FetchError when it could not be read (5xx, 429, unreachable):
        then, as RFC 9309 asks, the whole host is left alone for this run."""
        from protego import Protego

        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        host = self._host(url)
        with host.robots_lock:         # one request for robots.txt per host, not one per thread
            if key in self._robots:
                return self._robots[key]
            robots = None
            target = key + "/robots.txt"
            try:
                for _ in range(5):     # redirects, e.g. to https or another host name
                    self._check_url(target, allow_private)
                    resp, watch = self._request(target, {}, allow_private, None, robots=True)
                    try:
                        if resp.status in (301, 302, 303, 307, 308) and "Location" in resp.headers:
                            target = urljoin(target, resp.headers["Location"])
                            continue
                        if resp.status == 200:
                            body = resp.read(512 * 1024, decode_content=True)
                            robots = Protego.parse(body.decode("utf-8", "replace"))
                        elif resp.status == 429 or resp.status >= 500:
                            robots = FetchError(
                                f"{key}/robots.txt answered HTTP {resp.status}; the host is left "
                                "alone for this run", "robots-unavailable")
                        break
                    except (Urllib3Error, OSError):
                        robots = FetchError(f"{key}/robots.txt could not be read; the host is "
                                            "left alone for this run", "robots-unavailable")
                        break
                    finally:
                        watch.cancel()
                        resp.close()
                        resp.release_conn()
            except FetchError as exc:
                if exc.reason in ("private-address", "unsupported-scheme"):
                    raise          # every request to this host would be refused as well
                # A host that cannot be reached at all: its links are dead (connection).
                robots = FetchError(f"{key}/robots.txt could not be read ({exc.reason}); the "
                                    "host is left alone for this run",
                                    "connection" if exc.reason == "connection"
                                    else "robots-unavailable")
            delay = (robots.crawl_delay(self.policy.user_agent)
                     if robots is not None and not isinstance(robots, FetchError) else None)
            host.crawl_delay = float(delay or 0)
            self._robots[key] = robots
            return robots

    def _manager(self, allow_private) -> urllib3.PoolManager:
        with self._lock:
            manager = self._managers.get(allow_private)
            if manager is None:
                manager = self._managers[allow_private] = _pool_manager(
                    allow_private, self.policy.max_per_host)
            return manager

    def _wait_turn(self, host: _Host, delay: float | None) -> None:
        """Wait until at least the gap has passed since the host's last request was
        sent, whichever thread sent it: the source's ``delay`` (else the host_delay
        setting), never less than robots.txt's Crawl-delay."""
        gap = max(self.policy.host_delay if delay is None else delay, host.crawl_delay)
        with host.turn:             # held while waiting: the next thread waits behind
            while (wait := host.last_start + gap - time.monotonic()) > 0:
                time.sleep(wait)
            host.last_start = time.monotonic()

    def _request(self, url: str, headers: dict, allow_private, delay: float | None,
                 robots: bool = False) -> tuple[urllib3.BaseHTTPResponse, _Watch]:
        """One GET with retries on 429/5xx and connection errors; the response streams,
        under a total deadline (``_Watch``) that the caller cancels once it is read."""
        host = self._host(url)
        total = 3 * self.policy.timeout
        attempt = 0
        while True:
            with host.slots:
                self._wait_turn(host, 0.0 if robots else delay)
                self.requests += 1
                _current.watch = watch = _Watch(total)
                try:
                    resp = self._manager(allow_private).request(
                        "GET", url, headers={**self._headers, **headers},
                        timeout=urllib3.Timeout(connect=self.policy.timeout,
                                                read=self.policy.timeout),
                        preload_content=False, redirect=False, retries=False)
                except PrivateAddress as exc:
                    watch.cancel()
                    raise FetchError(f"{url} resolves to the private address {exc.address}; "
                                     "refused (the source does not say allow_private = true)",
                                     "private-address") from None
                except (ProtocolError, OSError, Urllib3Error) as exc:
                    watch.cancel()
                    if watch.fired:
                        raise FetchError(f"{url} did not answer in full within {total:g} s",
                                         "timeout") from None
                    # NewConnectionError is a ConnectTimeoutError to urllib3: a refused
                    # connection is not a timeout.
                    lost = isinstance(exc, ProtocolError | OSError | NewConnectionError)
                    if not lost and isinstance(exc, Urllib3Timeout):
                        raise FetchError(f"{url} did not answer within "
                                         f"{self.policy.timeout:g} s", "timeout") from None
                    if not lost:
                        raise FetchError(f"{url}: {exc}", "http-error") from None
                    if attempt >= self.policy.retries:
                        raise FetchError(f"{url} could not be reached: "
                                         f"{exc.__class__.__name__}", "connection") from None
                    wait = self.policy.backoff * 2**attempt
                    resp = None
                finally:
                    _current.watch = None
            if resp is not None:
                if resp.status not in RETRY_STATUSES or attempt >= self.policy.retries:
                    return resp, watch
                wait = _retry_after(resp.headers.get("Retry-After"),
                                    self.policy.backoff * 2**attempt)
                self._discard(resp, watch)
                if wait > self.policy.max_retry_after:
                    raise FetchError(f"{url} asked to retry after {wait:.0f} s; giving up for "
                                     "this run", f"http-{resp.status}")
            attempt += 1
            log.info("retry", extra={"fields": {
                "event": "retry", "url": url, "attempt": attempt, "wait": round(wait, 2),
                "status": resp.status if resp is not None else "connection-lost"}})
            time.sleep(wait)

    @staticmethod
    def _discard(resp: urllib3.BaseHTTPResponse, watch: _Watch) -> None:
        """Let go of a response whose body is not wanted (a redirect, a retry)."""
        try:
            resp.drain_conn()
        finally:
            watch.cancel()
            resp.release_conn()

    def _read(self, url: str, final: str, resp: urllib3.BaseHTTPResponse,
              watch: _Watch) -> Fetched:
        limit = self.policy.max_bytes
        clean = False
        try:
            if resp.status == 304:
                clean = True
                return Fetched(b"", None, final, 304, resp.headers.get("ETag", ""),
                               resp.headers.get("Last-Modified", ""))
            if resp.status >= 400:
                raise FetchError(f"{url} answered HTTP {resp.status}", f"http-{resp.status}")
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise TooLarge(f"{url} is {int(declared) / 2**20:.1f} MiB, over the limit of "
                               f"{limit / 2**20:.1f} MiB")
            chunks, total = [], 0
            slow = FetchError(f"{url} took longer than {watch.seconds:g} s to send", "timeout")
            try:
                for chunk in resp.stream(65536, decode_content=True):
                    total += len(chunk)
                    if total > limit:
                        raise TooLarge(f"{url} is over the limit of {limit / 2**20:.1f} MiB")
                    chunks.append(chunk)
            except (Urllib3Error, OSError) as exc:
                if watch.fired:
                    raise slow from None
                reason = "timeout" if isinstance(exc, Urllib3Timeout) else "connection"
                raise FetchError(f"{url}: the answer was cut off or too slow ({reason})",
                                 reason) from None
            if watch.fired:            # the deadline cut a body of no declared length
                raise slow
            clean = True
            return Fetched(b"".join(chunks), resp.headers.get("Content-Type"), final,
                           resp.status, resp.headers.get("ETag", ""),
                           resp.headers.get("Last-Modified", ""),
                           "\n".join(resp.headers.getlist("X-Robots-Tag")))
        finally:
            watch.cancel()
            if not clean:
                resp.close()            # a half-read connection is not reused
            resp.release_conn()


def _retry_after(value: str | None, default: float) -> float:
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())
