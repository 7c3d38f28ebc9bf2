"""What every answer says to browsers and caches: compression, framing, caching."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from searchhub.cli import _loopback

SEARCHHUB = Path(sys.executable).with_name("searchhub")
#: A CSRF token is signed with the second it was made in: two requests may differ there.
TOKEN = re.compile(rb'name="csrf_token" value="[^"]*"')


@pytest.mark.parametrize("url", ["/search?q=migrants", "/api/search?q=migrants",
                                 "/search.atom?q=migrants"])
def test_answers_are_gzipped_for_clients_that_accept_it(client, url):
    plain = client.get(url).get_data()
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    unpacked = gzip.decompress(packed.get_data())
    if url.startswith("/api/"):          # the same answer, but for the time it took
        unpacked, plain = (dict(json.loads(b), elapsed_ms=0) for b in (unpacked, plain))
    else:                                # the same page, but for its forms' CSRF tokens
        unpacked, plain = (TOKEN.sub(b"", b) for b in (unpacked, plain))
    assert unpacked == plain
    assert len(packed.get_data()) * 3 < len(client.get(url).get_data())


def test_no_page_may_be_framed(client):
    for url in ("/", "/search?q=visa", "/login", "/api/search"):
        response = client.get(url)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_public_answers_without_cookies_may_be_cached(client):
    response = client.get("/api/search?q=visa")
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response.headers["Vary"]


AVRR = "demo-iom-avrr-west-africa-2019.pdf"


@pytest.mark.parametrize("url", ["/", "/search?q=migrants", "/search?q=migrants&agency=IOM",
                                 f"/doc/{AVRR}", "/api/search?q=migrants",
                                 f"/api/doc/{AVRR}", "/search.atom?q=migrants",
                                 "/facet/agency?q=migrants"])
def test_anonymous_pages_set_no_cookie_and_may_be_cached(client, url):
    """A visitor's search, document page, API answer or feed is the same for every
    visitor: no session cookie (so no CSRF token) until a form needs one."""
    response = client.get(url)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers, response.headers["Set-Cookie"]
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_answers_that_set_a_cookie_are_private(client):
    response = client.get("/login")            # the login form's CSRF token needs a session
    assert "Set-Cookie" in response.headers
    assert response.headers["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("0.0.0.0", False), ("192.0.2.1", False), ("example.org", False)])
def test_loopback_addresses(host, loopback):
    assert _loopback(host) is loopback


@pytest.mark.e2e
def test_serve_warns_when_cookies_are_not_secure_beyond_this_machine(demo_data_dir):
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the server prints its
    # warning, then cannot listen there and stops. No traffic is sent anywhere.
    done = subprocess.run([str(SEARCHHUB), "--data-dir", str(demo_data_dir), "serve",
                           "--host", "192.0.2.1", "--port", "5999"],
                          capture_output=True, text=True, timeout=120)
    assert "Warning: serving on 192.0.2.1" in done.stderr
    assert "SEARCHHUB_COOKIE_SECURE=true" in done.stderr
    quiet = subprocess.run([str(SEARCHHUB), "--data-dir", str(demo_data_dir), "serve",
                            "--host", "192.0.2.1", "--port", "5999"],
                           capture_output=True, text=True, timeout=120,
                           env={"SEARCHHUB_COOKIE_SECURE": "true", "PATH": "/usr/bin:/bin"})
    assert "Warning" not in quiet.stderr
