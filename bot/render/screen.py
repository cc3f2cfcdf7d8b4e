"""What a handler shows: one message of HTML text (or a photo with it as caption) and an optional keyboard."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup


@dataclass(frozen=True)
class Picture:
    """The photo of a screen: Telegram's file id when this bot sent it before, else the stored file to upload.

    `photo_id` names the stored photo whose file id the upload teaches (None for a legacy catalogue file id).
    """

    file_id: str | None = None
    file_name: str | None = None
    photo_id: int | None = None


@dataclass(frozen=True)
class Screen:
    """One message to show: HTML text (the caption when a photo is given) and an optional inline keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    photo: Picture | None = None
