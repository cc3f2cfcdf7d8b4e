"""A clock that tests move by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

from models.rules.calendar import WIB


class FakeClock:
    """Returns a fixed aware time until a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def set_wib(self, *args: int) -> None:
        """Moves to a WIB wall-clock time."""
        self.current = datetime(*args, tzinfo=WIB)  # type: ignore[misc]

    def advance(self, **delta: float) -> None:
        """Moves forward by a timedelta given as keywords (minutes=5)."""
        self.current += timedelta(**delta)
