"""Readers of the Bot API calls the emulator has seen."""

from __future__ import annotations

from collections.abc import Collection

from bot.emulator.server import BotApiEmulator
from bot.emulator.state import CallRecord


def unanswered_calls(emulator: BotApiEmulator, methods: Collection[str] | None = None) -> list[CallRecord]:
    """Calls (of `methods`, else any) that reached the emulator and have not been answered yet.

    The emulator logs a call as it arrives and fills in its result or error, and its duration, as it answers.
    """
    return [c for c in emulator.calls if c.result is None and c.error is None and c.duration == 0.0
            and (methods is None or c.method in methods)]
