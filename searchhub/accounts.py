"""Accounts of the people who curate: names, hashed passwords, roles, disabled flags.

Stored in the curation database (see ``searchhub.database``). Passwords are hashed
with werkzeug's scrypt; nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

from searchhub.errors import SearchhubError

#: Roles, from most to least trusted. An admin may do everything a curator may.
ROLES = ("admin", "curator", "member")
MIN_PASSWORD = 10
#: Hashed once so that a login for an unknown name costs as much as a known one.
_DUMMY_HASH = generate_password_hash("not-a-password-of-anyone", method="scrypt")


class AccountError(SearchhubError):
    status = 400


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    disabled: bool
    created_at: str
    session_epoch: int = 0

    # -- what Flask-Login asks of a user object ----------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return not self.disabled

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What a session stores: the account and its session epoch, so that raising
        the epoch (``end_sessions``) ends every session issued before."""
        return f"{self.id}:{self.session_epoch}"

    def has_role(self, *roles: str) -> bool:
        """True if the account holds one of ``roles``; admins hold every role."""
        return not self.disabled and (self.role == "admin" or self.role in roles)


def _account(row: sqlite3.Row | None) -> Account | None:
    if row is None:
        return None
    return Account(row["id"], row["name"], row["role"], bool(row["disabled"]),
                   row["created_at"], row["session_epoch"])


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")


def add(conn: sqlite3.Connection, name: str, password: str, role: str) -> Account:
    """Create an account; raises AccountError for a taken name, bad role or weak password."""
    name = name.strip()
    _check_role(role)
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise AccountError("a name is 1 to 64 characters without spaces")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    try:
        cur = conn.execute(
            "INSERT INTO users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
            (name, generate_password_hash(password, method="scrypt"), role, now))
    except sqlite3.IntegrityError:
        raise AccountError(f"there is already an account named {name!r}") from None
    return get(conn, cur.lastrowid)


def get(conn: sqlite3.Connection, account_id: int) -> Account | None:
    return _account(conn.execute("SELECT * FROM users WHERE id = ?", (account_id,)).fetchone())


def by_name(conn: sqlite3.Connection, name: str) -> Account | None:
    return _account(conn.execute("SELECT * FROM users WHERE name = ?",
                                 (name.strip(),)).fetchone())


def all_accounts(conn: sqlite3.Connection) -> list[Account]:
    return [_account(r) for r in conn.execute("SELECT * FROM users ORDER BY name")]


def authenticate(conn: sqlite3.Connection, name: str, password: str) -> Account | None:
    """The enabled account with this name and password, else None (same cost either way)."""
    row = conn.execute("SELECT * FROM users WHERE name = ?", (name.strip(),)).fetchone()
    ok = check_password_hash(row["password_hash"] if row else _DUMMY_HASH, password)
    account = _account(row)
    return account if ok and account and account.is_active else None


def _require(conn: sqlite3.Connection, name: str) -> Account:
    account = by_name(conn, name)
    if account is None:
        raise AccountError(f"there is no account named {name!r}")
    return account


def for_session(conn: sqlite3.Connection, session_id: str) -> Account | None:
    """The active account a session's id ("<id>:<epoch>") still belongs to, else None
    (an ended session, an old-style id, a disabled or removed account)."""
    account_id, _, epoch = session_id.partition(":")
    if not (account_id.isdigit() and epoch.isdigit()):
        return None
    account = get(conn, int(account_id))
    if account is None or not account.is_active or account.session_epoch != int(epoch):
        return None
    return account


def end_sessions(conn: sqlite3.Connection, account_id: int) -> None:
    """End every session of the account, in every browser (logout, a new password,
    role or disabled flag)."""
    conn.execute("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?",
                 (account_id,))


def set_role(conn: sqlite3.Connection, name: str, role: str) -> Account:
    _check_role(role)
    account = _require(conn, name)
    conn.execute("UPDATE users SET role = ? WHERE id = ?", (role, account.id))
    end_sessions(conn, account.id)
    return get(conn, account.id)


def set_disabled(conn: sqlite3.Connection, name: str, disabled: bool = True) -> Account:
    account = _require(conn, name)
    conn.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), account.id))
    end_sessions(conn, account.id)
    return get(conn, account.id)


def set_password(conn: sqlite3.Connection, name: str, password: str) -> Account:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    account = _require(conn, name)
    conn.execute("UPDATE users SET password_hash = ? WHERE id = ?",
                 (generate_password_hash(password, method="scrypt"), account.id))
    end_sessions(conn, account.id)
    return get(conn, account.id)
