"""The step each chat is at, kept in the database so a restart mid-dialogue loses nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.conversation import ChatState
from models.upsert import insert_for

IDLE = "idle"


async def get_state(session: AsyncSession, chat_id: int) -> ChatState:
    """The chat's state row (an idle one, not yet stored, when the chat never had one)."""
    state = await session.get(ChatState, chat_id)
    return state if state is not None else ChatState(chat_id=chat_id, step=IDLE, data={})


async def _stored(session: AsyncSession, chat_id: int) -> ChatState:
    """The chat's stored row, created idle first when it has none.

    Created with INSERT ... ON CONFLICT DO NOTHING: two bot processes may take a new chat's first updates at the
    same moment (the per-chat lock covers one transaction, and an update's screen is recorded in a second one
    after its message is sent), and the one that comes second must use the row, not fail on its key.
    """
    state = await session.get(ChatState, chat_id)
    if state is not None:
        return state
    values = {"chat_id": chat_id, "step": IDLE, "data": {}, "updated_at": utcnow()}
    insert = insert_for(session.get_bind().dialect.name, ChatState).values(**values)
    await session.execute(insert.on_conflict_do_nothing(index_elements=["chat_id"]))
    stored = await session.get(ChatState, chat_id)
    assert stored is not None  # inserted just now, or by the other process, whose insert this one waited for
    return stored


async def set_step(session: AsyncSession, chat_id: int, step: str, **data: Any) -> ChatState:
    """Moves the chat to `step` with the data the next answer needs (replacing the old data)."""
    state = await _stored(session, chat_id)
    state.step = step
    state.data = dict(data)
    await session.flush()
    return state


async def clear_step(session: AsyncSession, chat_id: int) -> None:
    """Returns the chat to idle (keeps the screen message id)."""
    state = await session.get(ChatState, chat_id)
    if state is not None:
        state.step = IDLE
        state.data = {}
        await session.flush()


async def set_screen(session: AsyncSession, chat_id: int, message_id: int | None) -> None:
    """Remembers the message that is edited in place as the chat navigates."""
    state = await _stored(session, chat_id)
    state.screen_message_id = message_id
    await session.flush()


async def leave_step(session: AsyncSession, chat_id: int, *, prefix: str) -> None:
    """Returns the chat to idle when its step starts with `prefix` (leaves other steps alone)."""
    state = await session.get(ChatState, chat_id)
    if state is not None and state.step.startswith(prefix):
        await clear_step(session, chat_id)
