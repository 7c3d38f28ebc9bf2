"""The `searchhub` command: index, search, serve, eval, settings, bench."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from searchhub import logs
from searchhub import rebuild as index_swap
from searchhub.cli_context import settings_of as _settings
from searchhub.errors import ConfigError, SearchhubError
from searchhub.models import FACET_NAMES
from searchhub.settings import settings_help


class _Errors(click.Group):
    """Turns our errors into click errors: a clear message and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SearchhubError as exc:
            raise click.ClickException(exc.message) from exc


@click.group(cls=_Errors)
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Where the index and databases live (SEARCHHUB_DATA_DIR).")
@click.option("--sources", type=click.Path(path_type=Path), default=None,
              help="The source registry TOML (SEARCHHUB_SOURCES).")
@click.option("--engine", type=click.Choice(["whoosh", "opensearch"]), default=None,
              help="The search engine (SEARCHHUB_ENGINE).")
@click.pass_context
def main(ctx, data_dir, sources, engine):
    """searchhub: index partner documents on migration and search them."""
    ctx.obj = {k: v for k, v in {"data_dir": data_dir, "sources": sources,
                                 "engine": engine}.items() if v}


@main.command()
@click.option("--source", "source_ids", multiple=True, help="Only this source (repeatable).")
@click.option("--force", is_flag=True, help="Re-extract documents even if unchanged.")
@click.option("--rebuild", is_flag=True,
              help="Build the index again from every source, beside the live one, which "
                   "serves until the new one is complete (curation "
                   "decisions, accounts and crawl history are kept).")
@click.option("--workers", type=int, default=None, help="Worker processes (0 = all cores).")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--wait", type=float, default=0.0,
              help="Seconds to wait for a run already writing the index (default: say who "
                   "holds it and stop).")
@click.pass_context
def index(ctx, source_ids, force, rebuild, workers, as_json, quiet, wait):
    """Index all sources of the registry (or --source ID)."""
    from indexer.pipeline import run
    from indexer.sources import load_sources
    from searchhub.cli_crawl import run_options
    from searchhub.engine import open_engine, opensearch_admin

    settings = _settings(ctx, workers=workers)
    registry = load_sources(settings.sources, settings.taxonomy_dir)
    from searchhub.platforms import load_platforms
    load_platforms(settings.platforms_file, registry, settings.taxonomy_dir)   # every problem
    sources = [s for s in registry if s.enabled]
    from searchhub.uploads.source import SOURCE_ID as UPLOADS
    if source_ids:
        known = {s.id for s in sources} | {UPLOADS}
        unknown = [s for s in source_ids if s not in known]
        if unknown:
            raise click.ClickException(f"unknown source {', '.join(unknown)}; "
                                       f"known: {', '.join(sorted(known))}")
        sources = [s for s in sources if s.id in source_ids]
    options = run_options(settings, progress=not quiet and not as_json, lock_wait=wait)
    if rebuild and source_ids:
        raise click.ClickException("--rebuild rebuilds every source; leave out --source")
    from indexer.lock import RunLock
    from searchhub import database
    lock = RunLock(settings.data_dir)     # held from before a rebuild deletes the index
    lock.acquire(wait=wait, what="searchhub index" + (" --rebuild" if rebuild else ""))
    from searchhub.curation import runs
    conn = database.connect(settings.curation_db)
    try:
        if not source_ids or UPLOADS in source_ids:
            # Members' approved uploads: always indexed, so no run removes them.
            from searchhub.uploads.source import uploads_source
            sources.append(uploads_source(conn, settings.data_dir))
        live = settings.index_dir
        if rebuild and settings.engine == "opensearch":
            # A new versioned index; the configured name (an alias) serves until it is whole.
            force = True
            engine = opensearch_admin.open_rebuild(settings)
        elif rebuild:
            # Built beside the live index, which serves until the new one is complete.
            _check_is_index(live)
            force = True
            engine = open_engine(settings, path=index_swap.start(live))
        else:
            index_swap.recover(live)
            engine = open_engine(settings)
        # One JSON line per event for a log file; on a terminal, the progress bar and
        # the report say it, and only errors are logged.
        logs.configure(logging.ERROR if sys.stderr.isatty() else logging.INFO)
        report = run(engine, sources, options, force=force,
                     curation=runs.load_input(conn), lock=lock)
        runs.after_run(conn, engine, report, {s.id: s.agency for s in sources})
        if rebuild:
            engine.close()
            if settings.engine == "opensearch":
                opensearch_admin.finish_rebuild(settings, engine.index)
            else:
                index_swap.switch(engine.path, live)
            engine = open_engine(settings, create=False)
    finally:
        conn.close()
        lock.release()
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        _print_report(report, engine.count())
    ctx.exit(1 if report.failed else 0)


def _check_is_index(index_dir: Path) -> None:
    """Refuse to replace a folder that is not a searchhub index (derived data only)."""
    if index_dir.is_dir() and not any(index_dir.glob("*.toc")) and any(index_dir.iterdir()):
        raise click.ClickException(f"{index_dir} does not look like a searchhub index; "
                                   "not replacing it")


def _print_report(report, total: int) -> None:
    from searchhub.cli_crawl import count_columns

    click.echo(f"{'source':24} " + count_columns(lambda k: k))
    for s in report.sources:
        line = f"{s.source_id:24} " + count_columns(s.counts.__getitem__)
        click.echo(line + (f"  ERROR: {s.error}" if s.error else ""))
    click.echo(f"{'total':24} " + count_columns(report.total))
    failures = [(s.source_id, f) for s in report.sources for f in s.failures]
    if failures:
        click.echo(f"\n{len(failures)} document(s) failed:")
        for source_id, f in failures:
            kind = f" ({f.error_type})" if f.error_type else ""
            click.echo(f"  [{f.reason}] {source_id}: {f.location}: {f.message}{kind}")
    click.echo(f"\nThe index now holds {total} documents.")


def _facet_options(command):
    """One repeatable option per facet (``--agency``, ``--type``...), in sidebar order."""
    for name in reversed(FACET_NAMES):
        command = click.option(f"--{name}", f"facet_{name}", multiple=True)(command)
    return command


@main.command()
@click.argument("text", required=False, default="")
@_facet_options
@click.option("--sort", default="relevance", type=click.Choice(["relevance", "newest"]))
@click.option("--page", default=1, type=int)
@click.option("--page-size", default=None, type=int,
              help="Results per page (SEARCHHUB_PAGE_SIZE).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@click.option("--facets/--no-facets", default=False, help="Also print facet counts.")
@click.pass_context
def search(ctx, text, sort, page, page_size, as_json, facets, **facet_values):
    """Search the index, as the web page and API do."""
    from searchhub.engine import open_engine
    from searchhub.search import label_facets, query_from_params, result_to_dict
    from searchhub.searching import search as search_service

    settings = _settings(ctx)
    params = {"q": text, "sort": sort, "page": page, "page_size": page_size,
              **{name: list(facet_values[f"facet_{name}"]) for name in FACET_NAMES}}
    query, notices = query_from_params(params, default_page_size=settings.page_size,
                                       max_page_size=settings.max_page_size)
    from searchhub.collections import membership_view

    # Collections are curation data: without their memberships --collection finds nothing.
    result = search_service(open_engine(settings, create=False), query,
                            membership_view(settings.curation_db))
    result.notices[:0] = notices
    from searchhub.platforms import registry_for
    try:
        platforms = {p.id: p.name for p in registry_for(settings).platforms}
    except ConfigError:
        platforms = {}          # the ids show instead of the names
    label_facets(result, settings.taxonomy_dir, platforms)
    if as_json:
        click.echo(json.dumps(result_to_dict(result), indent=2, ensure_ascii=False))
        return
    import re
    for notice in result.notices:
        click.echo(f"note: {notice}")
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}")
    click.echo(f"{result.total} document{'' if result.total == 1 else 's'} · "
               f"page {result.query.page} of {result.pages}")
    first = (result.query.page - 1) * result.query.page_size
    for n, hit in enumerate(result.hits, start=first + 1):
        d = hit.document
        meta = " · ".join(x for x in (d.agency, d.type, d.date.isoformat() if d.date else "",
                                      d.language, ", ".join(d.regions)) if x)
        click.echo(f"\n{n}. {d.title}\n   {meta}")
        snippet = re.sub(r"</?mark>", "**", hit.snippet)
        import html
        click.echo(f"   {html.unescape(snippet)}")
        where = f" (page {hit.page_number})" if hit.page_number else ""
        click.echo(f"   {d.url}{where}   [id {d.id}]")
    if facets:
        for name, values in result.facets.items():
            if values:
                shown = ", ".join(f"{fv.label or fv.value} ({fv.count})" for fv in values[:10])
                click.echo(f"\n{name}: {shown}")


@main.command()
@click.option("--host", default=None, help="Address to listen on (SEARCHHUB_HOST).")
@click.option("--port", default=None, type=int, help="Port (SEARCHHUB_PORT).")
@click.option("--threads", default=None, type=int)
@click.pass_context
def serve(ctx, host, port, threads):
    """Serve the search site and API with waitress."""
    import waitress

    from searchhub.web import create_app

    settings = _settings(ctx, host=host, port=port, threads=threads)
    logs.configure(logging.INFO)
    app = create_app(settings.as_dict())
    with app.app_context():
        count = app.extensions["searchhub"].engine.count()
    click.echo(f"Serving {count} documents on http://{settings.host}:{settings.port}/")
    if not settings.cookie_secure and not _loopback(settings.host):
        click.echo(f"Warning: serving on {settings.host}, beyond this machine, with session "
                   "cookies that are not Secure: put the site behind HTTPS and set "
                   "SEARCHHUB_COOKIE_SECURE=true (see the README).", err=True)
    waitress.serve(app, host=settings.host, port=settings.port, threads=settings.threads,
                   ident="searchhub")


def _loopback(host: str) -> bool:
    import ipaddress
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@main.command(name="eval")
@click.argument("qrels", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--k", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def eval_(ctx, qrels, k, as_json):
    """Relevance of the configured index against query-relevance files (nDCG@k,
    recall@k): each file's queries and means apart, and its means per query kind and
    per query language."""
    from searchhub.engine import open_engine
    from searchhub.relevance import evaluate

    settings = _settings(ctx)
    engine = open_engine(settings, create=False)
    reports = {str(path): evaluate(engine, path, k=k) for path in qrels}
    if as_json:
        report = next(iter(reports.values())) if len(reports) == 1 else reports
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    for path, report in reports.items():
        click.echo(f"{path}:")
        for row in report["queries"]:
            click.echo(f"{row['qid']:6} nDCG@{k} {row['ndcg']:.3f}  recall@{k} "
                       f"{row['recall']:.3f}  {row['query'][:70]}")
        for name, means in [*report["kinds"].items(),
                            *((f"in {lang}", m) for lang, m in report["languages"].items())]:
            click.echo(f"  {name:14} ({means['count']:2} queries) nDCG@{k} {means['ndcg']:.3f}"
                       f"  recall@{k} {means['recall']:.3f}")
        click.echo(f"mean over {len(report['queries'])} queries: nDCG@{k} {report['ndcg']:.3f}"
                   f"  recall@{k} {report['recall']:.3f}\n")


@main.command()
def settings():
    """List every setting with its environment variable, default and meaning."""
    click.echo(settings_help())


from searchhub import cli_crawl  # noqa: E402
from searchhub.cli_users import users  # noqa: E402  (the group must exist first)

main.add_command(users)
main.add_command(cli_crawl.runs)
main.add_command(cli_crawl.scheduler)
from searchhub.cli_curation import curation  # noqa: E402

main.add_command(curation)
from searchhub.cli_collections import collections  # noqa: E402

main.add_command(collections)
from searchhub.cli_experts import experts  # noqa: E402

main.add_command(experts)
from searchhub.cli_engine import engine  # noqa: E402

main.add_command(engine)
from searchhub.cli_queries import queries  # noqa: E402

main.add_command(queries)
from searchhub.cli_uploads import uploads  # noqa: E402

main.add_command(uploads)

if __name__ == "__main__":
    main()
