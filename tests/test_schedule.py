"""The scheduler's decisions and the nightly job, in-process with an injected clock, real
loopback SMTP and HTTP servers, and SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from digest import logs
from digest.config import Config
from digest.errors import ConfigError, StoreError
from digest.schedule import (
    DigestScheduler,
    decide,
    edition_trigger,
    last_fire,
    next_fires,
)
from digest.serve import add_healthz
from digest.store import Store
from tests.support.feedserver import FeedServer
from tests.support.scheduling import (
    add_subscribers,
    config,
    serve_feed,
    settings,
    write_config,
)
from tests.support.smtpserver import SmtpServer

UTC = dt.UTC
FIRE = dt.datetime(2026, 11, 25, 18, 30, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)


class Clock:
    """A settable clock; ``tick`` advances it a little on every read (messages, runs)."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at
        self.lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self.lock:
            self.at += dt.timedelta(milliseconds=1)
            return self.at


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def make(db_url: str, smtp: SmtpServer, feeds: FeedServer, n_items: int = 6,
         **kw: Any) -> Config:
    return config(settings(db_url, smtp, serve_feed(feeds, n_items), **kw))


def scheduler(cfg: Config, clock: Clock) -> tuple[DigestScheduler, Store]:
    store = Store.open(cfg.database_url)
    sched = DigestScheduler(cfg, store, clock=clock)
    sched.nightly.retry_delays = (0.1,)  # rows in flight in the other "process": look again
    return sched, store


# ---- triggers and config ---------------------------------------------------------------------


def test_send_at_in_berlin_follows_daylight_saving_time() -> None:
    cfg = config({"schedule": {"send_at": "18:30", "timezone": "Europe/Berlin"}})
    trigger = edition_trigger(cfg)
    fires = next_fires(trigger, dt.datetime(2026, 3, 28, 12, 0, tzinfo=UTC), 2)
    # 28 March: CET (UTC+1); 29 March, the day clocks go forward: CEST (UTC+2).
    assert [f.astimezone(UTC) for f in fires] == [
        dt.datetime(2026, 3, 28, 17, 30, tzinfo=UTC),
        dt.datetime(2026, 3, 29, 16, 30, tzinfo=UTC),
    ]
    autumn = next_fires(trigger, dt.datetime(2026, 10, 25, 0, 0, tzinfo=UTC), 1)[0]
    assert autumn.astimezone(UTC) == dt.datetime(2026, 10, 25, 17, 30, tzinfo=UTC)


def test_cron_replaces_send_at_and_counts_weekdays_like_crontab() -> None:
    cfg = config({"schedule": {"cron": "30 18 * * 1-5"}})  # crontab: Monday to Friday
    fires = next_fires(edition_trigger(cfg), dt.datetime(2026, 11, 27, 19, 0, tzinfo=UTC), 2)
    assert [f.strftime("%a %H:%M") for f in fires] == ["Mon 18:30", "Tue 18:30"]
    seconds = config({"schedule": {"cron": "*/5 * * * * *"}})  # 6 fields: seconds first
    start = dt.datetime(2026, 11, 27, 19, 0, 1, tzinfo=UTC)
    assert next_fires(edition_trigger(seconds), start, 2)[1].second == 10


@pytest.mark.parametrize(("schedule", "key"), [
    ({"send_at": "25:61"}, "schedule.send_at"),
    ({"cron": "61 18 * * *"}, "schedule.cron"),
    ({"cron": "30 18 * *"}, "schedule.cron"),
    ({"cron": "30 18 * * funday"}, "schedule.cron"),
    ({"timezone": "Europe/Atlantis"}, "schedule.timezone"),
    ({"collect_every": "often"}, "schedule.collect_every"),
    ({"collect_every": "0s"}, "schedule.collect_every"),
    ({"misfire_grace": "2 hours"}, "schedule.misfire_grace"),
    ({"feed_alert_after": 0}, "schedule.feed_alert_after"),
])
def test_bad_schedule_settings_name_their_key(schedule: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as e:
        config({"schedule": schedule})
    assert e.value.key == key


def test_last_fire_looks_back_to_the_latest_scheduled_time() -> None:
    trigger = edition_trigger(config({}))
    assert last_fire(trigger, FIRE) == FIRE
    assert last_fire(trigger, FIRE - dt.timedelta(seconds=1)) == FIRE - dt.timedelta(days=1)
    assert last_fire(trigger, FIRE + 5 * HOUR, within=HOUR) is None


# ---- the catch-up decision ------------------------------------------------------------------


@pytest.mark.parametrize(("late", "status", "action"), [
    (dt.timedelta(minutes=30), None, "run"),
    (dt.timedelta(hours=3), None, "missed"),
    (dt.timedelta(minutes=30), "built", "run"),
    (dt.timedelta(hours=3), "built", "missed"),
    (dt.timedelta(hours=3), "sending", "resume"),  # its audience is fixed: finish it
    (dt.timedelta(minutes=1), "sent", "done"),
    (dt.timedelta(minutes=1), "skipped", "done"),
])
def test_decide(late: dt.timedelta, status: str | None, action: str) -> None:
    assert decide(FIRE, FIRE + late, 2 * HOUR, status).action == action
    assert decide(None, FIRE, 2 * HOUR, None).action == "none"


# ---- the nightly job --------------------------------------------------------------------------


def test_two_schedulers_at_the_same_second_send_one_edition(
    db_url: str, smtp_server: SmtpServer, feeds: FeedServer
) -> None:
    cfg = make(db_url, smtp_server, feeds)
    emails = add_subscribers(db_url, 12)
    pairs = [scheduler(cfg, Clock(FIRE)) for _ in range(2)]
    start = threading.Barrier(2)
    results: list[str] = []

    def go(s: DigestScheduler) -> None:
        start.wait()
        results.append(s.nightly.run(FIRE).outcome)

    threads = [threading.Thread(target=go, args=(s,)) for s, _ in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    store = pairs[0][1]
    assert [e["date"] for e in store.editions()] == ["2026-11-25"]
    assert Counter(r for m in smtp_server.messages for r in m.rcpt_tos) == Counter(emails)
    assert sorted(results) in (["nothing", "sent"], ["sent", "sent"])
    # a third run the same evening (a restart, a manual run) does nothing
    assert pairs[1][0].nightly.run(FIRE + HOUR).outcome == "nothing"
    assert len(smtp_server.messages) == 12
    for _, s in pairs:
        s.close()


def test_start_within_grace_sends_once_late(
    tmp_path: Path, smtp_server: SmtpServer, feeds: FeedServer
) -> None:
    db = f"sqlite:///{tmp_path}/d.sqlite3"
    cfg = make(db, smtp_server, feeds, schedule={"misfire_grace": "2h"})
    add_subscribers(db, 3)
    sched, store = scheduler(cfg, Clock(FIRE + dt.timedelta(minutes=50)))
    assert sched.nightly.catch_up().action == "run"
    assert len(smtp_server.messages) == 3
    again, _ = scheduler(cfg, Clock(FIRE + dt.timedelta(minutes=55)))
    assert again.nightly.catch_up().action == "done"
    assert len(smtp_server.messages) == 3
    runs = [(r["job"], r["outcome"]) for r in store.runs()]
    assert ("edition", "sent") in runs and ("collect", "ok") in runs
    store.close()


def test_start_after_grace_sends_nothing_and_says_so_once(
    tmp_path: Path, smtp_server: SmtpServer, feeds: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    db = f"sqlite:///{tmp_path}/d.sqlite3"
    cfg = make(db, smtp_server, feeds, schedule={"misfire_grace": "2h"})
    add_subscribers(db, 3)
    fresh, store = scheduler(cfg, Clock(FIRE + dt.timedelta(hours=3)))
    assert fresh.nightly.catch_up().action == "missed"  # a new database: nothing to report
    assert store.runs() == [] and smtp_server.messages == []
    assert fresh.nightly.run(FIRE + dt.timedelta(days=1)).outcome == "sent"  # 26 November
    # then down for two days: one decision about the latest time, never two runs
    sched, _ = scheduler(cfg, Clock(FIRE + dt.timedelta(days=3, hours=3)))
    with caplog.at_level(logging.INFO, logger="digest.schedule"):
        assert sched.nightly.catch_up().action == "missed"
    missed = [r.getMessage() for r in caplog.records if "missed" in r.getMessage()]
    assert len(missed) == 1 and "2026-11-28" in missed[0] and "18:30" in missed[0]
    assert [e["date"] for e in store.editions()] == ["2026-11-26"]
    assert len(smtp_server.messages) == 3
    assert store.runs()[0]["outcome"] == "missed"
    store.close()


def test_quiet_day_is_skipped_or_sent_with_a_note(
    tmp_path: Path, smtp_server: SmtpServer, feeds: FeedServer
) -> None:
    db = f"sqlite:///{tmp_path}/d.sqlite3"
    add_subscribers(db, 2)
    skip = make(db, smtp_server, feeds, n_items=2, edition={"min_items": 5})
    sched, store = scheduler(skip, Clock(FIRE))
    result = sched.nightly.run(FIRE)
    assert result.outcome == "skipped" and "fewer than edition.min_items = 5" in result.detail
    assert store.editions()[0]["status"] == "skipped" and smtp_server.messages == []

    db2 = f"sqlite:///{tmp_path}/d2.sqlite3"
    add_subscribers(db2, 2)
    send = make(db2, smtp_server, feeds, n_items=2,
                edition={"min_items": 5, "quiet_day": "send"})
    sched2, store2 = scheduler(send, Clock(FIRE))
    assert sched2.nightly.run(FIRE).outcome == "sent"
    row = store2.editions()[0]
    assert row["status"] == "sent" and row["note"].startswith("quiet day: 2 stories")
    assert len(smtp_server.messages) == 2
    store.close()
    store2.close()


class FlakyStore(Store):
    """The database answers only after ``failures`` attempts (a server restarting)."""

    failures = 2

    def edition_for(self, newsletter: str, date: dt.date) -> Any:
        if self.failures:
            self.failures -= 1
            raise StoreError("database postgresql://db/digest: connection refused")
        return super().edition_for(newsletter, date)


def test_database_down_at_send_time_is_retried_within_grace(
    tmp_path: Path, smtp_server: SmtpServer, feeds: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    db = f"sqlite:///{tmp_path}/d.sqlite3"
    cfg = make(db, smtp_server, feeds)
    add_subscribers(db, 2)
    store = FlakyStore(Store.open(db).engine)
    sched = DigestScheduler(cfg, store, clock=Clock(FIRE))
    sched.nightly.retry_delays = (0.01,)
    with caplog.at_level(logging.WARNING, logger="digest.schedule"):
        assert sched.nightly.run(FIRE).outcome == "sent"
    retries = [r for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == 2 and "connection refused" in retries[0].getMessage()
    assert len(smtp_server.messages) == 2

    store.failures = 10**6  # down for good: give up when the grace period ends
    late = DigestScheduler(cfg, store, clock=Clock(FIRE + dt.timedelta(days=1, minutes=59)))
    late.nightly.retry_delays = (60.0,)
    result = late.nightly.run(FIRE + dt.timedelta(days=1))
    assert result.outcome == "failed" and "misfire_grace" in result.detail
    store.close()


# ---- health, `digest schedule`, logs ----------------------------------------------------------


def test_healthz_and_digest_schedule_show_runs_and_failing_feeds(
    tmp_path: Path, smtp_server: SmtpServer, feeds: FeedServer
) -> None:
    db = f"sqlite:///{tmp_path}/d.sqlite3"
    data = settings(db, smtp_server, serve_feed(feeds, 3), schedule={"feed_alert_after": 1.0})
    data["feeds"].append({"url": feeds.url("/gone.xml"), "name": "Gone"})
    cfg = config(data)
    add_subscribers(db, 1)
    sched, store = scheduler(cfg, Clock(FIRE))
    store.record_feed(feeds.url("/gone.xml"), "Gone", status="error", error="HTTP 404",
                      now=dt.datetime.now(UTC) - 2 * HOUR)
    sched.nightly.run(FIRE)

    app = FastAPI()
    add_healthz(app, cfg, store, sched)
    with TestClient(app) as client:
        down = client.get("/healthz")
        assert down.status_code == 503 and down.json()["scheduler"]["running"] is False
        sched.scheduler.start(paused=True)
        try:
            body = client.get("/healthz").json()
        finally:
            sched.shutdown(timeout=1)
    assert body["last_edition"]["status"] == "sent"
    assert body["last_edition"]["deliveries"] == {"sent": 1}
    assert body["last_collect"]["outcome"] == "ok"
    assert [f["name"] for f in body["failing_feeds"]] == ["Gone"]
    assert body["status"] == "degraded" and "feed Gone failing" in body["problems"][0]

    path = write_config(tmp_path / "config.toml", data)
    result = CliRunner().invoke(
        __import__("digest.cli", fromlist=["app"]).app,
        ["--config", str(path), "schedule", "--json"],
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["next_editions"][0].endswith("18:30:00+00:00")
    assert {r["job"] for r in shown["last_runs"]} == {"edition", "collect"}
    table = CliRunner().invoke(
        __import__("digest.cli", fromlist=["app"]).app, ["--config", str(path), "schedule"]
    )
    assert table.exit_code == 0 and "last runs" in table.stdout and "Gone" in table.stdout
    store.close()


def test_json_logs_are_one_object_per_line() -> None:
    import io

    stream = io.StringIO()
    logs.setup_logging(config({"logging": {"format": "json"}}), stream=stream)
    try:
        logging.getLogger("digest.test").warning("edition %s: %s", 7, 'a "quoted" line',
                                                 extra={"edition": 7})
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("digest.test").exception("failed")
    finally:
        logs.setup_logging(config({}))
    first, second = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert first["message"] == 'edition 7: a "quoted" line' and first["edition"] == 7
    assert first["level"] == "WARNING" and first["logger"] == "digest.test"
    assert "ValueError: boom" in second["exc"]
