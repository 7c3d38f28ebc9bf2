"""Uploads stay: no crawl removes them, ``searchhub index --rebuild`` brings them back,
withdrawal removes them; and a crash while one is taken in loses nothing acknowledged
and leaves no half record."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import textwrap

from click.testing import CliRunner

from searchhub import database
from searchhub.cli import main
from searchhub.engine import Engine
from searchhub.uploads import intake, store
from searchhub.uploads.source import uploads_folder

TEXT = b"Xylophonic remittance corridors of the Sahel and their migrant workers. " * 20


def _approved_upload(site, visibility=None) -> store.Upload:
    received = intake.keep(uploads_folder(site["data_dir"]), TEXT, "sahel.txt",
                           max_bytes=10**6, allowed=("text",))
    conn = database.connect(site["data_dir"] / "curation.sqlite")
    try:
        upload, _ = store.create(conn, token="t", workstream="ws-knowledge", user="mia",
                                 sha256=received.sha256, file_type="text",
                                 file_name="sahel.txt", url="",
                                 metadata={"title": "Sahel corridors", "agency": "IOM",
                                           "themes": ["Labour migration"],
                                           "gcm_objectives": [20],
                                           "visibility": visibility or []})
        store.review(conn, "lena", upload.id, "approve")
        return store.get(conn, upload.id)
    finally:
        conn.close()


def _index(site, *args: str) -> None:
    result = CliRunner().invoke(main, ["--data-dir", str(site["data_dir"]), "--sources",
                                       str(site["sources"]), "index", "--quiet",
                                       "--workers", "1", *args])
    assert result.exit_code == 0, result.output


def _get(site, doc_id: str):
    with Engine(site["data_dir"] / "index") as engine:
        return engine.get(doc_id)


def test_crawls_keep_uploads_rebuild_brings_them_back_withdrawal_removes(site):
    upload = _approved_upload(site, visibility=["wg-data"])
    _index(site)                                  # a full run: the registry's sources too
    doc = _get(site, upload.doc_id)
    assert doc.title == "Sahel corridors" and doc.agency == "IOM"
    assert doc.visibility == ["wg-data"] and doc.gcm_objectives == [20]
    _index(site, "--source", "tiny")              # a crawl of one source
    _index(site)                                  # and another full one
    assert _get(site, upload.doc_id) is not None
    _index(site, "--rebuild")
    assert _get(site, upload.doc_id).title == "Sahel corridors"
    conn = database.connect(site["data_dir"] / "curation.sqlite")
    store.withdraw(conn, "mia", upload.id)
    conn.close()
    _index(site, "--source", "uploads")
    assert _get(site, upload.doc_id) is None


CRASH = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from searchhub import database
    from searchhub.uploads import intake, store
    data, stage = Path(sys.argv[1]), sys.argv[2]
    folder = data / "uploads"
    payload = b"Crash-tested notes on labour migration. " * 50
    if stage == "mid-write":
        real = os.fsync
        def die(fd):
            real(fd)
            os.kill(os.getpid(), signal.SIGKILL)
        os.fsync = die
    received = intake.keep(folder, payload, "notes.txt", max_bytes=10**6,
                           allowed=("text",))
    if stage == "before-record":
        os.kill(os.getpid(), signal.SIGKILL)
    conn = database.connect(data / "curation.sqlite")
    store.create(conn, token="crash", workstream="ws-knowledge", user="mia",
                 sha256=received.sha256, file_type="text", file_name="notes.txt", url="",
                 metadata={"title": "Notes"})
    print("acknowledged", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")
PAYLOAD = b"Crash-tested notes on labour migration. " * 50


def _crash(site, stage: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-c", CRASH, str(site["data_dir"]), stage],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    return done


def _rows(site) -> list[store.Upload]:
    conn = database.connect(site["data_dir"] / "curation.sqlite")
    try:
        return store.of_member(conn, "mia")
    finally:
        conn.close()


def test_a_crash_loses_nothing_acknowledged_and_leaves_no_half_record(site):
    sha = hashlib.sha256(PAYLOAD).hexdigest()
    kept = intake.kept_path(uploads_folder(site["data_dir"]), sha, "text")
    _crash(site, "mid-write")              # killed before the file is renamed in place
    assert not kept.exists() and _rows(site) == []
    _crash(site, "before-record")          # the file kept, the record not yet written
    assert kept.read_bytes() == PAYLOAD and _rows(site) == []
    done = _crash(site, "after")           # killed right after acknowledging
    assert done.stdout.strip() == "acknowledged"
    [upload] = _rows(site)
    assert (upload.status, upload.sha256, upload.title) == ("submitted", sha, "Notes")
    assert kept.read_bytes() == PAYLOAD
