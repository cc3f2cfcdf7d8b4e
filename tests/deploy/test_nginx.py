"""deploy/nginx/karya-bot.conf in front of the real bot (`python -m bot run` in webhook mode, Telegram played by the
emulator): the checks of tests/deploy/proxy_checks.py, and the deliveries in nginx's access log."""

from __future__ import annotations

from pathlib import Path

from bot.emulator.server import BotApiEmulator
from tests.deploy.nginx import running_nginx
from tests.deploy.proxy_checks import (
    bot_behind_proxy,
    check_buyer_served,
    check_forgeries_refused,
    check_limits_and_internal_paths,
)
from tests.support.eventually import eventually


async def test_a_buyer_is_served_through_nginx_and_forged_or_internal_requests_are_stopped(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    async with bot_behind_proxy(emulator, tmp_path, running_nginx) as (proxy, bot, http):
        await check_buyer_served(emulator, proxy)
        await eventually(lambda: any('"POST /telegram HTTP/1.1" 200' in line for line in proxy.access_log()),
                         what="the delivery in nginx's access log")
        await check_forgeries_refused(emulator, proxy, bot, http)
        await check_limits_and_internal_paths(proxy, bot, http)
    assert bot.exit_code == 0, bot.output()
