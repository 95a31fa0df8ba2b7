"""Shared fixtures: real servers on loopback and real databases.

Services that may be absent on a developer's machine (PostgreSQL, Chromium) skip with a
reason; under CI=true they must be there, and a missing one fails the run instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.support.smtpserver import SmtpServer

PG_URL = os.environ.get("DIGEST_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(reason: str) -> None:
    """Skip for a missing service, except on CI where it must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run here)")
    pytest.skip(reason)


def postgres_available() -> str | None:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(PG_URL)
        with engine.connect() as c:
            c.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as e:  # any reason at all means: not usable here
        return f"PostgreSQL at {PG_URL} is not reachable ({type(e).__name__})"
    return None


@pytest.fixture(scope="session")
def _postgres_reason() -> str | None:
    return postgres_available()


@pytest.fixture
def postgres_url(_postgres_reason: str | None) -> Iterator[str]:
    """A fresh schema in the local PostgreSQL, dropped afterwards."""
    if _postgres_reason:
        need(_postgres_reason)
    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.connect() as c:
            c.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Run a storage test on both databases."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/digest.sqlite3"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server
