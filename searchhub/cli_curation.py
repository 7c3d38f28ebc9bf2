"""`searchhub curation ...`: automatic flags, re-applying corrections, orphans, re-crawls."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

import click

from searchhub import database


def _open(ctx):
    from searchhub.cli_context import settings_of as _settings
    from searchhub.engine import open_engine

    settings = _settings(ctx)
    return settings, database.connect(settings.curation_db), open_engine(settings,
                                                                         create=False)


@click.group()
def curation():
    """Curation decisions kept in <data_dir>/curation.sqlite."""


@curation.command()
@click.option("--report", "report_file", type=click.Path(exists=True, dir_okay=False,
                                                         path_type=Path),
              help="Also flag the failures of a run report (`searchhub index --json`).")
@click.pass_context
def sync(ctx, report_file):
    """Raise automatic flags from the documents' quality signals (and a run's failures)."""
    from searchhub.curation import automatic

    settings, conn, engine = _open(ctx)
    failures, agencies = [], {}
    if report_file:
        from indexer.sources import load_sources
        data = json.loads(report_file.read_text(encoding="utf-8"))
        failures = automatic.report_failures(data.get("sources", []))
        agencies = {s.id: s.agency
                    for s in load_sources(settings.sources, settings.taxonomy_dir)}
    with closing(conn), engine:
        new = automatic.record(conn, automatic.index_signals(engine), failures, agencies)
    click.echo(f"{new} new automatic flag{'' if new == 1 else 's'}.")


@curation.command()
@click.pass_context
def reapply(ctx):
    """Write corrected metadata into the index now (queued corrections and undos, and
    every correction in force, e.g. after a rebuild); indexing runs do it too."""
    from searchhub.curation import runs

    _, conn, engine = _open(ctx)
    with closing(conn), engine:
        result = runs.reapply(conn, engine)
    click.echo(f"{len(result['corrected'])} document(s) corrected, "
               f"{len(result['unchanged'])} already right, "
               f"{len(result['orphaned'])} orphaned (no longer in the index; kept).")
    for doc_id in result["orphaned"]:
        click.echo(f"  orphaned: {doc_id}")


@curation.command()
@click.pass_context
def orphans(ctx):
    """Decisions naming documents that are no longer in the index (kept, not lost)."""
    from searchhub.curation import apply

    _, conn, engine = _open(ctx)
    with closing(conn), engine:
        rows = apply.orphaned_decisions(engine, conn)
    for r in rows:
        click.echo(f"{r['doc_id']:40} {r['kind']:10} {r['value']}  ({r['created_by']}, "
                   f"{r['created_at']})")
    click.echo(f"{len(rows)} orphaned decision(s).")


@curation.command()
@click.pass_context
def recrawls(ctx):
    """Documents curators asked to re-crawl (for the crawler, issue 3)."""
    from searchhub.curation import store

    _, conn, engine = _open(ctx)
    with closing(conn), engine:
        rows = store.active_decisions(conn, "recrawl")
    for r in rows:
        click.echo(f"{r['doc_id']}\t{r['created_by']}\t{r['created_at']}")
