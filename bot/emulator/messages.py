"""Messages as the emulator stores them and as tests read them (frozen snapshots)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.emulator.files import StoredFile


@dataclass
class StoredMessage:
    """One message in a chat: the Bot API object plus what only the user sees."""

    data: dict[str, Any]
    from_bot: bool
    markup: dict[str, Any] | None = None
    files: list[StoredFile] = field(default_factory=list)
    changed_seq: int = 0
    edited: bool = False
    deleted: bool = False

    @property
    def message_id(self) -> int:
        """The message id within its chat."""
        return int(self.data["message_id"])

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard rows, empty when the message has none."""
        markup = self.data.get("reply_markup") or {}
        return list(markup.get("inline_keyboard") or [])

    def snapshot(self) -> BotMessage:
        """Freezes the current state for a test to read."""
        data = self.data
        location = data.get("location")
        document = data.get("document")
        return BotMessage(
            message_id=self.message_id,
            chat_id=int(data["chat"]["id"]),
            text=data.get("text"),
            caption=data.get("caption"),
            entities=tuple(data.get("entities") or data.get("caption_entities") or ()),
            reply_markup=self.markup,
            photo=self.files[-1].data if "photo" in data and self.files else None,
            document=self.files[-1].data if document and self.files else None,
            document_name=document.get("file_name") if document else None,
            location=(location["latitude"], location["longitude"]) if location else None,
            media_group_id=data.get("media_group_id"),
            edited=self.edited,
            raw=data,
        )


@dataclass(frozen=True)
class BotMessage:
    """What a user sees of one bot message at one moment (text after entity parsing)."""

    message_id: int
    chat_id: int
    text: str | None
    caption: str | None
    entities: tuple[dict[str, Any], ...]
    reply_markup: dict[str, Any] | None
    photo: bytes | None
    document: bytes | None
    document_name: str | None
    location: tuple[float, float] | None
    media_group_id: str | None
    edited: bool
    raw: dict[str, Any] = field(repr=False)

    @property
    def content(self) -> str:
        """The text or the caption, whichever the message has."""
        return self.text or self.caption or ""

    @property
    def inline_rows(self) -> list[list[dict[str, Any]]]:
        """Inline keyboard rows (button dicts), empty without an inline keyboard."""
        return list((self.reply_markup or {}).get("inline_keyboard") or [])

    @property
    def buttons(self) -> list[str]:
        """Labels of the inline buttons, row by row."""
        return [button["text"] for row in self.inline_rows for button in row]

    @property
    def keyboard(self) -> list[str]:
        """Labels of a reply keyboard sent with this message."""
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [key if isinstance(key, str) else key["text"] for row in rows for key in row]

    def has_entity(self, entity_type: str, fragment: str | None = None) -> bool:
        """Tells whether an entity of that type exists, optionally covering the given fragment."""
        body = self.content.encode("utf-16-le")
        for entity in self.entities:
            if entity["type"] != entity_type:
                continue
            start, length = entity["offset"] * 2, entity["length"] * 2
            if fragment is None or fragment in body[start : start + length].decode("utf-16-le"):
                return True
        return False
