"""Validation of updates pushed by tests: one malformed update would make PTB re-fetch it forever."""

from __future__ import annotations

import json
from typing import Any

UPDATE_TYPES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
        "business_message", "edited_business_message", "deleted_business_messages", "message_reaction",
        "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
        "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_member",
        "chat_join_request", "chat_boost", "removed_chat_boost",
    }
)
_MESSAGE_TYPES = frozenset({"message", "edited_message", "channel_post", "edited_channel_post", "business_message",
                            "edited_business_message"})
_CHAT_TYPES = frozenset({"private", "group", "supergroup", "channel"})


class MalformedUpdate(ValueError):
    """An update the emulator refuses to hand to the bot."""


def _require(condition: bool, reason: str) -> None:
    """Raises MalformedUpdate with the reason when the condition fails."""
    if not condition:
        raise MalformedUpdate(reason)


def _is_int(value: Any) -> bool:
    """True for ints that are not bools."""
    return isinstance(value, int) and not isinstance(value, bool)


def _check_user(user: Any, where: str) -> None:
    """A User needs id, is_bot and first_name."""
    _require(isinstance(user, dict), f"{where} must be an object")
    _require(_is_int(user.get("id")), f"{where}.id must be an integer")
    _require(isinstance(user.get("is_bot"), bool), f"{where}.is_bot must be a boolean")
    _require(isinstance(user.get("first_name"), str) and bool(user["first_name"]), f"{where}.first_name is required")


def _check_message(message: Any, where: str) -> None:
    """A Message needs message_id, date and a chat with id and type."""
    _require(isinstance(message, dict), f"{where} must be an object")
    _require(_is_int(message.get("message_id")), f"{where}.message_id must be an integer")
    _require(_is_int(message.get("date")), f"{where}.date must be a unix time integer")
    chat = message.get("chat")
    _require(isinstance(chat, dict) and _is_int(chat.get("id")), f"{where}.chat.id must be an integer")
    _require(chat.get("type") in _CHAT_TYPES, f"{where}.chat.type must be one of {sorted(_CHAT_TYPES)}")
    if "from" in message:
        _check_user(message["from"], f"{where}.from")
    for key in ("entities", "caption_entities"):
        for entity in message.get(key) or []:
            _require(isinstance(entity, dict) and {"type", "offset", "length"} <= entity.keys(),
                     f"{where}.{key} items need type, offset and length")


def _check_callback_query(query: Any) -> None:
    """A CallbackQuery needs a string id, a sender and chat_instance."""
    _require(isinstance(query, dict), "callback_query must be an object")
    _require(isinstance(query.get("id"), str), "callback_query.id must be a string")
    _check_user(query.get("from"), "callback_query.from")
    _require(isinstance(query.get("chat_instance"), str), "callback_query.chat_instance must be a string")
    if "message" in query:
        _check_message(query["message"], "callback_query.message")


def _check_with_ptb(update: dict[str, Any]) -> None:
    """Lets python-telegram-bot parse the update when it is installed: the ultimate consumer."""
    try:
        from telegram import Update
    except ImportError:  # pragma: no cover - the emulator itself does not need PTB
        return
    try:
        Update.de_json(json.loads(json.dumps(update)), None)
    except Exception as exc:
        raise MalformedUpdate(f"python-telegram-bot cannot parse it: {exc!r}") from exc


def check_update(update: Any) -> None:
    """Raises MalformedUpdate unless the dict is a well-formed Bot API Update."""
    _require(isinstance(update, dict), "an update must be a dict")
    if "update_id" in update:
        _require(_is_int(update["update_id"]) and update["update_id"] >= 0, "update_id must be an integer >= 0")
    kinds = [key for key in update if key != "update_id"]
    _require(len(kinds) == 1, f"an update carries exactly one of the update types, got {kinds}")
    kind = kinds[0]
    _require(kind in UPDATE_TYPES, f"unknown update type {kind!r}")
    try:
        json.dumps(update)
    except (TypeError, ValueError) as exc:
        raise MalformedUpdate(f"update is not JSON-serialisable: {exc}") from exc
    if kind in _MESSAGE_TYPES:
        _check_message(update[kind], kind)
    elif kind == "callback_query":
        _check_callback_query(update[kind])
    _check_with_ptb({"update_id": 0, **update})
