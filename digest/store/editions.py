"""Editions: one per newsletter and date, saved once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from digest.codec import edition_to_dict, sections_from_dict
from digest.errors import InvalidInput, NotFound
from digest.store import tables as t
from digest.store.base import StoreBase
from digest.types import Edition


class EditionStore(StoreBase):
    """Stored editions and their status."""

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

    def set_edition_note(self, edition_id: int, note: str, now: dt.datetime) -> None:
        """Attach a note (a quiet day sent anyway) without touching the status."""
        with self._tx() as c:
            c.execute(
                sa.update(t.editions)
                .where(t.editions.c.id == edition_id)
                .values(note=note, updated_at=now)
            )
