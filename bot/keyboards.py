"""The compact callback-data codec (at most 64 bytes) and keyboard helpers.

Callback data is untrusted input: anyone can forge any string. `decode` only checks the shape;
every handler re-validates ids and ownership against the database before acting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.routing.actions import Action

MAX_BYTES = 64
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
    return InlineKeyboardButton(text, callback_data=encode(action, *args))


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
