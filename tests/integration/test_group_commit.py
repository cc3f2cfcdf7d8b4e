"""Group commit (models/group_commit.py): the ids Telegram's answers give, from many updates, in one transaction;
each writer returns only once its write is committed, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession

from models.conversation import ChatState
from models.db import SessionFactory
from models.group_commit import GroupCommit

FIRST_CHAT = 731_990_100


async def screens(session_factory: SessionFactory) -> dict[int, int | None]:
    """Every chat's screen message id as another session reads it."""
    async with session_factory() as session:
        rows = await session.execute(select(ChatState.chat_id, ChatState.screen_message_id))
        return {row.chat_id: row.screen_message_id for row in rows}


class HeldSessions:
    """Sessions that stop, once open, until the test lets them go on: a batch caught while committing."""

    def __init__(self, factory: SessionFactory) -> None:
        self.factory = factory
        self.opened = asyncio.Event()
        self.go_on = asyncio.Event()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        async with self.factory() as session:
            self.opened.set()
            await self.go_on.wait()
            yield session


async def test_writes_made_together_share_one_transaction_and_are_committed_when_each_returns(
    session_factory: SessionFactory,
) -> None:
    group = GroupCommit(session_factory)
    chats = range(FIRST_CHAT, FIRST_CHAT + 20)
    await asyncio.gather(*(group.screen(chat, 1000 + n) for n, chat in enumerate(chats)))
    assert group.transactions == 1
    assert await screens(session_factory) == {chat: 1000 + n for n, chat in enumerate(chats)}


async def test_a_write_made_while_a_batch_commits_waits_for_the_next_one(session_factory: SessionFactory) -> None:
    held = HeldSessions(session_factory)
    group = GroupCommit(held)  # type: ignore[arg-type]  # a session factory in all a GroupCommit uses
    first = asyncio.create_task(group.screen(FIRST_CHAT, 10))
    await held.opened.wait()
    later = [asyncio.create_task(group.screen(FIRST_CHAT + 1, 20)), asyncio.create_task(group.screen(FIRST_CHAT, 11))]
    assert not first.done() and group.transactions == 0  # the first write is not committed yet
    held.go_on.set()
    await asyncio.gather(first, *later)
    assert group.transactions == 2
    assert await screens(session_factory) == {FIRST_CHAT: 11, FIRST_CHAT + 1: 20}  # the chat's latest screen wins


async def test_a_failed_batch_fails_each_of_its_writers_and_the_next_batch_still_commits(
    session_factory: SessionFactory,
) -> None:
    group = GroupCommit(session_factory)
    results = await asyncio.gather(
        group.screen(FIRST_CHAT, 2**70),  # no database column holds it: the whole batch fails
        group.screen(FIRST_CHAT + 1, 5),
        return_exceptions=True,
    )
    assert all(isinstance(r, (StatementError, OverflowError)) for r in results), results
    assert await screens(session_factory) == {}  # nothing of the failed batch was written
    await group.screen(FIRST_CHAT + 1, 6)
    assert await screens(session_factory) == {FIRST_CHAT + 1: 6}


async def test_a_writer_cancelled_does_not_cancel_the_others_commit(session_factory: SessionFactory) -> None:
    held = HeldSessions(session_factory)
    group = GroupCommit(held)  # type: ignore[arg-type]
    cancelled = asyncio.create_task(group.screen(FIRST_CHAT, 30))
    await held.opened.wait()
    kept = asyncio.create_task(group.screen(FIRST_CHAT + 1, 40))
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    held.go_on.set()
    await kept
    assert await screens(session_factory) == {FIRST_CHAT: 30, FIRST_CHAT + 1: 40}
