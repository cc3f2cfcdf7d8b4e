"""The demo's idle check against the real Application: a script goes on only when slow replies and messages due
to other people have arrived."""

from __future__ import annotations

from datetime import timedelta

from bot.demo import BotIdle
from models.people import Role
from models.services import outbox
from tests.flows.staff_helpers import ensure_jobs
from tests.support.harness import Harness

MANAGER = 900_001
STAFF = 800_001


async def test_idle_means_the_slow_chart_and_spreadsheet_have_arrived(bot: Harness) -> None:
    ensure_jobs(bot)
    await bot.add_staff(MANAGER, "Pak Hendra", Role.MANAGER)
    manager = bot.emulator.user(MANAGER, "Pak Hendra")
    idle = BotIdle(bot.app, {MANAGER: manager})
    await manager.send("/laporan")
    assert await idle.wait(timeout=30)
    # No waiting after idle: the text, the chart and the spreadsheet are all in the chat already.
    inbox = manager.inbox
    assert "Ringkasan mingguan" in inbox[0].content
    assert inbox[1].photo is not None
    assert inbox[2].document_name == "pesanan-2026-11-23.xlsx"


async def test_idle_waits_for_a_message_due_now_but_not_for_one_due_later(bot: Harness) -> None:
    ensure_jobs(bot)
    staff = bot.emulator.user(STAFF, "Rina")
    idle = BotIdle(bot.app, {STAFF: staff})
    now = bot.services.now()
    async with bot.services.session_factory.begin() as session:
        await outbox.enqueue(session, STAFF, "🆕 Pesanan baru KB-NOW", due_at=now)
        await outbox.enqueue(session, STAFF, "⏰ Pengingat nanti", due_at=now + timedelta(hours=1))
    assert await idle.wait(timeout=30)
    assert [m.content for m in staff.inbox] == ["🆕 Pesanan baru KB-NOW"]
