"""The step each chat is at, kept in the database so a restart mid-dialogue loses nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.conversation import ChatState

IDLE = "idle"


async def get_state(session: AsyncSession, chat_id: int) -> ChatState:
    """The chat's state row (an idle one, not yet stored, when the chat never had one)."""
    state = await session.get(ChatState, chat_id)
    return state if state is not None else ChatState(chat_id=chat_id, step=IDLE, data={})


async def set_step(session: AsyncSession, chat_id: int, step: str, **data: Any) -> ChatState:
    """Moves the chat to `step` with the data the next answer needs (replacing the old data)."""
    state = await session.get(ChatState, chat_id)
    if state is None:
        state = ChatState(chat_id=chat_id, step=step, data=dict(data))
        session.add(state)
    else:
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
    state = await session.get(ChatState, chat_id)
    if state is None:
        session.add(ChatState(chat_id=chat_id, step=IDLE, data={}, screen_message_id=message_id))
    else:
        state.screen_message_id = message_id
    await session.flush()


async def leave_step(session: AsyncSession, chat_id: int, *, prefix: str) -> None:
    """Returns the chat to idle when its step starts with `prefix` (leaves other steps alone)."""
    state = await session.get(ChatState, chat_id)
    if state is not None and state.step.startswith(prefix):
        await clear_step(session, chat_id)
