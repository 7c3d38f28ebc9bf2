"""`searchhub experts ...`: import, export and remove expert profiles."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import click

from searchhub import database
from searchhub.cli_context import settings_of
from searchhub.experts import csvio, relay, store
from searchhub.experts.model import FIELDS, vocabulary

#: Whom the command line's changes are audited under.
CLI_USER = "command line"


@click.group()
def experts():
    """Expert profiles (stored in <data_dir>/curation.sqlite)."""


IMPORT_HELP = (
    "Create or update profiles (by key) from a CSV FILE of the template: a header naming "
    "the columns (" + ", ".join(FIELDS) + "), several values in a cell separated by ';', "
    "taxonomy values by label or id. Every problem is reported at once, with its row; if "
    "there is any, nothing is imported.")


@experts.command("import", help=IMPORT_HELP)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_(ctx, file):
    settings = settings_of(ctx)
    text = file.read_text(encoding="utf-8-sig")
    with closing(database.connect(settings.curation_db)) as conn:
        result = csvio.import_csv(conn, text, vocabulary(settings.taxonomy_dir), CLI_USER)
    click.echo(f"{file}: {result.added} added, {result.updated} updated.")


@experts.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--all", "every", is_flag=True, help="Pending and rejected profiles too.")
@click.pass_context
def export(ctx, output, every):
    """Every active profile as the CSV template (it imports back unchanged)."""
    with closing(database.connect(settings_of(ctx).curation_db)) as conn:
        text = csvio.export_csv(conn, None if every else "active")
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@experts.command("remove")
@click.argument("key")
@click.pass_context
def remove(ctx, key):
    """Remove expert KEY on request: profile, consent record, links and audit entries
    go; the audit keeps only that a removal happened."""
    with closing(database.connect(settings_of(ctx).curation_db)) as conn:
        store.remove(conn, key, CLI_USER)
    click.echo("Removed.")


@experts.command("send")
@click.option("--all", "every", is_flag=True,
              help="Try every waiting message now, not only those due.")
@click.pass_context
def send(ctx, every):
    """Send the messages to experts waiting in the outbox (those due for another try:
    run it from cron or a timer). What cannot be sent stays, with its error."""
    settings = settings_of(ctx)
    with closing(database.connect(settings.curation_db)) as conn:
        sent, failed = relay.send_due(conn, settings, every=every)
    click.echo(f"{sent} sent, {failed} still waiting.")
