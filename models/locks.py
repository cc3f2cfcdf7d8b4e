"""PostgreSQL advisory locks that let several bot processes share one database (nothing on SQLite: one writer).

Four kinds, each with its own namespace in the top byte of the 64-bit key, so a chat id, a job name, the
migrations and a payment can never ask for the same lock:
- a chat: taken as the first statement of every transaction of an update's session, held to its end
  (`pg_advisory_xact_lock`), so one update of a chat does its database work at a time across processes;
- a job: `pg_try_advisory_xact_lock`, so a scheduled builder runs in one process and the others skip that run;
- the migrations: one process upgrades the schema while the others wait;
- a payment's code making (`held_across_processes`): held on a connection of its own, outside any transaction,
  while the gateway is asked, so a double tap that reaches two processes charges once.

The chat lock is taken by a session event (`take_chat_lock`), or folded into the first statement of the
transaction by a caller that asks for it (`connection_folding_chat_lock`): one round trip fewer per update.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.types import BigInteger

log = logging.getLogger(__name__)
_VALUE_BITS = 56
_VALUE_MASK = (1 << _VALUE_BITS) - 1
CHAT_NAMESPACE = 1
JOB_NAMESPACE = 2
MIGRATION_NAMESPACE = 3
PAYMENT_NAMESPACE = 4
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout ran out
CHAT_KEY = "advisory_chat_key"  # session.info: the chat lock every transaction of the session takes first
_FOLDED = "advisory_chat_lock_folded"  # session.info: the caller's first statement takes the lock itself

LOCK = text("SELECT pg_advisory_xact_lock(:key)").bindparams(bindparam("key", type_=BigInteger()))
SESSION_LOCK = text("SELECT pg_advisory_lock(:key)").bindparams(bindparam("key", type_=BigInteger()))
SESSION_UNLOCK = text("SELECT pg_advisory_unlock(:key)").bindparams(bindparam("key", type_=BigInteger()))
TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:key)").bindparams(bindparam("key", type_=BigInteger()))


def _key(namespace: int, value: int) -> int:
    """A signed 64-bit key: the namespace in the top byte, the low 56 bits of the value below it."""
    unsigned = (namespace << _VALUE_BITS) | (value & _VALUE_MASK)
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def chat_key(chat_id: int) -> int:
    """The lock of one chat (Telegram ids, groups' negative ones too, stay far below 2**56 in size)."""
    return _key(CHAT_NAMESPACE, chat_id)


def job_key(name: str) -> int:
    """The lock of one scheduled job, from its name."""
    digest = hashlib.blake2b(name.encode(), digest_size=7).digest()
    return _key(JOB_NAMESPACE, int.from_bytes(digest, "big"))


MIGRATION_KEY = _key(MIGRATION_NAMESPACE, 1)


class LockBusy(Exception):
    """Another process held the lock for longer than the caller would wait."""


def payment_key(payment_id: int) -> int:
    """The lock of one payment's code making."""
    return _key(PAYMENT_NAMESPACE, payment_id)


def chat_session_info(chat_id: int | None) -> dict[str, Any]:
    """The `info` of a session whose transactions must each take the chat's lock first (none without a chat)."""
    return {} if chat_id is None else {CHAT_KEY: chat_key(chat_id)}


def take_chat_lock(session: Any, _transaction: Any, connection: Any) -> None:
    """Session `after_begin` event: on PostgreSQL, waits for the session's chat lock before anything else runs."""
    key = session.info.get(CHAT_KEY)
    if key is None or session.info.get(_FOLDED) or connection.dialect.name != "postgresql":
        return
    connection.execute(LOCK, {"key": key})


async def connection_folding_chat_lock(session: AsyncSession) -> tuple[AsyncConnection, int | None]:
    """The session's connection, and the chat key when the caller's next statement must take the chat lock.

    A key comes back only when that statement begins the session's transaction on PostgreSQL; the caller then
    takes `pg_advisory_xact_lock(key)` within it (before anything else it does), instead of a statement of its own.
    """
    key = session.info.get(CHAT_KEY)
    if key is None or session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return await session.connection(), None
    session.info[_FOLDED] = True
    try:
        return await session.connection(), key
    finally:
        session.info.pop(_FOLDED, None)


async def try_job_lock(session: AsyncSession, name: str) -> bool:
    """True when this transaction may run the job now; False while another process runs it (PostgreSQL only)."""
    conn = await session.connection()
    if conn.dialect.name != "postgresql":
        return True
    return bool(await conn.scalar(TRY_LOCK, {"key": job_key(name)}))


async def lock_migrations(conn: AsyncConnection) -> None:
    """Waits, within the connection's transaction, until no other process is migrating (PostgreSQL only)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(LOCK, {"key": MIGRATION_KEY})


@asynccontextmanager
async def held_across_processes(engine: AsyncEngine, key: int, *, wait_seconds: float) -> AsyncIterator[None]:
    """Holds a session-level advisory lock on a connection of its own for the block (PostgreSQL; nothing on SQLite,
    where one process serves the file). Raises LockBusy when another process kept it for `wait_seconds`.

    No transaction stays open while the block runs (the lock outlives the commit that took it). A connection
    that may still hold the lock because taking or giving it back went wrong is closed, never pooled: the
    server releases a session's locks when it ends.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    async with engine.connect() as conn:
        try:
            async with conn.begin():
                timeout = f"{max(1, round(wait_seconds * 1000))}ms"
                await conn.execute(text("SELECT set_config('lock_timeout', :timeout, true)"), {"timeout": timeout})
                await conn.execute(SESSION_LOCK, {"key": key})
        except BaseException as exc:
            await conn.invalidate()
            if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
                raise LockBusy(f"advisory lock {key} still held after {wait_seconds:g} s") from None
            raise
        try:
            yield
        finally:
            try:
                await conn.execute(SESSION_UNLOCK, {"key": key})
                await conn.commit()
            except Exception:  # the block's own outcome stands; closing the connection gives the lock back
                log.warning("advisory lock %d not given back: its connection is closed instead", key, exc_info=True)
                await conn.invalidate()
            except BaseException:  # cancelled: the same, and the cancellation goes on
                await conn.invalidate()
                raise
