"""Shared fixtures: a real database on SQLite AND PostgreSQL through one parametrised fixture."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import SessionFactory, create_engine, create_session_factory
from models.entities import Base
from models.migrate import upgrade
from models.services import catalogue_io

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "data" / "catalogue.yaml"
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


async def _pg_reachable() -> str | None:
    """None when the PostgreSQL server answers, else the reason it does not."""
    engine = create_engine(PG_ADMIN_URL, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("select 1"))
        return None
    except Exception as exc:  # any failure to connect means "not reachable" here
        return f"{type(exc).__name__}: {exc}"
    finally:
        await engine.dispose()


async def _create_pg_database(name: str, *, migrate: bool = True) -> str:
    """Creates an empty database for this test run and migrates it (unless told not to); returns its URL."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    if migrate:
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
    return url


async def _drop_pg_database(name: str) -> None:
    """Drops the run's database."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


def _run_blocking(coro: Any) -> Any:
    """Runs a coroutine to completion on its own loop in a worker thread (safe inside a running loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database for the whole run (skips loudly, or fails in CI, without a server)."""
    reason = _run_blocking(_pg_reachable())
    if reason is not None:
        message = f"PostgreSQL NOT REACHABLE at {PG_ADMIN_URL} ({reason}): PostgreSQL tests NOT RUN"
        if IN_CI:
            pytest.fail(message + " -- CI=true requires PostgreSQL")
        pytest.skip(message)
    name = f"karya_test_{uuid.uuid4().hex[:10]}"
    url = _run_blocking(_create_pg_database(name))
    yield url
    _run_blocking(_drop_pg_database(name))


@pytest.fixture
def empty_pg_database(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """A PostgreSQL database of this test alone, with no table at all: (name, URL); dropped afterwards."""
    request.getfixturevalue("pg_url")  # skips loudly, or fails in CI, without a server
    name = f"karya_own_{uuid.uuid4().hex[:10]}"
    url = _run_blocking(_create_pg_database(name, migrate=False))
    yield name, url
    _run_blocking(_drop_pg_database(name))


async def _truncate(engine: AsyncEngine) -> None:
    """Empties every table between tests."""
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database on each engine."""
    if request.param == "sqlite":
        eng = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}")
        await upgrade(eng)
    else:
        url = request.getfixturevalue("pg_url")
        eng = create_engine(url)
        await _truncate(eng)
    yield eng
    await eng.dispose()


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated SQLite database only (for tests that need no second engine)."""
    eng = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}")
    await upgrade(eng)
    yield eng
    await eng.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions on the parametrised engine."""
    return create_session_factory(engine)


@pytest.fixture
async def shop(session_factory: SessionFactory) -> SessionFactory:
    """The default catalogue loaded into the database."""
    async with session_factory.begin() as session:
        await catalogue_io.import_catalogue(session, CATALOGUE.read_text(encoding="utf-8"))
    return session_factory


def wib(*args: int) -> datetime:
    """An aware datetime given in WIB wall-clock time."""
    from models.rules.calendar import WIB

    return datetime(*args, tzinfo=WIB).astimezone(UTC)  # type: ignore[misc]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Shouts when the PostgreSQL half of the suite did not run."""
    skipped = terminalreporter.stats.get("skipped", [])
    if any("PostgreSQL NOT REACHABLE" in str(getattr(r, "longrepr", "")) for r in skipped):
        terminalreporter.write_sep("!", "PostgreSQL tests were SKIPPED: no server reachable", red=True, bold=True)
