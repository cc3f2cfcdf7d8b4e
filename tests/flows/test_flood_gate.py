"""The flood gate counts on the injected clock: a burst is throttled with one warning until the clock moves on."""

from __future__ import annotations

from pathlib import Path

from bot.emulator import EmulatedUser
from bot.emulator.server import BotApiEmulator
from tests.support.clock import FakeClock
from tests.support.harness import Harness, running_bot

WARNING = "terlalu cepat"
HELP = "Cara memesan"


async def _send_help(bot: Harness, user: EmulatedUser, times: int) -> list[str]:
    """Sends /bantuan `times` times and returns the texts the bot sent in answer, once it is done with them."""
    before = len(user.inbox)
    for _ in range(times):
        await user.send("/bantuan")
    await bot.settled()
    return [m.content for m in user.inbox[before:]]


async def test_a_burst_is_throttled_once_until_the_window_has_moved_on_the_bots_clock(
    emulator: BotApiEmulator, clock: FakeClock, tmp_path: Path
) -> None:
    async with running_bot(emulator, f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}", clock,
                           flood_max_updates=3, flood_window_seconds=10) as bot:
        siti = emulator.user(1001, "Siti")
        burst = await _send_help(bot, siti, 6)
        assert [HELP in text for text in burst] == [True, True, True, False]  # three answers, then one warning
        assert WARNING in burst[3]

        clock.advance(seconds=9)  # still inside the window: the flood goes on, and nobody is warned twice
        assert await _send_help(bot, siti, 1) == []

        clock.advance(seconds=2)  # the burst is now older than the window
        [answer] = await _send_help(bot, siti, 1)
        assert HELP in answer


async def test_setting_the_clock_back_throttles_nobody_and_keeps_serving_them(
    emulator: BotApiEmulator, clock: FakeClock, tmp_path: Path
) -> None:
    """Notes stamped "in the future" (tests set the clock back; so may an operator) count as stale."""
    async with running_bot(emulator, f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}", clock,
                           flood_max_updates=3, flood_window_seconds=10) as bot:
        siti = emulator.user(1001, "Siti")
        assert len(await _send_help(bot, siti, 3)) == 3
        clock.advance(days=-1)
        answers = await _send_help(bot, siti, 3)
        assert len(answers) == 3 and all(HELP in text for text in answers)
