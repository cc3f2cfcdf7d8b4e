"""SQLite as the bot runs it (models/db.py + models/sqlite_inline.py): statements on the event loop's thread,
WAL and foreign keys, in-memory databases, the write-lock wait on the loop, connections closed by the garbage
collector."""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError, OperationalError

from models import sqlite_inline
from models.db import create_engine, create_session_factory


async def test_statements_run_on_the_event_loops_own_thread(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'thread.sqlite3'}")

    @event.listens_for(engine.sync_engine, "connect")
    def _add_thread_id(dbapi_conn: Any, _record: Any) -> None:
        """SQL can ask which thread runs it."""
        dbapi_conn.create_function("thread_id", 0, threading.get_ident)

    async with engine.connect() as conn:
        runs_on = (await conn.execute(text("SELECT thread_id()"))).scalar_one()
    await engine.dispose()
    assert runs_on == threading.get_ident()


async def test_a_file_database_is_in_wal_mode_and_refuses_a_line_without_its_order(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'shop.sqlite3'}")
    async with engine.begin() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar_one() == "wal"
        await conn.execute(text("CREATE TABLE orders (id INTEGER PRIMARY KEY)"))
        await conn.execute(text("CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders(id))"))
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO lines (order_id) VALUES (42)"))
    await engine.dispose()


@pytest.mark.parametrize("url", ["sqlite+aiosqlite://", "sqlite+aiosqlite:///:memory:"])
async def test_an_in_memory_database_keeps_its_rows_from_one_session_to_the_next(url: str) -> None:
    engine = create_engine(url)
    shop = create_session_factory(engine)
    async with shop.begin() as session:
        await session.execute(text("CREATE TABLE products (sku TEXT PRIMARY KEY)"))
        await session.execute(text("INSERT INTO products VALUES ('RTI-MNS-CKL')"))

    async def add(sku: str) -> None:
        """One unit of work adding a product."""
        async with shop.begin() as session:
            await session.execute(text("INSERT INTO products VALUES (:sku)"), {"sku": sku})

    await asyncio.gather(add("PVG-HEX-8"), add("GAL-TAS-1"))  # at once: they queue for the one connection
    async with shop() as session:
        skus = (await session.execute(text("SELECT sku FROM products ORDER BY sku"))).scalars().all()
    assert skus == ["GAL-TAS-1", "PVG-HEX-8", "RTI-MNS-CKL"]
    await engine.dispose()


class _OtherProgram:
    """Another program holding SQLite's write lock until it commits."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        """Commits, releasing the lock."""
        self.connection.execute("COMMIT")


async def _shop_with_table(path: Path) -> Any:
    """An engine on a file with one table."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE stock (n INTEGER)"))
    return engine


async def test_a_write_waits_on_the_loop_for_another_programs_lock_and_then_goes_through(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite3"
    engine = await _shop_with_table(path)
    other = _OtherProgram(path)
    # The lock goes when the loop runs this callback: the write can only succeed if it waits on the loop.
    asyncio.get_running_loop().call_later(0.2, other.commit)
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO stock VALUES (1)"))
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT n FROM stock"))).scalars().all() == [1]
    await engine.dispose()
    other.connection.close()


async def test_a_lock_held_past_the_wait_fails_as_sqlalchemys_operational_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_inline, "LOCK_WAIT_SECONDS", 0.2)
    path = tmp_path / "locked.sqlite3"
    engine = await _shop_with_table(path)
    other = _OtherProgram(path)
    with pytest.raises(OperationalError, match="database is locked"):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO stock VALUES (1)"))
    other.commit()
    async with engine.begin() as conn:  # the connection is still usable once the lock is gone
        await conn.execute(text("INSERT INTO stock VALUES (2)"))
        assert (await conn.execute(text("SELECT n FROM stock"))).scalars().all() == [2]
    await engine.dispose()
    other.connection.close()


async def test_a_connection_the_garbage_collector_finds_unreturned_is_closed(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'gc.sqlite3'}")
    conn = await engine.connect()
    inline = (await conn.get_raw_connection()).driver_connection
    assert isinstance(inline, sqlite_inline.InlineConnection)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy warns about the dropped connection, as it should
        del conn
        gc.collect()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        inline.raw.execute("SELECT 1")
    await engine.dispose()
