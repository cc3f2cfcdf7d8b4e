"""Duplicate deliveries: Telegram sends an update again when it was not confirmed (a crash between fetching
and confirming, a webhook answer that got lost); the first delivery wins, in every process."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, exists, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.types import BigInteger

from models import locks
from models.inbox import ReceivedUpdate
from models.people import Customer
from models.upsert import insert_for

# Telegram keeps an unconfirmed update for 24 hours; ids are kept twice as long.
KEEP = timedelta(hours=48)


async def first_delivery(session: AsyncSession, update_id: int, *, sender: int | None, now: datetime) -> bool:
    """Records the update id; False when it was recorded before (a duplicate delivery).

    A first delivery also clears the sender's "blocked the bot" mark: someone who blocked the bot cannot
    write to it, so their update means messages reach them again (checked here, on every update, because
    the mark may have been set a moment ago by another process).
    """
    # Core: this runs for every update. On PostgreSQL, when it begins the update's transaction, it also takes the
    # chat's advisory lock (models.locks) before recording anything: one round trip for all three.
    conn, chat_key = await locks.connection_folding_chat_lock(session)
    if conn.dialect.name == "postgresql":
        values = {"update_id": update_id, "at": now, "sender": sender}
        if chat_key is not None:
            found = await conn.execute(_LOCK_RECORD_AND_UNBLOCK, {**values, "chat_key": chat_key})
        else:
            found = await conn.execute(_RECORD_AND_UNBLOCK, values)
        return found.first() is not None
    # Elsewhere (SQLite): the insert also says whether the sender is marked, so the mark costs a statement only
    # when there is one to clear.
    first = (await conn.execute(_record_statement(conn.dialect.name),
                                {"update_id": update_id, "at": now, "sender": sender})).first()
    if first is not None and first.blocked:
        await conn.execute(_UNBLOCK, {"sender": sender})
    return first is not None


@functools.cache
def _record_statement(dialect: str) -> ReturningInsert[int, bool]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the id and whether the sender is marked, built once."""
    marked = (
        exists().where(Customer.telegram_id == bindparam("sender", type_=Customer.__table__.c.telegram_id.type),
                       Customer.blocked_bot.is_(True))
        .label("blocked")
    )
    return (
        insert_for(dialect, ReceivedUpdate).values(update_id=bindparam("update_id"), received_at=bindparam("at"))
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(ReceivedUpdate.update_id, marked)
    )


_UNBLOCK_AFTER = """, unblocked AS (
        UPDATE customers SET blocked_bot = false
        WHERE telegram_id = :sender AND blocked_bot AND EXISTS (SELECT 1 FROM recorded)
    )
    SELECT update_id FROM recorded"""
_PARAMETERS = (
    bindparam("update_id", type_=ReceivedUpdate.__table__.c.update_id.type),
    bindparam("at", type_=ReceivedUpdate.__table__.c.received_at.type),
    bindparam("sender", type_=Customer.__table__.c.telegram_id.type),
)
_RECORD_AND_UNBLOCK = text(
    """WITH recorded AS (
        INSERT INTO received_updates (update_id, received_at) VALUES (:update_id, :at)
        ON CONFLICT (update_id) DO NOTHING RETURNING update_id
    )""" + _UNBLOCK_AFTER
).bindparams(*_PARAMETERS)
# The insert reads from the lock's row, so the lock is held before the update id is recorded.
_LOCK_RECORD_AND_UNBLOCK = text(
    """WITH locked AS (
        SELECT pg_advisory_xact_lock(:chat_key)
    ), recorded AS (
        INSERT INTO received_updates (update_id, received_at) SELECT :update_id, :at FROM locked
        ON CONFLICT (update_id) DO NOTHING RETURNING update_id
    )""" + _UNBLOCK_AFTER
).bindparams(*_PARAMETERS, bindparam("chat_key", type_=BigInteger()))

_UNBLOCK = (
    update(Customer)
    .where(Customer.telegram_id == bindparam("sender"), Customer.blocked_bot.is_(True))
    .values(blocked_bot=False)
)


async def forget_old(session: AsyncSession, *, now: datetime) -> int:
    """Drops the ids no delivery can repeat any more; returns how many."""
    result = await session.execute(delete(ReceivedUpdate).where(ReceivedUpdate.received_at < now - KEEP))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
