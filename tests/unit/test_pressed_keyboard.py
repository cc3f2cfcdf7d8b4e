"""The keyboard of a pressed message stays unparsed (bot/keyboards.py `keep_pressed_keyboard_raw`), by polling and
by webhook alike, and the photo buttons still read it."""

from __future__ import annotations

import json
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.keyboards import RAW_PRESSED_KEYBOARD, pressed_callbacks
from bot.telegram_http import AiohttpRequest
from bot.web.telegram import parse_update

BOT = Bot("123:abc")
KEYBOARD = {"inline_keyboard": [
    [{"text": "◀", "callback_data": "bph:7:0"}, {"text": "▶", "callback_data": "bph:7:2"}],
    [{"text": "Situs", "url": "https://example.org"}],
    [{"text": "Menu", "callback_data": "bm"}],
]}


def press(keyboard: Any = KEYBOARD) -> dict[str, Any]:
    """A press update as Telegram sends it."""
    return {"update_id": 9, "callback_query": {
        "id": "q1", "chat_instance": "c", "data": "bph:7:2",
        "from": {"id": 1001, "is_bot": False, "first_name": "Siti"},
        "message": {"message_id": 5, "date": 1_764_900_000, "chat": {"id": 1001, "type": "private"},
                    "caption": "Roti Tawar", "reply_markup": keyboard},
    }}  # fmt: skip


def pressed(update: Update) -> Message:
    """The pressed message of a parsed press."""
    assert update.callback_query is not None and isinstance(update.callback_query.message, Message)
    return update.callback_query.message


def test_polling_leaves_the_pressed_keyboard_unparsed_and_its_buttons_readable() -> None:
    payload = json.dumps({"ok": True, "result": [press(), {"update_id": 10}]}).encode()
    updates = [Update.de_json(u, BOT) for u in AiohttpRequest.parse_json_payload(payload)["result"]]
    message = pressed(updates[0])
    assert message.reply_markup is None and message.api_kwargs[RAW_PRESSED_KEYBOARD] == KEYBOARD
    assert pressed_callbacks(message) == ["bph:7:0", "bph:7:2", "bm"]  # the URL button carries no data
    assert message.caption == "Roti Tawar" and updates[1].update_id == 10


def test_a_webhook_delivery_is_parsed_the_same_way() -> None:
    update = parse_update(json.dumps(press()).encode(), BOT)
    assert update is not None
    assert pressed(update).reply_markup is None
    assert pressed_callbacks(pressed(update)) == ["bph:7:0", "bph:7:2", "bm"]


def test_a_keyboard_parsed_by_ptb_is_read_too() -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("▶", callback_data="bph:7:2")]])
    message = Message.de_json(press()["callback_query"]["message"] | {"reply_markup": markup.to_dict()}, BOT)
    assert message is not None and pressed_callbacks(message) == ["bph:7:2"]


def test_a_malformed_keyboard_has_no_buttons_and_breaks_nothing() -> None:
    for keyboard in ("x", {"inline_keyboard": "x"}, {"inline_keyboard": ["x", [1, {"callback_data": 5}]]}):
        payload = json.dumps({"ok": True, "result": [press(keyboard)]}).encode()
        update = Update.de_json(AiohttpRequest.parse_json_payload(payload)["result"][0], BOT)
        assert pressed_callbacks(pressed(update)) == []
