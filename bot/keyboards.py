"""The compact callback-data codec (at most 64 bytes) and keyboard helpers.

Callback data is untrusted input: anyone can forge any string. `decode` only checks the shape;
every handler re-validates ids and ownership against the database before acting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.routing.actions import Action

MAX_BYTES = 64
# Where a pressed message's keyboard waits, unparsed, among the message's api_kwargs (`keep_pressed_keyboard_raw`).
RAW_PRESSED_KEYBOARD = "karya_pressed_keyboard"
_TOKEN = re.compile(r"^[A-Za-z0-9_\-.]{1,40}$")
_DAY_CODE = re.compile(r"^20[0-9]{6}$")


@dataclass(frozen=True)
class Callback:
    """A decoded button press: an action name and its string arguments."""

    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int | None:
        """Argument `index` as a non-negative int, or None when missing or malformed."""
        if index >= len(self.args) or not self.args[index].isdigit() or len(self.args[index]) > 12:
            return None
        return int(self.args[index])


def encode(action: Action, *args: object) -> str:
    """Encodes an action and its arguments as `action:arg1:arg2`, refusing anything over 64 bytes."""
    parts = [action, *(str(a) for a in args)]
    for part in parts:
        if not _TOKEN.match(part):
            raise ValueError(f"callback part {part!r} is not a short token")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """Decodes callback data, or None when it is not of our shape."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if not all(_TOKEN.match(p) for p in parts):
        return None
    return Callback(parts[0], tuple(parts[1:]))


def button(text: str, action: Action, *args: object) -> InlineKeyboardButton:
    """An inline button that sends `action:args`."""
    return _button(text, encode(action, *args))


@lru_cache(maxsize=4096)
def _button(text: str, data: str) -> InlineKeyboardButton:
    """One button object per label and data: PTB's objects are immutable, and most buttons (the catalogue, the
    dates, "Kembali") are drawn again for every buyer, at several microseconds each."""
    return InlineKeyboardButton(text, callback_data=data)


def rows(buttons: list[InlineKeyboardButton], per_row: int = 2) -> list[list[InlineKeyboardButton]]:
    """Lays buttons out in rows of `per_row`."""
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def markup(*button_rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows, skipping empty ones."""
    return InlineKeyboardMarkup([r for r in button_rows if r])


def day_code(day: date) -> str:
    """A date as 8 digits for callback data: 2026-11-28 -> "20261128"."""
    return day.strftime("%Y%m%d")


def parse_day_code(text: str) -> date | None:
    """The date of an 8-digit code, or None when it is not one (forged data)."""
    if not _DAY_CODE.match(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def keep_pressed_keyboard_raw(update: dict[str, Any]) -> None:
    """Moves the keyboard of a pressed message out of PTB's way, before the update is parsed.

    Every press arrives with the whole keyboard of the message pressed (a catalogue page: ten buttons), and PTB
    would build an object for each button although only the photo buttons ever look at it (bench/HISTORY.md
    says what leaving it raw saved). Under a name PTB does not know, it stays in the message's `api_kwargs` as
    Telegram sent it; `pressed_callbacks` reads it, and handlers never see `reply_markup` on a pressed message.
    """
    query = update.get("callback_query")
    message = query.get("message") if isinstance(query, dict) else None
    if isinstance(message, dict) and "reply_markup" in message:
        message[RAW_PRESSED_KEYBOARD] = message.pop("reply_markup")


def pressed_callbacks(message: Message) -> list[str]:
    """The callback data of every button of a pressed message (kept raw, or parsed when the update came parsed)."""
    if message.reply_markup is not None:
        return [key.callback_data for row in message.reply_markup.inline_keyboard for key in row
                if isinstance(key.callback_data, str)]
    raw = message.api_kwargs.get(RAW_PRESSED_KEYBOARD)
    rows = raw.get("inline_keyboard") if isinstance(raw, dict) else None
    found: list[str] = []
    for row in rows if isinstance(rows, list) else ():
        for key in row if isinstance(row, list) else ():
            data = key.get("callback_data") if isinstance(key, dict) else None
            if isinstance(data, str):
                found.append(data)
    return found
