"""Job runs: the scheduler's record of what ran and how it ended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from digest.store import tables as t
from digest.store.base import StoreBase


class RunStore(StoreBase):
    """One row per collect, edition or serve run."""

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
