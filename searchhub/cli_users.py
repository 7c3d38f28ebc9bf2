"""`searchhub users ...`: accounts of the quality team, on the command line."""

from __future__ import annotations

import sys
from contextlib import closing

import click

from searchhub import accounts, database
from searchhub.members import store as members_store


def _conn(ctx):
    from searchhub.cli_context import settings_of as _settings
    return database.connect(_settings(ctx).curation_db)


def _known_groups(ctx, group_ids) -> list[str]:
    """``group_ids`` if the group registry declares each, else a ClickException."""
    from searchhub.cli_context import settings_of as _settings
    from searchhub.members.groups import load_groups

    path = _settings(ctx).workstreams_file
    known = load_groups(path)
    unknown = [g for g in group_ids if g not in known]
    if unknown:
        raise click.ClickException(f"No group {', '.join(map(repr, unknown))} in {path}; "
                                   f"known: {', '.join(known) or 'none'}.")
    return list(group_ids)


@click.group()
def users():
    """Accounts of curators, admins and members (stored in <data_dir>/curation.sqlite)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@click.option("--group", "groups", multiple=True, metavar="ID",
              help="A group of the group registry the account belongs to (repeatable).")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of a prompt.")
@click.pass_context
def add(ctx, name, role, groups, password_stdin):
    """Create an account NAME with ROLE; asks for the password."""
    groups = _known_groups(ctx, groups)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with closing(_conn(ctx)) as conn:
        account = accounts.add(conn, name, password, role)
        members_store.set_groups(conn, account.id, groups)
    click.echo(f"Added {account.name} ({account.role})"
               + (f" in {', '.join(groups)}." if groups else "."))


@users.command("groups")
@click.argument("name")
@click.argument("group_ids", nargs=-1, metavar="[ID]...")
@click.option("--show", is_flag=True, help="Only show the account's groups.")
@click.pass_context
def groups_(ctx, name, group_ids, show):
    """Make account NAME belong to exactly the groups ID... (none: no group)."""
    with closing(_conn(ctx)) as conn:
        account = accounts.by_name(conn, name)
        if account is None:
            raise click.ClickException(f"No account {name!r}.")
        if not show:
            members_store.set_groups(conn, account.id, _known_groups(ctx, group_ids))
        now = members_store.groups_of(conn, account.id)
    click.echo(f"{account.name}: {', '.join(now) if now else 'no group'}.")


@users.command("list")
@click.pass_context
def list_(ctx):
    """Every account with its role and state."""
    with closing(_conn(ctx)) as conn:
        rows = accounts.all_accounts(conn)
    if not rows:
        click.echo("No accounts yet: add one with `searchhub users add NAME --role admin`.")
    for a in rows:
        state = "disabled" if a.disabled else "active"
        click.echo(f"{a.name:24} {a.role:8} {state:8} since {a.created_at}")


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(accounts.ROLES))
@click.pass_context
def set_role(ctx, name, role):
    """Give account NAME the role ROLE."""
    with closing(_conn(ctx)) as conn:
        account = accounts.set_role(conn, name, role)
    click.echo(f"{account.name} is now {account.role}.")


@users.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
@click.pass_context
def disable(ctx, name, enable):
    """Disable account NAME: it can no longer log in and its sessions end."""
    with closing(_conn(ctx)) as conn:
        account = accounts.set_disabled(conn, name, not enable)
    click.echo(f"{account.name} is {'disabled' if account.disabled else 'enabled'}.")


@users.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True)
@click.pass_context
def set_password(ctx, name, password_stdin):
    """Set a new password for account NAME."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with closing(_conn(ctx)) as conn:
        accounts.set_password(conn, name, password)
    click.echo(f"Password of {name} changed.")

