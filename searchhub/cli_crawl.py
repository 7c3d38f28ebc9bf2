"""The indexer's operations commands: `searchhub runs` and `searchhub scheduler`,
and the one place that turns settings into the options of a run."""

from __future__ import annotations

import json
import logging

import click

from searchhub import logs
from searchhub.cli_context import settings_of as _settings
from searchhub.settings import Settings


def run_options(settings: Settings, *, progress: bool = False, lock_wait: float = 0.0):
    """The RunOptions of a run from the settings: the CLI and the scheduler share it."""
    from indexer.pipeline import RunOptions

    return RunOptions(
        taxonomy_dir=settings.taxonomy_dir, workers=settings.workers,
        document_timeout=settings.document_timeout,
        max_bytes=int(settings.max_document_mb * 2**20), http_timeout=settings.http_timeout,
        user_agent=settings.user_agent, commit_every=settings.commit_every,
        commit_interval=settings.commit_interval, progress=progress,
        data_dir=settings.data_dir, lock_wait=lock_wait,
        host_delay=settings.host_delay, max_per_host=settings.max_connections_per_host,
        http_retries=settings.http_retries, gone_after_runs=settings.gone_after_runs)


def _state(settings: Settings):
    from indexer.state import CrawlState, crawl_db_path

    path = crawl_db_path(settings.data_dir)
    if not path.exists():
        raise click.ClickException(f"No run has been recorded yet ({path} does not exist); "
                                   "run `searchhub index` first.")
    return CrawlState(path)


@click.command()
@click.option("--limit", default=20, show_default=True, help="How many recent runs.")
@click.option("--run", "run_id", type=int, default=None,
              help="One run in detail, with its failures.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def runs(ctx, limit, run_id, as_json):
    """List recent indexing runs: when, and per source what was added, updated,
    unchanged, merged, removed, failed (new problems of that run), skipped as
    unsupported, and found to be known dead links."""

    with _state(_settings(ctx)) as state:
        rows = state.runs(limit if run_id is None else 10**9)
        if run_id is not None:
            rows = [r for r in rows if r["id"] == run_id]
            if not rows:
                raise click.ClickException(f"no run {run_id}")
            for r in rows:
                r["failures"] = state.run_failures(run_id)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No runs recorded yet.")
        return
    header = f"{'run':>5} {'started':20} {'status':11} " + count_columns(lambda k: k)
    click.echo(header)
    for r in rows:
        click.echo(f"{r['id']:>5} {r['started']:20} {r['status']:11} "
                   + count_columns(r["totals"].get))
        if run_id is not None or any(s["error"] for s in r["sources"]):
            for s in r["sources"]:
                line = f"{'':5} {s['source_id']:32} " + count_columns(s.get)
                click.echo(line + (f"  ERROR: {s['error']}" if s["error"] else ""))
        for f in r.get("failures", []):
            kind = f" ({f['error_type']})" if f["error_type"] else ""
            click.echo(f"{'':7}[{f['reason']}] {f['source_id']}: {f['location']}: "
                       f"{f['message']}{kind}")
            for line in f["traceback"].splitlines():
                click.echo(f"{'':9}{line}")


def count_columns(value_of) -> str:
    """``value_of(key)`` for every count key, right-aligned under the key's name."""
    from indexer.report import COUNT_KEYS

    return " ".join(f"{value_of(k):>{max(9, len(k))}}" for k in COUNT_KEYS)


def scheduled_jobs(sources) -> list[tuple[object, object]]:
    """(source, CronTrigger) for every enabled source with a ``schedule``, in UTC."""
    from apscheduler.triggers.cron import CronTrigger

    return [(s, CronTrigger.from_crontab(s.options["schedule"], timezone="UTC"))
            for s in sources if s.enabled and s.options.get("schedule")]


def run_scheduled(settings: Settings, source_id: str, lock_wait: float) -> dict:
    """One scheduled run of one source (the registry is re-read, so edits to a source's
    options apply at its next run); returns the run report as a dict."""
    from indexer.lock import RunLock
    from indexer.pipeline import run
    from indexer.sources import load_sources
    from searchhub import database
    from searchhub.curation import runs
    from searchhub.engine import open_engine

    sources = [s for s in load_sources(settings.sources, settings.taxonomy_dir)
               if s.id == source_id and s.enabled]
    if not sources:
        return {"error": f"source {source_id} is no longer in the registry or is disabled"}
    options = run_options(settings, lock_wait=lock_wait)
    # Held across the run and the curation written after it (queued corrections).
    lock = RunLock(settings.data_dir)
    lock.acquire(wait=lock_wait, what="searchhub index (schedule)")
    conn = database.connect(settings.curation_db)
    try:
        with open_engine(settings) as engine:
            report = run(engine, sources, options, trigger="schedule",
                         curation=runs.load_input(conn), lock=lock)
            runs.after_run(conn, engine, report, {s.id: s.agency for s in sources})
    finally:
        conn.close()
        lock.release()
    return report.as_dict()


@click.command()
@click.option("--list", "list_only", is_flag=True,
              help="Show each scheduled source and its next run, then exit.")
@click.option("--lock-wait", default=6 * 3600.0, show_default=True,
              help="Seconds a scheduled run waits for another run to finish.")
@click.pass_context
def scheduler(ctx, list_only, lock_wait):
    """Run each source on its `schedule` (cron syntax, UTC) in a long-lived process.

    Runs of different sources follow one another (one at a time, and the run lock
    keeps a hand-started `searchhub index` out of their way); a run that was due while
    another ran starts once it has finished; missed runs are not repeated."""
    import datetime as dt

    from indexer.sources import load_sources

    settings = _settings(ctx)
    logs.configure(logging.INFO)
    jobs = scheduled_jobs(load_sources(settings.sources, settings.taxonomy_dir))
    if not jobs:
        raise click.ClickException("No source has a schedule; add schedule = \"0 3 * * *\" "
                                   "to a [[source]] in the registry.")
    now = dt.datetime.now(dt.UTC)
    for source, trigger in jobs:
        upcoming = trigger.get_next_fire_time(None, now)
        click.echo(f"{source.id:32} {source.options['schedule']:16} next "
                   f"{upcoming.isoformat(timespec='minutes')}")
    if list_only:
        return
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    def job(source_id: str) -> None:
        report = run_scheduled(settings, source_id, lock_wait)
        click.echo(json.dumps({"event": "scheduled-run", "source": source_id,
                               "run_id": report.get("run_id"), "totals": report.get("totals"),
                               "error": report.get("error")}), err=True)

    sched = BlockingScheduler(timezone="UTC",
                              executors={"default": ThreadPoolExecutor(max_workers=1)})
    for source, trigger in jobs:
        sched.add_job(job, trigger, args=[source.id], id=source.id, name=source.name,
                      max_instances=1, coalesce=True, misfire_grace_time=3600)
    click.echo(f"Scheduler started with {len(jobs)} source(s); Ctrl-C stops it.")
    try:
        sched.start()
    except (KeyboardInterrupt, SystemExit):
        pass
