"""The `digest` command: a thin layer over pipeline.py.

It reads the config, opens the store, calls one pipeline function and prints the result
(a rich table, or JSON with --json). Every DigestError becomes one line on stderr and the
error's exit code; nothing a user can cause ends in a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from digest import __version__, pipeline
from digest.addresses import normalise_email
from digest.codec import edition_to_dict
from digest.config import Config, load_config
from digest.errors import ConfigError, DigestError, InvalidInput
from digest.store import Store
from digest.types import Edition, FeedResult, SendReport

out = Console()
err = Console(stderr=True)

app = typer.Typer(
    help="Build and send an evening news digest from RSS/Atom feeds.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
subscribers_app = typer.Typer(help="Who gets the edition.", no_args_is_help=True)
edition_app = typer.Typer(help="Look at stored editions.", no_args_is_help=True)
app.add_typer(subscribers_app, name="subscribers")
app.add_typer(edition_app, name="edition")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class State:
    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path
        self._cfg: Config | None = None

    @property
    def cfg(self) -> Config:
        if self._cfg is None:
            self._cfg = load_config(self.config_path)
            _setup_logging(self._cfg)
        return self._cfg


def _setup_logging(cfg: Config) -> None:
    fmt = (
        '{"time":"%(asctime)s","level":"%(levelname)s","logger":"%(name)s","message":%(message)r}'
        if cfg.logging.format == "json"
        else "%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.basicConfig(level=cfg.logging.level, format=fmt, stream=sys.stderr)
    for noisy in ("alembic", "httpx", "httpcore"):  # their INFO lines are not ours to show
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.root.level))


_STATE = State(None)  # set by the root callback from --config


def _state() -> State:
    return _STATE


@contextmanager
def _open() -> Iterator[tuple[Config, Store]]:
    cfg = _state().cfg
    store = Store.open(cfg.database_url)
    try:
        yield cfg, store
    finally:
        store.close()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _version(value: bool) -> None:
    if value:
        out.print(f"digest {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        str | None,
        typer.Option(
            "--config", "-c", help="The config file (default: $DIGEST_CONFIG or ./config.toml)."
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    global _STATE
    _STATE = State(config)
    ctx.obj = _STATE


# ---- collect ---------------------------------------------------------------------------------


def _collect(cfg: Config, store: Store) -> list[FeedResult]:
    if not cfg.feeds:
        raise ConfigError("no feeds configured", key="feeds", hint="add [[feeds]] with a url")
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err, transient=True,
    ) as bar:
        task = bar.add_task("collect", total=len(cfg.feeds))
        vec = bar.add_task("vectors", total=None, visible=False)

        def vectors(done: int, total: int) -> None:
            bar.update(vec, completed=done, total=total, visible=True)

        return pipeline.run_collect(
            cfg, store, now=pipeline.utcnow(), on_done=lambda _c: bar.advance(task),
            on_vectors=vectors,
        )


def _feed_table(results: list[FeedResult]) -> Table:
    table = Table(title="Feeds")
    for col in ("feed", "status", "new", "updated", "seconds", "error"):
        table.add_column(col, justify="right" if col in ("new", "updated", "seconds") else "left")
    style = {"ok": "green", "not-modified": "cyan", "error": "red"}
    for r in results:
        note = r.error or (f"moved permanently to {r.moved_to}; update its url in the config"
                           if r.moved_to else "")
        table.add_row(
            r.name, f"[{style.get(r.status, '')}]{r.status}[/]", str(r.new), str(r.updated),
            f"{r.seconds:.2f}", note,
        )
    return table


def _collect_ok(results: list[FeedResult]) -> bool:
    return any(r.status != "error" for r in results)


@app.command()
def collect(as_json: JsonOpt = False) -> None:
    """Fetch every feed and store new and changed entries; a table per feed."""
    with _open() as (cfg, store):
        results = _collect(cfg, store)
    if as_json:
        _print_json([asdict(r) for r in results])
    else:
        out.print(_feed_table(results))
    if not _collect_ok(results):
        err.print("error: no feed could be collected; see the table above")
        raise typer.Exit(1)


# ---- build -----------------------------------------------------------------------------------


def _edition_json(edition: Edition, subject: str) -> dict[str, Any]:
    return edition_to_dict(edition, subject=subject)


@app.command()
def build(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Build today's edition again (before sending).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Build tonight's edition from what was collected (once per day)."""
    with _open() as (cfg, store):
        built = pipeline.build_edition(cfg, store, now=pipeline.utcnow(), rebuild=rebuild)
    if as_json:
        _print_json(_edition_json(built.edition, built.subject))
        return
    e = built.edition
    verb = "built" if built.created else "already built (use --rebuild to build it again)"
    out.print(
        f"edition {e.id} of {e.date}: {len(e.stories)} stories in {len(e.sections)} sections, "
        f"{verb}\nsubject: {built.subject}"
    )


# ---- send ------------------------------------------------------------------------------------


def _send(cfg: Config, store: Store, edition: Edition) -> SendReport:
    with Progress(
        TextColumn("send"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    ) as bar:
        task = bar.add_task("send", total=None)
        return pipeline.send_edition(
            cfg, store, edition,
            on_start=lambda n: bar.update(task, total=n),
            on_progress=lambda: bar.advance(task),
        )


def _report_send(report: SendReport, as_json: bool) -> int:
    if as_json:
        _print_json(asdict(report))
    else:
        out.print(
            f"edition {report.edition_id}: sent {report.sent}, already sent {report.already}, "
            f"deferred {report.failed}, refused {report.bounced}"
        )
        for line in report.errors[:20]:
            err.print(f"error: {line}", markup=False, highlight=False)
        if len(report.errors) > 20:
            err.print(f"… and {len(report.errors) - 20} more")
    remaining = int(report.extra.get("remaining", 0))
    if report.extra.get("aborted"):
        return 1
    if remaining:
        if not as_json:
            err.print(f"{remaining} messages not delivered yet; run `digest send` again later")
        return 1
    return 0


def _quiet(cfg: Config, store: Store, edition: Edition) -> bool:
    """A day with too few stories: skip it (default) or send anyway (edition.quiet_day)."""
    note = pipeline.quiet_day(cfg, store, edition, now=pipeline.utcnow())
    if note is not None:
        err.print(
            f"{note}; not sent (to send it after all: collect more, then "
            "`digest build --rebuild` and `digest send`)"
        )
    return note is not None


@app.command()
def send(
    as_json: JsonOpt = False,
    test: Annotated[
        list[str] | None,
        typer.Option(
            "--test", metavar="ADDR",
            help="Only send a [TEST] copy to these addresses (repeat --test, or separate "
            "with commas); nothing is recorded in the delivery ledger.",
        ),
    ] = None,
) -> None:
    """Send tonight's edition to every active subscriber not served yet."""
    if test:
        from digest.cli_preview import send_test_command

        send_test_command(test, as_json)
        return
    with _open() as (cfg, store):
        built = pipeline.build_edition(cfg, store, now=pipeline.utcnow())
        if _quiet(cfg, store, built.edition):
            return
        code = _report_send(_send(cfg, store, built.edition), as_json)
    raise typer.Exit(code)


@app.command()
def run(as_json: JsonOpt = False) -> None:
    """The nightly job: collect, build, send."""
    with _open() as (cfg, store):
        results = _collect(cfg, store)
        if not as_json:
            out.print(_feed_table(results))
        built = pipeline.build_edition(cfg, store, now=pipeline.utcnow())
        e = built.edition
        if not as_json:
            out.print(f"edition {e.id} of {e.date}: {len(e.stories)} stories — {built.subject}")
        code = 0 if _collect_ok(results) else 1
        if code:
            err.print("error: no feed could be collected; the edition holds what was stored")
        if _quiet(cfg, store, e):
            raise typer.Exit(code)
        if not store.subscribers(status="active") and e.status == "built":
            path = pipeline.write_archive_copy(cfg, e)
            msg = f"no active subscribers: the edition is in {path}"
            if as_json:
                _print_json({"edition": e.id, "html": str(path), "sent": 0})
            else:
                out.print(msg + " (add one with `digest subscribers add EMAIL`)")
            raise typer.Exit(code)
        code = max(code, _report_send(_send(cfg, store, e), as_json))
    raise typer.Exit(code)


# ---- subscribers -----------------------------------------------------------------------------


@subscribers_app.command("add")
def subscribers_add(
    emails: Annotated[list[str], typer.Argument(help="One or more addresses.")],
    name: Annotated[str, typer.Option(help="A display name.")] = "",
    sections: Annotated[
        str, typer.Option(help="Comma-separated sections to receive (default: all).")
    ] = "",
) -> None:
    """Add subscribers, active at once (the operator vouches for them)."""
    chosen = frozenset(s.strip() for s in sections.split(",") if s.strip()) or None
    with _open() as (_cfg, store):
        for raw in emails:
            email = normalise_email(raw)
            sub, created = store.add_subscriber(
                email, now=pipeline.utcnow(), name=name, sections=chosen
            )
            if created:
                out.print(f"added {sub.email} (id {sub.id})")
            else:
                out.print(f"{sub.email} is already on the list ({sub.status})")


@subscribers_app.command("list")
def subscribers_list(
    status: Annotated[str, typer.Option(help="Only this status.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """List subscribers."""
    with _open() as (_cfg, store):
        subs = store.subscribers(status=status or None)
    if as_json:
        _print_json(
            [
                {"id": s.id, "email": s.email, "status": s.status, "name": s.name,
                 "sections": sorted(s.sections) if s.sections is not None else None,
                 "created_at": s.created_at}
                for s in subs
            ]
        )
        return
    table = Table(title=f"{len(subs)} subscribers")
    for col in ("id", "email", "status", "sections"):
        table.add_column(col)
    for s in subs:
        table.add_row(
            str(s.id), s.email, s.status, ", ".join(sorted(s.sections)) if s.sections else "all"
        )
    out.print(table)


# ---- editions --------------------------------------------------------------------------------


@edition_app.command("show")
def edition_show(
    edition_id: Annotated[int | None, typer.Argument(help="Default: the latest.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """An edition's sections and stories (the latest by default)."""
    with _open() as (cfg, store):
        edition = store.edition(edition_id) if edition_id else store.latest_edition(
            cfg.newsletter.name
        )
        if edition is None:
            raise InvalidInput("no edition yet", hint="run `digest build` first")
        assert edition.id is not None
        row = store.edition_row(edition.id)
        counts = store.delivery_counts(edition.id)
    data = _edition_json(edition, row["subject"])
    data["deliveries"] = counts
    if as_json:
        _print_json(data)
        return
    out.print(f"[bold]{row['subject']}[/] (edition {edition.id}, {edition.status})")
    for sec in edition.sections:
        out.print(f"\n[bold underline]{sec.name}[/]")
        for s in sec.stories:
            kicker = f"[dim]{s.kicker}[/] " if s.kicker else ""
            also = f" [dim](+{len(s.also)} outlets)[/]" if s.also else ""
            out.print(f"  {kicker}{s.title} [dim]— {s.source}[/]{also}", highlight=False)
    if counts:
        out.print("\ndeliveries: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


@edition_app.command("list")
def edition_list(as_json: JsonOpt = False) -> None:
    """Stored editions, newest first."""
    with _open() as (_cfg, store):
        rows = store.editions()
    if as_json:
        _print_json(rows)
        return
    table = Table(title="Editions")
    for col in ("id", "date", "status", "stories", "subject"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r["date"], r["status"], str(r["stories"]), r["subject"])
    out.print(table)


# ---- the edge ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning errors into one line and an exit code."""
    try:
        app(args=argv, prog_name="digest")  # usage errors and typer.Exit end here
    except DigestError as e:
        err.print(f"error: {e}", markup=False, highlight=False)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


# The modules below add their commands to `app` when imported.
from digest import cli_preview, cli_schedule  # noqa: E402,F401
