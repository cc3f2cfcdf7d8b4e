"""EVENT_LOOP: which loop each choice runs a coroutine on, and "auto" on a machine without uvloop."""

from __future__ import annotations

import asyncio

import pytest
import uvloop

from bot import event_loop


async def _kind_and_answer() -> tuple[str, type[asyncio.AbstractEventLoop], int]:
    """What the running loop is, and a value that shows the coroutine ran to its end."""
    await asyncio.sleep(0)
    return event_loop.running_loop_name(), type(asyncio.get_running_loop()), 42


@pytest.mark.parametrize(("choice", "name", "loop_type"), [
    ("auto", "uvloop", uvloop.Loop),
    ("uvloop", "uvloop", uvloop.Loop),
    ("asyncio", "asyncio", asyncio.SelectorEventLoop),
])
def test_each_choice_runs_the_coroutine_on_its_loop(choice: event_loop.EventLoopChoice, name: str,
                                                    loop_type: type[asyncio.AbstractEventLoop]) -> None:
    assert event_loop.run(_kind_and_answer(), choice) == (name, loop_type, 42)


def test_auto_runs_on_asyncio_where_uvloop_is_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(event_loop, "uvloop_installed", lambda: False)
    assert event_loop.run(_kind_and_answer(), "auto") == ("asyncio", asyncio.SelectorEventLoop, 42)


def test_an_error_in_the_coroutine_reaches_the_caller_and_the_loop_is_closed() -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    async def fails() -> None:
        loops.append(asyncio.get_running_loop())
        raise LookupError("tidak ada")

    with pytest.raises(LookupError, match="tidak ada"):
        event_loop.run(fails(), "uvloop")
    assert loops[0].is_closed()
