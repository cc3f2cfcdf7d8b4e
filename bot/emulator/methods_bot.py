"""Methods about the bot itself and callbacks: getMe, commands, menu button, getChat, getFile, ..."""

from __future__ import annotations

from typing import Any

from bot.emulator.commands import check_commands, scope_key
from bot.emulator.errors import QUERY_TOO_OLD, bad_request
from bot.emulator.state import Call, Handler
from bot.emulator.validation import check_web_app

_TEXT_LIMITS = {"description": 512, "short_description": 120, "name": 64}


async def get_me(call: Call) -> Any:
    """getMe: the bot account; command handlers need the username."""
    return {
        **call.state.bot.to_dict(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def ok(_: Call) -> Any:
    """logOut and close: nothing to do locally."""
    return True


async def set_my_commands(call: Call) -> Any:
    """setMyCommands: one list per scope and language_code."""
    p = call.params
    key = (scope_key(p.get_json("scope")), p.get_str("language_code") or "")
    call.state.commands[key] = check_commands(p.get_json("commands"))
    return True


async def get_my_commands(call: Call) -> Any:
    """getMyCommands: exactly what was set for that scope and language."""
    p = call.params
    return call.state.commands.get((scope_key(p.get_json("scope")), p.get_str("language_code") or ""), [])


async def delete_my_commands(call: Call) -> Any:
    """deleteMyCommands: forgets the list of that scope and language."""
    p = call.params
    call.state.commands.pop((scope_key(p.get_json("scope")), p.get_str("language_code") or ""), None)
    return True


async def set_chat_menu_button(call: Call) -> Any:
    """setChatMenuButton: per chat, or the bot's default without chat_id."""
    p = call.params
    button = p.get_json("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in ("commands", "web_app", "default"):
        raise bad_request("can't parse menu button JSON object")
    if button["type"] == "web_app":
        if not isinstance(button.get("text"), str) or not button["text"]:
            raise bad_request("can't parse menu button JSON object")
        check_web_app(button.get("web_app"))
    chat_id = call.state.chat(p.chat_id()).id if p.has("chat_id") else None
    call.state.menu_buttons[chat_id] = button
    return True


async def get_chat_menu_button(call: Call) -> Any:
    """getChatMenuButton: the chat's button, else the bot's default ("commands" until changed)."""
    p = call.params
    buttons = call.state.menu_buttons
    default = buttons.get(None, {"type": "commands"})
    if not p.has("chat_id"):
        return default
    button = buttons.get(call.state.chat(p.chat_id()).id, {"type": "default"})
    return default if button.get("type") == "default" else button


async def get_chat(call: Call) -> Any:
    """getChat: a ChatFullInfo with the fields PTB requires."""
    chat = call.state.chat(call.params.chat_id())
    gifts = {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
             "premium_subscription": False, "gifts_from_channels": False}
    return {**chat.to_dict(), "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}


def _bot_text(field: str) -> tuple[Handler, Handler]:
    """Builds the set/get pair for description, short_description or name."""

    async def setter(call: Call) -> Any:
        """Stores the text for a language (empty language = default)."""
        value = call.params.get_str(field) or ""
        if len(value) > _TEXT_LIMITS[field]:
            raise bad_request(f"{field} is too long")
        call.state.bot_texts[(field, call.params.get_str("language_code") or "")] = value
        return True

    async def getter(call: Call) -> Any:
        """Returns the text for a language, falling back to the default one."""
        language = call.params.get_str("language_code") or ""
        texts = call.state.bot_texts
        fallback = call.state.bot.first_name if field == "name" else ""
        return {field: texts.get((field, language), texts.get((field, ""), fallback))}

    return setter, getter


async def answer_callback_query(call: Call) -> Any:
    """answerCallbackQuery: once per query; a second answer is "query is too old"."""
    p = call.params
    query = call.state.queries.get(p.get_str("callback_query_id") or "")
    if query is None or query.answered:
        raise bad_request(QUERY_TOO_OLD)
    text = p.get_str("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    query.answer = {"text": text, "show_alert": p.get_bool("show_alert"), "url": p.get_str("url")}
    chat = call.state.chats.get(query.chat_id)
    if chat is not None:
        if text:
            chat.record("answer", "bot", ("alert: " if query.answer["show_alert"] else "toast: ") + text)
        chat.touch()
    return True


BOT_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the Bot API hands out files of at most 20 MB


async def get_file(call: Call) -> Any:
    """getFile: the File object with a file_path for the download URL; Telegram refuses files above 20 MB."""
    stored = call.state.files.get(call.params.get_str("file_id") or "")
    if len(stored.data) > BOT_DOWNLOAD_LIMIT:
        raise bad_request("file is too big")
    return stored.info()


_set_description, _get_description = _bot_text("description")
_set_short, _get_short = _bot_text("short_description")
_set_name, _get_name = _bot_text("name")

HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "logOut": ok,
    "close": ok,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "getChat": get_chat,
    "setMyDescription": _set_description,
    "getMyDescription": _get_description,
    "setMyShortDescription": _set_short,
    "getMyShortDescription": _get_short,
    "setMyName": _set_name,
    "getMyName": _get_name,
    "answerCallbackQuery": answer_callback_query,
    "getFile": get_file,
}
