"""Writing to the outbox: messages for other people, committed together with the change they report."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Update, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from models.outbox import OutboxMessage, OutboxState
from models.people import Customer
from models.upsert import insert_for


async def enqueue(
    session: AsyncSession,
    chat_id: int,
    text: str,
    *,
    due_at: datetime,
    dedupe_key: str | None = None,
    template: str | None = None,
    reply_markup: dict[str, Any] | None = None,
    attachment: dict[str, Any] | None = None,
    stale_after: datetime | None = None,
) -> bool:
    """Queues a message; with a dedupe key already used it does nothing and returns False."""
    values = {
        "chat_id": chat_id,
        "text": text,
        "template": template,
        "reply_markup": reply_markup,
        "attachment": attachment,
        "due_at": due_at,
        "stale_after": stale_after,
        "dedupe_key": dedupe_key,
        "state": OutboxState.PENDING,
        "attempts": 0,
        "created_at": due_at,
    }
    if dedupe_key is None:
        session.add(OutboxMessage(**values))
        await session.flush()
        return True
    ins = insert_for(session.get_bind().dialect.name, OutboxMessage).values(**values)
    stmt = ins.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OutboxMessage.id)
    inserted = (await session.execute(stmt)).scalar_one_or_none()
    return inserted is not None


async def pending_for(session: AsyncSession, chat_id: int) -> list[OutboxMessage]:
    """Messages still waiting for one chat (for tests and the audit screen)."""
    rows = await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.chat_id == chat_id, OutboxMessage.state == OutboxState.PENDING)
        .order_by(OutboxMessage.id)
    )
    return list(rows)


async def record_outcome(
    conn: AsyncConnection, row_id: int, values: dict[str, Any], *, blocked_chat: int | None = None
) -> None:
    """Writes one send's outcome to its row; `blocked_chat` also marks that buyer as having blocked the bot
    (cleared when they write to it again).

    Core on a connection, not an ORM session: the dispatcher calls this once per message, and the session's
    upkeep cost more than the update itself.
    """
    await conn.execute(_outcome_update(tuple(values)), {"row_id": row_id, **values})
    if blocked_chat is not None:
        await conn.execute(update(Customer).where(Customer.telegram_id == blocked_chat).values(blocked_bot=True))


@functools.cache
def _outcome_update(columns: tuple[str, ...]) -> Update:
    """The UPDATE that sets these columns of one row (built once per set of columns)."""
    return (
        update(OutboxMessage)
        .where(OutboxMessage.id == bindparam("row_id"))
        .values({name: bindparam(name) for name in columns})
    )


@dataclass(frozen=True)
class Backlog:
    """What the outbox still has to send: how many messages, and since when the oldest due one has been due."""

    pending: int
    oldest_due: datetime | None

    def oldest_due_seconds(self, now: datetime) -> float:
        """How long the oldest due message has waited (0 when none is due)."""
        return max(0.0, (now - self.oldest_due).total_seconds()) if self.oldest_due is not None else 0.0


async def backlog(conn: AsyncConnection, now: datetime) -> Backlog:
    """The backlog in one statement: messages waiting or being sent, and the oldest due time among them.

    A row being sent (SENDING) counts as due once its lease has run out: its process died or is stuck.
    """
    due_at = OutboxMessage.due_at
    row = (
        await conn.execute(
            select(func.count(), func.min(case((due_at <= now, due_at)))).where(
                OutboxMessage.state.in_([OutboxState.PENDING, OutboxState.SENDING])
            )
        )
    ).one()
    return Backlog(int(row[0]), row[1])
