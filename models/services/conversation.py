"""The step each chat is at, kept in the database so a restart mid-dialogue loses nothing.

Every update reads its chat's state and most write it, so this runs on Core statements built once, not the ORM:
- a read is one SELECT, remembered for the rest of the transaction (a handler and the screen it shows both ask);
- a write is one statement that needs no read first: an upsert (INSERT ... ON CONFLICT DO UPDATE of the columns
  it sets), so a new chat's first screen and first step need no row created beforehand, and two bot processes
  writing a new chat's first state at once both succeed (the second waits for the first's row and updates it);
- `move` (what `bot.routing.replies.show` uses) writes only when the step, its data or the screen changed;
- `set_screens` writes the message ids of screens just sent, many chats at once (`models.group_commit`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Delete, Select, Update, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.conversation import ChatState
from models.upsert import insert_for

IDLE = "idle"
_MEMO = "chat_steps"  # session.info key: {chat id: (the transaction it was read or written in, ChatStep)}
_TABLE = ChatState.__table__


@dataclass(frozen=True)
class ChatStep:
    """A chat's step, the data gathered for it and the message its screen is (as of this transaction)."""

    chat_id: int
    step: str = IDLE
    data: dict[str, Any] = field(default_factory=dict)
    screen_message_id: int | None = None


class _Keep:
    """The screen argument of `move` when the screen stays what it is."""


KEEP = _Keep()


def _transaction(session: AsyncSession) -> object | None:
    """The innermost transaction now open (a savepoint's, inside one): what a remembered state belongs to."""
    sync = session.sync_session
    return sync.get_nested_transaction() or sync.get_transaction()


def _remembered(session: AsyncSession, chat_id: int) -> ChatStep | None:
    """The state read or written earlier in the same transaction, if any."""
    found = session.info.get(_MEMO, {}).get(chat_id)
    if found is None:
        return None
    transaction, state = found
    current = _transaction(session)
    return state if current is not None and transaction is current else None


def _remember(session: AsyncSession, state: ChatStep | None, chat_id: int) -> None:
    """Keeps the chat's state for the rest of the transaction (None: forgets it, to be read again)."""
    memo = session.info.setdefault(_MEMO, {})
    if state is None:
        memo.pop(chat_id, None)
    else:
        memo[chat_id] = (_transaction(session), state)


async def get_state(session: AsyncSession, chat_id: int) -> ChatStep:
    """The chat's state (idle, with no screen, when the chat never had one)."""
    state = _remembered(session, chat_id)
    if state is None:
        row = (await session.execute(_SELECT, {"chat": chat_id})).first()
        state = ChatStep(chat_id) if row is None else ChatStep(chat_id, row.step, dict(row.data or {}),
                                                              row.screen_message_id)
        _remember(session, state, chat_id)
    return state


async def set_step(session: AsyncSession, chat_id: int, step: str, **data: Any) -> None:
    """Moves the chat to `step` with the data the next answer needs (replacing the old data)."""
    await _upsert(session, chat_id, step=step, data=dict(data))


async def clear_step(session: AsyncSession, chat_id: int) -> None:
    """Returns the chat to idle (keeps the screen message id); a chat with no row is idle already."""
    known = _remembered(session, chat_id)
    if known is not None and known.step == IDLE and not known.data:
        return
    await session.execute(_CLEAR, {"chat": chat_id, "new_step": IDLE, "new_data": {}, "at": utcnow()})
    _remember(session, replace(known, step=IDLE, data={}) if known is not None else None, chat_id)


async def set_screen(session: AsyncSession, chat_id: int, message_id: int | None) -> None:
    """Remembers the message that is edited in place as the chat navigates."""
    await _upsert(session, chat_id, screen=message_id)


async def set_screens(session: AsyncSession, screens: Mapping[int, int]) -> None:
    """Remembers the screens of several chats in one statement, in chat order (so two writers cannot deadlock)."""
    at = utcnow()
    rows = [{"chat": chat, "new_step": IDLE, "new_data": {}, "screen": message, "at": at}
            for chat, message in sorted(screens.items())]
    await session.execute(_upsert_statement(session.get_bind().dialect.name, False, True), rows)
    for chat in screens:
        _remember(session, None, chat)


async def move(
    session: AsyncSession, state: ChatStep, step: str, data: dict[str, Any], screen: int | _Keep | None = KEEP
) -> None:
    """Sets step, data and (unless KEEP) the screen of a chat read in this transaction: one statement, or none
    when nothing changes."""
    screen_changes = not isinstance(screen, _Keep) and screen != state.screen_message_id
    if step == state.step and data == state.data and not screen_changes:
        return
    if step == IDLE and not data and not screen_changes:
        await clear_step(session, state.chat_id)
        return
    await _upsert(session, state.chat_id, step=step, data=dict(data), screen=screen if screen_changes else KEEP)


async def leave_step(session: AsyncSession, chat_id: int, *, prefix: str) -> None:
    """Returns the chat to idle when its step starts with `prefix` (leaves other steps alone)."""
    if (await get_state(session, chat_id)).step.startswith(prefix):
        await clear_step(session, chat_id)


async def forget(session: AsyncSession, chat_id: int) -> None:
    """Deletes the chat's state (its buyer's data was erased)."""
    await session.execute(_DELETE, {"chat": chat_id})
    _remember(session, ChatStep(chat_id), chat_id)


async def _upsert(
    session: AsyncSession, chat_id: int, *, step: str | None = None, data: dict[str, Any] | None = None,
    screen: int | _Keep | None = KEEP,
) -> None:
    """One INSERT ... ON CONFLICT DO UPDATE of the columns given (a new row is idle in the others)."""
    new_step, new_data = step if step is not None else IDLE, dict(data or {})
    new_screen = None if isinstance(screen, _Keep) else screen
    values = {"chat": chat_id, "new_step": new_step, "new_data": new_data, "screen": new_screen, "at": utcnow()}
    known = _remembered(session, chat_id)
    sets_step, sets_screen = step is not None, not isinstance(screen, _Keep)
    await session.execute(_upsert_statement(session.get_bind().dialect.name, sets_step, sets_screen), values)
    if known is not None:
        known = replace(known, step=new_step, data=new_data) if sets_step else known
        known = replace(known, screen_message_id=new_screen) if sets_screen else known
    _remember(session, known, chat_id)  # None: written in a savepoint, or never read: read again when asked


_SELECT: Select[Any] = (
    select(ChatState.step, ChatState.data, ChatState.screen_message_id)
    .where(ChatState.chat_id == bindparam("chat"))
)
_CLEAR: Update = (
    update(ChatState).where(ChatState.chat_id == bindparam("chat"))
    .values(step=bindparam("new_step"), data=bindparam("new_data", type_=_TABLE.c.data.type),
            updated_at=bindparam("at"))
)
_DELETE: Delete = delete(ChatState).where(ChatState.chat_id == bindparam("chat"))


@functools.cache
def _upsert_statement(dialect: str, sets_step: bool, sets_screen: bool) -> PgInsert | SqliteInsert:
    """The upsert for the dialect that sets step and data, the screen, or both; built once for each."""
    insert = insert_for(dialect, ChatState).values(
        chat_id=bindparam("chat"), step=bindparam("new_step"), data=bindparam("new_data", type_=_TABLE.c.data.type),
        screen_message_id=bindparam("screen"), updated_at=bindparam("at"),
    )
    columns = (["step", "data"] if sets_step else []) + (["screen_message_id"] if sets_screen else [])
    return insert.on_conflict_do_update(
        index_elements=["chat_id"],
        set_={**{name: insert.excluded[name] for name in columns}, "updated_at": insert.excluded.updated_at},
    )
