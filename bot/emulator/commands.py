"""Bot command menus per scope and language, resolved the way Telegram picks what a user sees."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator.errors import bad_request

ScopeKey = tuple[str, int | None, int | None]
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SCOPE_TYPES = {
    "default": (), "all_private_chats": (), "all_group_chats": (), "all_chat_administrators": (),
    "chat": ("chat_id",), "chat_administrators": ("chat_id",), "chat_member": ("chat_id", "user_id"),
}


def scope_key(scope: Any) -> ScopeKey:
    """Normalises a BotCommandScope object into a dictionary key."""
    if scope is None:
        return ("default", None, None)
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    for field in _SCOPE_TYPES[scope["type"]]:
        if not isinstance(scope.get(field), int):
            raise bad_request(f"{field} is empty")
    return (scope["type"], scope.get("chat_id"), scope.get("user_id"))


def check_commands(commands: Any) -> list[dict[str, str]]:
    """Validates a setMyCommands list: 1-32 lower-case characters, description 1-256."""
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    checked = []
    for item in commands:
        if not isinstance(item, dict) or not _COMMAND_RE.match(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = item.get("description")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": item["command"], "description": description})
    return checked


def visible_scopes(chat_id: int, user_id: int, private: bool) -> list[ScopeKey]:
    """Scopes Telegram tries, most specific first (administrator scopes are not emulated)."""
    if private:
        return [("chat", chat_id, None), ("all_private_chats", None, None), ("default", None, None)]
    return [("chat_member", chat_id, user_id), ("chat", chat_id, None), ("all_group_chats", None, None),
            ("default", None, None)]


def resolve(store: dict[tuple[ScopeKey, str], list[dict[str, Any]]], scopes: list[ScopeKey],
            language_code: str | None) -> list[dict[str, Any]]:
    """The first command list set for a scope, preferring the user's language at each scope."""
    for key in scopes:
        for language in (language_code or "", ""):
            commands = store.get((key, language))
            if commands:
                return commands
    return []
