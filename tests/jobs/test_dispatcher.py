"""The outbox dispatcher against the Bot API emulator: limits, retries (429, 5xx), blocked recipients,
stale messages, attachments, and two dispatchers on PostgreSQL sending each message once."""

from __future__ import annotations

import asyncio
import base64
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from bot.emulator.server import BotApiEmulator
from jobs.dispatcher import Dispatcher, Limits, Pacer
from models.db import SessionFactory, create_engine, create_session_factory
from models.outbox import OutboxMessage, OutboxState
from models.people import Customer
from models.services import customers, notices, outbox
from tests.conftest import wib
from tests.support.clock import FakeClock

FAST = Limits(per_second=1000, private_interval=0.0, group_per_minute=1000)


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as server:
        yield server


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(wib(2026, 11, 28, 9, 0))


async def _queue(factory: SessionFactory, clock: FakeClock, chat_id: int, text: str, **kwargs: object) -> None:
    async with factory.begin() as s:
        await outbox.enqueue(s, chat_id, text, due_at=clock(), **kwargs)  # type: ignore[arg-type]


async def _rows(factory: SessionFactory) -> list[OutboxMessage]:
    async with factory() as s:
        return list(await s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _sent_texts(emu: BotApiEmulator) -> list[str]:
    return [str(c.params.get("text") or c.params.get("caption")) for c in emu.calls if c.error is None
            and c.method in ("sendMessage", "sendPhoto", "sendDocument")]


async def test_due_messages_are_sent_and_recorded_and_future_ones_wait(
    session_factory: SessionFactory, emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    user = emu.user(1001, "Siti")
    await _queue(session_factory, clock, 1001, "<b>Halo</b> Bapak/Ibu")
    async with session_factory.begin() as s:
        await outbox.enqueue(s, 1001, "nanti", due_at=clock() + timedelta(hours=1))
    report = await Dispatcher(session_factory, bot, clock, pacer=Pacer(FAST)).run_once()
    assert (report.claimed, report.sent) == (1, 1)
    first, later = await _rows(session_factory)
    assert first.state is OutboxState.SENT and first.sent_at == clock() and first.attempts == 1
    assert later.state is OutboxState.PENDING
    message = await user.wait_for("Halo")
    assert message.has_entity("bold", "Halo")


async def test_photo_and_document_attachments_arrive_byte_for_byte(
    session_factory: SessionFactory, emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    user = emu.user(1001, "Siti")
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="
    )
    await _queue(session_factory, clock, 1001, "Grafik", attachment=notices.photo_attachment(png))
    sheet = notices.document_attachment(b"PK\x03\x04x", "a.xlsx")
    await _queue(session_factory, clock, 1001, "Excel", attachment=sheet)
    report = await Dispatcher(session_factory, bot, clock, pacer=Pacer(FAST)).run_once()
    assert report.sent == 2
    photo = await user.wait_for("Grafik")
    document = await user.wait_for("Excel")
    assert photo.photo == png
    assert document.document == b"PK\x03\x04x" and document.document_name == "a.xlsx"


async def test_a_429_is_retried_after_retry_after_and_pauses_sending(
    session_factory: SessionFactory, emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    user = emu.user(1001, "Siti")
    await _queue(session_factory, clock, 1001, "satu")
    emu.faults.flood(1, retry_after=3)
    dispatcher = Dispatcher(session_factory, bot, clock, pacer=Pacer(FAST))
    report = await dispatcher.run_once()
    assert (report.sent, report.retried) == (0, 1)
    [row] = await _rows(session_factory)
    assert row.state is OutboxState.PENDING and row.due_at == clock() + timedelta(seconds=3)
    assert row.last_error is not None and row.last_error.startswith("429")
    clock.advance(seconds=2)
    assert (await dispatcher.run_once()).claimed == 0
    clock.advance(seconds=1)
    assert (await dispatcher.run_once()).sent == 1
    [row] = await _rows(session_factory)
    assert row.state is OutboxState.SENT and row.attempts == 2
    await user.wait_for("satu")


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_retried_with_backoff_then_fail_for_good(
    session_factory: SessionFactory, emu: BotApiEmulator, bot: Bot, clock: FakeClock, status: int
) -> None:
    emu.user(1001, "Siti")
    await _queue(session_factory, clock, 1001, "coba")
    emu.faults.server_errors(2, status=status)
    dispatcher = Dispatcher(session_factory, bot, clock, pacer=Pacer(FAST), max_attempts=3)
    assert (await dispatcher.run_once()).retried == 1
    [row] = await _rows(session_factory)
    assert row.due_at == clock() + timedelta(seconds=2)
    clock.advance(seconds=2)
    assert (await dispatcher.run_once()).retried == 1
    [row] = await _rows(session_factory)
    assert row.due_at == clock() + timedelta(seconds=4)
    clock.advance(seconds=4)
    assert (await dispatcher.run_once()).sent == 1
    emu.faults.server_errors(5, status=status)
    await _queue(session_factory, clock, 1001, "gagal")
    for _ in range(3):
        await dispatcher.run_once()
        clock.advance(seconds=60)
    rows = await _rows(session_factory)
    assert rows[-1].state is OutboxState.FAILED and rows[-1].attempts == 3
    assert rows[-1].last_error is not None and "gave up after 3 attempts" in rows[-1].last_error


async def test_a_blocked_recipient_is_marked_and_never_written_to_again(
    session_factory: SessionFactory, emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    emu.user(1001, "Siti")
    async with session_factory.begin() as s:
        await customers.get_or_register(s, 1001, "Siti", "id")
    emu.faults.block(1001)
    await _queue(session_factory, clock, 1001, "pertama")
    dispatcher = Dispatcher(session_factory, bot, clock, pacer=Pacer(FAST))
    assert (await dispatcher.run_once()).blocked == 1
    calls = len(emu.calls_to("sendMessage"))
    await _queue(session_factory, clock, 1001, "kedua")
    assert (await dispatcher.run_once()).blocked == 1
    assert len(emu.calls_to("sendMessage")) == calls
    rows = await _rows(session_factory)
    assert [r.state for r in rows] == [OutboxState.BLOCKED, OutboxState.BLOCKED]
    async with session_factory() as s:
        assert await s.scalar(select(Customer.blocked_bot).where(Customer.telegram_id == 1001)) is True


async def test_a_stale_message_is_skipped_without_sending(
    session_factory: SessionFactory, emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    emu.user(1001, "Siti")
    await _queue(session_factory, clock, 1001, "pengingat", stale_after=clock() - timedelta(minutes=1))
    assert (await Dispatcher(session_factory, bot, clock, pacer=Pacer(FAST)).run_once()).skipped == 1
    assert emu.calls_to("sendMessage") == []
    [row] = await _rows(session_factory)
    assert row.state is OutboxState.SKIPPED and row.last_error == "stale"


async def test_sends_stay_within_telegrams_limits(
    sqlite_engine: AsyncEngine, emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    """40 chats plus 3 messages to one chat with the emulator enforcing Telegram's limits: no 429."""
    factory = create_session_factory(sqlite_engine)
    emu.faults.rate_limit(True)
    for chat in range(2001, 2041):
        emu.user(chat, f"U{chat}")
        await _queue(factory, clock, chat, f"pesan {chat}")
    for n in range(3):
        await _queue(factory, clock, 2001, f"lagi {n}")
    report = await Dispatcher(factory, bot, clock).run_once()
    assert report.sent == 43 and report.retried == 0
    assert emu.faults.stats.too_many_requests == 0
    times = [c.time for c in emu.calls_to("sendMessage") if c.params.get("chat_id") == 2001]
    assert len(times) == 4 and all(b - a >= 0.9 for a, b in pairwise(times))


async def test_two_dispatchers_on_postgresql_send_each_message_once(
    pg_url: str, emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    """Two engines are two connection pools: to PostgreSQL they are two independent clients, exactly as
    two bot processes would be, so FOR UPDATE SKIP LOCKED is exercised for real; both run at once as
    asyncio tasks against 300 messages and every message must reach its chat exactly once."""
    engines = [create_engine(pg_url), create_engine(pg_url)]
    factories = [create_session_factory(e) for e in engines]
    try:
        async with factories[0].begin() as s:
            await s.execute(OutboxMessage.__table__.delete())
        for chat in range(3001, 3031):
            emu.user(chat, f"U{chat}")
        async with factories[0].begin() as s:
            for n in range(300):
                await outbox.enqueue(s, 3001 + n % 30, f"m{n}", due_at=clock(), dedupe_key=f"twice-test:{n}")

        async def drain(factory: SessionFactory) -> int:
            dispatcher = Dispatcher(factory, bot, clock, batch=20, pacer=Pacer(FAST))
            sent = 0
            while (report := await dispatcher.run_once()).claimed:
                sent += report.sent
            return sent

        counts = await asyncio.gather(drain(factories[0]), drain(factories[1]))
        assert sum(counts) == 300 and all(c > 0 for c in counts)
        texts = Counter(_sent_texts(emu))
        assert len(texts) == 300 and set(texts.values()) == {1}
        async with factories[0]() as s:
            states = Counter((await s.scalars(select(OutboxMessage.state))).all())
        assert states == {OutboxState.SENT: 300}
    finally:
        for e in engines:
            await e.dispose()
