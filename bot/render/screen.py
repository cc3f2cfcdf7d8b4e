"""What a handler shows: one message of HTML text (or a photo with it as caption) and an optional keyboard."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup


@dataclass(frozen=True)
class Screen:
    """One message to show: HTML text (the caption when a photo is given) and an optional inline keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    photo: str | None = None
