"""Webhook mode: Telegram's deliveries (the emulator's, over real HTTP) reach POST /telegram and buyers get their
answers; forged, malformed and oversized bodies are refused before anything runs; deliveries while the bot stops
get 503 and come again."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import func, select

from bot.emulator.server import BotApiEmulator
from bot.web.telegram import SECRET_HEADER
from models.inbox import ReceivedUpdate
from models.people import Customer
from tests.flows.buyer_dialogues import bread_to_cart, checkout_to_summary, confirm, start
from tests.support.eventually import eventually
from tests.web.support import WEBHOOK_SECRET, WebBot

GOOD = {SECRET_HEADER: WEBHOOK_SECRET}


def _message(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """A message update as Telegram would post it."""
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
    user = {"id": user_id, "is_bot": False, "first_name": "Penyusup"}
    return {"update_id": update_id, "message": {"message_id": 1, "date": 1_795_000_000, "from": user,
                                                 "chat": {"id": user_id, "type": "private"}, "text": text,
                                                 "entities": entities}}


async def _rows(bot: WebBot, entity: type) -> int:
    """How many rows an entity has."""
    async with bot.harness.services.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(entity)) or 0)


async def test_a_buyer_orders_through_the_webhook_and_gets_every_answer(
    webhook_bot: WebBot, emulator: BotApiEmulator
) -> None:
    [registered] = emulator.calls_to("setWebhook")
    assert registered.params["url"] == webhook_bot.url("/telegram")
    assert registered.params["secret_token"] == WEBHOOK_SECRET
    assert emulator.calls_to("getUpdates") == []  # no polling at all in webhook mode
    siti = emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti)
    await checkout_to_summary(siti)
    [photo] = await confirm(siti)
    assert photo  # the QRIS payment code arrived, after the placed screen
    assert (await webhook_bot.harness.app.bot.get_webhook_info()).pending_update_count == 0
    assert emulator.state.webhook.last_error_message is None  # every delivery was taken at the first try
    status, body = await webhook_bot.readiness()
    assert status == 200, body


async def test_deliveries_without_or_with_a_wrong_secret_are_refused_and_nothing_runs(webhook_bot: WebBot) -> None:
    wrong = [{}, {SECRET_HEADER: "salah"}, {SECRET_HEADER: WEBHOOK_SECRET[:-1]}, {SECRET_HEADER: ""},
             {SECRET_HEADER: WEBHOOK_SECRET + "x"}, {SECRET_HEADER.lower(): WEBHOOK_SECRET.upper()}]
    statuses = [await webhook_bot.post_update(json.dumps(_message(700_000 + n, 424_242, "/start")), headers)
                for n, headers in enumerate(wrong)]
    assert statuses == [403] * len(wrong)
    assert await _rows(webhook_bot, Customer) == 0 and await _rows(webhook_bot, ReceivedUpdate) == 0
    assert webhook_bot.harness.taken_in == set()
    # The same delivery with the secret is served: the secret alone made the difference.
    assert await webhook_bot.post_update(json.dumps(_message(700_100, 424_242, "/start")), GOOD) == 200
    await eventually(lambda: 700_100 in webhook_bot.harness.taken_in, what="the update with the secret taken in")


async def test_bodies_that_are_not_json_object_updates_get_400_and_nothing_runs(webhook_bot: WebBot) -> None:
    bodies = [b"hello", b"", b"\xff\xfe", b"[1, 2]", b'"update"', b"null", b'{"message": {}}',
              b'{"update_id": "12"}', b'{"update_id": 5, "message": "teks"}', b'{"update_id": true}']
    statuses = [await webhook_bot.post_update(body, GOOD) for body in bodies]
    assert statuses == [400] * len(bodies)
    assert await _rows(webhook_bot, Customer) == 0 and await _rows(webhook_bot, ReceivedUpdate) == 0
    assert webhook_bot.harness.taken_in == set()


async def test_a_2_mb_body_gets_413_with_or_without_a_content_length(webhook_bot: WebBot) -> None:
    big = json.dumps({**_message(710_000, 424_242, "/start"), "padding": "x" * 2_000_000}).encode()
    assert await webhook_bot.post_update(big, GOOD) == 413

    async def chunks() -> AsyncIterator[bytes]:
        """The same body streamed without a Content-Length (chunked)."""
        for offset in range(0, len(big), 65_536):
            yield big[offset:offset + 65_536]

    async with webhook_bot.http.post(webhook_bot.url("/telegram"), data=chunks(), headers=GOOD) as response:
        assert response.status == 413
    assert await _rows(webhook_bot, ReceivedUpdate) == 0 and webhook_bot.harness.taken_in == set()


async def test_deliveries_while_the_bot_stops_get_503_and_telegram_delivers_them_again(
    webhook_bot: WebBot, emulator: BotApiEmulator
) -> None:
    siti = emulator.user(1001, "Siti")
    await start(siti)
    webhook_bot.runtime.context.accepting = False  # what a stop does first
    assert await webhook_bot.post_update(json.dumps(_message(720_000, 424_242, "/start")), GOOD) == 503
    await siti.send("/bantuan")
    await eventually(lambda: emulator.state.webhook.last_error_message == "Wrong response from the webhook: 503 "
                     "Service Unavailable", what="the emulator's delivery refused with 503")
    assert len(siti.inbox) == 1  # the welcome only: the refused delivery did not run
    webhook_bot.runtime.context.accepting = True
    await siti.wait_for(lambda m: m is not siti.inbox[0])  # Telegram's retry is served
    assert 720_000 not in webhook_bot.harness.taken_in
