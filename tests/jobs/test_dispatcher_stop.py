"""Stopping the dispatcher (a clean shutdown): the send in flight is finished and recorded, nothing more is sent,
and the rows it had claimed go back to PENDING, due at once, for another process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.emulator.server import BotApiEmulator
from jobs.dispatcher import Dispatcher, Limits, Pacer
from models.db import SessionFactory
from models.outbox import OutboxMessage, OutboxState
from models.services import outbox
from tests.conftest import wib
from tests.support.calls import unanswered_calls
from tests.support.clock import FakeClock
from tests.support.eventually import eventually

FAST = Limits(per_second=1000, private_interval=0.0, group_per_minute=1000)
CHATS = [2001, 2002, 2003, 2004, 2005]


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as server:
        yield server


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


def _hold(emu: BotApiEmulator, method: str) -> asyncio.Future[None]:
    """Holds every call of `method` at Telegram's door until the returned future is set."""
    release: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    original = emu.state.faults.before_call

    async def before_call(name: str) -> None:
        if name == method.lower():
            await release
        await original(name)

    emu.state.faults.before_call = before_call  # type: ignore[method-assign]
    return release


async def _rows(factory: SessionFactory) -> list[OutboxMessage]:
    async with factory() as s:
        return list(await s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_stop_finishes_the_send_in_flight_and_gives_back_the_rest_due_now(
    session_factory: SessionFactory, emu: BotApiEmulator, bot: Bot
) -> None:
    clock = FakeClock(wib(2026, 11, 28, 9, 0))
    for chat in CHATS:
        emu.user(chat, f"Warga {chat}")
        async with session_factory.begin() as s:
            await outbox.enqueue(s, chat, f"Pengingat untuk {chat}", due_at=clock())
    outcomes: list[OutboxState] = []
    dispatcher = Dispatcher(session_factory, bot, clock, pacer=Pacer(FAST), on_outcome=outcomes.append)
    release = _hold(emu, "sendMessage")
    passing = asyncio.create_task(dispatcher.run_once())
    await eventually(lambda: unanswered_calls(emu, ["sendMessage"]), what="a send in flight")
    assert {r.state for r in await _rows(session_factory)} == {OutboxState.SENDING}  # the whole batch claimed
    clock.advance(seconds=3)
    stopping = asyncio.create_task(dispatcher.stop())
    await eventually(lambda: dispatcher.stopping, what="the stop to begin (no new send from now on)")
    release.set_result(None)
    assert await stopping == len(CHATS) - 1
    await passing

    rows = await _rows(session_factory)
    sent = [r for r in rows if r.state is OutboxState.SENT]
    back = [r for r in rows if r.state is OutboxState.PENDING]
    assert len(sent) == 1 and len(back) == len(CHATS) - 1
    assert all(r.due_at == clock() and r.attempts == 0 for r in back)  # due now; the claim does not count as a try
    assert len(emu.calls_to("sendMessage")) == 1 and outcomes == [OutboxState.SENT]
    assert (await dispatcher.run_once()).claimed == 0  # a stopped dispatcher claims nothing more

    report = await Dispatcher(session_factory, bot, clock, pacer=Pacer(FAST)).run_once()  # another process
    assert report.sent == len(CHATS) - 1
    assert sorted(int(c.params["chat_id"]) for c in emu.calls_to("sendMessage")) == CHATS  # each once


async def test_stop_with_nothing_claimed_gives_back_nothing(session_factory: SessionFactory, bot: Bot) -> None:
    dispatcher = Dispatcher(session_factory, bot, FakeClock(wib(2026, 11, 28, 9, 0)), pacer=Pacer(FAST))
    assert await dispatcher.stop() == 0
