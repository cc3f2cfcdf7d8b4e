"""Everything the emulated Telegram knows: bot profile, chats, files, queries, commands and the call log."""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.chats import Chat, UserProfile
from bot.emulator.errors import CHAT_NOT_FOUND, ApiError, bad_request
from bot.emulator.faults import Faults
from bot.emulator.files import FileStore, StoredFile
from bot.emulator.messages import StoredMessage
from bot.emulator.update_check import check_update
from bot.emulator.updates import UpdateQueue
from bot.emulator.webhook import WebhookSender
from bot.emulator.wire import Params


@dataclass
class CallbackQuery:
    """A button press the bot must answer exactly once."""

    id: str
    chat_id: int
    user_id: int
    message_id: int | None
    data: str | None
    answered: bool = False
    answer: dict[str, Any] | None = None


@dataclass
class CallRecord:
    """One Bot API call the bot made, as the emulator answered it."""

    method: str
    params: dict[str, Any]
    time: float
    result: Any = None
    error: ApiError | None = None
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        """Tells whether the call succeeded."""
        return self.error is None

    @property
    def chat_id(self) -> Any:
        """The chat_id parameter, if any."""
        return self.params.get("chat_id")


@dataclass
class BotState:
    """The shared state every method handler and emulated user works on."""

    token: str
    bot: UserProfile
    chats: dict[int, Chat] = field(default_factory=dict)
    files: FileStore = field(default_factory=FileStore)
    updates: UpdateQueue = field(default_factory=UpdateQueue)
    faults: Faults = field(default_factory=Faults)
    queries: dict[str, CallbackQuery] = field(default_factory=dict)
    commands: dict[tuple[tuple[str, int | None, int | None], str], list[dict[str, Any]]] = field(default_factory=dict)
    menu_buttons: dict[int | None, dict[str, Any]] = field(default_factory=dict)
    bot_texts: dict[tuple[str, str], str] = field(default_factory=dict)
    calls: list[CallRecord] = field(default_factory=list)
    webhook: WebhookSender = field(init=False)
    _query_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(4_000_000_000_001))

    def __post_init__(self) -> None:
        self.webhook = WebhookSender(self.updates)

    def chat(self, chat_id: int | str) -> Chat:
        """Finds a chat by id or @username, or answers 400 "chat not found"."""
        if isinstance(chat_id, str):
            found = next((c for c in self.chats.values() if c.username and f"@{c.username}" == chat_id), None)
        else:
            found = self.chats.get(chat_id)
        if found is None:
            raise bad_request(CHAT_NOT_FOUND)
        return found

    def post(self, chat: Chat, body: dict[str, Any], *, markup: dict[str, Any] | None = None,
             files: list[StoredFile] | None = None) -> StoredMessage:
        """Puts a bot message into a chat; only inline keyboards appear in the returned Message."""
        data: dict[str, Any] = {
            "message_id": chat.new_message_id(),
            "from": self.bot.to_dict(),
            "chat": chat.to_dict(),
            "date": int(time.time()),
            **body,
        }
        if markup is not None and "inline_keyboard" in markup:
            data["reply_markup"] = markup
        elif markup is not None and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup is not None and markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        message = StoredMessage(data, from_bot=True, markup=markup, files=files or [])
        chat.messages[message.message_id] = message
        event = chat.record("sent", "bot", message=message.snapshot())
        message.changed_seq = event.seq
        return message

    def push_update(self, payload: dict[str, Any]) -> int:
        """Validates an update and queues it; raises MalformedUpdate instead of letting it reach the bot."""
        check_update(payload)
        return self.updates.push(payload, _update_chat_id(payload))

    def new_query_id(self) -> str:
        """Hands out a callback query id (a numeric string, like Telegram's)."""
        return str(next(self._query_ids))


def _update_chat_id(payload: dict[str, Any]) -> int | None:
    """The chat an update belongs to, for idle detection."""
    for kind, body in payload.items():
        if kind == "update_id" or not isinstance(body, dict):
            continue
        message = body.get("message", body) if kind == "callback_query" else body
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
        sender = body.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return None


@dataclass
class Call:
    """What a method handler gets: the state, the decoded parameters and the lower-case method name."""

    state: BotState
    params: Params
    method: str
    is_gone: Callable[[], bool] = lambda: False


Handler = Callable[[Call], Awaitable[Any]]
