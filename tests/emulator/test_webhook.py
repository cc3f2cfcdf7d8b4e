"""Webhook delivery: in order, with the secret header, retried until the bot's server listens."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web
from telegram import Bot

from bot.emulator import BotApiEmulator
from bot.emulator.balancer import free_port
from bot.emulator.webhook import SECRET_HEADER
from tests.support.eventually import eventually


@asynccontextmanager
async def _receiver(port: int, secret: str | None, got: list[dict[str, Any]]) -> AsyncIterator[None]:
    """A tiny webhook endpoint that checks the secret header like PTB's webhook server does."""

    async def hook(request: web.Request) -> web.Response:
        if secret is not None and request.headers.get(SECRET_HEADER) != secret:
            return web.Response(status=403)
        got.append(await request.json())
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield
    finally:
        await runner.cleanup()


async def test_updates_are_retried_until_the_bot_listens_and_arrive_in_order(emu: BotApiEmulator, bot: Bot) -> None:
    port = free_port()
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="rahasia-123")
    user = emu.user(1001)
    for text in ("satu", "dua", "tiga"):
        await user.send(text)
    await eventually(lambda: emu.state.webhook.last_error_message == "Connection refused", what="a refused delivery")
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 3 and info.last_error_message == "Connection refused"
    got: list[dict[str, Any]] = []
    async with _receiver(port, "rahasia-123", got):
        await eventually(lambda: len(got) == 3, what="three deliveries")
    assert [u["message"]["text"] for u in got] == ["satu", "dua", "tiga"]
    assert (await bot.get_webhook_info()).pending_update_count == 0
    await user.wait_idle(quiet=0.0, timeout=1)


async def test_a_receiver_expecting_another_secret_keeps_the_update_pending(emu: BotApiEmulator, bot: Bot) -> None:
    port = free_port()
    got: list[dict[str, Any]] = []
    async with _receiver(port, "yang-benar", got):
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="yang-salah")
        await emu.user(1001).send("halo")
        await eventually(lambda: emu.state.webhook.last_error_message is not None, what="a failed delivery")
        info = await bot.get_webhook_info()
        assert got == []
        assert info.pending_update_count == 1 and "403" in (info.last_error_message or "")
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="yang-benar")
        await eventually(lambda: len(got) == 1, what="one delivery")


async def test_without_a_secret_no_header_is_sent(emu: BotApiEmulator, bot: Bot) -> None:
    headers: list[str | None] = []
    port = free_port()

    async def hook(request: web.Request) -> web.Response:
        headers.append(request.headers.get(SECRET_HEADER))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook")
        await emu.user(1001).send("halo")
        await eventually(lambda: len(headers) == 1, what="one delivery")
    finally:
        await runner.cleanup()
    assert headers == [None]
    info = await bot.get_webhook_info()
    assert info.url == f"http://127.0.0.1:{port}/hook" and info.pending_update_count == 0
