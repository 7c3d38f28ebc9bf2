"""Helpers for tests that start a real server process: a free loopback port, and the
wait until ``searchhub serve`` answers its health check."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable

import requests


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base: str, process: subprocess.Popen, output: Callable[[], str],
                    seconds: float = 60) -> requests.Response:
    """The first 200 answer of ``base``/api/health. A refused connection or a read
    timeout is asked again (a server starting beside the suite's heaviest tests once
    took over a second to answer first); the process exiting, or ``seconds`` passing,
    fails the test with what ``output`` returns (the server's log). A guard against
    waiting forever, not a measure of speed."""
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, "the server stopped:\n" + output()[-2000:]
        try:
            health = requests.get(f"{base}/api/health", timeout=5)
            if health.status_code == 200:
                return health
        except (requests.ConnectionError, requests.Timeout):
            pass
        assert time.monotonic() < deadline, f"the server did not answer within {seconds:g} s"
        time.sleep(0.2)
