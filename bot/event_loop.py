"""The event loop every entry point runs on (EVENT_LOOP): uvloop where it is installed, asyncio's own otherwise.

uvloop is libuv under asyncio's interface: the same code runs on either loop, and the tests run on both (the
in-process tests on asyncio's, the entry point in a subprocess on uvloop). It takes a few percent off the CPU the
bot spends per update, most on PostgreSQL, whose asyncpg makes many small socket reads and writes (benchmark 1
runs every case on both loops in the same rounds: bench/HISTORY.md, "uvloop, and each case on both loops").
`EVENT_LOOP=asyncio` is the way back, for asyncio's debug mode or a platform without uvloop.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable, Coroutine
from typing import Any, Literal, TypeVar

EventLoopChoice = Literal["auto", "uvloop", "asyncio"]
T = TypeVar("T")


def uvloop_installed() -> bool:
    """True when uvloop can be imported (it is a dependency everywhere but Windows)."""
    return importlib.util.find_spec("uvloop") is not None


def loop_factory(choice: EventLoopChoice) -> Callable[[], asyncio.AbstractEventLoop]:
    """What makes the loop: uvloop's for "uvloop", and for "auto" when it is installed; asyncio's otherwise."""
    if choice == "asyncio" or (choice == "auto" and not uvloop_installed()):
        return asyncio.new_event_loop
    import uvloop  # here, not at the top: on a platform without it "auto" must still work

    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T], choice: EventLoopChoice) -> T:
    """Runs a coroutine to the end on a new loop of the chosen kind, as asyncio.run does."""
    with asyncio.Runner(loop_factory=loop_factory(choice)) as runner:
        return runner.run(main)


def running_loop_name() -> str:
    """"uvloop" or "asyncio": the kind of the loop running now (for the start-up log)."""
    return "uvloop" if type(asyncio.get_running_loop()).__module__.startswith("uvloop") else "asyncio"
