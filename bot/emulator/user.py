"""EmulatedUser: a person in one chat who sends, presses and shares, and reads what the bot shows.

Wait semantics: every user action (send, press, share, ...) sets a mark in the chat's history.
`wait_for` returns the first bot message, in order of its latest change, that was sent or edited
after the mark and matches now; it does not consume anything, so two waits after one action may
return the same message. `wait_idle` returns once this chat's updates have reached the bot and no
call touched the chat for `quiet` seconds. Timeouts raise AssertionError with the chat transcript.
"""

from __future__ import annotations

import asyncio
import copy
import re
import time
from collections.abc import Callable
from typing import Any

from bot.emulator.chats import Chat, UserProfile
from bot.emulator.commands import resolve, visible_scopes
from bot.emulator.entities import command_entities
from bot.emulator.messages import BotMessage, StoredMessage
from bot.emulator.state import BotState, CallbackQuery
from bot.emulator.transcript import render_transcript

Match = str | Callable[[BotMessage], bool]
_DEEP_LINK_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MEDAN = (3.5952, 98.6722)


class EmulatedUser:
    """A user in one chat; in_group() gives the same person in a group."""

    def __init__(self, state: BotState, profile: UserProfile, chat: Chat, *, phone_number: str) -> None:
        self._state = state
        self.profile = profile
        self.chat = chat
        self.phone_number = phone_number
        self._mark = chat.seq
        self._groups: dict[int, EmulatedUser] = {}
        self.last_update_id: int | None = None  # the newest update this user pushed (the demo waits for it)

    @property
    def id(self) -> int:
        """The Telegram user id."""
        return self.profile.id

    def in_group(self, group: Chat) -> EmulatedUser:
        """The same person talking in a group chat (one view per group, with its own mark)."""
        if group.id not in self._groups:
            self._groups[group.id] = EmulatedUser(self._state, self.profile, group, phone_number=self.phone_number)
        return self._groups[group.id]

    async def send_in(self, group: Chat, text: str) -> int:
        """Sends a text into a group; shortcut for in_group(group).send(text)."""
        return await self.in_group(group).send(text)

    # -- actions -----------------------------------------------------------------------------------

    def _act(self, kind: str, text: str) -> None:
        """Records a user action and moves the wait mark to it."""
        self.chat.record(kind, self.profile.first_name, text)
        self._mark = self.chat.seq
        self.chat.touch()

    async def _message(self, body: dict[str, Any], said: str, kind: str = "said") -> int:
        """Stores a user message and pushes it to the bot as a message update."""
        data = {"message_id": self.chat.new_message_id(), "from": self.profile.to_dict(),
                "chat": self.chat.to_dict(), "date": int(time.time()), **body}
        self.last_update_id = self._state.push_update({"message": copy.deepcopy(data)})
        self.chat.messages[data["message_id"]] = StoredMessage(data, from_bot=False)
        self._act(kind, said)
        await asyncio.sleep(0)
        return int(data["message_id"])

    async def send(self, text: str) -> int:
        """Sends a text; commands (also /cmd@Bot) get bot_command entities. Returns the message id."""
        if not text.strip():
            raise ValueError("Telegram clients do not send empty messages")
        entities = command_entities(text)
        return await self._message({"text": text, "entities": entities} if entities else {"text": text}, text)

    async def open_deep_link(self, payload: str) -> int:
        """Opens t.me/<bot>?start=<payload>: the client sends "/start <payload>"."""
        if not _DEEP_LINK_RE.match(payload):
            raise ValueError("a deep-link payload is 1-64 characters of A-Z, a-z, 0-9, _ and -")
        return await self.send(f"/start {payload}")

    async def share_contact(self, phone_number: str | None = None, user_id: int | None = None) -> int:
        """Shares a contact; by default the user's own (user_id = own id, as the request_contact key does)."""
        contact = {"phone_number": phone_number or self.phone_number, "first_name": self.profile.first_name,
                   "user_id": self.id if user_id is None else user_id}
        if self.profile.last_name:
            contact["last_name"] = self.profile.last_name
        return await self._message({"contact": contact}, f"shared contact {contact['phone_number']}", "did")

    async def share_location(self, latitude: float = _MEDAN[0], longitude: float = _MEDAN[1]) -> int:
        """Shares a location (Medan by default)."""
        body = {"location": {"latitude": latitude, "longitude": longitude}}
        return await self._message(body, f"shared location {latitude}, {longitude}", "did")

    async def send_photo(self, image_bytes: bytes, caption: str | None = None) -> int:
        """Sends a photo; the bot can getFile the largest size and download the exact bytes."""
        sizes = self._state.files.add_photo(image_bytes)
        body: dict[str, Any] = {"photo": [size.photo_size() for size in sizes]}
        if caption:
            body["caption"] = caption
        return await self._message(body, f"sent a photo ({len(image_bytes)} bytes){': ' + caption if caption else ''}",
                                   "did")

    async def send_document(self, data: bytes, file_name: str, mime_type: str = "application/octet-stream", *,
                            caption: str | None = None, file_size: int | bool | None = True) -> int:
        """Sends a file; `file_size` True states its real size, an int states another (as a lying client would),
        None leaves it out (Telegram may). The bot can getFile it and download the exact bytes."""
        stored = self._state.files.add(data, "document", file_name=file_name, mime_type=mime_type)
        document: dict[str, Any] = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                                    "file_name": file_name, "mime_type": mime_type}
        if file_size is not None:
            document["file_size"] = len(data) if file_size is True else int(file_size)
        body: dict[str, Any] = {"document": document}
        if caption:
            body["caption"] = caption
        return await self._message(body, f"sent a file {file_name} ({len(data)} bytes)", "did")

    async def send_sticker(self, emoji: str = "👍") -> int:
        """Sends a regular static sticker."""
        stored = self._state.files.add(b"RIFF\x00\x00\x00\x00WEBPVP8 ", "sticker")
        sticker = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "type": "regular",
                   "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": emoji}
        return await self._message({"sticker": sticker}, f"sent a sticker {emoji}", "did")

    async def send_voice(self, duration: int = 3) -> int:
        """Sends a voice note (a few bytes of Ogg)."""
        stored = self._state.files.add(b"OggS\x00\x02" + bytes(64), "voice", mime_type="audio/ogg")
        voice = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "duration": duration,
                 "mime_type": "audio/ogg", "file_size": len(stored.data)}
        return await self._message({"voice": voice}, f"sent a voice note ({duration} s)", "did")

    async def press_key(self, label: str) -> int:
        """Taps a reply-keyboard key: contact and location keys share them, others send their text."""
        keys = [k if isinstance(k, dict) else {"text": k}
                for row in (self.chat.reply_keyboard or {}).get("keyboard", []) for k in row]
        key = next((k for k in keys if k["text"] == label), None)
        if key is None:
            shown = "  ".join(f"<{k['text']}>" for k in keys) or "(no reply keyboard)"
            raise AssertionError(f"No reply key {label!r}. Keys: {shown}\n{self.transcript()}")
        if (self.chat.reply_keyboard or {}).get("one_time_keyboard"):
            self.chat.reply_keyboard = None  # the client hides a one-time keyboard after use
        if key.get("request_contact"):
            return await self.share_contact()
        if key.get("request_location"):
            return await self.share_location()
        return await self.send(label)

    def _keyboard_message(self, message_id: int | None) -> StoredMessage:
        """The bot message whose inline keyboard a press uses: the given one or the latest."""
        if message_id is not None:
            message = self.chat.messages.get(message_id)
            if message is None or message.deleted or not message.from_bot:
                raise AssertionError(f"No bot message #{message_id} in this chat.\n{self.transcript()}")
            return message
        for message in reversed(self.chat.bot_messages()):
            if message.inline_keyboard:
                return message
        raise AssertionError(f"The bot has shown no inline keyboard in this chat.\n{self.transcript()}")

    async def press(self, label: str, *, message_id: int | None = None) -> str:
        """Presses an inline button by label (exact, else a unique substring); returns the query id."""
        message = self._keyboard_message(message_id)
        buttons = [b for row in message.inline_keyboard for b in row]
        found = [b for b in buttons if b["text"] == label] or [
            b for b in buttons if label.casefold() in b["text"].casefold()
        ]
        if len(found) != 1:
            shown = "  ".join(f"[{b['text']}]" for b in buttons)
            problem = "Ambiguous" if found else "No"
            raise AssertionError(
                f"{problem} inline button {label!r} on message #{message.message_id}. Buttons: {shown}\n"
                f"{self.transcript()}"
            )
        button = found[0]
        if "web_app" in button:
            raise AssertionError(f"[{button['text']}] opens the Mini App at {button['web_app'].get('url')} in Telegram")
        if "callback_data" not in button:
            raise AssertionError(f"Button [{button['text']}] is not a callback button: {button}")
        return await self._callback(message, button["callback_data"], f"pressed [{button['text']}]")

    async def press_data(self, data: str, message_id: int | None = None) -> str:
        """Sends a callback query with any (possibly forged) data, on the given or latest bot message."""
        message: StoredMessage | None = None
        if message_id is not None:
            message = self._keyboard_message(message_id)
        else:
            bot_messages = self.chat.bot_messages()
            keyboards = [m for m in bot_messages if m.inline_keyboard]
            candidates = keyboards or bot_messages
            message = candidates[-1] if candidates else None
        return await self._callback(message, data, f"pressed a button with data {data!r}")

    async def _callback(self, message: StoredMessage | None, data: str, said: str) -> str:
        """Pushes a callback_query update carrying the message as it is now."""
        query_id = self._state.new_query_id()
        query: dict[str, Any] = {"id": query_id, "from": self.profile.to_dict(),
                                 "chat_instance": str(abs(self.chat.id) * 7919 % 10**12), "data": data}
        if message is not None:
            query["message"] = copy.deepcopy(message.data)
        self.last_update_id = self._state.push_update({"callback_query": query})
        self._state.queries[query_id] = CallbackQuery(
            query_id, self.chat.id, self.id, message.message_id if message else None, data
        )
        self._act("did", said)
        await asyncio.sleep(0)
        return query_id

    # -- reading -----------------------------------------------------------------------------------

    @property
    def inbox(self) -> list[BotMessage]:
        """The bot's messages in this chat as they are now (edits applied, deleted ones gone)."""
        return [message.snapshot() for message in self.chat.bot_messages()]

    @property
    def last_message(self) -> BotMessage | None:
        """The newest bot message still in the chat."""
        messages = self.chat.bot_messages()
        return messages[-1].snapshot() if messages else None

    def buttons(self) -> list[str]:
        """Labels of the latest inline keyboard (empty when there is none)."""
        for message in reversed(self.chat.bot_messages()):
            if message.inline_keyboard:
                return message.snapshot().buttons
        return []

    def keyboard(self) -> list[str]:
        """Labels of the reply keyboard currently shown."""
        rows = (self.chat.reply_keyboard or {}).get("keyboard", [])
        return [k if isinstance(k, str) else k["text"] for row in rows for k in row]

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """How the bot answered a press (text, show_alert, url), None while unanswered."""
        query = self._state.queries.get(query_id)
        return query.answer if query else None

    def commands(self) -> list[dict[str, Any]]:
        """The command menu this user sees here (scope and language fallbacks applied)."""
        scopes = visible_scopes(self.chat.id, self.id, self.chat.is_private)
        return resolve(self._state.commands, scopes, self.profile.language_code)

    def transcript(self) -> str:
        """The chat history as readable text."""
        return render_transcript(self.chat)

    async def wait_for(self, match: Match, timeout: float = 5.0) -> BotMessage:
        """The first bot message sent or edited since the last user action whose content matches."""
        accept = (lambda m: match in m.content) if isinstance(match, str) else match
        wanted = repr(match) if isinstance(match, str) else getattr(match, "__name__", "a predicate")
        deadline = time.monotonic() + timeout
        while True:
            changed = sorted((m for m in self.chat.bot_messages() if m.changed_seq > self._mark),
                             key=lambda m: m.changed_seq)
            for message in changed:
                snapshot = message.snapshot()
                if accept(snapshot):
                    return snapshot
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"No bot message matching {wanted} within {timeout} s after {self.profile.first_name}'s "
                    f"last action.\n{self.transcript()}"
                )
            await self.chat.wait_change(remaining)

    async def wait_for_photo(self, timeout: float = 5.0) -> BotMessage:
        """The first photo message sent or edited since the last user action."""

        def has_photo(message: BotMessage) -> bool:
            return message.photo is not None

        return await self.wait_for(has_photo, timeout)

    async def wait_response(self, after_seq: int, *, query_id: str | None = None, timeout: float = 30.0) -> bool:
        """Waits for the bot's answer to an action: the press answered, or a message or edit after event `after_seq`.

        Returns False when nothing came within the timeout (some input, such as a duplicate, gets no answer).
        """
        deadline = time.monotonic() + timeout
        while True:
            if query_id is not None and self.callback_answer(query_id) is not None:
                return True
            if query_id is None and any(e.seq > after_seq and e.actor == "bot" for e in self.chat.events[-20:]):
                return True
            now = time.monotonic()
            if now >= deadline:
                return False
            await self.chat.wait_change(deadline - now)

    async def wait_idle(self, quiet: float = 0.2, timeout: float = 5.0) -> None:
        """Returns when the bot has fetched this chat's updates and left the chat alone for quiet seconds."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            pending = self._state.updates.pending_for(self.chat.id)
            quiet_at = self.chat.last_activity + quiet
            if not pending and now >= quiet_at:
                return
            if now >= deadline:
                state = "its update was never fetched" if pending else f"it was never quiet for {quiet} s"
                raise AssertionError(f"The bot did not go idle within {timeout} s ({state}).\n{self.transcript()}")
            wake_at = min(deadline, now + 0.01 if pending else quiet_at)
            await self.chat.wait_change(wake_at - now)
