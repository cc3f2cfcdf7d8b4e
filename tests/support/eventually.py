"""The one way tests wait for something the code under test does in its own time: poll a condition."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    check: Callable[[], T | Awaitable[T]],
    *,
    timeout: float = 10.0,
    what: str | Callable[[], str] | None = None,
    every: float = 0.01,
) -> T:
    """Polls `check` (plain or async) until it returns something truthy, and returns that; fails after `timeout`.

    The timeout is generous on purpose: it only bounds a failing test, a passing one returns as soon as the
    condition holds. The failure names what was awaited (`what`, a text or a function that describes the state
    at the deadline; else the check's name).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result  # type: ignore[return-value]
        if time.monotonic() > deadline:
            name = what() if callable(what) else what or getattr(check, "__name__", repr(check))
            raise AssertionError(f"still waiting after {timeout} s for: {name} (last seen: {result!r})")
        await asyncio.sleep(every)  # a polling interval, not a guess at how long the work takes
