"""`searchhub uploads ...`: members' uploads and their review on the command line."""

from __future__ import annotations

from contextlib import closing

import click

from searchhub import database


def _settings(ctx):
    from searchhub.cli_context import settings_of

    return settings_of(ctx)


@click.group()
def uploads():
    """Members' uploads (files in <data_dir>/uploads, records in curation.sqlite)."""


@uploads.command("list")
@click.option("--status", type=click.Choice(["submitted", "sent-back", "rejected", "approved",
                                             "withdrawn"]), default=None)
@click.pass_context
def list_uploads(ctx, status):
    """Every upload (or those of one --status), oldest first."""
    from searchhub.uploads import store

    with closing(database.connect(_settings(ctx).curation_db)) as conn:
        rows = store.all_uploads(conn)
    for u in rows:
        if status is None or u.status == status:
            click.echo(f"{u.id:>5} {u.status:10} {u.workstream:16} {u.submitted_by:12} "
                       f"{u.doc_id:14} {u.title}" + (f"  [{u.reason}]" if u.reason else ""))


@uploads.command("review")
@click.argument("upload_id", type=int)
@click.argument("action", type=click.Choice(["approve", "reject", "send-back"]))
@click.option("--reason", default="", help="Why (needed to reject or send back).")
@click.option("--as", "reviewer", required=True, help="The reviewer's account name.")
@click.option("--no-publish", is_flag=True, help="Leave publishing to the next full run.")
@click.pass_context
def review(ctx, upload_id, action, reason, reviewer, no_publish):
    """Approve, reject or send back upload UPLOAD_ID (written to the audit log)."""
    from searchhub.curation.store import CurationError
    from searchhub.uploads import store
    from searchhub.uploads.publish import publish

    settings = _settings(ctx)
    with closing(database.connect(settings.curation_db)) as conn:
        try:
            audit_id = store.review(conn, reviewer, upload_id, action, reason)
        except CurationError as exc:
            raise click.ClickException(exc.message) from exc
    click.echo(f"Upload {upload_id}: {store.REVIEW[action]} (audit entry {audit_id}).")
    if action == "approve" and not no_publish:
        click.echo("Published." if publish(settings) else
                   "The index is busy: published when the running indexing finishes.")


@uploads.command("log")
@click.option("--limit", default=50, show_default=True)
@click.pass_context
def log(ctx, limit):
    """The newest steps of uploads in the audit log, with their ids."""
    from searchhub.uploads import store

    with closing(database.connect(_settings(ctx).curation_db)) as conn:
        entries = store.review_log(conn, limit=limit)
    for e in entries:
        click.echo(f"{e['id']:>6} {e['at']} {e['user_name']:12} {e['action']:20} "
                   f"{e['doc_id']:14} {'undoable' if e['undoable'] else ''}"
                   + (f"  {e['why']}" if e["why"] else ""))


@uploads.command("undo")
@click.argument("audit_id", type=int)
@click.option("--as", "user", required=True, help="Who undoes it.")
@click.option("--why", default="")
@click.pass_context
def undo(ctx, audit_id, user, why):
    """Undo review step AUDIT_ID (its id: `searchhub uploads log`)."""
    from searchhub.curation.store import CurationError
    from searchhub.uploads import store
    from searchhub.uploads.publish import publish

    settings = _settings(ctx)
    with closing(database.connect(settings.curation_db)) as conn:
        try:
            upload = store.undo(conn, user, audit_id, why)
        except CurationError as exc:
            raise click.ClickException(exc.message) from exc
    click.echo(f"Upload {upload.id} is {upload.status} again.")
    publish(settings)
