"""PostgreSQL pool (models/db.py): a pooled connection the server ended is replaced at checkout (the one-round-trip
ping), so the next unit of work runs on a new connection instead of failing; a burst keeps the connections it
opened."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import create_engine
from tests.conftest import PG_ADMIN_URL
from tests.support.eventually import eventually

pytestmark = pytest.mark.postgres


async def _backend_alive(pid: int) -> bool:
    """Whether a server backend process still exists."""
    admin = create_engine(PG_ADMIN_URL, pool_size=1, max_overflow=0)
    try:
        async with admin.connect() as conn:
            found = await conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid})
            return bool(found)
    finally:
        await admin.dispose()


async def test_a_connection_ended_by_the_server_is_replaced_before_the_next_unit_of_work(pg_url: str) -> None:
    engine = create_engine(pg_url, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            first_pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
        try:
            async with admin.connect() as conn:
                assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": first_pid})
        finally:
            await admin.dispose()

        async def gone() -> bool:
            return not await _backend_alive(first_pid)

        await eventually(gone, what=f"backend {first_pid} ended")
        async with engine.connect() as conn:  # the pooled connection is dead: the ping replaces it
            second_pid = await conn.scalar(text("SELECT pg_backend_pid()"))
            assert await conn.scalar(text("SELECT 41 + 1")) == 42
        assert second_pid != first_pid
        assert engine.sync_engine.pool.checkedin() == 1  # the pool holds the new connection, not two
    finally:
        await engine.dispose()


async def test_a_live_pooled_connection_is_kept(pg_url: str) -> None:
    engine = create_engine(pg_url, pool_size=1, max_overflow=0)
    try:
        pids = []
        for _ in range(3):
            async with engine.connect() as conn:
                pids.append(await conn.scalar(text("SELECT pg_backend_pid()")))
        assert len(set(pids)) == 1
    finally:
        await engine.dispose()


async def test_a_burst_of_units_of_work_keeps_the_connections_it_opened(pg_url: str) -> None:
    """The default pool: thirty units of work at once open thirty connections, and the next burst reuses them
    (an overflow connection used to be closed as it came back, and opened again by the next burst)."""
    engine = create_engine(pg_url)
    opened: list[int] = []
    event.listen(engine.sync_engine.pool, "connect", lambda *_: opened.append(1))
    try:
        for _burst in range(2):
            assert len(set(await _all_at_once(engine, 30))) == 30
        assert len(opened) == 30
        assert engine.sync_engine.pool.checkedin() == 30
    finally:
        await engine.dispose()


async def _all_at_once(engine: AsyncEngine, units: int) -> list[int]:
    """Runs `units` units of work that all hold a connection at the same time; the server process of each."""
    release, all_holding = asyncio.Event(), asyncio.Event()
    holding = 0

    async def unit_of_work() -> int:
        nonlocal holding
        async with engine.connect() as conn:
            pid = int(await conn.scalar(text("SELECT pg_backend_pid()")))
            holding += 1
            if holding == units:
                all_holding.set()
            await release.wait()
            return pid

    tasks = [asyncio.create_task(unit_of_work()) for _ in range(units)]
    await asyncio.wait_for(all_holding.wait(), 30)
    release.set()
    return await asyncio.gather(*tasks)
