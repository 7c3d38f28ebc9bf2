"""`searchhub engine ...`: moving an index between engines."""

from __future__ import annotations

from pathlib import Path

import click

from searchhub.cli_context import settings_of


@click.group()
def engine():
    """The search engines: copy an index from one to the other."""


@engine.command()
@click.option("--index-dir", type=click.Path(path_type=Path), default=None,
              help="The Whoosh index to copy (default: the index folder of --data-dir).")
@click.pass_context
def copy(ctx, index_dir):
    """Copy the Whoosh index into OpenSearch (opensearch_url, opensearch_index) without
    crawling again. The copy goes into a new index; the configured name switches to it
    when it is complete, replacing what it held."""
    from indexer.lock import RunLock
    from searchhub.engine import Engine, opensearch_admin

    settings = settings_of(ctx)
    source = Engine(index_dir or settings.index_dir, create=False)
    # No indexing run may write while the copy is made (nor switch the name under it).
    lock = RunLock(settings.data_dir)
    lock.acquire(what="searchhub engine copy")
    try:
        index, copied = opensearch_admin.copy_into(settings, source)
    finally:
        lock.release()
        source.close()
    click.echo(f"Copied {copied} documents from {source.path} into {index}; "
               f"{settings.opensearch_index} now names it.")
