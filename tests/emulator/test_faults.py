"""Faults on demand: blocked users, flood waits, server errors, latency and the rate-limit mode."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time

import aiohttp
import pytest
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter

from bot.emulator import BotApiEmulator, Limits

# PTB 22 warns on every RetryAfter it builds (retry_after becomes a timedelta in v23).
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def _seconds(error: RetryAfter) -> float:
    """retry_after as seconds, whether PTB hands out an int or a timedelta."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def test_a_blocked_user_answers_403_until_unblocked(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    emu.faults.block(1001)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1001, "Pesanan siap diambil")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(1001, "typing")
    emu.faults.unblock(1001)
    await bot.send_message(1001, "Pesanan siap diambil")
    assert emu.faults.stats.blocked == 2 and emu.error_counts()[403] == 2


async def test_flood_by_count_is_seen_by_ptb_as_retry_after(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    emu.faults.flood(2, retry_after=7)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(1001, "halo")
        assert _seconds(caught.value) == 7
    await bot.send_message(1001, "halo")
    error = emu.calls_to("sendMessage")[0].error
    assert error is not None and error.to_payload() == {
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    assert emu.faults.stats.flood == 2


async def test_flood_by_seconds_hits_only_the_chosen_methods(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    emu.faults.flood(0.3, retry_after=1, methods=["sendMessage"])
    with pytest.raises(RetryAfter):
        await bot.send_message(1001, "halo")
    assert await bot.send_chat_action(1001, "typing")
    await asyncio.sleep(0.35)  # the thing tested: a flood fault given in seconds lasts that long in real time
    await bot.send_message(1001, "halo")


async def test_server_errors_come_as_500_json_and_502_html(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    emu.faults.server_errors(1)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(1001, "halo")
    emu.faults.server_errors(1, status=502)
    with pytest.raises(NetworkError, match=r"Bad Gateway \(502\)"):
        await bot.send_message(1001, "halo")
    await bot.send_message(1001, "halo")
    assert emu.faults.stats.server_errors == 2 and emu.error_counts()[502] == 1


async def test_server_errors_spare_get_updates_unless_asked(emu: BotApiEmulator, bot: Bot) -> None:
    emu.faults.server_errors(1)
    assert await bot.get_updates() == ()
    emu.faults.server_errors(1, methods=["getUpdates"])
    with pytest.raises(NetworkError):
        await bot.get_updates()


async def test_latency_slows_every_call_without_blocking_the_loop(emu: BotApiEmulator, bot: Bot) -> None:
    emu.faults.latency(0.2)
    started = time.monotonic()
    await asyncio.gather(*(bot.get_me() for _ in range(5)))
    elapsed = time.monotonic() - started
    assert 0.2 <= elapsed < 0.6
    assert emu.faults.stats.delayed == 5


async def test_rate_limit_allows_a_short_burst_per_private_chat_then_answers_429(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.user(1001)
    emu.faults.rate_limit()
    for n in range(3):
        await bot.send_message(1001, f"pesan {n}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1001, "satu lagi")
    assert _seconds(caught.value) == 1
    assert await bot.send_chat_action(1001, "typing")
    assert emu.faults.stats.rate_limited == 1


async def test_rate_limit_caps_30_messages_per_second_overall(emu: BotApiEmulator, bot: Bot) -> None:
    for user_id in range(1, 41):
        emu.user(user_id)
    emu.faults.rate_limit()
    started = time.monotonic()
    results = await asyncio.gather(*(bot.send_message(uid, "promo") for uid in range(1, 41)), return_exceptions=True)
    refilled = 30 * (time.monotonic() - started)
    limited = [r for r in results if isinstance(r, RetryAfter)]
    assert 10 - refilled - 1 <= len(limited) <= 10
    assert len(limited) + sum(1 for r in results if not isinstance(r, Exception)) == 40


async def test_rate_limit_allows_20_messages_per_minute_in_a_group(emu: BotApiEmulator) -> None:
    group = emu.group(-100777, "Pengelola")
    emu.faults.rate_limit(limits=Limits(per_second=1000))
    async with aiohttp.ClientSession() as session:
        statuses = []
        for _ in range(21):
            url = f"{emu.base_url}{emu.token}/sendMessage"
            async with session.post(url, data={"chat_id": str(group.id), "text": "laporan"}) as response:
                statuses.append((response.status, await response.json()))
    assert [s for s, _ in statuses].count(200) == 20
    status, body = statuses[-1]
    assert status == 429 and body["parameters"]["retry_after"] == 3


async def test_a_scaled_rate_limit_refills_fast_for_benchmarks(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    emu.faults.rate_limit(scale=20)
    for _ in range(3):
        await bot.send_message(1001, "cepat")
    with pytest.raises(RetryAfter):
        await bot.send_message(1001, "cepat")
    await asyncio.sleep(0.06)  # the thing tested: at scale 20 the per-chat bucket refills in 50 ms of real time
    await bot.send_message(1001, "cepat")
    emu.faults.rate_limit(enabled=False)
    for _ in range(10):
        await bot.send_message(1001, "bebas")
