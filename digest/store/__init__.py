"""Storage: SQLAlchemy Core over SQLite (default) or PostgreSQL, migrated by Alembic on open.

Every write that matters is one short transaction, so a crash never leaves half a change:
an entry is inserted or updated whole, an edition is saved once per (newsletter, date), and a
delivery row becomes ``sent`` only after the SMTP server's 250.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SQLAlchemyError

from digest.codec import edition_to_dict, sections_from_dict
from digest.errors import InvalidInput, NotFound, StoreError
from digest.store import tables as t
from digest.types import Edition, Entry, Image, Subscriber

MIGRATIONS = Path(__file__).parent / "migrations"
LEASE = dt.timedelta(minutes=15)  # a claimed delivery row older than this is taken as abandoned


@dataclass(frozen=True)
class FeedRow:
    url: str
    name: str
    etag: str | None
    last_modified: str | None
    last_status: str | None
    last_error: str | None
    last_fetched_at: dt.datetime | None
    last_ok_at: dt.datetime | None
    failing_since: dt.datetime | None


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    edition_id: int
    subscriber_id: int
    email: str
    sections: frozenset[str] | None
    status: str
    attempts: int
    last_error: str


def _sections_json(sections: frozenset[str] | None) -> str | None:
    return None if sections is None else json.dumps(sorted(sections))


def _sections_value(text: str | None) -> frozenset[str] | None:
    return None if text is None else frozenset(json.loads(text))


def content_hash(entry: Entry) -> str:
    image = entry.image.url if entry.image else ""
    parts = (entry.title, entry.url or "", entry.summary_html, image)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Store:
    """The one gateway to the database. Construct with :meth:`open`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ---- lifecycle -------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        try:
            engine = sa.create_engine(url, future=True, pool_pre_ping=True)
        except (ArgumentError, ImportError, ValueError) as e:
            raise StoreError(
                f"database.url {url!r} is not usable ({e})",
                hint="use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
            ) from None
        if engine.dialect.name == "sqlite":
            path = engine.url.database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as e:
            raise StoreError(
                f"database {self.engine.url.render_as_string(hide_password=True)}: "
                f"{str(e.orig).strip().splitlines()[0]}",
                hint="check database.url and that the server is running",
            ) from None

    def migrate(self) -> None:
        """Bring the schema to the newest revision (safe to run from several processes)."""
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        for attempt in range(3):
            try:
                with self._tx() as conn:
                    if conn.dialect.name == "postgresql":
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(735201)"))
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                return
            except (SQLAlchemyError, StoreError):
                # Another process migrated the same SQLite file at the same moment: its
                # tables now exist, and the next attempt finds the schema at head.
                if attempt == 2:
                    raise

    def _insert(self, table: sa.Table) -> Any:
        """An INSERT that can say ON CONFLICT DO NOTHING on both dialects."""
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)

    # ---- meta ------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self._tx() as c:
            return c.execute(sa.select(t.meta.c.value).where(t.meta.c.key == key)).scalar()

    def secret(self) -> str:
        """The signing secret kept in the database, made on first use."""
        with self._tx() as c:
            c.execute(
                self._insert(t.meta)
                .values(key="secret", value=secrets.token_urlsafe(32))
                .on_conflict_do_nothing()
            )
            value = c.execute(sa.select(t.meta.c.value).where(t.meta.c.key == "secret")).scalar()
        assert value is not None
        return str(value)

    # ---- feeds and entries -----------------------------------------------------------------

    def feed_rows(self) -> dict[str, FeedRow]:
        with self._tx() as c:
            rows = c.execute(sa.select(t.feeds)).mappings().all()
        return {r["url"]: FeedRow(**{k: r[k] for k in FeedRow.__dataclass_fields__}) for r in rows}

    def record_feed(
        self,
        url: str,
        name: str,
        *,
        status: str,
        now: dt.datetime,
        http_status: int | None = None,
        error: str = "",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        ok = status != "error"
        with self._tx() as c:
            # Two processes may record a new feed at once: make the row exist first.
            c.execute(self._insert(t.feeds).values(url=url, name=name).on_conflict_do_nothing())
            old = c.execute(sa.select(t.feeds).where(t.feeds.c.url == url)).mappings().one()
            values: dict[str, Any] = {
                "name": name,
                "last_status": status,
                "last_http_status": http_status,
                "last_error": error or None,
                "last_fetched_at": now,
            }
            if ok:
                values.update(last_ok_at=now, failing_since=None)
                if status == "ok":
                    values.update(etag=etag, last_modified=last_modified)
            else:
                values["failing_since"] = old["failing_since"] or now
            c.execute(sa.update(t.feeds).where(t.feeds.c.url == url).values(**values))

    def upsert_entries(
        self, feed_url: str, entries: Sequence[Entry], now: dt.datetime
    ) -> tuple[int, int]:
        """Insert new entries, update changed ones in place. Returns (new, updated)."""
        if not entries:
            return 0, 0
        by_key: dict[str, Entry] = {}
        for e in entries:
            by_key.setdefault(e.key, e)
        new = updated = 0
        with self._tx() as c:
            existing = {
                r.key: (r.id, r.content_hash)
                for r in c.execute(
                    sa.select(t.entries.c.id, t.entries.c.key, t.entries.c.content_hash).where(
                        t.entries.c.feed_url == feed_url
                    )
                )
            }
            inserts: list[dict[str, Any]] = []
            for key, e in by_key.items():
                h = content_hash(e)
                row = self._entry_values(e, h)
                if key not in existing:
                    inserts.append({**row, "feed_url": feed_url, "key": key,
                                    "first_seen_at": e.first_seen_at})
                elif existing[key][1] != h:
                    c.execute(
                        sa.update(t.entries)
                        .where(t.entries.c.id == existing[key][0])
                        .values(**row, updated_at=now)
                    )
                    updated += 1
            if inserts:
                result = c.execute(
                    self._insert(t.entries).on_conflict_do_nothing(), inserts
                )
                new = result.rowcount if result.rowcount >= 0 else len(inserts)
        return new, updated

    @staticmethod
    def _entry_values(e: Entry, h: str) -> dict[str, Any]:
        return {
            "title": e.title,
            "url": e.url,
            "summary_html": e.summary_html,
            "teaser": e.teaser,
            "image_url": e.image.url if e.image else None,
            "image_alt": e.image.alt if e.image else None,
            "published": e.published,
            "categories": json.dumps(list(e.categories)),
            "author": e.author,
            "language": e.language,
            "content_hash": h,
        }

    def entries_seen_between(
        self, start: dt.datetime, end: dt.datetime, feed_urls: Iterable[str] | None = None
    ) -> list[Entry]:
        """Entries first seen in (start, end]."""
        q = sa.select(t.entries).where(
            t.entries.c.first_seen_at > start, t.entries.c.first_seen_at <= end
        )
        if feed_urls is not None:
            q = q.where(t.entries.c.feed_url.in_(list(feed_urls)))
        with self._tx() as c:
            rows = c.execute(q.order_by(t.entries.c.id)).mappings().all()
        return [self._entry(r) for r in rows]

    def count_entries(self) -> int:
        with self._tx() as c:
            return int(c.execute(sa.select(sa.func.count()).select_from(t.entries)).scalar_one())

    @staticmethod
    def _entry(r: Any) -> Entry:
        return Entry(
            feed_url=r["feed_url"],
            key=r["key"],
            title=r["title"],
            url=r["url"],
            summary_html=r["summary_html"],
            teaser=r["teaser"],
            published=r["published"],
            first_seen_at=r["first_seen_at"],
            image=Image(r["image_url"], r["image_alt"] or "") if r["image_url"] else None,
            categories=tuple(json.loads(r["categories"] or "[]")),
            author=r["author"],
            language=r["language"],
            updated_at=r["updated_at"],
        )

    # ---- editions --------------------------------------------------------------------------

    def _edition(self, r: Any) -> Edition:
        return Edition(
            id=r["id"],
            newsletter=r["newsletter"],
            date=dt.date.fromisoformat(r["date"]),
            created_at=r["created_at"],
            window_start=r["window_start"],
            window_end=r["window_end"],
            sections=sections_from_dict(json.loads(r["data"])),
            status=r["status"],
        )

    def edition(self, edition_id: int) -> Edition:
        with self._tx() as c:
            r = c.execute(sa.select(t.editions).where(t.editions.c.id == edition_id)).mappings()
            row = r.first()
        if row is None:
            raise NotFound(f"no edition {edition_id}", hint="`digest edition list` shows them")
        return self._edition(row)

    def edition_for(self, newsletter: str, date: dt.date) -> Edition | None:
        with self._tx() as c:
            row = c.execute(
                sa.select(t.editions).where(
                    t.editions.c.newsletter == newsletter, t.editions.c.date == date.isoformat()
                )
            ).mappings().first()
        return self._edition(row) if row else None

    def latest_edition(self, newsletter: str | None = None) -> Edition | None:
        q = sa.select(t.editions)
        if newsletter:
            q = q.where(t.editions.c.newsletter == newsletter)
        with self._tx() as c:
            row = c.execute(q.order_by(t.editions.c.date.desc()).limit(1)).mappings().first()
        return self._edition(row) if row else None

    def editions(self, limit: int = 100) -> list[dict[str, Any]]:
        """Summaries, newest first: id, date, subject, stories, status, sent counts."""
        with self._tx() as c:
            rows = c.execute(
                sa.select(
                    t.editions.c.id, t.editions.c.newsletter, t.editions.c.date,
                    t.editions.c.subject, t.editions.c.stories, t.editions.c.status,
                    t.editions.c.created_at, t.editions.c.sent_at, t.editions.c.note,
                )
                .order_by(t.editions.c.date.desc(), t.editions.c.id.desc())
                .limit(limit)
            ).mappings().all()
        return [dict(r) for r in rows]

    def edition_row(self, edition_id: int) -> dict[str, Any]:
        with self._tx() as c:
            row = c.execute(
                sa.select(t.editions).where(t.editions.c.id == edition_id)
            ).mappings().first()
        if row is None:
            raise NotFound(f"no edition {edition_id}")
        return dict(row)

    def previous_window_end(self, newsletter: str, before: dt.date) -> dt.datetime | None:
        """Where the last edition before this date stopped taking entries."""
        with self._tx() as c:
            return c.execute(
                sa.select(sa.func.max(t.editions.c.window_end)).where(
                    t.editions.c.newsletter == newsletter,
                    t.editions.c.date < before.isoformat(),
                    t.editions.c.status != "claimed",
                )
            ).scalar()

    def save_edition(self, edition: Edition, *, subject: str, now: dt.datetime) -> Edition:
        """Store a new edition; if one exists for (newsletter, date), return that one instead."""
        values = self._edition_values(edition, subject)
        with self._tx() as c:
            try:
                with c.begin_nested():
                    new_id = c.execute(
                        sa.insert(t.editions).values(**values, created_at=now, updated_at=now)
                    ).inserted_primary_key
            except IntegrityError:
                new_id = None
        existing = self.edition_for(edition.newsletter, edition.date)
        assert existing is not None
        if new_id is not None:
            assert existing.id == new_id[0]
        return existing

    def replace_edition(self, edition: Edition, *, subject: str, now: dt.datetime) -> Edition:
        """Rebuild: overwrite the stored edition of that date, unless sending has started."""
        with self._tx() as c:
            row = c.execute(
                sa.select(t.editions.c.id, t.editions.c.send_started_at).where(
                    t.editions.c.newsletter == edition.newsletter,
                    t.editions.c.date == edition.date.isoformat(),
                )
            ).first()
            if row is not None and row.send_started_at is not None:
                raise InvalidInput(
                    f"the edition of {edition.date} is already being sent or was sent",
                    hint="it cannot be rebuilt; nothing was changed",
                )
            if row is not None:
                c.execute(
                    sa.update(t.editions)
                    .where(t.editions.c.id == row.id)
                    .values(**self._edition_values(edition, subject), updated_at=now)
                )
        if row is None:
            return self.save_edition(edition, subject=subject, now=now)
        return self.edition(row.id)

    @staticmethod
    def _edition_values(edition: Edition, subject: str) -> dict[str, Any]:
        return {
            "newsletter": edition.newsletter,
            "date": edition.date.isoformat(),
            "status": edition.status,
            "window_start": edition.window_start,
            "window_end": edition.window_end,
            "subject": subject,
            "stories": len(edition.stories),
            "data": json.dumps(edition_to_dict(edition, subject=subject)),
        }

    def set_edition_status(
        self, edition_id: int, status: str, now: dt.datetime, *, note: str | None = None
    ) -> None:
        values: dict[str, Any] = {"status": status, "updated_at": now}
        if status == "sent":
            values["sent_at"] = now
        if note is not None:
            values["note"] = note
        with self._tx() as c:
            c.execute(sa.update(t.editions).where(t.editions.c.id == edition_id).values(**values))

    # ---- subscribers -----------------------------------------------------------------------

    @staticmethod
    def _subscriber(r: Any) -> Subscriber:
        return Subscriber(
            id=r["id"],
            email=r["email"],
            status=r["status"],
            sections=_sections_value(r["sections"]),
            created_at=r["created_at"],
            name=r["name"],
        )

    def add_subscriber(
        self,
        email: str,
        *,
        now: dt.datetime,
        status: str = "active",
        name: str = "",
        sections: frozenset[str] | None = None,
    ) -> tuple[Subscriber, bool]:
        """Add an address (already normalised). Returns (subscriber, created)."""
        with self._tx() as c:
            existing = c.execute(
                sa.select(t.subscribers).where(t.subscribers.c.email == email)
            ).mappings().first()
            if existing is not None:
                return self._subscriber(existing), False
            c.execute(
                sa.insert(t.subscribers).values(
                    email=email, name=name, status=status, sections=_sections_json(sections),
                    created_at=now, updated_at=now,
                    confirmed_at=now if status == "active" else None,
                )
            )
            row = c.execute(
                sa.select(t.subscribers).where(t.subscribers.c.email == email)
            ).mappings().one()
        return self._subscriber(row), True

    def subscribers(self, status: str | None = None) -> list[Subscriber]:
        q = sa.select(t.subscribers).order_by(t.subscribers.c.id)
        if status:
            q = q.where(t.subscribers.c.status == status)
        with self._tx() as c:
            return [self._subscriber(r) for r in c.execute(q).mappings()]

    def subscriber(self, subscriber_id: int) -> Subscriber:
        with self._tx() as c:
            row = c.execute(
                sa.select(t.subscribers).where(t.subscribers.c.id == subscriber_id)
            ).mappings().first()
        if row is None:
            raise NotFound(f"no subscriber {subscriber_id}")
        return self._subscriber(row)

    def set_subscriber_status(
        self, subscriber_id: int, status: str, now: dt.datetime, *, note: str = ""
    ) -> None:
        values: dict[str, Any] = {"status": status, "updated_at": now}
        if status == "unsubscribed":
            values["unsubscribed_at"] = now
        if status == "active":
            values["confirmed_at"] = now
        if note:
            values["note"] = note
        with self._tx() as c:
            c.execute(
                sa.update(t.subscribers).where(t.subscribers.c.id == subscriber_id).values(**values)
            )

    # ---- the delivery ledger ---------------------------------------------------------------

    def start_sending(self, edition_id: int, now: dt.datetime) -> int:
        """Fix the audience once: a pending row per active subscriber. Returns rows added.

        Only the first call for an edition adds rows; later calls (a rerun, a second process)
        find ``send_started_at`` set and add nothing, so the audience stays what it was.
        """
        with self._tx() as c:
            claimed = c.execute(
                sa.update(t.editions)
                .where(t.editions.c.id == edition_id, t.editions.c.send_started_at.is_(None))
                .values(send_started_at=now, status="sending", updated_at=now)
            ).rowcount
            if not claimed:
                return 0
            audience = c.execute(
                sa.select(t.subscribers.c.id, t.subscribers.c.email, t.subscribers.c.sections)
                .where(t.subscribers.c.status == "active")
                .order_by(t.subscribers.c.id)
            ).all()
            if audience:
                c.execute(
                    sa.insert(t.deliveries),
                    [
                        {
                            "edition_id": edition_id, "subscriber_id": r.id, "email": r.email,
                            "sections": r.sections, "status": "pending", "attempts": 0,
                            "last_error": "", "updated_at": now,
                        }
                        for r in audience
                    ],
                )
            return len(audience)

    @staticmethod
    def _open_rows(
        max_attempts: int,
        now: dt.datetime,
        lease: dt.timedelta,
        failed_before: dt.datetime | None = None,
    ) -> Any:
        d = t.deliveries
        failed = sa.and_(d.c.status == "failed", d.c.attempts < max_attempts)
        if failed_before is not None:  # a row that failed in this run waits for the next
            failed = sa.and_(failed, d.c.updated_at < failed_before)
        return sa.or_(
            d.c.status == "pending",
            failed,
            sa.and_(d.c.status == "sending", d.c.claimed_at < now - lease),
        )

    @staticmethod
    def _delivery(r: Any) -> DeliveryRow:
        return DeliveryRow(
            id=r["id"], edition_id=r["edition_id"], subscriber_id=r["subscriber_id"],
            email=r["email"], sections=_sections_value(r["sections"]), status=r["status"],
            attempts=r["attempts"], last_error=r["last_error"],
        )

    def deliveries_to_send(
        self,
        edition_id: int,
        max_attempts: int,
        *,
        now: dt.datetime | None = None,
        lease: dt.timedelta = LEASE,
    ) -> list[DeliveryRow]:
        """Rows not final yet: pending, failed with attempts left, or claimed by a process
        that stopped answering more than ``lease`` ago."""
        d = t.deliveries
        now = now or dt.datetime.now(dt.UTC)
        with self._tx() as c:
            rows = c.execute(
                sa.select(d)
                .where(d.c.edition_id == edition_id, self._open_rows(max_attempts, now, lease))
                .order_by(d.c.id)
            ).mappings().all()
        return [self._delivery(r) for r in rows]

    def deliveries_in_flight(self, edition_id: int) -> list[DeliveryRow]:
        """Rows some process is sending right now."""
        d = t.deliveries
        with self._tx() as c:
            rows = c.execute(
                sa.select(d).where(d.c.edition_id == edition_id, d.c.status == "sending")
            ).mappings().all()
        return [self._delivery(r) for r in rows]

    def claim_deliveries(
        self,
        edition_id: int,
        owner: str,
        max_attempts: int,
        now: dt.datetime,
        *,
        limit: int = 20,
        failed_before: dt.datetime | None = None,
        lease: dt.timedelta = LEASE,
    ) -> list[DeliveryRow]:
        """Take up to ``limit`` open rows for sending, in one statement. A row can be won by
        one process only: two senders on the same edition (two schedulers, a rerun during a
        send) never send it twice. The open-row test is repeated on the UPDATE itself, so on
        PostgreSQL a row another transaction took meanwhile is re-checked and skipped."""
        d = t.deliveries
        is_open = self._open_rows(max_attempts, now, lease, failed_before)
        pick = (
            sa.select(d.c.id)
            .where(d.c.edition_id == edition_id, is_open)
            .order_by(d.c.id)
            .limit(limit)
        )
        if self.engine.dialect.name == "postgresql":
            # A CTE runs once; an IN (subquery … LIMIT) may be re-run by PostgreSQL's
            # recheck of concurrently updated rows and take far more than ``limit``.
            pick = pick.with_for_update(skip_locked=True)
        picked = pick.cte("picked")
        with self._tx() as c:
            rows = c.execute(
                sa.update(d)
                .where(d.c.id == picked.c.id, is_open)
                .values(status="sending", claimed_by=owner, claimed_at=now, updated_at=now)
                .returning(*d.c)
            ).mappings().all()
        return sorted((self._delivery(r) for r in rows), key=lambda r: r.id)

    def claim_delivery(
        self,
        delivery_id: int,
        owner: str,
        max_attempts: int,
        now: dt.datetime,
        lease: dt.timedelta = LEASE,
    ) -> bool:
        """Take one given row for sending (False: another sender has it, or it is final)."""
        d = t.deliveries
        with self._tx() as c:
            won = c.execute(
                sa.update(d)
                .where(d.c.id == delivery_id, self._open_rows(max_attempts, now, lease))
                .values(status="sending", claimed_by=owner, claimed_at=now, updated_at=now)
            ).rowcount
        return bool(won)

    def release_delivery(self, delivery_id: int, now: dt.datetime) -> None:
        """Give back a claimed row that was not attempted (a stop or an abort)."""
        d = t.deliveries
        with self._tx() as c:
            c.execute(
                sa.update(d)
                .where(d.c.id == delivery_id, d.c.status == "sending")
                .values(
                    status=sa.case((d.c.attempts > 0, "failed"), else_="pending"),
                    claimed_by=None, claimed_at=None, updated_at=now,
                )
            )

    def mark_sent(
        self, delivery_id: int, message_id: str, now: dt.datetime, seconds: float = 0.0
    ) -> None:
        with self._tx() as c:
            c.execute(
                sa.update(t.deliveries)
                .where(t.deliveries.c.id == delivery_id)
                .values(
                    status="sent", message_id=message_id, sent_at=now, updated_at=now,
                    claimed_by=None,
                    attempts=t.deliveries.c.attempts + 1, last_error="", seconds=seconds,
                )
            )

    def mark_failed(self, delivery_id: int, error: str, now: dt.datetime) -> None:
        with self._tx() as c:
            c.execute(
                sa.update(t.deliveries)
                .where(t.deliveries.c.id == delivery_id)
                .values(status="failed", last_error=error[:1000], updated_at=now,
                        attempts=t.deliveries.c.attempts + 1, claimed_by=None)
            )

    def mark_final(self, delivery_id: int, status: str, error: str, now: dt.datetime) -> None:
        """A final outcome other than sent: ``rejected`` (5xx for the message), ``skipped``."""
        with self._tx() as c:
            c.execute(
                sa.update(t.deliveries)
                .where(t.deliveries.c.id == delivery_id)
                .values(status=status, last_error=error[:1000], updated_at=now, claimed_by=None)
            )

    def mark_bounced(
        self, delivery_id: int, subscriber_id: int, error: str, now: dt.datetime
    ) -> None:
        with self._tx() as c:
            c.execute(
                sa.update(t.deliveries)
                .where(t.deliveries.c.id == delivery_id)
                .values(status="bounced", last_error=error[:1000], updated_at=now,
                        attempts=t.deliveries.c.attempts + 1, claimed_by=None)
            )
            c.execute(
                sa.update(t.subscribers)
                .where(t.subscribers.c.id == subscriber_id)
                .values(status="bounced", note=error[:1000], updated_at=now)
            )

    def delivery_counts(self, edition_id: int) -> dict[str, int]:
        d = t.deliveries
        with self._tx() as c:
            rows = c.execute(
                sa.select(d.c.status, sa.func.count())
                .where(d.c.edition_id == edition_id)
                .group_by(d.c.status)
            ).all()
        return {status: int(n) for status, n in rows}

    def deliveries(self, edition_id: int) -> list[dict[str, Any]]:
        with self._tx() as c:
            rows = c.execute(
                sa.select(t.deliveries)
                .where(t.deliveries.c.edition_id == edition_id)
                .order_by(t.deliveries.c.id)
            ).mappings().all()
        return [dict(r) for r in rows]

    # ---- job runs (the scheduler's record) -------------------------------------------------

    def start_run(self, job: str, owner: str, now: dt.datetime) -> int:
        """Record that ``job`` started; returns the run's id for :meth:`finish_run`."""
        with self._tx() as c:
            key = c.execute(
                sa.insert(t.runs).values(
                    job=job, started=now, outcome="running", detail="", owner=owner
                )
            ).inserted_primary_key
        assert key is not None
        return int(key[0])

    def finish_run(self, run_id: int, outcome: str, detail: str, now: dt.datetime) -> None:
        with self._tx() as c:
            c.execute(
                sa.update(t.runs)
                .where(t.runs.c.id == run_id)
                .values(finished=now, outcome=outcome, detail=detail[:2000])
            )

    def runs(self, job: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Recorded runs, newest first: id, job, started, finished, outcome, detail, owner."""
        q = sa.select(t.runs).order_by(t.runs.c.started.desc(), t.runs.c.id.desc()).limit(limit)
        if job is not None:
            q = q.where(t.runs.c.job == job)
        with self._tx() as c:
            return [dict(r) for r in c.execute(q).mappings()]

    def last_finished_run(self, job: str, outcomes: Sequence[str]) -> dict[str, Any] | None:
        """The newest run of ``job`` that finished with one of ``outcomes``."""
        with self._tx() as c:
            row = c.execute(
                sa.select(t.runs)
                .where(t.runs.c.job == job, t.runs.c.outcome.in_(list(outcomes)))
                .order_by(t.runs.c.finished.desc(), t.runs.c.id.desc())
                .limit(1)
            ).mappings().first()
        return dict(row) if row else None


    def set_edition_note(self, edition_id: int, note: str, now: dt.datetime) -> None:
        """Attach a note (a quiet day sent anyway) without touching the status."""
        with self._tx() as c:
            c.execute(
                sa.update(t.editions)
                .where(t.editions.c.id == edition_id)
                .values(note=note, updated_at=now)
            )

    def set_subscriber_sections(
        self, subscriber_id: int, sections: frozenset[str] | None, now: dt.datetime
    ) -> None:
        """The sections a subscriber gets from the next edition on (None: every section)."""
        with self._tx() as c:
            found = c.execute(
                sa.update(t.subscribers)
                .where(t.subscribers.c.id == subscriber_id)
                .values(sections=_sections_json(sections), updated_at=now)
            ).rowcount
        if not found:
            raise NotFound(f"no subscriber {subscriber_id}")


__all__ = ["DeliveryRow", "FeedRow", "SQLAlchemyError", "Store", "content_hash"]
