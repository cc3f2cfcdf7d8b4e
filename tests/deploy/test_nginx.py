"""deploy/nginx/karya-bot.conf in front of the real bot (`python -m bot run` in webhook mode, Telegram played by the
emulator): a buyer is served through the proxy; forged, oversized and internal requests stop at the proxy or the
bot's secret check, and change nothing."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.emulator.server import BotApiEmulator
from bot.emulator.webhook import SECRET_HEADER
from tests.deploy.nginx import running_nginx
from tests.deploy.tools import free_port
from tests.deploy.webhook_bot import WebhookBot
from tests.support.eventually import eventually

SECRET = "deploy-secret_" + "k" * 24
MANAGER = 900_777
SKU = "RTI-MNS-CKL"


def _price_change(update_id: int, price: int) -> dict[str, Any]:
    """A message update in which the manager sets the chocolate bread's price."""
    text = f"/harga {SKU} {price}"
    return {"update_id": update_id, "message": {
        "message_id": 70_000 + update_id, "date": 1_795_000_000, "text": text,
        "from": {"id": MANAGER, "is_bot": False, "first_name": "Pak Hendra"},
        "chat": {"id": MANAGER, "type": "private"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len("/harga")}]}}


async def test_a_buyer_is_served_through_nginx_and_forged_or_internal_requests_are_stopped(
    emulator: BotApiEmulator, tmp_path: Any
) -> None:
    bot_port = free_port()
    async with running_nginx(tmp_path / "nginx", bot_port) as proxy:
        bot = WebhookBot(emulator, tmp_path, port=bot_port, webhook_url=f"{proxy.url}/telegram", secret=SECRET)
        await bot.prepare(managers=[(MANAGER, "Pak Hendra")])
        async with bot.running(), aiohttp.ClientSession() as http:
            # Telegram (the emulator) posts the buyer's message to the proxy's /telegram, never to the bot directly.
            assert emulator.calls_to("setWebhook")[-1].params["url"] == f"{proxy.url}/telegram"
            siti = emulator.user(1001, "Siti")
            await siti.send("/start")
            welcome = await siti.wait_for("Selamat datang", timeout=20)
            assert "Siti" in welcome.text
            await eventually(lambda: any('"POST /telegram HTTP/1.1" 200' in line for line in proxy.access_log()),
                             what="the delivery in nginx's access log")

            # Forged updates without the secret, or with a wrong one, are refused through the proxy.
            endpoint = f"{proxy.url}/telegram"
            statuses = []
            for n, headers in enumerate([{}, {SECRET_HEADER: "salah"}, {SECRET_HEADER: SECRET[:-1]}]):
                async with http.post(endpoint, json=_price_change(800_000 + n, 1234), headers=headers) as response:
                    statuses.append(response.status)
            assert statuses == [403, 403, 403]
            assert bot.price(SKU) == 3500
            # The same update with the secret is the manager's: the secret is what kept the others out.
            async with http.post(endpoint, json=_price_change(800_010, 3600),
                                 headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 200
            manager = emulator.user(MANAGER, "Pak Hendra")
            await manager.wait_for("Rp3.600", timeout=20)
            assert bot.price(SKU) == 3600
            assert not any("Rp1.234" in message.text for message in manager.inbox)

            # A body over 1 MB stops at the proxy.
            async with http.post(endpoint, data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                                 headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"}) as response:
                assert response.status == 413
            # Only POST reaches /telegram.
            async with http.get(endpoint, headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 403

            # /healthz is passed through unchanged; /metrics and other paths are answered by nginx itself.
            async with http.get(f"http://127.0.0.1:{bot_port}/healthz") as direct, \
                    http.get(f"{proxy.url}/healthz") as via:
                assert (via.status, await via.read()) == (direct.status, await direct.read())
            for path in ("/metrics", "/", "/telegram/../metrics", "/admin"):
                async with http.get(f"{proxy.url}{path}") as response:
                    assert response.status == 404, path
                    assert b"<center>nginx</center>" in await response.read(), path
    assert bot.exit_code == 0, bot.output()
