"""The store's base: the engine, short transactions, migrations, and the meta table."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from digest.errors import StoreError
from digest.store import tables as t

MIGRATIONS = Path(__file__).parent / "migrations"


def sections_json(sections: frozenset[str] | None) -> str | None:
    return None if sections is None else json.dumps(sorted(sections))


def sections_value(text: str | None) -> frozenset[str] | None:
    return None if text is None else frozenset(json.loads(text))


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class StoreBase:
    """The engine and what every part of the store shares. Construct with :meth:`open`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ---- lifecycle -------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Self:
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
