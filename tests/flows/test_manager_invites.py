"""Invite links in the bot: a manager invites, the newcomer opens the link, the manager approves; the link
cannot be reused by someone else, expires, and a forged token is refused."""

from __future__ import annotations

import pytest

from models.people import Role
from models.services import staff as staff_service
from tests.flows.staff_helpers import ensure_jobs, invite_link
from tests.support.harness import Harness

MANAGER = 601
NEWCOMER = 777
STRANGER = 888


@pytest.fixture(autouse=True)
def _jobs(bot: Harness) -> None:
    """The approval question reaches the manager through the outbox dispatcher."""
    ensure_jobs(bot)


async def _link(bot: Harness, line: str = "roti") -> str:
    """The deep-link payload the manager gets from /undang."""
    return await invite_link(bot, MANAGER, line)


async def _role(bot: Harness, telegram_id: int) -> Role | None:
    async with bot.services.session_factory() as s:
        return await staff_service.role_of(s, telegram_id)


async def test_an_invite_is_claimed_once_approved_and_gives_the_staff_menu(bot: Harness) -> None:
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    payload = await _link(bot)
    newcomer = bot.emulator.user(NEWCOMER, "Andi")
    await newcomer.open_deep_link(payload)
    await newcomer.wait_for("menunggu persetujuan")
    assert await _role(bot, NEWCOMER) is None

    manager = bot.emulator.user(MANAGER, "Pak Budi")
    question = await manager.wait_for("membuka undangan", timeout=8)
    assert "Andi" in question.content and question.buttons == ["✅ Setujui", "✖ Tolak"]

    stranger = bot.emulator.user(STRANGER, "Orang Lain")
    await stranger.open_deep_link(payload)
    await stranger.wait_for("sudah dipakai")

    await manager.press("Setujui", message_id=question.message_id)
    await manager.wait_for("sekarang Petugas")
    assert await _role(bot, NEWCOMER) is Role.STAFF
    assert await _role(bot, STRANGER) is None
    await newcomer.wait_for("Selamat bergabung", timeout=8)
    assert "hariini" in [c["command"] for c in newcomer.commands()]


async def test_a_forged_token_and_an_expired_link_are_refused(bot: Harness) -> None:
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    stranger = bot.emulator.user(STRANGER, "Orang Lain")
    await stranger.open_deep_link("inv_bukanTokenAsli123")
    await stranger.wait_for("tidak dikenal")
    payload = await _link(bot, "paving")
    bot.clock.advance(hours=25)
    newcomer = bot.emulator.user(NEWCOMER, "Andi")
    await newcomer.open_deep_link(payload)
    await newcomer.wait_for("kedaluwarsa")
    assert await _role(bot, NEWCOMER) is None
    assert await _role(bot, STRANGER) is None


async def test_a_declined_claim_gives_no_role(bot: Harness) -> None:
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    payload = await _link(bot)
    newcomer = bot.emulator.user(NEWCOMER, "Andi")
    await newcomer.open_deep_link(payload)
    manager = bot.emulator.user(MANAGER, "Pak Budi")
    question = await manager.wait_for("membuka undangan", timeout=8)
    await manager.press("Tolak", message_id=question.message_id)
    await manager.wait_for("ditolak")
    assert await _role(bot, NEWCOMER) is None
