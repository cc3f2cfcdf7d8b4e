"""SQLite on the event loop's own thread: aiosqlite's interface, every call run at once instead of in a worker.

Why: aiosqlite hands each call (cursor, execute, fetch, close) to a worker thread and waits for the answer. A
button press makes about forty such trips, and each costs far more CPU (a queue, a thread wake-up, a GIL
hand-over, a wake-up of the event loop) than the statement itself: a local SQLite statement takes
microseconds. Running them in place roughly halved the bot's CPU per browsing press (`python -m bench --only
throughput --quick --readme no`: 42 -> 89 updates a second when the change was made).

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
from collections.abc import Callable
from typing import Any

import aiosqlite
from sqlalchemy.util import await_only

LOCK_WAIT_SECONDS = 30.0  # as long as SQLite's busy timeout was before
_PAUSE, _LONGEST_PAUSE, _QUICK_TRIES = 0.001, 0.02, 50  # locks are held for milliseconds: look often


class _RunNow:
    """Stands in for aiosqlite's queue to its worker thread: runs each call as it is queued."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        """Runs the function and settles its future with the result or the error."""
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # handed to whoever awaits the future, as the worker thread would
            if future is not None:
                future.set_exception(exc)
        else:
            if future is not None:
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection without its worker thread: each call runs on the caller's thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunNow()  # type: ignore[assignment]

    def __await__(self):  # type: ignore[no-untyped-def]
        """Opens the connection (no thread to start)."""
        return self._connect().__await__()

    async def _connect(self) -> InlineConnection:
        """Opens the underlying sqlite3 connection."""
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Runs one sqlite3 call now."""
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    def stop(self) -> None:
        """Closes the connection at once (there is no thread to stop)."""
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def close(self) -> None:
        """Closes the connection."""
        self.stop()


def connector(path: str) -> Callable[[], InlineConnection]:
    """The async creator SQLAlchemy calls for a new connection to the file at `path`."""

    def open_connection() -> InlineConnection:
        # check_same_thread=False: SQLAlchemy may close a pooled connection from a garbage-collection callback.
        return InlineConnection(lambda: sqlite3.connect(path, isolation_level=None, check_same_thread=False))

    return open_connection


def begin_immediate(raw: sqlite3.Connection, *, timeout: float | None = None) -> bool:
    """BEGIN IMMEDIATE; while another connection holds the write lock, sleeps on the event loop and retries.

    Returns False when the lock stayed taken for `timeout` seconds (the caller then makes the last attempt
    through SQLAlchemy, so the error reaches the code as the usual OperationalError). Runs inside SQLAlchemy's
    greenlet (a "begin" event), where await_only may wait on the loop.
    """
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if timeout is None else timeout)  # read now: tests shorten it
    pause, tries = _PAUSE, 0
    while True:
        try:
            raw.execute("BEGIN IMMEDIATE")
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
