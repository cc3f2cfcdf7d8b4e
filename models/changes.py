"""Changes other bot processes must hear of at once: a person's role, language or customer row (PostgreSQL).

Each bot process caches who is talking (customer id, language, role) for a minute. A change made anywhere (a
handler in another process, the command line) is announced with NOTIFY in the transaction that makes it, so it
is delivered exactly when, and only if, the change commits; every process keeps one LISTEN connection
(`ChangeListener`) and drops the named person's cache entry. When that connection is lost, notifications may have
been missed: the listener says so (`missed`), reconnects with backoff, and says so again once it listens again.
On SQLite there is one bot process, which forgets its own cache entries after its own changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy import bindparam, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)
CHANNEL = "karya_people"
APPLICATION_NAME = "karya-listener"  # how the connection shows in pg_stat_activity
_NOTIFY = text("SELECT pg_notify(:channel, :payload)").bindparams(bindparam("channel"), bindparam("payload"))


async def announce_person_changed(session: AsyncSession, telegram_id: int | None) -> None:
    """Tells every bot process, when this transaction commits, that this Telegram user's cached view is stale."""
    if telegram_id is None:
        return
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        await conn.execute(_NOTIFY, {"channel": CHANNEL, "payload": str(telegram_id)})


def listener_dsn(url: URL) -> str:
    """The plain libpq-style address asyncpg connects to, from the engine's SQLAlchemy URL."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class ChangeListener:
    """One LISTEN connection: `changed(telegram_id)` per notification, `missed()` when some may have been lost."""

    def __init__(
        self,
        dsn: str,
        changed: Callable[[int], None],
        missed: Callable[[], None],
        *,
        ping_every: float = 30.0,
        retry_min: float = 0.5,
        retry_max: float = 10.0,
    ) -> None:
        self._dsn = dsn
        self._changed = changed
        self._missed = missed
        self.ping_every = ping_every
        self.retry_min = retry_min
        self.retry_max = retry_max
        self.listening = False
        self.connections = 0  # how many times it began listening (1 + reconnections)
        self._tried = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self, first_attempt_timeout: float = 10.0) -> None:
        """Starts listening in the background; returns once the first attempt succeeded or failed."""
        self._task = asyncio.create_task(self._run(), name="change-listener")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(first_attempt_timeout):
                await self._tried.wait()

    async def stop(self) -> None:
        """Stops listening and closes the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        """Listens, and listens again after every loss, waiting a little longer after each failed attempt."""
        delay = self.retry_min
        while True:
            if await self._listen_once():
                delay = self.retry_min
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.retry_max)

    async def _listen_once(self) -> bool:
        """One connection's life: listen until it is lost; True when it did listen."""
        conn: asyncpg.Connection | None = None
        listened = False
        try:
            conn = await asyncpg.connect(self._dsn, timeout=10, server_settings={"application_name": APPLICATION_NAME})
            lost = asyncio.Event()
            conn.add_termination_listener(lambda _conn: lost.set())
            await conn.add_listener(CHANNEL, self._on_notification)
            listened = self.listening = True
            self.connections += 1
            self._missed()  # whatever changed before this connection listened is unknown
            self._tried.set()
            await self._watch(conn, lost)
            log.warning("the change listener lost its database connection: reconnecting")
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any failure (refused, reset, timed out) means: try again later
            log.warning("the change listener cannot listen (%s: %s): retrying", type(exc).__name__, exc)
        finally:
            self._tried.set()
            if listened:
                self.listening = False
                self._missed()  # notifications sent from now on until the next connection are lost
            if conn is not None:
                await _close(conn)
        return listened

    async def _watch(self, conn: asyncpg.Connection, lost: asyncio.Event) -> None:
        """Returns when the connection is lost: closed by the server, or silent to a ping."""
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.ping_every):
                    await lost.wait()
            if not lost.is_set():
                async with asyncio.timeout(min(self.ping_every, 10.0)):
                    await conn.fetchval("SELECT 1")

    def _on_notification(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        """One notification: the Telegram id whose cached view is stale."""
        try:
            telegram_id = int(payload)
        except ValueError:
            log.debug("ignored a notification that names no Telegram id")
            return
        self._changed(telegram_id)


async def _close(conn: asyncpg.Connection) -> None:
    """Closes politely when the server answers, else drops the socket."""
    if conn.is_closed():
        return
    try:
        await conn.close(timeout=2)
    except Exception:  # a dead server or network: nothing to be polite to
        conn.terminate()
