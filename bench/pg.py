"""PostgreSQL for the benchmarks: reachability, a database of our own created and dropped per run, server CPU."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from sqlalchemy import text

from bench.world import cpu_seconds
from models.db import create_engine

ADMIN_URL = os.environ.get(
    "BENCH_PG_ADMIN_URL",
    os.environ.get("TEST_PG_ADMIN_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"),
)
# One name per bench process: several people share this server, and create() drops a leftover of the same name.
DATABASE = f"karya_bench_{os.getpid()}"


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


@dataclass
class ServerCpu:
    """CPU seconds the server's backends for one database used while measured (see `backend_cpu`)."""

    seconds: float = 0.0
    backends: int = 0
    _start: dict[int, float] = field(default_factory=dict)
    _last: dict[int, float] = field(default_factory=dict)

    def sample(self, pids: list[int], *, first: bool = False) -> None:
        """Records the CPU each backend has used so far (the first sample is the starting point)."""
        for pid in pids:
            with contextlib.suppress(OSError, IndexError, ValueError):  # a backend may exit between query and read
                used = cpu_seconds(pid)
                if first:
                    self._start[pid] = used
                self._last[pid] = used
        self.seconds = sum(used - self._start.get(pid, 0.0) for pid, used in self._last.items())
        self.backends = len(self._last)


@contextlib.asynccontextmanager
async def backend_cpu(name: str = DATABASE, every: float = 0.25) -> AsyncIterator[ServerCpu]:
    """Measures the CPU of the server processes serving database `name` (polled; a backend's last moments
    before it closes are missed, so this is a slight underestimate). Reads /proc, so the server must be local."""
    meter = ServerCpu()
    engine = create_engine(ADMIN_URL, pool_size=1, max_overflow=0)
    query = text("SELECT pid FROM pg_stat_activity WHERE datname = :name")

    async def pids() -> list[int]:
        async with engine.connect() as conn:
            return [int(pid) for pid in (await conn.scalars(query, {"name": name})).all()]

    async def poll() -> None:
        while True:
            await asyncio.sleep(every)
            meter.sample(await pids())

    meter.sample(await pids(), first=True)
    task = asyncio.create_task(poll())
    try:
        yield meter
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        meter.sample(await pids())
        await engine.dispose()
