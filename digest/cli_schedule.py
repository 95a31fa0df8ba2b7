"""``digest serve`` and ``digest schedule``, registered on the main app by importing this."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from digest import cli, health, logs, pipeline
from digest.cli import JsonOpt, _open, _print_json, app, out

# Every command logs through digest.logs: text, or JSON lines with [logging] format = "json".
cli._setup_logging = logs.setup_logging


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Listen on this address (default: [web] host).")] = "",
    port: Annotated[int, typer.Option(help="Listen on this port (default: [web] port).")] = 0,
) -> None:
    """Run the scheduler and the web app in one process, until SIGTERM or Ctrl-C."""
    from digest.serve import serve as run_server

    with _open() as (cfg, store):
        logs.setup_logging(cfg)
        code = run_server(cfg, store, host=host or None, port=port or None)
    raise typer.Exit(code)


@app.command()
def schedule(as_json: JsonOpt = False) -> None:
    """The next run times, the last runs and their outcome, failing feeds."""
    with _open() as (cfg, store):
        data = health.report(cfg, store, now=pipeline.utcnow())
    if as_json:
        _print_json(data)
        return
    _print_schedule(data)


def _print_schedule(data: dict[str, Any]) -> None:
    nexts = ", ".join(data["next_editions"]) or "never"
    out.print(f"[bold]next editions[/] ({data['timezone']} schedule, times in UTC): {nexts}")
    serving = data["scheduler"]["serve_processes"]
    if serving:
        for p in serving:
            out.print(f"digest serve running since {p['started']} ({p['owner']})")
    else:
        out.print("no `digest serve` is recorded as running")
    e = data["last_edition"]
    if e:
        sent = ", ".join(f"{k} {v}" for k, v in sorted(e["deliveries"].items())) or "no deliveries"
        note = f" — {e['note']}" if e["note"] else ""
        out.print(f"last edition: {e['id']} of {e['date']}, {e['status']} ({sent}){note}",
                  highlight=False)
    out.print(_runs_table(data["last_runs"]))
    for feed in data["failing_feeds"]:
        out.print(f"[yellow]feed failing[/] {feed['name']} since {feed['failing_since']}: "
                  f"{feed['error']}", highlight=False)
    out.print(f"status: {data['status']}")
    for problem in data["problems"]:
        out.print(f"  - {problem}", highlight=False)


def _runs_table(runs: list[dict[str, Any]]) -> Table:
    table = Table(title="last runs")
    for col in ("job", "started", "finished", "outcome", "detail"):
        table.add_column(col, overflow="fold")
    for r in runs:
        table.add_row(r["job"], r["started"], r["finished"] or "—", r["outcome"], r["detail"])
    return table
