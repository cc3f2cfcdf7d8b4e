"""What every reverse-proxy recipe must do in front of the real bot, checked the same way for nginx and Caddy: the
buyer is served through it; forged, oversized and internal requests stop at the proxy or at the bot's secret check
and change nothing; the bot stops cleanly on SIGTERM."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import aiohttp

from bot.emulator.server import BotApiEmulator
from bot.emulator.webhook import SECRET_HEADER
from tests.deploy.tools import free_port
from tests.deploy.webhook_bot import WebhookBot

SECRET = "deploy-secret_" + "k" * 24
MANAGER = 900_777
SKU = "RTI-MNS-CKL"


class Proxy(Protocol):
    """A running reverse proxy."""

    @property
    def url(self) -> str:
        """Its base URL."""

    @property
    def server(self) -> str:
        """What it says in the Server header of the answers it gives itself."""

    @property
    def too_large(self) -> frozenset[int]:
        """Its answers to a body over the 1 MB limit."""


StartProxy = Callable[[Path, int], AbstractAsyncContextManager[Any]]


def price_change(update_id: int, price: int) -> dict[str, Any]:
    """A message update in which the manager sets the chocolate bread's price."""
    text = f"/harga {SKU} {price}"
    return {"update_id": update_id, "message": {
        "message_id": 70_000 + update_id, "date": 1_795_000_000, "text": text,
        "from": {"id": MANAGER, "is_bot": False, "first_name": "Pak Hendra"},
        "chat": {"id": MANAGER, "type": "private"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len("/harga")}]}}


@asynccontextmanager
async def bot_behind_proxy(emulator: BotApiEmulator, tmp_path: Path, start_proxy: StartProxy) -> AsyncIterator[
        tuple[Proxy, WebhookBot, aiohttp.ClientSession]]:
    """The proxy and the bot behind it, running, and an HTTP client; then the bot is stopped with SIGTERM, as
    systemd stops it (its exit code lands in `bot.exit_code`)."""
    bot_port = free_port()
    async with start_proxy(tmp_path / "proxy", bot_port) as proxy:
        bot = WebhookBot(emulator, tmp_path, port=bot_port, webhook_url=f"{proxy.url}/telegram", secret=SECRET)
        await bot.prepare(managers=[(MANAGER, "Pak Hendra")])
        async with bot.running(), aiohttp.ClientSession() as http:
            yield proxy, bot, http


async def check_buyer_served(emulator: BotApiEmulator, proxy: Proxy) -> None:
    """Telegram (the emulator) posts to the proxy's /telegram, never to the bot directly, and the buyer is answered."""
    assert emulator.calls_to("setWebhook")[-1].params["url"] == f"{proxy.url}/telegram"
    siti = emulator.user(1001, "Siti")
    await siti.send("/start")
    welcome = await siti.wait_for("Selamat datang", timeout=20)
    assert "Siti" in welcome.text


async def check_forgeries_refused(emulator: BotApiEmulator, proxy: Proxy, bot: WebhookBot,
                                  http: aiohttp.ClientSession) -> None:
    """Updates without the secret or with a wrong one: 403 through the proxy, and no effect; with it: served."""
    endpoint = f"{proxy.url}/telegram"
    statuses = []
    for n, headers in enumerate([{}, {SECRET_HEADER: "salah"}, {SECRET_HEADER: SECRET[:-1]}]):
        async with http.post(endpoint, json=price_change(800_000 + n, 1234), headers=headers) as response:
            statuses.append(response.status)
    assert statuses == [403, 403, 403]
    assert bot.price(SKU) == 3500
    # The same update with the secret is the manager's: the secret is what kept the others out.
    async with http.post(endpoint, json=price_change(800_010, 3600), headers={SECRET_HEADER: SECRET}) as response:
        assert response.status == 200
    manager = emulator.user(MANAGER, "Pak Hendra")
    await manager.wait_for("Rp3.600", timeout=20)
    assert bot.price(SKU) == 3600
    # Updates of one chat are handled in order: had a forged one got through, its answer would be here by now.
    assert not any("Rp1.234" in (message.text or "") for message in manager.inbox)


async def check_limits_and_internal_paths(proxy: Proxy, bot: WebhookBot, http: aiohttp.ClientSession) -> None:
    """Over 1 MB is refused; /healthz passes unchanged; /metrics and other paths are answered by the proxy itself."""
    endpoint = f"{proxy.url}/telegram"
    async with http.post(endpoint, data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                         headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"}) as response:
        assert response.status in proxy.too_large
    async with http.get(endpoint, headers={SECRET_HEADER: SECRET}) as response:
        assert response.status in (403, 404, 405) and response.headers.get("Server") == proxy.server
    async with http.get(f"http://127.0.0.1:{bot.port}/healthz") as direct, http.get(f"{proxy.url}/healthz") as via:
        assert (via.status, await via.read()) == (direct.status, await direct.read())
    for path in ("/metrics", "/", "/admin", "/telegram/x"):
        async with http.get(f"{proxy.url}{path}") as response:
            assert response.status == 404, path
            assert response.headers.get("Server") == proxy.server, path
