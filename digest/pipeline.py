"""The one place that wires the stages together: collect → compose → render → deliver.

Each function takes the config, the store and the time (or a clock) from its caller, so the
CLI, the scheduler and the tests drive the same code.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from email.utils import parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

from digest import __version__
from digest.collect import Collected, FeedState, collect
from digest.compose import compose_edition, vectors
from digest.config import Config
from digest.deliver import Envelope, Job, Transport, make_transport, run_jobs
from digest.errors import DeliveryError, ModelError, PermanentDeliveryError
from digest.message import Personal, PreparedMessage, domain_of, message_id, prepare
from digest.render import PLACEHOLDERS, Rendered, Renderer, subject_for, templates_dir
from digest.store import DeliveryRow, Store
from digest.store.feeds import content_hash
from digest.tokens import PREFERENCES, UNSUBSCRIBE, Tokens
from digest.types import Edition, Entry, FeedResult, SendReport

Clock = Callable[[], dt.datetime]
log = logging.getLogger(__name__)
OWNER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"  # this process, in claims


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def user_agent(cfg: Config) -> str:
    return cfg.collect.user_agent or f"digest/{__version__} (+{cfg.newsletter.base_url})"


def edition_date(cfg: Config, now: dt.datetime) -> dt.date:
    """The edition's date: today in the schedule's time zone."""
    return now.astimezone(ZoneInfo(cfg.schedule.timezone)).date()


# ---- collect ---------------------------------------------------------------------------------


def run_collect(
    cfg: Config,
    store: Store,
    *,
    now: dt.datetime,
    on_done: Callable[[Collected], None] | None = None,
    on_vectors: Callable[[int, int], None] | None = None,
) -> list[FeedResult]:
    """Fetch every feed, store new and changed entries and each feed's state, then make the
    sentence vectors of the new ones (``on_vectors(done, total)`` as they are made)."""
    rows = store.feed_rows()
    states = {
        url: FeedState(etag=r.etag, last_modified=r.last_modified) for url, r in rows.items()
    }
    collected = collect(
        cfg.feeds, states, cfg.collect, now=now, user_agent=user_agent(cfg), on_done=on_done
    )
    results: list[FeedResult] = []
    for c in collected:
        new = updated = 0
        if c.status == "ok":
            new, updated = store.upsert_entries(c.feed.url, c.entries, now)
        store.record_feed(
            c.feed.url, c.feed.name, status=c.status, now=now, http_status=c.http_status,
            error=c.error, etag=c.etag, last_modified=c.last_modified,
        )
        results.append(c.to_result(new=new, updated=updated))
    if cfg.edition.text_model and any(r.new or r.updated for r in results):
        # Vectors are made now, while collecting, so that building the edition only reads them.
        recent = now - dt.timedelta(hours=cfg.edition.first_window_hours + 24)
        urls = [f.url for f in cfg.feeds]
        ensure_vectors(cfg, store, store.entries_seen_between(recent, now, urls), on_vectors)
    return results


def ensure_vectors(
    cfg: Config,
    store: Store,
    entries: Sequence[Entry],
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Entry]:
    """``entries`` with their sentence vectors: the missing ones are computed and stored.
    Without the text model (``edition.text_model = false``, or it cannot load) the entries
    come back as they are and topics come from the word rules alone."""
    missing = [e for e in entries if e.vector is None]
    if not cfg.edition.text_model or not missing:
        return list(entries)
    done = 0

    def batch(n: int) -> None:
        nonlocal done
        done += n
        if on_progress is not None:
            on_progress(done, len(missing))

    started = time.perf_counter()
    try:
        blobs = vectors.encode([vectors.entry_text(e) for e in missing], batch)
    except ModelError as err:
        log.warning("%s", err)
        return list(entries)
    log.info("made %d sentence vectors in %.1f s", len(blobs), time.perf_counter() - started)
    store.set_vectors(
        [(e.feed_url, e.key, content_hash(e), b) for e, b in zip(missing, blobs, strict=True)]
    )
    made = {(e.feed_url, e.key): b for e, b in zip(missing, blobs, strict=True)}
    return [
        replace(e, vector=made[(e.feed_url, e.key)]) if e.vector is None else e for e in entries
    ]


# ---- build -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    edition: Edition
    subject: str
    created: bool


def compose_now(
    cfg: Config, store: Store, *, now: dt.datetime, date: dt.date | None = None
) -> Edition:
    """The edition that would be built now, from the stored entries (not saved).

    ``date``: the edition's date when it is not today's (a late run after midnight)."""
    date = date or edition_date(cfg, now)
    start = store.previous_window_end(cfg.newsletter.name, date)
    if start is None:
        start = now - dt.timedelta(hours=cfg.edition.first_window_hours)
    entries = store.entries_seen_between(start, now, [f.url for f in cfg.feeds])
    entries = ensure_vectors(cfg, store, entries)
    return compose_edition(
        entries, cfg.feeds, cfg.edition, newsletter=cfg.newsletter.name, date=date, now=now,
        window_start=start, window_end=now,
    )


def build_edition(
    cfg: Config,
    store: Store,
    *,
    now: dt.datetime,
    rebuild: bool = False,
    date: dt.date | None = None,
) -> Built:
    """Tonight's edition: built once per (newsletter, date); again only with ``rebuild``."""
    if not rebuild:
        existing = store.edition_for(cfg.newsletter.name, date or edition_date(cfg, now))
        if existing is not None:
            return Built(existing, subject_for(existing, cfg.newsletter), created=False)
    edition = compose_now(cfg, store, now=now, date=date)
    subject = subject_for(edition, cfg.newsletter)
    if rebuild:
        saved = store.replace_edition(edition, subject=subject, now=now)
        return Built(saved, subject, created=True)
    saved = store.save_edition(edition, subject=subject, now=now)
    return Built(saved, subject, created=saved.created_at == edition.created_at)


def quiet_day(cfg: Config, store: Store, edition: Edition, *, now: dt.datetime) -> str | None:
    """A day with fewer than ``edition.min_items`` stories. With ``quiet_day = "skip"`` the
    edition is marked skipped and the reason returned (do not send); with ``"send"`` it gets
    a note and None is returned (send it). Shared by the CLI and the scheduler."""
    n = len(edition.stories)
    if n >= cfg.edition.min_items:
        return None
    assert edition.id is not None
    note = f"quiet day: {n} stories, fewer than edition.min_items = {cfg.edition.min_items}"
    if cfg.edition.quiet_day == "send":
        store.set_edition_note(edition.id, note, now)
        return None
    if edition.status in ("built", "skipped"):
        store.set_edition_status(edition.id, "skipped", now, note=note)
    return note


def reader_note(cfg: Config, edition: Edition) -> str:
    """What the reader is told on a quiet day that is sent anyway (``quiet_day = "send"``)."""
    n = len(edition.stories)
    if n >= cfg.edition.min_items or cfg.edition.quiet_day != "send":
        return ""
    stories = "story" if n == 1 else "stories"
    return f"A quiet evening: {n} new {stories} since the last edition."


def write_archive_copy(cfg: Config, edition: Edition, directory: Path | None = None) -> Path:
    """The public copy (no personal links) as an HTML file; returns its path."""
    rendered = Renderer(templates_dir(cfg), cfg.newsletter).render(edition, personal=False)
    folder = directory or cfg.resolve(cfg.delivery.outbox_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"edition-{edition.date:%Y-%m-%d}.html"
    path.write_text(rendered.html, encoding="utf-8")
    return path


# ---- send ------------------------------------------------------------------------------------


class Personaliser:
    """Per-subscriber values: signed unsubscribe and preference links, the address."""

    def __init__(self, cfg: Config, secret: str) -> None:
        self.base = cfg.newsletter.base_url.rstrip("/")
        self.tokens = Tokens(secret)
        self.mailto = cfg.newsletter.unsubscribe_mailto or (
            f"unsubscribe@{domain_of(cfg.newsletter.sender)}"
        )

    def unsubscribe_url(self, subscriber_id: int) -> str:
        return f"{self.base}/u/{self.tokens.make(UNSUBSCRIBE, subscriber_id)}"

    def preferences_url(self, subscriber_id: int) -> str:
        return f"{self.base}/p/{self.tokens.make(PREFERENCES, subscriber_id)}"

    def mailto_url(self, subscriber_id: int) -> str:
        token = self.tokens.make(UNSUBSCRIBE, subscriber_id)
        return f"mailto:{self.mailto}?subject={urllib.parse.quote('unsubscribe ' + token)}"

    def personal(self, subscriber_id: int, email: str, message_id: str) -> Personal:
        """Everything that differs in this subscriber's copy."""
        return Personal(
            email=email,
            message_id=message_id,
            unsubscribe_url=self.unsubscribe_url(subscriber_id),
            unsubscribe_mailto=self.mailto_url(subscriber_id),
            values=self.values(subscriber_id, email),
        )

    def values(self, subscriber_id: int, email: str) -> dict[str, str]:
        return {
            PLACEHOLDERS["unsubscribe_url"]: self.unsubscribe_url(subscriber_id),
            PLACEHOLDERS["preferences_url"]: self.preferences_url(subscriber_id),
            PLACEHOLDERS["email"]: email,
        }


def secret_for(cfg: Config, store: Store) -> str:
    return cfg.secret or store.secret()


class Editions:
    """Prepared messages for one edition, one per distinct section choice (rendered once)."""

    def __init__(
        self, cfg: Config, edition: Edition, *, now: dt.datetime, subject_prefix: str = ""
    ) -> None:
        self.cfg, self.now, self.prefix = cfg, now, subject_prefix
        self.edition = replace(edition, note=edition.note or reader_note(cfg, edition))
        self.renderer = Renderer(templates_dir(cfg), cfg.newsletter)
        self._cache: dict[frozenset[str] | None, tuple[Rendered, PreparedMessage]] = {}

    def for_sections(self, sections: frozenset[str] | None) -> tuple[Rendered, PreparedMessage]:
        hit = self._cache.get(sections)
        if hit is None:
            rendered = self.renderer.render(self.edition.only_sections(sections))
            prepared = prepare(
                sender=self.cfg.newsletter.sender,
                subject=self.prefix + rendered.subject,
                text=rendered.text,
                html=rendered.html,
                date=self.now,
                reply_to=self.cfg.newsletter.reply_to,
                extra_headers={"X-Digest-Edition": f"{self.edition.date:%Y-%m-%d}"},
            )
            hit = self._cache[sections] = (rendered, prepared)
        return hit


def _has_stories(edition: Edition, sections: frozenset[str] | None) -> bool:
    return bool(edition.only_sections(sections).stories)


SEND_BATCH = 20  # ledger rows claimed per statement


def send_edition(
    cfg: Config,
    store: Store,
    edition: Edition,
    *,
    clock: Clock = utcnow,
    transport: Callable[[], Transport] | None = None,
    stop: threading.Event | None = None,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[], None] | None = None,
) -> SendReport:
    """Send ``edition`` to everyone in its audience not served yet. Safe to run again, and
    safe to run from two processes at once: each ledger row is claimed before it is sent.
    A message deferred (4xx) in this run is retried by the next run, not straight away."""
    assert edition.id is not None
    edition_id = edition.id
    started = clock()
    store.start_sending(edition_id, started)
    if on_start is not None:
        on_start(len(store.deliveries_to_send(edition_id, cfg.delivery.max_attempts, now=started)))
    already = store.delivery_counts(edition_id).get("sent", 0)
    editions = Editions(cfg, edition, now=started)
    who = Personaliser(cfg, secret_for(cfg, store))
    bare_sender = parseaddr(cfg.newsletter.sender)[1]

    def next_jobs() -> list[Job]:
        while True:
            now = clock()
            rows = store.claim_deliveries(
                edition_id, OWNER, cfg.delivery.max_attempts, now, limit=SEND_BATCH,
                failed_before=started,
            )
            if not rows:
                return []
            jobs = []
            for row in rows:
                if _has_stories(edition, row.sections):
                    jobs.append(_job(store, editions, who, row, edition, bare_sender, clock))
                else:
                    store.mark_final(row.id, "skipped", "none of the chosen sections has stories",
                                     now)
            if jobs:
                return jobs

    outcome = run_jobs(
        next_jobs,
        transport or (lambda: make_transport(cfg)),
        workers=cfg.delivery.connections if cfg.delivery.transport == "smtp" else 1,
        rate_limit=cfg.delivery.rate_limit,
        stop=stop,
        on_progress=on_progress,
    )
    counts = store.delivery_counts(edition_id)
    open_rows = store.deliveries_to_send(edition_id, cfg.delivery.max_attempts, now=clock())
    open_rows += store.deliveries_in_flight(edition_id)
    if not open_rows and not outcome.aborted:
        store.set_edition_status(edition_id, "sent", clock())
    errors = tuple(outcome.errors) + ((outcome.aborted,) if outcome.aborted else ())
    return SendReport(
        edition_id=edition_id, sent=outcome.sent, already=already, failed=outcome.failed,
        bounced=outcome.bounced, errors=errors,
        extra={"counts": counts, "remaining": len(open_rows), "aborted": outcome.aborted},
    )


def _job(
    store: Store,
    editions: Editions,
    who: Personaliser,
    row: DeliveryRow,
    edition: Edition,
    sender: str,
    clock: Clock,
) -> Job:
    msg_id = message_id(sender, "digest", edition.date.isoformat(), edition.id, row.subscriber_id)

    def envelope() -> Envelope:
        _, prepared = editions.for_sections(row.sections)
        return Envelope(
            sender=sender,
            recipient=row.email,
            data=prepared.fill(who.personal(row.subscriber_id, row.email, msg_id)),
            name=f"{edition.date:%Y-%m-%d}-{edition.id}-{row.subscriber_id}",
        )

    def on_sent(seconds: float) -> None:
        store.mark_sent(row.id, msg_id, clock(), seconds)

    def on_failed(err: DeliveryError) -> None:
        if isinstance(err, PermanentDeliveryError) and err.address_bad:
            store.mark_bounced(row.id, row.subscriber_id, str(err), clock())
        elif isinstance(err, PermanentDeliveryError):
            store.mark_final(row.id, "rejected", str(err), clock())
        else:
            store.mark_failed(row.id, str(err), clock())

    def release() -> None:
        store.release_delivery(row.id, clock())

    return Job(envelope, on_sent, on_failed, release)
