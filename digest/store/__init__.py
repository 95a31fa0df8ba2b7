"""Storage: SQLAlchemy Core over SQLite (default) or PostgreSQL, migrated by Alembic on open.

Every write that matters is one short transaction, so a crash never leaves half a change:
an entry is inserted or updated whole, an edition is saved once per (newsletter, date), and a
delivery row becomes ``sent`` only after the SMTP server's 250.

``Store`` is one object assembled from a part per concern (feeds.py, editions.py,
subscribers.py, ledger.py, runs.py) over base.py's engine and transactions.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from digest.store.base import MIGRATIONS, StoreBase
from digest.store.editions import EditionStore
from digest.store.feeds import FeedRow, FeedStore, content_hash
from digest.store.ledger import LEASE, DeliveryRow, LedgerStore
from digest.store.runs import RunStore
from digest.store.subscribers import SubscriberStore


class Store(FeedStore, EditionStore, SubscriberStore, LedgerStore, RunStore, StoreBase):
    """The one gateway to the database. Construct with :meth:`open`."""


__all__ = [
    "LEASE", "MIGRATIONS", "DeliveryRow", "FeedRow", "SQLAlchemyError", "Store", "content_hash",
]
