"""Users and chats: profiles, per-chat message ids, and the event log tests wait on."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.messages import BotMessage, StoredMessage


@dataclass(frozen=True)
class UserProfile:
    """A Telegram user account as the Bot API describes it."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Returns the User object, without empty optional fields."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class ChatEvent:
    """One line of a chat's history: a user action or a bot send, edit, delete or answer."""

    seq: int
    time: float
    kind: str  # "said", "did" (user); "sent", "edited", "deleted", "answer" (bot)
    actor: str
    text: str = ""
    message: BotMessage | None = None


@dataclass
class Chat:
    """A private chat or a group, with its messages and history."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    owner: UserProfile | None = None
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    events: list[ChatEvent] = field(default_factory=list)
    reply_keyboard: dict[str, Any] | None = None
    last_activity: float = field(default_factory=time.monotonic)
    seq: int = 0
    _next_id: int = 1
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def is_private(self) -> bool:
        """Tells whether this is a one-to-one chat with a user."""
        return self.type == "private"

    def to_dict(self) -> dict[str, Any]:
        """Returns the Chat object embedded in messages."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.owner is not None:
            data.update({k: v for k, v in self.owner.to_dict().items() if k in ("first_name", "last_name", "username")})
        if self.title is not None:
            data["title"] = self.title
        if self.username is not None:
            data["username"] = self.username
        return data

    def new_message_id(self) -> int:
        """Hands out the next message id; users and the bot share one sequence per chat."""
        message_id, self._next_id = self._next_id, self._next_id + 1
        return message_id

    def record(self, kind: str, actor: str, text: str = "", message: BotMessage | None = None) -> ChatEvent:
        """Appends a history event and wakes everyone waiting on this chat."""
        self.seq += 1
        event = ChatEvent(self.seq, time.monotonic(), kind, actor, text, message)
        self.events.append(event)
        self.notify()
        return event

    def touch(self) -> None:
        """Marks bot activity in this chat (any call that targets it)."""
        self.last_activity = time.monotonic()
        self.notify()

    def notify(self) -> None:
        """Wakes waiters; a fresh Event is armed for the next change."""
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def wait_change(self, timeout: float) -> None:
        """Waits until something happens in the chat, or the timeout passes."""
        changed = self._changed
        # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation that races a wake-up.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(timeout, 0)):
                await changed.wait()

    def bot_messages(self) -> list[StoredMessage]:
        """The bot's messages that still exist, oldest first."""
        return [m for m in self.messages.values() if m.from_bot and not m.deleted]
