"""Checks Telegram applies to what the bot sends: text limits and reply markup shapes."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
_INLINE_ACTIONS = (
    "callback_data", "url", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "callback_game", "pay", "web_app", "copy_text",
)
_KEY_REQUESTS = ("request_contact", "request_location", "request_poll", "request_users", "request_chat", "web_app")
_PRIVATE_ONLY_KEYS = ("request_contact", "request_location")
_WEB_APP_SCHEMES = ("https://", "http://127.0.0.1:", "http://localhost:")


def check_text(text: str) -> None:
    """Rejects an empty or too long message text (measured after entity parsing)."""
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")


def check_caption(caption: str) -> None:
    """Rejects a too long caption (measured after entity parsing)."""
    if len(caption) > MAX_CAPTION:
        raise bad_request("message caption is too long")


def check_reply_markup(markup: Any, *, private_chat: bool, inline_only: bool = False) -> dict[str, Any] | None:
    """Validates any reply_markup kind; inline_only for edits, which accept only inline keyboards."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif inline_only:
        raise bad_request("inline keyboard expected")
    elif "keyboard" in markup:
        _check_reply_keyboard(markup["keyboard"], private_chat)
    elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _rows(value: Any, field: str, kind: str) -> list[list[Any]]:
    """Checks the Array of Arrays shape shared by both keyboard kinds."""
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request(f'field "{field}" of the {kind} must be an Array of Arrays')
    return value


def _check_inline_keyboard(value: Any) -> None:
    """Each inline button needs a text and exactly one action; callback_data is 1-64 bytes."""
    for row in _rows(value, "inline_keyboard", "InlineKeyboardMarkup"):
        for button in row:
            if not isinstance(button, dict):
                raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
            if not isinstance(button.get("text"), str) or not button["text"]:
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            actions = [key for key in _INLINE_ACTIONS if key in button]
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            if len(actions) > 1:
                raise bad_request("can't parse inline keyboard button: exactly one of the optional fields must be used")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and not str(button["url"]).startswith(("http://", "https://", "tg://")):
                raise bad_request("inline keyboard button URL is invalid")
            if "web_app" in button:
                check_web_app(button["web_app"])


def check_web_app(info: Any) -> None:
    """A Mini App's WebAppInfo: Telegram opens https pages only (here also a loopback http page, for the demo)."""
    url = info.get("url") if isinstance(info, dict) else None
    if not isinstance(url, str) or not url.startswith(_WEB_APP_SCHEMES):
        raise bad_request("BUTTON_URL_INVALID")


def _check_reply_keyboard(value: Any, private_chat: bool) -> None:
    """Reply keys need a text; contact and location requests work only in private chats."""
    for row in _rows(value, "keyboard", "ReplyKeyboardMarkup"):
        for key in row:
            if isinstance(key, str):
                key = {"text": key}
            if not isinstance(key, dict) or not isinstance(key.get("text"), str) or not key["text"]:
                raise bad_request("can't parse keyboard button: Text must be non-empty")
            if sum(1 for request in _KEY_REQUESTS if key.get(request)) > 1:
                raise bad_request("can't parse keyboard button: only one of the optional fields can be used")
            for request in _PRIVATE_ONLY_KEYS:
                if key.get(request) and not private_chat:
                    raise bad_request(f"{request} buttons are allowed only in private chats")
