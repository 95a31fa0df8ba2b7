"""The schema, as SQLAlchemy Core tables. Alembic migrations create it (migrations/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Column,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import DateTime as _DateTime
from sqlalchemy import Table as _Table
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = _DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # pragma: no cover - SQLite returns datetimes via the type
            value = dt.datetime.fromisoformat(value)
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


metadata = MetaData()

meta = _Table(
    "meta",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

feeds = _Table(
    "feeds",
    metadata,
    Column("url", String(2000), primary_key=True),
    Column("name", String(200), nullable=False, default=""),
    Column("etag", String(500)),
    Column("last_modified", String(100)),
    Column("last_status", String(20)),
    Column("last_http_status", Integer),
    Column("last_error", Text),
    Column("last_fetched_at", UTCDateTime),
    Column("last_ok_at", UTCDateTime),
    Column("failing_since", UTCDateTime),
)

entries = _Table(
    "entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("feed_url", String(2000), nullable=False),
    Column("key", String(2000), nullable=False),
    Column("title", Text, nullable=False),
    Column("url", Text),
    Column("summary_html", Text, nullable=False, default=""),
    Column("teaser", Text, nullable=False, default=""),
    Column("image_url", Text),
    Column("image_alt", Text),
    Column("published", UTCDateTime),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Column("categories", Text, nullable=False, default="[]"),
    Column("author", Text, nullable=False, default=""),
    Column("language", String(50), nullable=False, default=""),
    Column("content_hash", String(64), nullable=False),
    Column("vector", LargeBinary),  # 384 float16 (digest.compose.vectors); NULL until computed
    UniqueConstraint("feed_url", "key", name="uq_entries_feed_key"),
    Index("ix_entries_first_seen_at", "first_seen_at"),
)

editions = _Table(
    "editions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("newsletter", String(200), nullable=False),
    Column("date", String(10), nullable=False),  # YYYY-MM-DD in the schedule's time zone
    Column("status", String(20), nullable=False),  # claimed|built|sending|sent|skipped|failed
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("window_start", UTCDateTime, nullable=False),
    Column("window_end", UTCDateTime, nullable=False),
    Column("subject", Text, nullable=False, default=""),
    Column("stories", Integer, nullable=False, default=0),
    Column("data", Text, nullable=False, default="{}"),
    Column("note", Text, nullable=False, default=""),
    Column("claimed_by", String(200)),
    Column("send_started_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    UniqueConstraint("newsletter", "date", name="uq_editions_newsletter_date"),
)

subscribers = _Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False, default=""),
    Column("status", String(20), nullable=False),  # pending|active|unsubscribed|bounced
    Column("sections", Text),  # JSON list, NULL: every section
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime),
    Column("unsubscribed_at", UTCDateTime),
    Column("note", Text, nullable=False, default=""),
    # when the last subscribe email (confirm, or "already subscribed") went to the address
    Column("mailed_at", UTCDateTime),
    Index("ix_subscribers_status", "status"),
)

deliveries = _Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("edition_id", Integer, ForeignKey("editions.id"), nullable=False),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id"), nullable=False),
    Column("email", String(320), nullable=False),  # the address when the audience was fixed
    Column("sections", Text),  # the choice when the audience was fixed
    # pending | sending | sent | failed | bounced | rejected | skipped
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=False, default=""),
    Column("message_id", String(300)),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("seconds", Float),
    Column("claimed_by", String(200)),  # the process sending it now (status 'sending')
    Column("claimed_at", UTCDateTime),
    UniqueConstraint("edition_id", "subscriber_id", name="uq_deliveries_edition_subscriber"),
    Index("ix_deliveries_edition_status", "edition_id", "status"),
)

runs = _Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job", String(50), nullable=False),  # collect | edition | serve
    Column("started", UTCDateTime, nullable=False),
    Column("finished", UTCDateTime),  # NULL: still running, or the process died
    # running | ok | sent | skipped | nothing | missed | failed | stopped
    Column("outcome", String(20), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Column("owner", String(200), nullable=False, default=""),  # host:pid:nonce
    Index("ix_runs_job_started", "job", "started"),
)
