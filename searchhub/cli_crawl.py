"""The indexer's operations commands: `searchhub runs` and `searchhub scheduler`,
and the one place that turns settings into the options of a run."""

from __future__ import annotations

import json

import click

from searchhub.settings import Settings


def run_options(settings: Settings, *, progress: bool = False, lock_wait: float = 0.0):
    """The RunOptions of a run from the settings: the CLI and the scheduler share it."""
    from indexer.pipeline import RunOptions

    return RunOptions(
        taxonomy_dir=settings.taxonomy_dir, workers=settings.workers,
        document_timeout=settings.document_timeout,
        max_bytes=int(settings.max_document_mb * 2**20), http_timeout=settings.http_timeout,
        user_agent=settings.user_agent, commit_every=settings.commit_every,
        progress=progress, data_dir=settings.data_dir, lock_wait=lock_wait,
        host_delay=settings.host_delay, max_per_host=settings.max_connections_per_host,
        http_retries=settings.http_retries, gone_after_runs=settings.gone_after_runs)


def _settings(ctx) -> Settings:
    return Settings.load(dict(ctx.obj or {}))


def _state(settings: Settings):
    from indexer.state import CrawlState

    path = settings.data_dir / "crawl.sqlite"
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
    unchanged, merged, removed and failed."""
    from indexer.state import COUNT_KEYS

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
    header = f"{'run':>5} {'started':20} {'status':11} " + " ".join(f"{k:>9}" for k in COUNT_KEYS)
    click.echo(header)
    for r in rows:
        click.echo(f"{r['id']:>5} {r['started']:20} {r['status']:11} "
                   + " ".join(f"{r['totals'][k]:>9}" for k in COUNT_KEYS))
        if run_id is not None or any(s["error"] for s in r["sources"]):
            for s in r["sources"]:
                line = f"{'':5} {s['source_id']:32} " + " ".join(
                    f"{s[k]:>9}" for k in COUNT_KEYS)
                click.echo(line + (f"  ERROR: {s['error']}" if s["error"] else ""))
        for f in r.get("failures", []):
            click.echo(f"{'':7}[{f['reason']}] {f['source_id']}: {f['location']}: {f['message']}")
