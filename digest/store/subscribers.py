"""Subscribers: addresses, status and chosen sections."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from digest.errors import NotFound
from digest.store import tables as t
from digest.store.base import StoreBase, sections_json, sections_value
from digest.types import Subscriber


class SubscriberStore(StoreBase):
    """Who gets the edition."""

    @staticmethod
    def _subscriber(r: Any) -> Subscriber:
        return Subscriber(
            id=r["id"],
            email=r["email"],
            status=r["status"],
            sections=sections_value(r["sections"]),
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
                    email=email, name=name, status=status, sections=sections_json(sections),
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

    def claim_mail(self, subscriber_id: int, now: dt.datetime, gap: dt.timedelta,
                   *, mailbox: tuple[str, str] | None = None) -> bool:
        """Take the right to send a subscribe email to this address now: False when one went
        out less than ``gap`` ago — to it, or to another address of the same ``mailbox``
        (local part without "+tag", domain). One atomic UPDATE for the address, so two
        requests at once send once."""
        col = t.subscribers.c.mailed_at
        email = t.subscribers.c.email
        with self._tx() as c:
            if mailbox is not None:
                local, domain = mailbox
                tagged = _like(local) + "+%@" + _like(domain)
                recent = c.execute(
                    sa.select(sa.func.count()).select_from(t.subscribers)
                    .where(t.subscribers.c.id != subscriber_id)
                    .where(sa.or_(email == f"{local}@{domain}",
                                  email.like(tagged, escape="\\")))
                    .where(col > now - gap)
                ).scalar_one()
                if recent:
                    return False
            done = c.execute(
                sa.update(t.subscribers)
                .where(t.subscribers.c.id == subscriber_id)
                .where(sa.or_(col.is_(None), col <= now - gap))
                .values(mailed_at=now)
            )
        return bool(done.rowcount == 1)

    def release_mail(self, subscriber_id: int, now: dt.datetime) -> None:
        """The email claimed at ``now`` was not sent: asking again may send at once."""
        col = t.subscribers.c.mailed_at
        with self._tx() as c:
            c.execute(sa.update(t.subscribers)
                      .where(t.subscribers.c.id == subscriber_id).where(col == now)
                      .values(mailed_at=None))

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

    def set_subscriber_sections(
        self, subscriber_id: int, sections: frozenset[str] | None, now: dt.datetime
    ) -> None:
        """The sections a subscriber gets from the next edition on (None: every section)."""
        with self._tx() as c:
            found = c.execute(
                sa.update(t.subscribers)
                .where(t.subscribers.c.id == subscriber_id)
                .values(sections=sections_json(sections), updated_at=now)
            ).rowcount
        if not found:
            raise NotFound(f"no subscriber {subscriber_id}")


def _like(text: str) -> str:
    """``text`` for a LIKE pattern, its wildcards taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
