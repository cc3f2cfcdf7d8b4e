"""Quiet users are forgotten from memory and served again from the database."""

from __future__ import annotations

from bot.routing.gates import forget_idle_users
from tests.support.harness import Harness


async def test_quiet_users_are_forgotten_and_served_again(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    budi = bot.emulator.user(1002, "Budi")
    for user in (siti, budi):
        await user.send("/start")
        await user.wait_for("Selamat datang")
    assert {1001, 1002} <= set(bot.app.user_data)
    assert forget_idle_users(bot.app, bot.clock()) == 0  # nobody is quiet yet
    bot.clock.advance(minutes=11)  # quiet time is counted on the injected clock: nobody waits for it
    assert forget_idle_users(bot.app, bot.clock(), idle_seconds=3600) == 0  # not quiet for an hour
    assert forget_idle_users(bot.app, bot.clock()) >= 2  # but quiet for longer than the default ten minutes
    assert 1001 not in bot.app.user_data and 1002 not in bot.app.user_data
    await siti.send("/start")
    again = await siti.wait_for("Selamat datang")
    assert "Siti" in again.text
