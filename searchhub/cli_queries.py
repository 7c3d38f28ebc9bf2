"""`searchhub queries ...`: the count of frequent queries (``searchhub.querylog``)
for operators: what is searched most, forgetting queries, pruning old rare ones."""

from __future__ import annotations

import json

import click

from searchhub.cli_context import settings_of
from searchhub.querylog import QueryLog


def _log(ctx) -> QueryLog:
    """The query log of the command's data folder; a ClickException when there is none
    (a mistyped --data-dir must not create one)."""
    log = QueryLog.of(settings_of(ctx))
    if not log.path.is_file():
        raise click.ClickException(f"No query log at {log.path}: no query counted there.")
    return log


@click.group()
def queries():
    """Frequent queries counted in <data_dir>/querylog.sqlite (text, interface
    language and day only) and suggested as people type."""


@queries.command()
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--language", default=None,
              help="Only queries searched in this interface language (en, fr, …).")
@click.option("--pattern", default=None,
              help="Only queries matching this pattern (* and ? as wildcards; without "
                   "them, queries containing it).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.pass_context
def top(ctx, limit, language, pattern, as_json):
    """The most searched queries: count, distinct days, last day, languages, and
    whether it is frequent enough to be suggested."""
    log = _log(ctx)
    found = [f for f in log.counted(language=language, pattern=pattern)
             if language is None or f.count_in(language)][:limit]
    if not found:
        click.echo("No query counted.", err=True)
    for f in found:
        frequent = log.frequent_enough(f)
        if as_json:
            click.echo(json.dumps({"text": f.text, "count": f.count, "days": f.days,
                                   "last_day": f.last_day, "languages": f.languages,
                                   "frequent": frequent}, ensure_ascii=False))
        else:
            languages = ",".join(f"{k}:{v}" for k, v in sorted(f.languages.items()))
            click.echo(f"{f.count:7d} {f.days:4d}d {f.last_day} "
                       f"{'*' if frequent else ' '} {languages:16} {f.text}")


@queries.command()
@click.argument("pattern")
@click.pass_context
def forget(ctx, pattern):
    """Forget every query matching PATTERN (case ignored; * and ? as wildcards;
    without them, every query containing PATTERN)."""
    if not pattern.strip(" *?"):
        raise click.BadParameter("the pattern would match every query; give a word",
                                 param_hint="PATTERN")
    gone = _log(ctx).forget(pattern)
    click.echo(f"{gone} quer{'y' if gone == 1 else 'ies'} forgotten.")


@queries.command()
@click.pass_context
def prune(ctx):
    """Drop counts older than querylog_keep_days and the rarely searched queries not
    seen for querylog_rare_days (searches also do this once a day)."""
    rows = _log(ctx).prune()
    click.echo(f"{rows} count(s) dropped.")
