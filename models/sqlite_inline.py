"""SQLite on the event loop's own thread: a small stand-in for aiosqlite's connection that runs every call at once.

Why: aiosqlite hands each call (cursor, execute, fetch, close) to a worker thread and waits for the answer. A
button press makes about forty such trips, and each costs far more CPU (a queue, a thread wake-up, a GIL
hand-over, a wake-up of the event loop) than the statement itself: a local SQLite statement takes
microseconds. Running them in place roughly halved the bot's CPU per browsing press (`python -m bench --only
throughput --quick --readme no`: 42 -> 89 updates a second when the change was made).

How: SQLAlchemy's `sqlite+aiosqlite` dialect takes its connections from `create_async_engine(async_creator=...)`
and drives them through aiosqlite's interface. `InlineConnection` and `InlineCursor` are our own classes (not
subclasses of aiosqlite's) with the part of that interface the dialect uses, each method a coroutine that
calls sqlite3 and returns. The dialect also reads one attribute aiosqlite keeps private, `_connection`, before a
commit or a rollback; tests/integration/test_sqlite_seam.py fails with one line if the dialect starts using
anything else, and pyproject.toml pins SQLAlchemy and aiosqlite to the minor versions it passes on.

The one thing that must not block the loop is waiting for another connection's write lock: the holder may be a
coroutine of this same process, which cannot finish while the loop is blocked. So SQLite's busy handler is
off (busy_timeout=0) and BEGIN IMMEDIATE is retried here, sleeping on the event loop between attempts. Once a
transaction holds the write lock nothing else in it waits (WAL: readers never block the writer). Long queries
(reports over a million orders) do hold the loop for their duration; at this shop's size they take
milliseconds.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import Any

from sqlalchemy.util import await_only

LOCK_WAIT_SECONDS = 30.0  # as long as SQLite's busy timeout was before
_PAUSE, _LONGEST_PAUSE, _QUICK_TRIES = 0.001, 0.02, 50  # locks are held for milliseconds: look often


class InlineCursor:
    """aiosqlite's cursor interface over a sqlite3 cursor; each coroutine does its work before it returns."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        """The cursor itself (SQLAlchemy enters each cursor it makes)."""
        return self

    async def __aexit__(self, *_: object) -> None:
        """Closes the cursor."""
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> InlineCursor:
        """Runs one statement."""
        self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any] | dict[str, Any]]) -> InlineCursor:
        """Runs one statement once per parameter set."""
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        """The next row, or None."""
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        """Up to `size` more rows (arraysize when not given)."""
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        """The remaining rows."""
        return self._cursor.fetchall()

    async def close(self) -> None:
        """Closes the cursor."""
        self._cursor.close()

    async def __aiter__(self) -> AsyncIterator[Any]:
        """The remaining rows one by one (SQLAlchemy's streamed results)."""
        for row in self._cursor:
            yield row

    @property
    def description(self) -> Any:
        """The columns of the last result (DB-API), None after a statement without rows."""
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement (DB-API)."""
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        """The rowid of the last inserted row (DB-API)."""
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        """How many rows fetchmany returns by default (DB-API)."""
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        """Sets how many rows fetchmany returns by default."""
        self._cursor.arraysize = value


class InlineConnection:
    """aiosqlite's connection interface, as far as SQLAlchemy uses it, over a sqlite3 connection on this thread.

    `raw` is the sqlite3 connection itself, for the few things done outside SQLAlchemy (BEGIN IMMEDIATE).
    """

    __slots__ = ("_open", "raw")

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw
        self._open = True

    @property
    def _connection(self) -> sqlite3.Connection | None:
        """The open sqlite3 connection, None once closed: SQLAlchemy checks it before a commit or a rollback."""
        return self.raw if self._open else None

    @property
    def isolation_level(self) -> str | None:
        """sqlite3's transaction mode: None, as opened, so transactions begin only where SQLAlchemy says."""
        return self.raw.isolation_level

    def cursor(self) -> InlineCursor:
        """A new cursor (SQLAlchemy enters it with `async with`)."""
        return InlineCursor(self.raw.cursor())

    async def commit(self) -> None:
        """Commits the transaction."""
        self.raw.commit()

    async def rollback(self) -> None:
        """Rolls the transaction back."""
        self.raw.rollback()

    async def create_function(self, name: str, num_params: int, func: Callable[..., Any], *,
                              deterministic: bool = False) -> None:
        """Makes a Python function callable from SQL (SQLAlchemy adds regexp and floor)."""
        self.raw.create_function(name, num_params, func, deterministic=deterministic)

    def stop(self) -> None:
        """Closes the connection at once; safe from a garbage-collection callback and safe to call twice."""
        self._open = False
        self.raw.close()

    async def close(self) -> None:
        """Closes the connection."""
        self.stop()


def connector(path: str) -> Callable[[], Awaitable[InlineConnection]]:
    """The async creator SQLAlchemy calls for a new connection to the file at `path` (or ":memory:")."""

    async def open_connection() -> InlineConnection:
        # isolation_level=None: sqlite3 starts no transaction of its own (SQLAlchemy's "begin" does, see db.py).
        # check_same_thread=False: SQLAlchemy may close a pooled connection from a garbage-collection callback.
        return InlineConnection(sqlite3.connect(path, isolation_level=None, check_same_thread=False))

    return open_connection


def begin_immediate(connection: InlineConnection, *, timeout: float | None = None) -> bool:
    """BEGIN IMMEDIATE; while another connection holds the write lock, sleeps on the event loop and retries.

    Returns False when the lock stayed taken for `timeout` seconds (the caller then makes the last attempt
    through SQLAlchemy, so the error reaches the code as the usual OperationalError). Runs inside SQLAlchemy's
    greenlet (a "begin" event), where await_only may wait on the loop.
    """
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if timeout is None else timeout)  # read now: tests shorten it
    pause, tries = _PAUSE, 0
    while True:
        try:
            connection.raw.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() + pause > deadline:
                return False
        await_only(asyncio.sleep(pause))
        tries += 1
        if tries > _QUICK_TRIES:
            pause = min(pause * 2, _LONGEST_PAUSE)
