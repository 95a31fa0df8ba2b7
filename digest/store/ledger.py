"""The delivery ledger: one row per (edition, subscriber), claimed before it is sent,
``sent`` only after the transport accepted the message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from digest.store import tables as t
from digest.store.base import StoreBase, sections_value

LEASE = dt.timedelta(minutes=15)  # a claimed delivery row older than this is taken as abandoned


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


_MARK_SENT = (
    sa.update(t.deliveries)
    .where(t.deliveries.c.id == sa.bindparam("row_id"))
    .values(
        status="sent",
        message_id=sa.bindparam("message_id"),
        sent_at=sa.bindparam("now", type_=t.UTCDateTime()),
        updated_at=sa.bindparam("now", type_=t.UTCDateTime()),
        claimed_by=None,
        attempts=t.deliveries.c.attempts + 1,
        last_error="",
        seconds=sa.bindparam("seconds"),
    )
)


class LedgerStore(StoreBase):
    """The audience of an edition and what became of each message."""

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
            email=r["email"], sections=sections_value(r["sections"]), status=r["status"],
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
        """The hot path of a send (one call per message): the statement is built once."""
        with self._tx() as c:
            c.execute(
                _MARK_SENT,
                {"row_id": delivery_id, "message_id": message_id, "now": now,
                 "seconds": seconds},
            )

    @staticmethod
    def _close_row(
        delivery_id: int, status: str, error: str, now: dt.datetime, *, attempt: bool
    ) -> sa.Update:
        """A claimed row released with an outcome other than sent; ``attempt`` counts it."""
        values: dict[str, Any] = {"status": status, "last_error": error[:1000],
                                  "updated_at": now, "claimed_by": None}
        if attempt:
            values["attempts"] = t.deliveries.c.attempts + 1
        return sa.update(t.deliveries).where(t.deliveries.c.id == delivery_id).values(**values)

    def mark_failed(self, delivery_id: int, error: str, now: dt.datetime) -> None:
        with self._tx() as c:
            c.execute(self._close_row(delivery_id, "failed", error, now, attempt=True))

    def mark_final(self, delivery_id: int, status: str, error: str, now: dt.datetime) -> None:
        """A final outcome other than sent: ``rejected`` (5xx for the message), ``skipped``."""
        with self._tx() as c:
            c.execute(self._close_row(delivery_id, status, error, now, attempt=False))

    def mark_bounced(
        self, delivery_id: int, subscriber_id: int, error: str, now: dt.datetime
    ) -> None:
        with self._tx() as c:
            c.execute(self._close_row(delivery_id, "bounced", error, now, attempt=True))
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
