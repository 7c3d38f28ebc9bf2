"""Relaying messages to experts through the SMTP server of the settings.

``send_due`` sends every message of the outbox that is due; a message that cannot be
sent (no server set, the server down or refusing) stays in the outbox with its error
and is tried again later, never lost.
"""

from __future__ import annotations

import smtplib
import sqlite3
from email.message import EmailMessage

from . import outbox

TIMEOUT = 10.0


def _message(row: sqlite3.Row, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row["recipient"]
    if row["reply_to"]:
        message["Reply-To"] = row["reply_to"]
    message["Subject"] = row["subject"]
    message.set_content(row["body"])
    return message


def send_due(conn: sqlite3.Connection, settings, *, every: bool = False,
             now: float | None = None) -> tuple[int, int]:
    """Send the due messages (``every``: all waiting ones, at once); returns (sent,
    failed)."""
    rows = outbox.claim_due(conn, now, every=every)
    done = bad = 0
    for row in rows:
        try:
            if not settings.smtp_host:
                raise smtplib.SMTPException("no SMTP server is set (SEARCHHUB_SMTP_HOST)")
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                              timeout=TIMEOUT) as smtp:
                if settings.smtp_tls:
                    smtp.starttls()
                if settings.smtp_user:
                    smtp.login(settings.smtp_user, settings.smtp_password)
                smtp.send_message(_message(row, settings.smtp_sender))
        except (OSError, smtplib.SMTPException) as exc:
            outbox.failed(conn, row["id"], f"{type(exc).__name__}: {exc}", now)
            bad += 1
        else:
            outbox.sent(conn, row["id"])
            done += 1
    return done, bad
