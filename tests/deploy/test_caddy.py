"""deploy/caddy/Caddyfile in front of the real bot (`python -m bot run` in webhook mode, Telegram played by the
emulator): the same checks as for nginx (tests/deploy/proxy_checks.py)."""

from __future__ import annotations

from pathlib import Path

from bot.emulator.server import BotApiEmulator
from tests.deploy.caddy import running_caddy
from tests.deploy.proxy_checks import (
    bot_behind_proxy,
    check_buyer_served,
    check_forgeries_refused,
    check_limits_and_internal_paths,
)


async def test_a_buyer_is_served_through_caddy_and_forged_or_internal_requests_are_stopped(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    async with bot_behind_proxy(emulator, tmp_path, running_caddy) as (proxy, bot, http):
        await check_buyer_served(emulator, proxy)
        await check_forgeries_refused(emulator, proxy, bot, http)
        await check_limits_and_internal_paths(proxy, bot, http)
    assert bot.exit_code == 0, bot.output()
