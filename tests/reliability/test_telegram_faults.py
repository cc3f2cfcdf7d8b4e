"""Telegram faults against the running bot: a 429 storm, 5xx bursts, slow answers and timeouts, a buyer who
blocked the bot, the same update delivered twice. Nothing is lost, nothing doubled, nothing crashes, and the
logs say what happened."""

from __future__ import annotations

import logging
from collections import Counter

import pytest
from sqlalchemy import select

from bot.emulator.server import BotApiEmulator
from models.conversation import CartItem
from models.order import Order
from models.outbox import OutboxState
from models.payment import Payment
from models.people import Customer, Line, Role
from models.services import outbox
from tests.flows.buyer_dialogues import (
    assert_every_press_answered_once,
    bread_to_cart,
    checkout_to_summary,
    count,
    orders,
    start,
)
from tests.reliability.conftest import RunningClock
from tests.reliability.support import (
    deliveries_by_chat,
    log_text,
    outbox_rows,
    record_pushes,
    unhandled,
)
from tests.support.eventually import eventually
from tests.support.harness import Harness, running_bot

OTHERS = list(range(3001, 3021))
STAFF = 501


async def _queue_notices(bot: Harness, label: str, chats: list[int]) -> None:
    """One outbox message per chat, as a job or another person's action would queue it."""
    for chat in chats:
        bot.emulator.user(chat, f"Pembeli {chat}")
    async with bot.services.session_factory.begin() as session:
        for chat in chats:
            await outbox.enqueue(session, chat, f"{label} untuk {chat}", due_at=bot.services.now(),
                                 dedupe_key=f"{label}:{chat}", template="test")


async def _all_sent(bot: Harness, label: str, timeout: float = 40.0) -> None:
    """Waits until every outbox row of `label` is SENT."""

    async def check() -> bool:
        rows = [r for r in await outbox_rows(bot.services.session_factory) if (r.dedupe_key or "").startswith(label)]
        return bool(rows) and all(r.state is OutboxState.SENT for r in rows)

    await eventually(check, timeout=timeout, what=f"every outbox row of {label} SENT")


def _once_each(emulator: BotApiEmulator, label: str, chats: list[int]) -> Counter[int]:
    """How often each chat got its `label` notice (the test expects exactly once)."""
    got = deliveries_by_chat(emulator, label)
    return Counter({chat: got[chat] for chat in chats})


@pytest.mark.slow
async def test_a_ten_second_429_storm_delays_answers_and_notices_but_loses_and_doubles_none(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    bot.emulator.faults.flood(10.0, retry_after=2)
    await _queue_notices(bot, "Storm", OTHERS)
    await siti.send("/pesananku")
    await siti.press("Katalog")
    await siti.wait_for("Silakan pilih kategori", timeout=30)
    await _all_sent(bot, "Storm")
    refused = bot.emulator.faults.stats.flood
    assert refused > 20
    assert _once_each(bot.emulator, "Storm", OTHERS) == Counter(dict.fromkeys(OTHERS, 1))
    assert sum("belum punya pesanan" in m.content for m in siti.inbox) == 1
    await assert_every_press_answered_once(bot)
    assert unhandled(caplog.records) == []
    assert "Telegram flood wait on sendMessage (429): retrying" in log_text(caplog.records)
    assert "429 retry after 2 s" in log_text(caplog.records)
    print(f"[reliability] 429 storm 10 s: {refused} answers 429, 20/20 notices once, 2/2 buyer answers once")


async def test_5xx_bursts_are_retried_so_every_answer_and_notice_arrives_once(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    for status in (500, 502, 503):
        label = f"Burst{status}"
        await _queue_notices(bot, label, OTHERS[:3])
        bot.emulator.faults.server_errors(3, status)
        await siti.send("/bantuan")
        await siti.wait_for("Cara memesan", timeout=15)
        await _all_sent(bot, label)
        assert _once_each(bot.emulator, label, OTHERS[:3]) == Counter(dict.fromkeys(OTHERS[:3], 1))
    assert bot.emulator.faults.stats.server_errors == 9
    assert sum("Cara memesan" in m.content for m in siti.inbox) == 3
    assert unhandled(caplog.records) == []
    text = log_text(caplog.records)
    assert "retrying in" in text and ("(500)" in text or "Internal Server Error" in text)
    print("[reliability] 5xx bursts 3x3 (500, 502, 503): 9 refused calls, 9/9 notices once, 3/3 answers once")


async def test_slow_answers_under_the_timeouts_lose_and_double_nothing(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    bot.emulator.faults.latency(1.0)
    await _queue_notices(bot, "Slow", OTHERS[:3])
    await siti.press("Katalog")
    await siti.wait_for("Silakan pilih kategori", timeout=15)
    await _all_sent(bot, "Slow")
    bot.emulator.faults.latency(0)
    assert _once_each(bot.emulator, "Slow", OTHERS[:3]) == Counter(dict.fromkeys(OTHERS[:3], 1))
    await assert_every_press_answered_once(bot)


@pytest.mark.slow
async def test_answers_slower_than_the_timeout_still_bring_the_payment_code_once_and_no_apology(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti, qty="6")
    await checkout_to_summary(siti)
    await _queue_notices(bot, "Late", OTHERS[:2])
    # Every message takes 5.5 s: PTB gives up after 5 s, Telegram (the emulator) still delivers.
    bot.emulator.faults.latency(5.5, methods=["editMessageText", "sendMessage", "sendPhoto"])
    await siti.press("Konfirmasi")
    await siti.wait_for_photo(timeout=30)
    await _all_sent(bot, "Late")
    await siti.wait_idle(quiet=1.0, timeout=20)
    bot.emulator.faults.latency(0)
    assert len(await orders(bot)) == 1 and await count(bot, Payment) == 1
    assert sum(m.photo is not None for m in siti.inbox) == 1
    assert not [m for m in siti.inbox if "kendala" in m.content]  # no apology after an answer that did arrive
    assert sum("Pesanan dibuat" in m.content for m in siti.inbox) == 1  # the placed screen too, late
    assert _once_each(bot.emulator, "Late", OTHERS[:2]) == Counter(dict.fromkeys(OTHERS[:2], 1))
    assert unhandled(caplog.records) == []
    assert "TimedOut" in log_text(caplog.records)
    print("[reliability] answers 5.5 s > 5 s timeout: 1 order, 1 payment code, 2/2 notices once, 0 apologies")


async def test_a_buyer_who_blocked_the_bot_is_marked_skipped_and_served_again_after_writing(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti, qty="6")
    await checkout_to_summary(siti)
    await siti.press("Konfirmasi")
    await siti.wait_for_photo()
    [order] = await orders(bot)
    bot.emulator.faults.block(1001)
    rina = bot.emulator.user(STAFF, "Rina")
    await rina.send(f"/bayar {order.code}")
    await rina.wait_for("dicatat")
    await rina.press("Siap diambil")
    await rina.wait_for("siap diambil. Kode ambil")

    async def both_blocked() -> bool:
        rows = [r for r in await outbox_rows(bot.services.session_factory) if r.chat_id == 1001]
        return len(rows) == 2 and all(r.state is OutboxState.BLOCKED for r in rows)

    await eventually(both_blocked, timeout=20, what="both notices to 1001 BLOCKED")
    attempts = [c for c in bot.emulator.calls_to("sendMessage") if c.params.get("chat_id") == 1001 and c.error]
    assert len(attempts) == 1  # the second notice was not even tried
    async with bot.services.session_factory() as session:
        assert await session.scalar(select(Customer.blocked_bot).where(Customer.telegram_id == 1001)) is True
    bot.emulator.faults.unblock(1001)
    await siti.send("/start")
    await siti.wait_for("Selamat datang")
    async with bot.services.session_factory() as session:
        assert await session.scalar(select(Customer.blocked_bot).where(Customer.telegram_id == 1001)) is False
    await _queue_notices(bot, "Pengingat", [1001])
    await _all_sent(bot, "Pengingat")
    assert deliveries_by_chat(bot.emulator, "Pengingat")[1001] == 1
    assert unhandled(caplog.records) == []
    assert "403 Forbidden: bot was blocked by the user" in log_text(caplog.records)
    assert "recipient blocked the bot" in log_text(caplog.records)
    print("[reliability] blocked buyer: 2 notices recorded BLOCKED, 1 call tried, served again after /start")


async def test_the_same_update_delivered_twice_is_processed_once_even_after_a_restart(
    emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    siti = emulator.user(1001, "Siti")
    async with running_bot(emulator, sqlite_url, clock, with_jobs=True) as bot:
        pushed = record_pushes(emulator)
        await start(siti)
        await bread_to_cart(siti, qty="6")
        await checkout_to_summary(siti)
        await siti.press("Konfirmasi")
        await siti.wait_for_photo()
        await siti.wait_idle()
        before = len(siti.inbox)
        originals = list(pushed)
        for _, payload in originals:  # Telegram delivers every one of them again
            emulator.push_raw_update(payload)
        await siti.send("/bantuan")  # a fresh update after the duplicates: processed as usual
        await siti.wait_for("Cara memesan")
        await siti.wait_idle()
        assert len(siti.inbox) == before + 1
        assert len(await orders(bot)) == 1 and await count(bot, CartItem) == 0
    first_round = len(originals)
    async with running_bot(emulator, sqlite_url, clock, with_jobs=True, catalogue=False) as bot:
        for _, payload in originals:  # and again after a restart: this process never saw them
            emulator.push_raw_update(payload)
        await siti.send("/bantuan")
        await siti.wait_for("Cara memesan")
        await siti.wait_idle()
        assert len(siti.inbox) == before + 2
        assert len(await orders(bot)) == 1 and await count(bot, Order) == 1
    await assert_every_press_answered_once(bot)
    text = log_text(caplog.records)
    assert text.count("delivered again: ignored (already taken in by this process)") == first_round
    assert text.count("delivered again: ignored (taken in before a restart") == first_round
    assert unhandled(caplog.records) == []
    print(f"[reliability] duplicate update_ids: {2 * first_round} duplicates ({first_round} after a restart) "
          "ignored, 0 processed twice")
