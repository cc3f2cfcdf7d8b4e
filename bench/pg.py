"""PostgreSQL for the benchmarks: reachability, and a database of our own created and dropped per run."""

from __future__ import annotations

import os

from sqlalchemy import text

from models.db import create_engine

ADMIN_URL = os.environ.get(
    "BENCH_PG_ADMIN_URL",
    os.environ.get("TEST_PG_ADMIN_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"),
)
DATABASE = "karya_bench"


async def unreachable() -> str | None:
    """None when the server answers, else why it does not."""
    engine = create_engine(ADMIN_URL, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("select 1"))
        return None
    except Exception as exc:  # any failure to connect means "not reachable" here
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        await engine.dispose()


async def server_version() -> str:
    """The server's version string (short)."""
    engine = create_engine(ADMIN_URL, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            return str(await conn.scalar(text("show server_version")))
    finally:
        await engine.dispose()


async def _admin(sql: str) -> None:
    """Runs one statement outside a transaction on the admin database."""
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


async def create(name: str = DATABASE) -> str:
    """Creates an empty database (dropping a leftover of the same name first); returns its URL."""
    await drop(name)
    await _admin(f'CREATE DATABASE "{name}"')
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


async def drop(name: str = DATABASE) -> None:
    """Drops the database if it exists."""
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
