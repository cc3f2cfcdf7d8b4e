"""A button press: the query, its decoded arguments (untrusted), and whether it has been answered.

Callback data can be forged by anyone: every argument is read through a typed accessor that raises `Stale` when
it is missing or malformed, and the pipeline answers a stale press politely and changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from telegram import CallbackQuery

from bot.keyboards import Callback, parse_day_code

ALERT_LIMIT = 200  # Telegram shows at most 200 characters in a callback alert


class Stale(Exception):
    """A button (or stored step) whose data no longer, or never did, match anything the sender may act on."""


@dataclass
class Press:
    """One button press: the query, its decoded data, and whether it has been answered."""

    query: CallbackQuery
    callback: Callback
    before_answer: Callable[[], Awaitable[None]]  # commits the update's work: the answer is a Bot API call
    answered: bool = False

    @property
    def arg_count(self) -> int:
        """How many arguments the button carries."""
        return len(self.callback.args)

    def int_arg(self, index: int) -> int:
        """Argument `index` as a non-negative int; Stale when missing or malformed."""
        value = self.callback.int_arg(index)
        if value is None:
            raise Stale()
        return value

    def optional_int(self, index: int, default: int = 0) -> int:
        """Argument `index` as a non-negative int, or `default` when missing or malformed (a page number)."""
        value = self.callback.int_arg(index)
        return default if value is None else value

    def text_arg(self, index: int) -> str:
        """Argument `index` as text; Stale when missing."""
        if index >= len(self.callback.args):
            raise Stale()
        return self.callback.args[index]

    def day_arg(self, index: int) -> date:
        """Argument `index` as a date code; Stale when missing or malformed."""
        day = parse_day_code(self.text_arg(index))
        if day is None:
            raise Stale()
        return day

    def choice(self, index: int, allowed: set[str] | frozenset[str]) -> str:
        """Argument `index` when it is one of `allowed`; Stale otherwise."""
        value = self.text_arg(index)
        if value not in allowed:
            raise Stale()
        return value

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answers the query once (a toast, or an alert); later calls do nothing."""
        if self.answered:
            return
        self.answered = True
        await self.before_answer()
        await self.query.answer(text[:ALERT_LIMIT] if text else None, show_alert=alert)
