"""Engine and session factories for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import AsyncAdaptedQueuePool

from models import locks, sqlite_inline

SessionFactory = async_sessionmaker[AsyncSession]
T = TypeVar("T")
log = logging.getLogger(__name__)
_TRANSIENT_WORDS = ("database is locked", "database is busy", "connection", "terminat", "closed")


def is_sqlite(url: str) -> bool:
    """True for an SQLite URL."""
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for an in-memory database."""
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return Path(path) if path and path != ":memory:" else None


def sqlite_file(url: str) -> Path | None:
    """The database file of an SQLite URL; None for PostgreSQL and in-memory SQLite."""
    return sqlite_path(url) if is_sqlite(url) else None


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Creates the async engine; on SQLite: WAL, foreign keys, BEGIN IMMEDIATE, calls run on the loop's thread.

    SQL parameters are kept out of error messages: they hold names, phone numbers and addresses.
    """
    kwargs.setdefault("hide_parameters", True)
    if not is_sqlite(url):
        # Up to 30 connections, as before (10 + 20 overflow), but all kept once opened: an overflow connection was
        # closed as it came back, so a burst of 50 buyers opened a new one about every fifth update and prepared
        # every statement on it again. Last in, first out: a quiet bot keeps using its one warm connection.
        kwargs.setdefault("pool_size", 30)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_use_lifo", True)
        engine = create_async_engine(url, **kwargs)
        _ping_at_checkout(engine)
        return engine
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    # Each connection runs on the event loop's thread (sqlite_inline explains why); in-memory URLs too.
    kwargs.setdefault("async_creator", sqlite_inline.connector(str(path) if path is not None else ":memory:"))
    # One connection: every transaction takes the write lock anyway, so units of work in this process queue
    # for the connection on the event loop (woken the moment it is free) instead of polling SQLite's lock. In
    # memory that one connection is the database: a queue pool there too (SQLAlchemy would pick StaticPool,
    # which shares the connection between units of work at once and takes none of the pool arguments).
    kwargs.setdefault("poolclass", AsyncAdaptedQueuePool)
    kwargs.setdefault("pool_size", 1)
    kwargs.setdefault("max_overflow", 0)
    kwargs.setdefault("pool_timeout", 120)
    engine = create_async_engine(url, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        """Sets the pragmas (the connection is opened without sqlite3's own transactions: sqlite_inline)."""
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")  # switching to WAL may wait for another process
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=0")  # from here on, waits for the lock happen on the loop
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        """Takes the write lock at BEGIN so concurrent units of work queue instead of failing."""
        if not sqlite_inline.begin_immediate(conn.connection.driver_connection):  # our InlineConnection
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # still locked: fails as SQLAlchemy's OperationalError

    return engine


def _ping_at_checkout(engine: AsyncEngine) -> None:
    """Checks every pooled connection before use with one round trip, as pool_pre_ping does with three.

    SQLAlchemy's asyncpg ping wraps its `;` in BEGIN and ROLLBACK (for PgBouncer's transaction mode, which this
    bot is not run behind): three round trips before every unit of work. A failed ping, whatever the error (a
    connection the server ended, one left mid-operation), makes the pool open a new connection in its place
    (DisconnectionError), so no unit of work starts on a dead one.
    """

    @event.listens_for(engine.sync_engine.pool, "checkout")
    def _ping(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        """One `SELECT 1` on the driver's connection; any failure replaces the connection."""
        try:
            dbapi_conn.run_async(_select_one)
        except Exception as exc:
            raise DisconnectionError(f"pooled connection unusable: {type(exc).__name__}") from exc


async def _select_one(driver_connection: Any) -> object:
    """The ping: one round trip on asyncpg's connection."""
    return await driver_connection.fetchval("SELECT 1")


class ChatLockingSession(Session):
    """A session whose every transaction first takes its chat's advisory lock, when it has one (`models.locks`)."""


event.listen(ChatLockingSession, "after_begin", locks.take_chat_lock)


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    """A session factory whose objects stay readable after commit (chat locks through `info`, see models.locks)."""
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=ChatLockingSession)


def is_transient(error: BaseException) -> bool:
    """True for a database error a second attempt may not meet: SQLite busy or locked, a connection that died."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    text = str(error.orig or error).lower()
    return any(word in text for word in _TRANSIENT_WORDS)


async def retrying(work: Callable[[], Awaitable[T]], *, attempts: int = 5, delay: float = 0.2) -> T:
    """Runs a unit of work, again after a transient database error; the work must be safe to repeat."""
    for attempt in range(1, attempts + 1):
        try:
            return await work()
        except DBAPIError as exc:
            if attempt == attempts or not is_transient(exc):
                raise
            log.warning("database busy or connection lost (%s): retrying in %g s", type(exc.orig).__name__,
                        delay * attempt)
            await asyncio.sleep(delay * attempt)
    raise AssertionError("unreachable")
