"""`searchhub collections ...`: the curated collections of the curation database."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import click

from searchhub import database


@click.group()
def collections():
    """Curated collections kept in <data_dir>/curation.sqlite."""


@collections.command()
@click.option("--file", "seed_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The seed file (default: collections.toml next to the "
                                 "source registry).")
@click.pass_context
def seed(ctx, seed_file):
    """Create the seeded collections that are missing and add their documents."""
    from searchhub.cli_context import settings_of
    from searchhub.collections.seed import seed as apply_seed
    from searchhub.engine import open_engine
    from searchhub.errors import IndexMissing

    settings = settings_of(ctx)
    seed_file = seed_file or Path(settings.sources).parent / "collections.toml"
    try:
        with open_engine(settings, create=False) as engine:
            known = set(engine.known())
    except IndexMissing:
        known = None
    with closing(database.connect(settings.curation_db)) as conn:
        report = apply_seed(conn, seed_file, known)
    click.echo(f"{len(report['created'])} collection(s) created, {report['added']} "
               f"document(s) added.")
    for doc_id in report["missing"]:
        click.echo(f"not in the index, not added: {doc_id}")
