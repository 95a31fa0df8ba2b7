"""`digest preview` and `digest send --test`: the workbench's views and checks on the command line.

    digest preview --out tonight.html     the HTML exactly as sent (--text, --eml: other parts)
    digest preview --next                 the edition that would be built now, not stored
    digest preview --check                the checks as a report; exit 1 when one fails
    digest send --test ADDR               "[TEST] " copies, never recorded in the ledger
"""

from __future__ import annotations

import sys
import tempfile
import webbrowser
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from digest import pipeline
from digest import preview as pv
from digest.cli import JsonOpt, _open, _print_json, app, err, out
from digest.config import Config
from digest.errors import InvalidInput
from digest.store import Store
from digest.types import Edition

_STYLE = {"ok": "green", "warn": "yellow", "fail": "red", "supported": "green",
          "partial": "yellow", "unsupported": "red", "unknown": "dim"}


def pick_edition(cfg: Config, store: Store, edition_id: int | None, nxt: bool) -> Edition:
    """--next: composed now (not stored); an id; else the latest stored edition."""
    if nxt and edition_id is not None:
        raise InvalidInput("give an edition id or --next, not both")
    if nxt:
        return pipeline.compose_now(cfg, store, now=pipeline.utcnow())
    if edition_id is not None:
        return store.edition(edition_id)
    edition = store.latest_edition(cfg.newsletter.name)
    if edition is None:
        raise InvalidInput("no edition yet", hint="run `digest build`, or preview with --next")
    return edition


def tonight(cfg: Config, store: Store) -> Edition:
    """Tonight's stored edition, else the one that would be built now (without storing it:
    a test send must not fix tonight's window hours before the real run)."""
    stored = store.edition_for(cfg.newsletter.name, pipeline.edition_date(cfg, pipeline.utcnow()))
    return stored or pipeline.compose_now(cfg, store, now=pipeline.utcnow())


def pick_reader(store: Store, subscriber: int | None, sections: str) -> pv.Reader:
    chosen = frozenset(s.strip() for s in sections.split(",") if s.strip()) or None
    if subscriber is not None:
        if chosen is not None:
            raise InvalidInput("give --subscriber or --sections, not both")
        sub = store.subscriber(subscriber)
        return pv.Reader(sub.id, sub.email, sub.sections)
    return pv.Reader(sections=chosen)


def report_json(p: pv.Preview) -> dict[str, Any]:
    return {
        "subject": p.subject,
        "preheader": p.preheader,
        "reader": p.reader.email,
        "size": p.size,
        "limit": pv.GMAIL_CLIP_BYTES,
        "status": p.status,
        "checks": [{"name": c.name, "status": c.status, "message": c.message} for c in p.checks],
        "links": [{"url": li.url, "text": li.text, "flag": li.flag} for li in p.inspection.links],
        "images": [{"src": i.src, "alt": i.alt, "flag": i.flag} for i in p.inspection.images],
        "clients": {
            "score": p.support.score,
            "data_date": p.support.data_date,
            "attribution": p.support.attribution,
            "features": [
                {"slug": f.slug, "title": f.title, "url": f.url,
                 **{fam.family: fam.level for fam in f.families}}
                for f in p.support.features
            ],
        },
    }


def print_report(p: pv.Preview) -> None:
    out.print(f"[bold]{p.subject}[/]  [dim]{p.preheader}[/]", highlight=False)
    out.print(f"copy for {p.reader.email} · {len(p.edition.stories)} stories", highlight=False)
    checks = Table(title="Checks")
    for col in ("check", "status", "result"):
        checks.add_column(col)
    for c in p.checks:
        checks.add_row(c.name, f"[{_STYLE[c.status]}]{c.status}[/]", c.message)
    out.print(checks)
    flagged = [li for li in p.inspection.links if li.flag] + [
        i for i in p.inspection.images if i.flag
    ]
    for item in flagged:
        what = item.url if isinstance(item, pv.Link) else item.src
        out.print(f"  [yellow]{item.flag}[/]: {what}", highlight=False)
    table = Table(title=f"Client support: score {p.support.score:g} % "
                  f"({len(p.support.problems)} of {len(p.support.features)} features with gaps)")
    for col in ("feature", "Gmail", "Outlook", "Apple Mail", "Yahoo"):
        table.add_column(col)
    for f in p.support.problems:
        table.add_row(f.slug, *(f"[{_STYLE[x.level]}]{x.level}[/]" for x in f.families))
    out.print(table)
    out.print(f"[dim]{p.support.attribution} Data as of {p.support.data_date}.[/]")


def write_output(data: bytes, path: Path | None, *, open_it: bool, suffix: str) -> None:
    if path is None and not open_it:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="digest-preview-")) / f"preview{suffix}"
    try:
        path.write_bytes(data)
    except OSError as e:
        raise InvalidInput(f"cannot write {path} ({e.strerror})") from None
    err.print(f"wrote {path} ({len(data) / 1024:.1f} KB)", highlight=False)
    if open_it:
        webbrowser.open(path.resolve().as_uri())


@app.command()
def preview(
    edition_id: Annotated[
        int | None, typer.Argument(help="An edition id (default: the latest stored one).")
    ] = None,
    nxt: Annotated[
        bool, typer.Option("--next", help="The edition that would be built now (not stored).")
    ] = False,
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file (default: stdout).")
    ] = None,
    text: Annotated[bool, typer.Option("--text", help="The plain-text part.")] = False,
    eml: Annotated[bool, typer.Option("--eml", help="The whole message, headers and all.")] = False,
    open_it: Annotated[
        bool, typer.Option("--open", help="Open it in the web browser (a temp file without --out).")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Print the checks and client support; exit 1 on a fail.")
    ] = False,
    subscriber: Annotated[
        int | None, typer.Option("--subscriber", help="The copy this subscriber (id) gets.")
    ] = None,
    sections: Annotated[
        str, typer.Option("--sections", help="The copy for these sections (comma-separated).")
    ] = "",
    as_json: JsonOpt = False,
) -> None:
    """Tonight's email exactly as sent (HTML, --text or --eml), or --check it."""
    if text and eml:
        raise InvalidInput("give --text or --eml, not both")
    with _open() as (cfg, store):
        edition = pick_edition(cfg, store, edition_id, nxt)
        reader = pick_reader(store, subscriber, sections)
        p = pv.make_preview(cfg, edition, reader=reader, secret=pipeline.secret_for(cfg, store),
                            now=pipeline.utcnow())
    if check:
        if as_json:
            _print_json(report_json(p))
        else:
            print_report(p)
        if out_path is None and not open_it:
            raise typer.Exit(1 if p.status == "fail" else 0)
    data = p.raw if eml else (p.text if text else p.html).encode("utf-8")
    write_output(data, out_path, open_it=open_it, suffix=".eml" if eml else ".txt" if text
                 else ".html")
    raise typer.Exit(1 if check and p.status == "fail" else 0)


def send_test_command(addresses: list[str], as_json: bool) -> None:
    """`digest send --test ADDR…`: tonight's edition as "[TEST] " copies; no ledger rows."""
    with _open() as (cfg, store):
        edition = tonight(cfg, store)
        sent = pv.send_test(cfg, edition, addresses, secret=pipeline.secret_for(cfg, store),
                            now=pipeline.utcnow())
    if as_json:
        _print_json({"test": True, "sent": sent, "edition": edition.id})
    else:
        out.print(f"test sent to {', '.join(sent)} (not recorded in the delivery ledger)",
                  highlight=False)
