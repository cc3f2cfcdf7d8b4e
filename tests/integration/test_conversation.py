"""The chat's step, data and screen (models/services/conversation.py): what the database holds, and how few
statements it takes, since every update reads the state and most write it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from models.conversation import ChatState
from models.db import SessionFactory
from models.services import conversation

CHAT = 731_990_002


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block (savepoints included, BEGIN and COMMIT not)."""
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement.split()[0].upper())

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def stored(session_factory: SessionFactory) -> tuple[str, dict[str, object], int | None] | None:
    """The chat's row as another session reads it: (step, data, screen), or None when there is none."""
    async with session_factory() as session:
        row = (await session.execute(
            select(ChatState.step, ChatState.data, ChatState.screen_message_id).where(ChatState.chat_id == CHAT)
        )).first()
        return None if row is None else (row.step, row.data, row.screen_message_id)


async def test_a_new_chats_step_and_screen_are_one_statement_each_and_keep_each_other(
    engine: AsyncEngine, session_factory: SessionFactory
) -> None:
    async with session_factory() as session:
        with counted(engine) as statements:
            await conversation.set_step(session, CHAT, "buyer.quantity", sku="RTI-TWR", day="2026-12-07")
            await conversation.set_screen(session, CHAT, 42)
        await session.commit()
    assert statements == ["INSERT", "INSERT"]  # each an upsert: no read, no row created beforehand
    assert await stored(session_factory) == ("buyer.quantity", {"sku": "RTI-TWR", "day": "2026-12-07"}, 42)

    async with session_factory() as session:
        await conversation.set_screen(session, CHAT, 43)
        await session.commit()
    assert await stored(session_factory) == ("buyer.quantity", {"sku": "RTI-TWR", "day": "2026-12-07"}, 43)


async def test_the_state_is_read_once_per_transaction_and_again_after_it(
    engine: AsyncEngine, session_factory: SessionFactory
) -> None:
    async with session_factory() as session:
        assert await conversation.get_state(session, CHAT) == conversation.ChatStep(CHAT)  # no row: idle
        await conversation.set_step(session, CHAT, "buyer.phone", token="t1")
        with counted(engine) as statements:
            state = await conversation.get_state(session, CHAT)
        assert statements == []  # what this transaction wrote is known
        assert (state.step, state.data, state.screen_message_id) == ("buyer.phone", {"token": "t1"}, None)
        await session.commit()

    async with session_factory.begin() as other:  # another process changes the chat meanwhile
        await conversation.set_screen(other, CHAT, 77)
    async with session_factory() as session:
        with counted(engine) as statements:
            assert (await conversation.get_state(session, CHAT)).screen_message_id == 77
        assert statements == ["SELECT"]


async def test_moving_to_the_same_screen_writes_nothing_and_a_change_is_one_statement(
    engine: AsyncEngine, session_factory: SessionFactory
) -> None:
    async with session_factory.begin() as session:
        await conversation.set_step(session, CHAT, conversation.IDLE)
        await conversation.set_screen(session, CHAT, 42)
    async with session_factory.begin() as session:
        state = await conversation.get_state(session, CHAT)
        with counted(engine) as statements:
            await conversation.move(session, state, conversation.IDLE, {}, 42)
            await conversation.move(session, state, conversation.IDLE, {})
        assert statements == []  # a browsing press: the same idle screen edited in place
    async with session_factory.begin() as session:
        state = await conversation.get_state(session, CHAT)
        with counted(engine) as statements:
            await conversation.move(session, state, "buyer.quantity", {"sku": "RTI-TWR"}, 50)
        assert statements == ["INSERT"]
    assert await stored(session_factory) == ("buyer.quantity", {"sku": "RTI-TWR"}, 50)
    async with session_factory.begin() as session:
        await conversation.move(session, await conversation.get_state(session, CHAT), conversation.IDLE, {})
    assert await stored(session_factory) == ("idle", {}, 50)  # back to idle, the screen kept


async def test_clearing_a_chat_that_never_had_a_step_creates_no_row(session_factory: SessionFactory) -> None:
    async with session_factory.begin() as session:
        await conversation.clear_step(session, CHAT)
        await conversation.leave_step(session, CHAT, prefix="staff.")
    assert await stored(session_factory) is None


async def test_leave_step_leaves_only_steps_with_its_prefix(session_factory: SessionFactory) -> None:
    async with session_factory.begin() as session:
        await conversation.set_step(session, CHAT, "buyer.proof", order_id=5)
        await conversation.leave_step(session, CHAT, prefix="staff.")
    assert await stored(session_factory) == ("buyer.proof", {"order_id": 5}, None)
    async with session_factory.begin() as session:
        await conversation.leave_step(session, CHAT, prefix="buyer.")
    assert await stored(session_factory) == ("idle", {}, None)


async def test_a_write_undone_with_its_savepoint_is_not_remembered(session_factory: SessionFactory) -> None:
    async with session_factory() as session:
        await conversation.set_step(session, CHAT, "buyer.confirm", token="t1")
        assert (await conversation.get_state(session, CHAT)).step == "buyer.confirm"
        nested = await session.begin_nested()
        await conversation.clear_step(session, CHAT)
        assert (await conversation.get_state(session, CHAT)).step == conversation.IDLE
        await nested.rollback()
        state = await conversation.get_state(session, CHAT)
        assert (state.step, state.data) == ("buyer.confirm", {"token": "t1"})
        await session.commit()
    assert await stored(session_factory) == ("buyer.confirm", {"token": "t1"}, None)


async def test_a_rolled_back_write_is_not_remembered(session_factory: SessionFactory) -> None:
    async with session_factory() as session:
        await conversation.set_step(session, CHAT, "buyer.phone")
        await session.rollback()
        assert (await conversation.get_state(session, CHAT)).step == conversation.IDLE


async def test_forget_deletes_the_row(session_factory: SessionFactory) -> None:
    async with session_factory.begin() as writer:
        await conversation.set_step(writer, CHAT, "buyer.phone")
    async with session_factory.begin() as eraser:
        assert (await conversation.get_state(eraser, CHAT)).step == "buyer.phone"
        await conversation.forget(eraser, CHAT)
        assert await conversation.get_state(eraser, CHAT) == conversation.ChatStep(CHAT)
    assert await stored(session_factory) is None
