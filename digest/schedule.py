"""APScheduler wiring: collection every ``collect_every``, the edition at ``send_at``.

Exactly one edition per day rests on the database, never on APScheduler's job store:

- the edition row is unique per (newsletter, date): the first process to save it owns the
  day, a second one (another ``digest serve``, a ``digest run``, a restart) reads that row;
- ``start_sending`` fixes the audience once, and each ledger row is claimed by one sender;
- at start, the latest scheduled time is compared with the clock and the edition row
  (:func:`decide`): within ``misfire_grace`` a missing edition is sent late, once; later it
  is not sent and one log line says so; an unfinished send is resumed.

The jobs live in a memory job store; the catch-up check replaces a persistent one.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from digest import pipeline
from digest.config import Config, parse_clock, parse_duration
from digest.deliver import Transport
from digest.errors import ConfigError, StoreError
from digest.store import Store

log = logging.getLogger("digest.schedule")

COLLECT, EDITION, CATCH_UP, SERVE = "collect", "edition", "catch-up", "serve"
RETRY_DELAYS = (15.0, 30.0, 60.0, 120.0, 300.0)  # then 300 s until the grace period ends
_DOW = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


# ---- triggers ----------------------------------------------------------------------------


def _crontab_weekdays(field: str) -> str:
    """Crontab counts weekdays from Sunday = 0 (7 too); APScheduler 3 from Monday = 0."""
    return re.sub(r"(?<![/\d])([0-7])(?!\d)", lambda m: _DOW[int(m.group(1))], field)


def edition_trigger(cfg: Config) -> CronTrigger:
    """When the edition goes out: ``cron`` if set, else daily at ``send_at``, in ``timezone``.

    ``cron`` has the 5 crontab fields, or 6 with a leading seconds field (for tests)."""
    s = cfg.schedule
    tz = ZoneInfo(s.timezone)
    if not s.cron.strip():
        at = parse_clock(s.send_at, "schedule.send_at")
        return CronTrigger(hour=at.hour, minute=at.minute, second=0, timezone=tz)
    fields = s.cron.split()
    if len(fields) not in (5, 6):
        raise ConfigError(
            f"expected 5 fields (minute hour day month weekday) or 6 (seconds first), "
            f"got {len(fields)} in {s.cron!r}", key="schedule.cron",
        )
    second = fields.pop(0) if len(fields) == 6 else "0"
    minute, hour, day, month, weekday = fields
    try:
        return CronTrigger(
            second=second, minute=minute, hour=hour, day=day, month=month,
            day_of_week=_crontab_weekdays(weekday), timezone=tz,
        )
    except ValueError as e:
        raise ConfigError(
            f"not a valid cron expression {s.cron!r} ({e})", key="schedule.cron",
            hint="for example '30 18 * * *', or '30 18 * * mon-fri'",
        ) from None


def validate_schedule(cfg: Config) -> None:
    """The [schedule] checks config.validate() runs: each error names its key."""
    edition_trigger(cfg)
    if parse_duration(cfg.schedule.collect_every, "schedule.collect_every").total_seconds() < 1:
        raise ConfigError("expected at least 1s", key="schedule.collect_every")
    if cfg.schedule.feed_alert_after <= 0:
        raise ConfigError("expected a number of hours above 0", key="schedule.feed_alert_after")


def grace(cfg: Config) -> dt.timedelta:
    return parse_duration(cfg.schedule.misfire_grace, "schedule.misfire_grace")


def collect_every(cfg: Config) -> dt.timedelta:
    return parse_duration(cfg.schedule.collect_every, "schedule.collect_every")


def fires_between(
    trigger: CronTrigger, start: dt.datetime, end: dt.datetime
) -> Iterator[dt.datetime]:
    """Scheduled times in [start, end]."""
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire <= end:
        yield fire
        fire = trigger.get_next_fire_time(fire, fire)


def last_fire(
    trigger: CronTrigger, now: dt.datetime, *, within: dt.timedelta | None = None
) -> dt.datetime | None:
    """The latest scheduled time at or before ``now`` (looking back ``within``, or up to
    about eight days), or None."""
    span = dt.timedelta(minutes=1)
    limit = within if within is not None else dt.timedelta(days=8)
    while True:
        span = min(span, limit)
        fires = list(fires_between(trigger, now - span, now))
        if fires or span >= limit:
            return fires[-1] if fires else None
        span *= 8


def next_fires(trigger: CronTrigger, now: dt.datetime, n: int = 3) -> list[dt.datetime]:
    fires: list[dt.datetime] = []
    fire = trigger.get_next_fire_time(None, now)
    while fire is not None and len(fires) < n:
        fires.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    return fires


# ---- the catch-up decision (pure) ----------------------------------------------------------

Action = Literal["run", "resume", "done", "missed", "none"]


@dataclass(frozen=True)
class Decision:
    action: Action
    fire: dt.datetime | None
    reason: str


def decide(
    fire: dt.datetime | None, now: dt.datetime, grace: dt.timedelta, status: str | None
) -> Decision:
    """What a starting process does about the latest scheduled time ``fire``, given the
    status of that day's edition (None: no edition row).

    Sent or skipped: nothing. A send already started: finish it (its audience is fixed).
    Otherwise within ``grace`` of ``fire``: run it now, late; beyond: the day is missed."""
    if fire is None:
        return Decision("none", None, "no scheduled time in the last days")
    if status in ("sent", "skipped"):
        return Decision("done", fire, f"the edition was already {status}")
    if status == "sending":
        return Decision("resume", fire, "its send was not finished")
    late = now - fire
    if late <= grace:
        return Decision("run", fire, f"due {_ago(late)} ago, within misfire_grace")
    return Decision("missed", fire, f"due {_ago(late)} ago, more than misfire_grace")


def _ago(delta: dt.timedelta) -> str:
    secs = int(delta.total_seconds())
    h, rest = divmod(secs, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


# ---- recording runs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    outcome: str  # ok | sent | skipped | nothing | missed | failed | stopped
    detail: str


class Recorder:
    """Records each job run in the ``runs`` table; a database that is down is only logged."""

    def __init__(self, store: Store, clock: pipeline.Clock, owner: str = pipeline.OWNER) -> None:
        self.store, self.clock, self.owner = store, clock, owner

    @contextmanager
    def run(self, job: str) -> Iterator[list[Result]]:
        """``with recorder.run("edition") as out: out.append(Result(...))``"""
        started = self.clock()
        run_id = self._start(job, started)
        out: list[Result] = []
        try:
            yield out
        except Exception as e:
            out.append(Result("failed", f"{type(e).__name__}: {e}"))
            raise
        finally:
            result = out[-1] if out else Result("failed", "ended without an outcome")
            self._finish(job, run_id, started, result)

    def _start(self, job: str, now: dt.datetime) -> int | None:
        try:
            return self.store.start_run(job, self.owner, now)
        except StoreError:
            return None

    def _finish(self, job: str, run_id: int | None, started: dt.datetime, r: Result) -> None:
        try:
            if run_id is None:
                run_id = self.store.start_run(job, self.owner, started)
            self.store.finish_run(run_id, r.outcome, r.detail, self.clock())
        except StoreError as e:
            log.warning("could not record the %s run (%s: %s): %s", job, r.outcome, r.detail, e)


def reap_dead_runs(store: Store, now: dt.datetime) -> int:
    """Runs left 'running' by a process of this host that no longer exists: 'died'."""
    host = socket.gethostname()
    reaped = 0
    for r in store.runs(limit=500):
        owner_host, _, rest = str(r["owner"]).partition(":")
        pid = rest.partition(":")[0]
        if r["outcome"] != "running" or owner_host != host or not pid.isdigit():
            continue
        if not _alive(int(pid)):
            store.finish_run(r["id"], "died", "the process ended without finishing", now)
            reaped += 1
    return reaped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---- the jobs ------------------------------------------------------------------------------


def _wait(stop: threading.Event, work: Callable[[], Any]) -> bool:
    """Run ``work`` in a daemon thread and wait for it, or for ``stop``: a shutdown never
    waits for a slow feed. True when the work finished."""
    done = threading.Event()
    failure: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as e:  # handed to the waiting thread
            failure.append(e)
        finally:
            done.set()

    threading.Thread(target=target, name="digest-collect", daemon=True).start()
    while not done.wait(0.2):
        if stop.is_set():
            return False
    if failure:
        raise failure[0]
    return True


class Collector:
    """Collection, one at a time per process."""

    def __init__(self, cfg: Config, store: Store, recorder: Recorder, stop: threading.Event,
                 clock: pipeline.Clock) -> None:
        self.cfg, self.store, self.recorder, self.stop, self.clock = (
            cfg, store, recorder, stop, clock,
        )
        self._lock = threading.Lock()

    def job(self) -> None:
        """The interval job."""
        self.collect(max_age=None)

    def collect(self, max_age: dt.timedelta | None) -> bool:
        """Collect now, unless a collection finished less than ``max_age`` ago."""
        with self._lock:
            if max_age is not None and self._fresh(max_age):
                return False
            with self.recorder.run(COLLECT) as out:
                try:
                    results: list[Any] = []
                    finished = _wait(self.stop, lambda: results.extend(
                        pipeline.run_collect(self.cfg, self.store, now=self.clock())
                    ))
                except Exception as e:  # a failed collection never stops the edition
                    text = str(e).strip().splitlines()[0] if str(e).strip() else ""
                    log.error("collect failed: %s: %s", type(e).__name__, text)
                    out.append(Result("failed", f"{type(e).__name__}: {text}"))
                    return False
                out.append(_collect_result(results) if finished else
                           Result("stopped", "stopped before the feeds were stored"))
            return True

    def _fresh(self, max_age: dt.timedelta) -> bool:
        last = self.store.last_finished_run(COLLECT, ("ok", "failed"))
        return last is not None and self.clock() - last["finished"] < max_age


def _collect_result(results: Sequence[Any]) -> Result:
    bad = [r for r in results if r.status == "error"]
    new = sum(r.new for r in results)
    detail = f"{len(results) - len(bad)} of {len(results)} feeds ok, {new} new entries"
    if bad:
        detail += "; failing: " + ", ".join(r.name for r in bad[:5])
        log.warning("collect: %s", detail)
    else:
        log.info("collect: %s", detail)
    return Result("failed" if results and len(bad) == len(results) else "ok", detail)


class Nightly:
    """The edition job: build, quiet-day decision, send; safe in several processes at once."""

    def __init__(
        self,
        cfg: Config,
        store: Store,
        *,
        collector: Collector,
        recorder: Recorder,
        stop: threading.Event,
        clock: pipeline.Clock,
        transport: Callable[[], Transport] | None = None,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self.cfg, self.store, self.collector, self.recorder = cfg, store, collector, recorder
        self.stop, self.clock, self.transport = stop, clock, transport
        self.retry_delays = retry_delays
        self.trigger = edition_trigger(cfg)
        self.grace = grace(cfg)
        self._lock = threading.Lock()  # the cron job and the catch-up never overlap

    def scheduled(self) -> None:
        """The cron job: the time that fired is the latest scheduled one."""
        now = self.clock()
        fire = last_fire(self.trigger, now, within=self.grace + dt.timedelta(minutes=1)) or now
        self.run(fire)

    def catch_up(self) -> Decision:
        """At start: finish or send late what the last scheduled time left undone."""
        now = self.clock()
        fire = last_fire(self.trigger, now)
        status = self._status(fire) if fire is not None else None
        d = decide(fire, now, self.grace, status)
        if d.action in ("run", "resume"):
            assert d.fire is not None
            log.info("catch-up: the edition of %s (%s): %s; sending it now",
                     self._date(d.fire), _local(d.fire), d.reason)
            self.run(d.fire)
        elif d.action == "missed" and self._new_database():
            log.info("catch-up: no edition was ever made here; the first is due %s",
                     self.next_fire())
        elif d.action == "missed":
            assert d.fire is not None
            msg = (f"missed: the edition of {self._date(d.fire)} was due at {_local(d.fire)}, "
                   f"{d.reason} ({self.cfg.schedule.misfire_grace}); it will not be sent")
            log.warning(msg)
            with self.recorder.run(EDITION) as out:
                out.append(Result("missed", msg))
        elif d.action == "done":
            log.info("catch-up: the edition of %s: %s", self._date(fire), d.reason)
        return d

    def _new_database(self) -> bool:
        try:
            return not self.store.editions(limit=1) and not self.store.runs(EDITION, limit=1)
        except StoreError:
            return False

    def next_fire(self) -> str:
        fires = next_fires(self.trigger, self.clock(), 1)
        return _local(fires[0]) if fires else "never"

    def _status(self, fire: dt.datetime) -> str | None:
        try:
            edition = self.store.edition_for(self.cfg.newsletter.name, self._date(fire))
        except StoreError as e:
            log.warning("catch-up: %s; deciding on the next attempt", e)
            return None
        return edition.status if edition else None

    def _date(self, fire: dt.datetime | None) -> dt.date:
        return pipeline.edition_date(self.cfg, fire or self.clock())

    def run(self, fire: dt.datetime) -> Result:
        """The edition due at ``fire``: retried (database down, SMTP server down, deferred
        messages) until ``fire + misfire_grace``; recorded in the runs table."""
        with self._lock, self.recorder.run(EDITION) as out:
            deadline = fire + self.grace
            delays = iter(self.retry_delays)
            while True:
                result = self._attempt(fire)
                if result.outcome != "retry":
                    break
                delay = next(delays, self.retry_delays[-1] if self.retry_delays else 60.0)
                if self.clock() + dt.timedelta(seconds=delay) > deadline:
                    result = Result("failed", f"{result.detail}; gave up at the end of "
                                              f"misfire_grace ({self.cfg.schedule.misfire_grace})")
                    log.error("edition of %s: %s", self._date(fire), result.detail)
                    break
                log.warning("edition of %s: %s; retrying in %.0fs", self._date(fire),
                            result.detail, delay)
                if self.stop.wait(delay):
                    result = Result("stopped", f"stopped while waiting to retry: {result.detail}")
                    break
            out.append(result)
            return result

    def _attempt(self, fire: dt.datetime) -> Result:
        try:
            return self._once(fire)
        except StoreError as e:
            return Result("retry", f"database unreachable ({e})")

    def _once(self, fire: dt.datetime) -> Result:
        date = self._date(fire)
        existing = self.store.edition_for(self.cfg.newsletter.name, date)
        if existing is not None and existing.status in ("sent", "skipped"):
            return Result("nothing", f"the edition of {date} was already {existing.status}")
        if existing is None and not self.stop.is_set():
            # After downtime the stored entries are old: collect first.
            self.collector.collect(max_age=collect_every(self.cfg))
        if self.stop.is_set():
            return Result("stopped", "stopped before sending")
        built = pipeline.build_edition(self.cfg, self.store, now=self.clock(), date=date)
        edition = built.edition
        note = pipeline.quiet_day(self.cfg, self.store, edition, now=self.clock())
        if note is not None:
            log.info("edition %s of %s: %s; not sent", edition.id, date, note)
            return Result("skipped", note)
        report = pipeline.send_edition(
            self.cfg, self.store, edition, clock=self.clock, transport=self.transport,
            stop=self.stop,
        )
        remaining = int(report.extra.get("remaining", 0))
        detail = (f"edition {edition.id} of {date}: sent {report.sent}, already {report.already}"
                  f", deferred {report.failed}, bounced {report.bounced}, open {remaining}")
        log.info(detail)
        if self.stop.is_set() and remaining:
            return Result("stopped", detail + "; the rest is sent on the next start")
        if report.extra.get("aborted"):
            return Result("retry", f"{detail}; {report.extra['aborted']}")
        if remaining:
            return Result("retry", detail)
        return Result("sent", detail)


def _local(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S %Z")


# ---- the scheduler ---------------------------------------------------------------------------


class DigestScheduler:
    """Collect every ``collect_every`` (and once at start), the edition on its trigger, and
    the catch-up check once at start. ``shutdown`` lets the send in flight finish."""

    def __init__(
        self,
        cfg: Config,
        store: Store,
        *,
        clock: pipeline.Clock = pipeline.utcnow,
        transport: Callable[[], Transport] | None = None,
    ) -> None:
        self.cfg, self.store, self.clock = cfg, store, clock
        self.stop = threading.Event()
        self.recorder = Recorder(store, clock)
        self.collector = Collector(cfg, store, self.recorder, self.stop, clock)
        self.nightly = Nightly(cfg, store, collector=self.collector, recorder=self.recorder,
                               stop=self.stop, clock=clock, transport=transport)
        self.scheduler = BackgroundScheduler(timezone=ZoneInfo(cfg.schedule.timezone))
        self._busy = 0
        self._idle = threading.Condition()

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running) and not self.stop.is_set()

    def start(self) -> None:
        now = self.clock()
        grace_s = max(1, int(self.nightly.grace.total_seconds()))
        self.scheduler.add_job(
            self._tracked(self.collector.job), IntervalTrigger(
                seconds=collect_every(self.cfg).total_seconds(), timezone=dt.UTC),
            id=COLLECT, name="collect", next_run_time=now, coalesce=True, max_instances=1,
            misfire_grace_time=None,
        )
        self.scheduler.add_job(
            self._tracked(self.nightly.scheduled), self.nightly.trigger, id=EDITION,
            name="edition", coalesce=True, max_instances=1, misfire_grace_time=grace_s,
        )
        self.scheduler.add_job(
            self._tracked(self.nightly.catch_up), id=CATCH_UP, name="catch-up",
            next_run_time=now, misfire_grace_time=None,
        )
        self.scheduler.start()
        log.info("scheduler started: collect every %s, next edition %s",
                 self.cfg.schedule.collect_every, self.next_runs().get(EDITION))

    def _tracked(self, job: Callable[[], Any]) -> Callable[[], None]:
        def run() -> None:
            with self._idle:
                self._busy += 1
            try:
                job()
            except Exception:
                log.exception("job failed")
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()

        return run

    def next_runs(self) -> dict[str, dt.datetime | None]:
        if not self.scheduler.running:
            return {}
        return {j.id: j.next_run_time for j in self.scheduler.get_jobs() if j.id != CATCH_UP}

    def shutdown(self, timeout: float = 25.0) -> bool:
        """Stop starting jobs; let the running ones finish what is in flight and record it.
        True when they all finished within ``timeout`` seconds."""
        self.stop.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)


__all__ = [
    "Collector", "Decision", "DigestScheduler", "Nightly", "Recorder", "Result", "decide",
    "edition_trigger", "last_fire", "next_fires", "validate_schedule",
]
