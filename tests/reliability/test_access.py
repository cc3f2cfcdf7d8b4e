"""Who gets in: invite links reused, expired, declined and guessed grant nothing; webhook requests without the
secret token, or with a wrong one, are refused before anything runs; webhook mode without a secret is refused."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.app import check_startup
from bot.emulator.server import BotApiEmulator
from models.catalog import Product
from models.outbox import OutboxMessage
from models.people import Role, StaffMember
from tests.flows.staff_helpers import invite_link
from tests.reliability.conftest import RunningClock
from tests.reliability.support import after_start_up, unhandled
from tests.support import harness
from tests.support.harness import Harness
from tests.web.support import WebBot, web_bot

MANAGER, NEWCOMER, STRANGER = 601, 7007, 8008
SECRET = "rahasia-webhook_" + "x" * 20


async def _link(bot: Harness, line: str) -> str:
    """The deep-link payload the manager gets from /undang."""
    return await invite_link(bot, MANAGER, line)


async def _staff_ids(bot: Harness) -> set[int]:
    """Telegram ids that hold any staff role."""
    async with bot.services.session_factory() as session:
        return set(await session.scalars(select(StaffMember.telegram_id).where(StaffMember.active.is_(True))))


def _guesses(real: str, count: int) -> list[str]:
    """Tokens an attacker might try: random ones of the right shape and near misses of the real one."""
    token = real.removeprefix("inv_")
    near = [token[:-1], token + "A", token.upper(), token.lower(), token[1:] + token[0], token[:-1] + "-",
            "", "A" * 60, "0" * 22, token[:11]]
    shaped = [secrets.token_urlsafe(16) for _ in range(count - len(near))]
    return ["inv_" + t for t in near + shaped]


async def test_invite_links_reused_expired_declined_or_guessed_grant_nothing(
    bot: Harness, clock: RunningClock, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    manager = bot.emulator.user(MANAGER, "Pak Budi")
    await after_start_up(bot)
    before = await _staff_ids(bot)
    payload = await _link(bot, "roti")
    newcomer = bot.emulator.user(NEWCOMER, "Andi")
    await newcomer.open_deep_link(payload)
    await newcomer.wait_for("menunggu persetujuan")
    await newcomer.open_deep_link(payload)  # the same person again: still waiting, no second request
    await newcomer.wait_for("menunggu persetujuan")
    stranger = bot.emulator.user(STRANGER, "Orang Lain")
    await stranger.open_deep_link(payload)
    await stranger.wait_for("sudah dipakai")

    guessers = [bot.emulator.user(9100 + i, f"Penebak {i}") for i in range(4)]
    guesses = _guesses(payload, 200)
    for n, guess in enumerate(guesses):
        guesser = guessers[n % len(guessers)]
        if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", guess):
            await guesser.open_deep_link(guess)
        else:
            await guesser.send(f"/start {guess}")
    await guesser.send("/start inv_' OR '1'='1")
    for guesser in guessers:
        await guesser.wait_idle(quiet=0.5, timeout=30)
    answers = [m.content for g in guessers for m in g.inbox]
    assert len(answers) == len(guesses) + 1 and all("tidak dikenal" in a for a in answers)

    late = await _link(bot, "paving")
    clock.advance(hours=25)
    await bot.emulator.user(NEWCOMER + 1, "Budi").open_deep_link(late)
    await bot.emulator.user(NEWCOMER + 1, "Budi").wait_for("kedaluwarsa")

    declined = await _link(bot, "galeri")
    second = bot.emulator.user(NEWCOMER + 2, "Citra")
    await second.open_deep_link(declined)
    await second.wait_for("menunggu persetujuan")
    question = await manager.wait_for(lambda m: "Citra" in m.content and "membuka undangan" in m.content,
                                      timeout=10)
    await manager.press("Tolak", message_id=question.message_id)
    await manager.wait_for("ditolak")
    await second.open_deep_link(declined)  # a declined claim is dead, also for its claimant
    await second.wait_for("kedaluwarsa")
    assert await _staff_ids(bot) == before  # nobody got a role from a link alone

    [first_question] = [m for m in manager.inbox if "Andi" in m.content and "membuka undangan" in m.content]
    await manager.press("Setujui", message_id=first_question.message_id)
    await manager.wait_for("sekarang Petugas")
    assert await _staff_ids(bot) == before | {NEWCOMER}
    async with bot.services.session_factory() as session:
        requests = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.template == "invite-claim"))
    assert requests == 2  # Andi's and Citra's claims: one approval request each
    assert unhandled(caplog.records) == []
    print(f"[reliability] invites: 1 reuse by another, 1 repeat by the claimant, {len(guesses) + 1} guesses, "
          "1 expired, 1 declined: 0 roles granted without a manager's approval")


# -- webhook mode -------------------------------------------------------------------------------------------


@asynccontextmanager
async def _webhook_bot(emulator: BotApiEmulator, clock: RunningClock, url: str) -> AsyncIterator[WebBot]:
    """The bot in webhook mode as `python -m bot run` starts it (its own web server), with the emulator delivering
    updates, and a manager."""
    settings = harness.test_settings(emulator, url, webhook_url="https://bot.example/telegram", webhook_secret=SECRET)
    assert check_startup(settings) is None
    async with web_bot(emulator, url, clock, webhook=True, webhook_secret=SECRET) as bot:
        await bot.harness.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
        yield bot


def _forged_update(update_id: int, text: str) -> dict[str, Any]:
    """A message update that claims to come from the manager."""
    user = {"id": MANAGER, "is_bot": False, "first_name": "Pak Budi"}
    entities = [{"type": "bot_command", "offset": 0, "length": text.split()[0].__len__()}]
    return {"update_id": update_id, "message": {"message_id": 90_000 + update_id, "date": 1_795_000_000,
                                                 "from": user, "chat": {"id": MANAGER, "type": "private"},
                                                 "text": text, "entities": entities}}


async def _price(url: str) -> int:
    """The price of chocolate bread, read straight from the database."""
    from models.db import create_engine

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(select(Product.price).where(Product.sku == "RTI-MNS-CKL"))).scalar_one())
    finally:
        await engine.dispose()


async def test_webhook_requests_without_or_with_a_wrong_secret_are_refused_and_change_nothing(
    emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with _webhook_bot(emulator, clock, sqlite_url) as bot:
        siti = emulator.user(1001, "Siti")
        await siti.send("/start")
        await siti.wait_for("Selamat datang", timeout=10)  # Telegram's deliveries carry the secret: served
        manager = emulator.user(MANAGER, "Pak Budi")
        endpoint = bot.url("/telegram")
        statuses: list[int] = []
        async with aiohttp.ClientSession() as http:
            for n, headers in enumerate([{}, {"X-Telegram-Bot-Api-Secret-Token": "salah"},
                                         {"X-Telegram-Bot-Api-Secret-Token": SECRET[:-1]},
                                         {"X-Telegram-Bot-Api-Secret-Token": ""}] * 5):
                async with http.post(endpoint, json=_forged_update(500_000 + n, "/harga RTI-MNS-CKL 1"),
                                     headers=headers) as response:
                    statuses.append(response.status)
            assert set(statuses) == {403}
            assert await _price(sqlite_url) == 3500 and manager.inbox == []
            # The same forgery with the secret would have been taken as the manager's: the token is the lock.
            async with http.post(endpoint, json=_forged_update(600_000, "/harga RTI-MNS-CKL 3600"),
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                assert response.status == 200
            await manager.wait_for("Rp3.600", timeout=10)
    assert unhandled(caplog.records) == []
    print(f"[reliability] webhook: {len(statuses)} forged requests without/with a wrong secret refused (403), "
          "0 processed")


def test_webhook_mode_without_a_secret_or_with_a_malformed_one_does_not_start() -> None:
    emulator_like = {"telegram_bot_token": "1:x", "_env_file": None}
    from bot.settings import Settings

    open_door = Settings(**emulator_like, webhook_url="https://bot.example/telegram")  # type: ignore[arg-type]
    assert check_startup(open_door) == (
        "Invalid setting WEBHOOK_SECRET: required with WEBHOOK_URL (without it anyone who finds the URL can post "
        "forged updates, as any user, staff or manager)"
    )
    spaced = Settings(**emulator_like, webhook_url="https://bot.example/telegram",  # type: ignore[arg-type]
                      webhook_secret="dengan spasi")
    assert "WEBHOOK_SECRET" in (check_startup(spaced) or "")
    assert check_startup(Settings(**emulator_like, webhook_url="https://bot.example/telegram",  # type: ignore[arg-type]
                                  webhook_secret=SECRET)) is None
