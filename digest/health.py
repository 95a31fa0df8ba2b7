"""What /healthz and ``digest schedule`` report: the scheduler, the next runs, the last runs,
the last edition and the feeds failing for longer than ``schedule.feed_alert_after`` hours.

``status`` is "ok" or "degraded" (with ``problems`` saying why); /healthz answers 503 only
when the scheduler of that process is not running.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from digest.config import Config
from digest.schedule import COLLECT, EDITION, SERVE, edition_trigger, next_fires
from digest.store import Store

RECENT_RUNS = 10


@dataclass(frozen=True)
class SchedulerState:
    """What a running scheduler says about itself (None in ``digest schedule``)."""

    running: bool
    next_runs: dict[str, dt.datetime | None] = field(default_factory=dict)


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds") if value else None


def _run(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "job": row["job"], "started": _iso(row["started"]), "finished": _iso(row["finished"]),
        "outcome": row["outcome"], "detail": row["detail"], "owner": row["owner"],
    }


def failing_feeds(cfg: Config, store: Store, now: dt.datetime) -> list[dict[str, Any]]:
    """Feeds of the config failing for more than ``feed_alert_after`` hours, longest first."""
    limit = dt.timedelta(hours=cfg.schedule.feed_alert_after)
    wanted = {f.url for f in cfg.feeds}
    rows = [
        r for url, r in store.feed_rows().items()
        if url in wanted and r.failing_since is not None and now - r.failing_since > limit
    ]
    rows.sort(key=lambda r: r.failing_since or now)
    return [
        {
            "url": r.url, "name": r.name, "failing_since": _iso(r.failing_since),
            "hours": round((now - r.failing_since).total_seconds() / 3600, 1)
            if r.failing_since else None,
            "error": r.last_error or "",
        }
        for r in rows
    ]


def last_edition(store: Store) -> dict[str, Any] | None:
    rows = store.editions(limit=1)
    if not rows:
        return None
    r = rows[0]
    return {
        "id": r["id"], "date": r["date"], "status": r["status"], "subject": r["subject"],
        "stories": r["stories"], "sent_at": _iso(r["sent_at"]), "note": r["note"],
        "deliveries": store.delivery_counts(r["id"]),
    }


def report(
    cfg: Config, store: Store, *, now: dt.datetime, scheduler: SchedulerState | None = None
) -> dict[str, Any]:
    """Everything /healthz and ``digest schedule --json`` show, as JSON-ready values."""
    runs = store.runs(limit=RECENT_RUNS)
    serving = [_run(r) for r in store.runs(job=SERVE, limit=20) if r["finished"] is None]
    next_runs = scheduler.next_runs if scheduler else {}
    data: dict[str, Any] = {
        "now": _iso(now),
        "scheduler": {
            "running": scheduler.running if scheduler else None,
            "next_runs": {job: _iso(at) for job, at in next_runs.items()},
            "serve_processes": serving,
        },
        "next_editions": [_iso(f) for f in next_fires(edition_trigger(cfg), now, 3)],
        "timezone": cfg.schedule.timezone,
        "last_collect": _run(store.last_finished_run(COLLECT, ("ok", "failed", "stopped"))),
        "last_edition_run": _run(next(iter(store.runs(job=EDITION, limit=1)), None)),
        "last_edition": last_edition(store),
        "failing_feeds": failing_feeds(cfg, store, now),
        "last_runs": [_run(r) for r in runs],
    }
    data["problems"] = problems(data)
    data["status"] = "degraded" if data["problems"] else "ok"
    return data


def problems(data: dict[str, Any]) -> list[str]:
    found: list[str] = []
    if data["scheduler"]["running"] is False:
        found.append("the scheduler is not running")
    run = data["last_edition_run"]
    if run and run["outcome"] in ("failed", "missed", "died"):
        found.append(f"the last edition run {run['outcome']}: {run['detail']}")
    for feed in data["failing_feeds"]:
        found.append(f"feed {feed['name']} failing since {feed['failing_since']}")
    return found
